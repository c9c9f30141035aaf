"""One mapper from each table row to the record value the services hand out (:mod:`.dto`).

Every service turns rows into values here and only here, so a record reads the same whichever use case
gives it: the register's detail, a quote just made, a transcript just imported. Call them inside the
session that loaded the row (relationships are read). The register's table, read in bulk from plain
columns for speed, is the one exception (:mod:`pcc_desk.services.register.table`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcc_desk.model import (
    Addressee,
    DueDateRevision,
    Evidence,
    Footnote,
    Quote,
    Recommendation,
    Response,
    ResponseKind,
    Segment,
    StatusChange,
    TargetDateRevision,
    Transcript,
    Verification,
)
from pcc_desk.services.dto import (
    AddresseeLine,
    AddresseeRecord,
    DueRevisionRecord,
    EvidenceRecord,
    FootnoteRecord,
    QuoteRecord,
    RecommendationDetail,
    RecommendationSummary,
    ResponseRecord,
    SegmentRecord,
    StatusChangeRecord,
    TargetRevisionRecord,
    TranscriptRecord,
    VerificationRecord,
)


def recommendation_summary(
    rec: Recommendation,
    latest: Response | None = None,
    *,
    provisional: bool = False,
    lines: tuple[AddresseeLine, ...] = (),
) -> RecommendationSummary:
    """A register row; ``latest``: its latest response, when the caller has it; ``provisional``:
    its reference is a laptop's numbering, not yet synced."""
    return RecommendationSummary(
        id=rec.id,
        ref=rec.ref,
        kind=rec.kind,
        text=rec.text,
        theme=rec.theme.name if rec.theme else "",
        addressee=rec.addressee,
        made=rec.made,
        due=rec.due,
        status=rec.status,
        priority=rec.priority,
        latest_assessment=latest.assessment if latest else None,
        latest_position=latest.position if latest else None,
        document_id=rec.document_id,
        ordinal=rec.ordinal,
        provisional=provisional,
        addressee_lines=lines,
    )


def addressee_lines(
    session: Session, ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, tuple[AddresseeLine, ...]]:
    """The addressees of each joint ask (of ``ids``, or of every ask), in one query: name, status,
    due date and the position of its latest response. Asks to one addressee are left out."""
    own = (
        select(Response.position)
        .where(Response.addressee_id == Addressee.id)
        .order_by(Response.received.desc(), Response.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    joint = (
        select(Addressee.recommendation_id)
        .group_by(Addressee.recommendation_id)
        .having(func.count() > 1)
    )
    stmt = select(
        Addressee.recommendation_id, Addressee.name, Addressee.status, Addressee.due, own
    ).where(Addressee.recommendation_id.in_(joint))
    if ids is not None:
        stmt = stmt.where(Addressee.recommendation_id.in_(list(ids)))
    found: dict[uuid.UUID, list[AddresseeLine]] = {}
    for rid, name, status, due, position in session.execute(
        stmt.order_by(Addressee.recommendation_id, Addressee.ordinal)
    ):
        found.setdefault(rid, []).append(AddresseeLine(name, status, due, position))
    return {rid: tuple(lines) for rid, lines in found.items()}


def recommendation_detail(
    rec: Recommendation,
    next_update: dt.date | None = None,
    addressee_updates: dict[uuid.UUID, dt.date | None] | None = None,
    *,
    provisional: bool = False,
) -> RecommendationDetail:
    """Everything about one recommendation: its responses, quotes (in meeting order), footnotes,
    due date revisions and status history."""
    responses = list(rec.responses)
    quotes = sorted(
        (link.quote for link in rec.quote_links),
        key=lambda q: (
            (q.transcript.meeting_date if q.transcript else None) or dt.date.min,
            q.segment.ordinal if q.segment else 0,
            q.start,
        ),
    )
    summary = recommendation_summary(
        rec, responses[-1] if responses else None, provisional=provisional
    )
    fields = {f: getattr(summary, f) for f in summary.__dataclass_fields__}
    document = rec.document
    return RecommendationDetail(
        **fields,
        context=rec.context,
        notes=rec.notes,
        original_due=rec.original_due,
        source_title=(document.subject or document.title) if document else "",
        source_date=document.date if document else None,
        footnotes=tuple(footnote_record(n) for n in rec.footnotes),
        quotes=tuple(quote_record(q) for q in quotes),
        responses=tuple(response_record(r, rec.ref) for r in responses),
        due_revisions=tuple(due_revision_record(d) for d in rec.due_revisions),
        history=tuple(status_change_record(c) for c in rec.status_changes),
        original_target=rec.original_target,
        target=rec.target,
        target_revisions=tuple(target_revision_record(t) for t in rec.target_revisions),
        next_update_due=next_update,
        verifications=tuple(
            verification_record(v, [e for e in rec.evidence if e.verification_id == v.id])
            for v in rec.verifications
        ),
        evidence=tuple(evidence_record(e) for e in rec.evidence),
        addressees=tuple(
            addressee_record(a, rec, (addressee_updates or {}).get(a.id)) for a in rec.addressees
        ),
        rag=rec.rag,
        rag_reason=rec.rag_reason or "",
        version=rec.version,
    )


def addressee_record(
    row: Addressee, rec: Recommendation, next_update: dt.date | None = None
) -> AddresseeRecord:
    """One addressee of ``rec`` with its own responses (oldest first)."""
    own = [r for r in rec.responses if r.addressee_id == row.id]
    return AddresseeRecord(
        id=row.id,
        name=row.name,
        ordinal=row.ordinal,
        status=row.status,
        original_due=row.original_due,
        due=row.due,
        original_target=row.original_target,
        target=row.target,
        position=own[-1].position if own else None,
        next_update_due=next_update,
        responses=tuple(response_record(r, rec.ref) for r in own),
        version=row.version,
    )


def response_record(resp: Response, ref: str | None = None) -> ResponseRecord:
    """A response; ``ref``: its recommendation's reference (read from the row when not given)."""
    return ResponseRecord(
        id=resp.id,
        ref=ref if ref is not None else resp.recommendation.ref,
        received=resp.received,
        from_whom=resp.from_whom,
        text=resp.text,
        position=resp.position,
        implementation=resp.implementation,
        assessment=resp.assessment,
        evidence=resp.evidence,
        document_id=resp.document_id,
        kind=resp.kind or ResponseKind.RESPONSE,
        version=resp.version,
        addressee=resp.addressee.name if resp.addressee is not None else "",
    )


def status_change_record(change: StatusChange) -> StatusChangeRecord:
    return StatusChangeRecord(
        id=change.id,
        from_status=change.from_status,
        to_status=change.to_status,
        changed_at=change.changed_at,
        changed_by=change.changed_by,
        note=change.note,
    )


def due_revision_record(revision: DueDateRevision) -> DueRevisionRecord:
    return DueRevisionRecord(
        id=revision.id,
        old_due=revision.old_due,
        new_due=revision.new_due,
        reason=revision.reason,
        changed_at=revision.changed_at,
        changed_by=revision.changed_by,
    )


def target_revision_record(revision: TargetDateRevision) -> TargetRevisionRecord:
    return TargetRevisionRecord(
        id=revision.id,
        old_target=revision.old_target,
        new_target=revision.new_target,
        reason=revision.reason,
        changed_at=revision.changed_at,
        changed_by=revision.changed_by,
        response_id=revision.response_id,
    )


def evidence_record(evidence: Evidence) -> EvidenceRecord:
    doc = evidence.document
    return EvidenceRecord(
        id=evidence.id,
        file_name=doc.file_name,
        sha256=doc.sha256 or "",
        stored_path=doc.stored_path or "",
        note=evidence.note,
        attached_at=evidence.created_at,
        response_id=evidence.response_id,
        status_change_id=evidence.status_change_id,
        verification_id=evidence.verification_id,
    )


def verification_record(
    check: Verification, evidence: Iterable[Evidence] = ()
) -> VerificationRecord:
    return VerificationRecord(
        id=check.id,
        verified_on=check.verified_on,
        verified_by=check.verified_by,
        note=check.note,
        evidence=tuple(evidence_record(e) for e in evidence),
    )


def footnote_record(note: Footnote) -> FootnoteRecord:
    """A footnote of a letter; the letter writer takes it as it is (``CitedFootnote``)."""
    return FootnoteRecord(
        id=note.id,
        number=note.number,
        text=note.text,
        urls=tuple(note.urls or ()),
        meeting_date=note.meeting_date,
        committee=note.committee,
        transcript_id=note.transcript_id,
        document_id=note.document_id,
    )


def quote_record(quote: Quote) -> QuoteRecord:
    return QuoteRecord(
        id=quote.id,
        transcript_id=quote.transcript_id,
        segment_id=quote.segment_id,
        start=quote.start,
        end=quote.end,
        text=quote.text,
        speaker=quote.speaker,
        citation=quote.citation,
        meeting_date=quote.transcript.meeting_date if quote.transcript else None,
        segment_ordinal=quote.segment.ordinal if quote.segment else 0,
    )


def segment_record(segment: Segment) -> SegmentRecord:
    return SegmentRecord(
        id=segment.id,
        ordinal=segment.ordinal,
        speaker=segment.speaker,
        speaker_name=segment.speaker_name,
        role=segment.speaker_role,
        text=segment.text,
        page=segment.page,
    )


def segment_record_of_row(row: Mapping[str, Any]) -> SegmentRecord:
    """A turn written as a plain row (the values of ``insert(Segment)``, a long transcript's way in):
    the same record :func:`segment_record` makes of the row read back."""
    return SegmentRecord(
        id=row["id"],
        ordinal=row["ordinal"],
        speaker=row["speaker"],
        speaker_name=row["speaker_name"],
        role=row["speaker_role"],
        text=row["text"],
        page=row["page"],
    )


def transcript_record(
    transcript: Transcript,
    *,
    segment_count: int = 0,
    word_count: int | None = None,
    quote_count: int = 0,
    file_name: str | None = None,
    sha256: str | None = None,
) -> TranscriptRecord:
    """A transcript with the counts the caller made (in bulk for a list, exactly for one); its file's
    name and hash from its document unless given (a list reads them in its own query)."""
    document = transcript.document if file_name is None or sha256 is None else None
    return TranscriptRecord(
        id=transcript.id,
        committee=transcript.committee,
        date=transcript.meeting_date,
        title=transcript.title,
        file_name=file_name if file_name is not None else (document.file_name if document else ""),
        sha256=sha256 if sha256 is not None else ((document.sha256 or "") if document else ""),
        segment_count=segment_count,
        word_count=word_count,
        quote_count=quote_count,
    )
