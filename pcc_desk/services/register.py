"""The register's use cases: add, edit, list and filter recommendations; log responses; change
status; revise due dates; read the history. Each call is one transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from pcc_desk.dates import house_date
from pcc_desk.errors import Conflict, InvalidInput, NotFound
from pcc_desk.model import (
    Assessment,
    DueDateRevision,
    Footnote,
    Implementation,
    OperationKind,
    Position,
    Priority,
    Quote,
    Recommendation,
    RecommendationKind,
    Response,
    Status,
    StatusChange,
    Theme,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal
from pcc_desk.services.desk import ChangeKind as C
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import (
    DueRevisionRecord,
    FootnoteRecord,
    QuoteRecord,
    RecommendationDetail,
    RecommendationSummary,
    ResponseRecord,
    StatusChangeRecord,
)

RESPONSE_PERIOD_MONTHS = 2  # as for select committee reports
REF_PREFIX = "PCC"
MAX_TEXT = 100_000


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Dec + 2 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_due(made: dt.date) -> dt.date:
    return add_months(made, RESPONSE_PERIOD_MONTHS)


def reference_prefix(made: dt.date) -> str:
    return f"{REF_PREFIX}-{made.isoformat()}/"


def next_reference(session: Session, made: dt.date, taken: Iterable[str] = ()) -> str:
    """``PCC-YYYY-MM-DD/NN``: the next free number for that date."""
    prefix = reference_prefix(made)
    refs = list(
        session.scalars(select(Recommendation.ref).where(Recommendation.ref.startswith(prefix)))
    )
    refs.extend(r for r in taken if r.startswith(prefix))
    numbers = [
        int(m.group(1)) for r in refs if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", r))
    ]
    return f"{prefix}{(max(numbers) + 1 if numbers else 1):02d}"


def _clean_text(value: str, what: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"The {what} cannot be empty.")
    if len(value) > MAX_TEXT:
        raise InvalidInput(
            f"The {what} is too long ({len(value):,} characters; at most {MAX_TEXT:,})."
        )
    return value


def get_or_create_theme(
    session: Session,
    name: str,
    *,
    document_id: uuid.UUID | None = None,
    ordinal: int = 0,
    op: journal.Pending | None = None,
) -> Theme | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    theme = session.scalars(
        select(Theme).where(func.lower(Theme.name) == name.lower()).limit(1)
    ).first()
    if theme is None:
        theme = Theme(
            id=op.new_id(R.THEME) if op is not None else uuid.uuid4(),
            name=name,
            document_id=document_id,
            ordinal=ordinal,
        )
        session.add(theme)
        session.flush()
        if op is not None:
            op.created(R.THEME, theme.id)
    return theme


def _record_status(
    session: Session,
    rec: Recommendation,
    new: Status,
    note: str,
    op: journal.Pending,
    response_id=None,
) -> StatusChange:
    """Append a status change (the history is append-only) and move the status, for ``op``."""
    change = StatusChange(
        id=op.new_id(R.STATUS_CHANGE),
        recommendation_id=rec.id,
        from_status=rec.status,
        to_status=new,
        changed_at=op.at,
        changed_by=op.actor,
        note=note,
        response_id=response_id,
    )
    op.replaced.setdefault("status", journal.enc(rec.status))
    rec.status = new
    session.add(change)
    op.created(R.STATUS_CHANGE, change.id)
    op.changed(R.RECOMMENDATION, rec.id, ["status"])
    return change


def status_change_record(c: StatusChange) -> StatusChangeRecord:
    return StatusChangeRecord(
        id=c.id,
        from_status=c.from_status,
        to_status=c.to_status,
        changed_at=c.changed_at,
        changed_by=c.changed_by,
        note=c.note,
    )


# --- reading ----------------------------------------------------------------------------------


def _summary(rec: Recommendation, latest: Response | None = None) -> RecommendationSummary:
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
    )


def response_record(resp: Response, ref: str) -> ResponseRecord:
    return ResponseRecord(
        id=resp.id,
        ref=ref,
        received=resp.received,
        from_whom=resp.from_whom,
        text=resp.text,
        position=resp.position,
        implementation=resp.implementation,
        assessment=resp.assessment,
        evidence=resp.evidence,
        document_id=resp.document_id,
    )


def footnote_record(note: Footnote) -> FootnoteRecord:
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


def _load(session: Session, ref: str) -> Recommendation:
    ref = (ref or "").strip()
    rec = session.scalars(select(Recommendation).where(Recommendation.ref == ref)).first()
    if rec is None:
        rec = session.scalars(
            select(Recommendation).where(func.upper(Recommendation.ref) == ref.upper())
        ).first()
    if rec is None:
        raise NotFound(f"There is no recommendation {ref!r} in the register.")
    return rec


def _latest_map(session: Session, ids: list[uuid.UUID] | None = None) -> dict[uuid.UUID, Response]:
    stmt = select(Response).order_by(Response.received, Response.created_at)
    if ids is not None:
        if not ids:
            return {}
        stmt = stmt.where(Response.recommendation_id.in_(ids))
    latest: dict[uuid.UUID, Response] = {}
    for resp in session.scalars(stmt):
        latest[resp.recommendation_id] = resp
    return latest


@dataclass(frozen=True)
class RecommendationFilter:
    statuses: tuple[Status, ...] = ()
    theme: str | None = None
    addressee: str | None = None
    made_from: dt.date | None = None
    made_to: dt.date | None = None
    text: str | None = None
    kind: RecommendationKind | None = None
    overdue_on: dt.date | None = None  # only those awaiting a response past due on that day
    refs: tuple[str, ...] = ()
    document_id: uuid.UUID | None = None


def list_recommendations(
    desk: Desk, flt: RecommendationFilter | None = None
) -> list[RecommendationSummary]:
    flt = flt or RecommendationFilter()
    stmt = select(Recommendation).options(selectinload(Recommendation.theme))
    if flt.statuses:
        stmt = stmt.where(Recommendation.status.in_(flt.statuses))
    if flt.theme:
        stmt = stmt.join(Theme, Recommendation.theme_id == Theme.id).where(
            func.lower(Theme.name) == flt.theme.strip().lower()
        )
    if flt.addressee:
        stmt = stmt.where(
            Recommendation.addressee.icontains(flt.addressee.strip(), autoescape=True)
        )
    if flt.made_from:
        stmt = stmt.where(Recommendation.made >= flt.made_from)
    if flt.made_to:
        stmt = stmt.where(Recommendation.made <= flt.made_to)
    if flt.kind:
        stmt = stmt.where(Recommendation.kind == flt.kind)
    if flt.text:
        needle = flt.text.strip()
        stmt = stmt.where(
            or_(
                Recommendation.text.icontains(needle, autoescape=True),
                Recommendation.ref.icontains(needle, autoescape=True),
                Recommendation.context.icontains(needle, autoescape=True),
            )
        )
    if flt.overdue_on:
        stmt = stmt.where(
            Recommendation.status == Status.AWAITING_RESPONSE, Recommendation.due < flt.overdue_on
        )
    if flt.refs:
        stmt = stmt.where(Recommendation.ref.in_(flt.refs))
    if flt.document_id:
        stmt = stmt.where(Recommendation.document_id == flt.document_id)
    stmt = stmt.order_by(Recommendation.made, Recommendation.ref)
    with desk.reading() as session:
        recs = list(session.scalars(stmt))
        latest = _latest_map(session, None if len(recs) > 500 else [r.id for r in recs])
        return [_summary(r, latest.get(r.id)) for r in recs]


def overdue(desk: Desk, today: dt.date | None = None) -> list[RecommendationSummary]:
    """Awaiting a response past the latest due date, oldest due first."""
    rows = list_recommendations(desk, RecommendationFilter(overdue_on=today or dt.date.today()))
    return sorted(rows, key=lambda r: (r.due, r.ref))


def get_recommendation(desk: Desk, ref: str) -> RecommendationDetail:
    with desk.reading() as session:
        return _detail(session, _load(session, ref))


def _detail(session: Session, rec: Recommendation) -> RecommendationDetail:
    responses = list(rec.responses)
    quotes = [link.quote for link in rec.quote_links]
    quotes.sort(
        key=lambda q: (q.transcript.meeting_date or dt.date.min, q.segment.ordinal, q.start)
    )
    summary = _summary(rec, responses[-1] if responses else None)
    fields = {f: getattr(summary, f) for f in summary.__dataclass_fields__}
    return RecommendationDetail(
        **fields,
        context=rec.context,
        notes=rec.notes,
        original_due=rec.original_due,
        source_title=(rec.document.subject or rec.document.title) if rec.document else "",
        source_date=rec.document.date if rec.document else None,
        footnotes=tuple(footnote_record(n) for n in rec.footnotes),
        quotes=tuple(quote_record(q) for q in quotes),
        responses=tuple(response_record(r, rec.ref) for r in responses),
        due_revisions=tuple(
            DueRevisionRecord(
                id=d.id,
                old_due=d.old_due,
                new_due=d.new_due,
                reason=d.reason,
                changed_at=d.changed_at,
                changed_by=d.changed_by,
            )
            for d in rec.due_revisions
        ),
        history=tuple(status_change_record(c) for c in rec.status_changes),
    )


def history(desk: Desk, ref: str) -> tuple[StatusChangeRecord, ...]:
    return get_recommendation(desk, ref).history


def list_themes(desk: Desk) -> list[str]:
    with desk.reading() as session:
        rows = session.execute(
            select(Theme.name, func.min(Recommendation.made), func.min(Recommendation.ordinal))
            .join(Recommendation, Recommendation.theme_id == Theme.id, isouter=True)
            .group_by(Theme.id)
            .order_by(func.min(Recommendation.made), func.min(Recommendation.ordinal), Theme.name)
        )
        return [name for name, _made, _pos in rows]


def list_addressees(desk: Desk) -> list[str]:
    with desk.reading() as session:
        rows = session.scalars(
            select(Recommendation.addressee).distinct().order_by(Recommendation.addressee)
        )
        return [r for r in rows if r]


# --- writing ----------------------------------------------------------------------------------
# Each use case checks its arguments, describes itself as a journal operation (its arguments, records
# named by id) and carries it out with an ``_apply_*`` function that reads only that description:
# the same function applies it again for a redo, or on another register.


def _get(session: Session, ident: uuid.UUID | str) -> Recommendation:
    rec = session.get(Recommendation, journal.uid(ident))
    if rec is None:
        raise NotFound("That recommendation is no longer in the register.")
    return rec


def add_recommendation(
    desk: Desk,
    text: str,
    *,
    theme: str | None = None,
    addressee: str = "",
    made: dt.date | None = None,
    due: dt.date | None = None,
    kind: RecommendationKind = RecommendationKind.RECOMMENDATION,
    context: str = "",
    priority: Priority = Priority.NORMAL,
    notes: str = "",
    ref: str | None = None,
) -> RecommendationSummary:
    text = _clean_text(text, "text of the recommendation")
    made = made or dt.date.today()
    due = due or default_due(made)
    if due < made:
        raise InvalidInput(
            f"The due date {house_date(due)} is before the date made {house_date(made)}."
        )
    values = {
        "text": text,
        "context": _clean_text(context, "context", required=False),
        "theme": " ".join((theme or "").split()),
        "addressee": (addressee or "").strip(),
        "made": made,
        "due": due,
        "kind": kind,
        "priority": priority,
        "notes": _clean_text(notes, "notes", required=False),
    }
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        values["ref"] = (ref or "").strip() or next_reference(session, made)
        op = journal.pending(OperationKind.ADD_RECOMMENDATION, values, desk.user)
        rec = apply_add(session, op, op.payload)
        journal.write(session, op)
        return _summary(rec)


def apply_add(session: Session, op: journal.Pending, p: dict) -> Recommendation:
    ref = p["ref"]
    if session.scalars(select(Recommendation.id).where(Recommendation.ref == ref)).first():
        raise InvalidInput(f"The reference {ref} is already in use.")
    rec = Recommendation(
        id=op.new_id(R.RECOMMENDATION),
        ref=ref,
        kind=RecommendationKind(p["kind"]),
        text=p["text"],
        context=p["context"],
        theme=get_or_create_theme(session, p["theme"], op=op),
        addressee=p["addressee"],
        made=journal.day(p["made"]),
        original_due=journal.day(p["due"]),
        due=journal.day(p["due"]),
        status=Status.AWAITING_RESPONSE,
        priority=Priority(p["priority"]),
        notes=p["notes"],
    )
    session.add(rec)
    session.flush()
    first = StatusChange(
        id=op.new_id(R.STATUS_CHANGE),
        recommendation_id=rec.id,
        from_status=None,
        to_status=rec.status,
        changed_at=op.at,
        changed_by=op.actor,
        note="Added to the register",
    )
    session.add(first)
    op.created(R.RECOMMENDATION, rec.id)
    op.created(R.STATUS_CHANGE, first.id)
    op.summary = f"Add {ref}"
    return rec


EDITABLE = ("text", "context", "theme", "addressee", "priority", "notes", "kind", "made")


def edit_recommendation(desk: Desk, ref: str, **changes) -> RecommendationDetail:
    """Change any of :data:`EDITABLE`. Status and due date have their own audited calls."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"Cannot edit {', '.join(sorted(unknown))} this way.")
    values = {name: _edited_value(name, value) for name, value in changes.items()}
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = _load(session, ref)
        op = journal.pending(
            OperationKind.EDIT_RECOMMENDATION,
            {"recommendation": rec.id, "ref": rec.ref, "changes": values},
            desk.user,
        )
        apply_edit(session, op, op.payload)
        journal.write(session, op)
        session.flush()
        return _detail(session, rec)


def _edited_value(name: str, value):
    """An edited field's value, checked and in its stored form (text cleaned, slugs parsed)."""
    if name == "text":
        return _clean_text(value, "text of the recommendation")
    if name in ("context", "notes"):
        return _clean_text(value, name, required=False)
    if name == "theme":
        return " ".join((value or "").split())
    if name == "addressee":
        return (value or "").strip()
    if name == "priority":
        return value if isinstance(value, Priority) else Priority.parse(value)
    if name == "kind":
        return value if isinstance(value, RecommendationKind) else RecommendationKind.parse(value)
    if name == "made":
        if not isinstance(value, dt.date):
            raise InvalidInput("The date made must be a date.")
        return value
    raise InvalidInput(f"Cannot edit {name} this way.")


def stored_field(rec: Recommendation, name: str):
    """A field of :data:`EDITABLE` as the journal keeps it."""
    if name == "theme":
        return rec.theme.name if rec.theme else ""
    return journal.enc(getattr(rec, name))


def apply_edit(session: Session, op: journal.Pending, p: dict) -> Recommendation:
    rec = _get(session, p["recommendation"])
    changes = p["changes"]
    for name, value in changes.items():
        op.replaced.setdefault(name, stored_field(rec, name))
        if name == "theme":
            rec.theme = get_or_create_theme(session, value, op=op)
        elif name == "priority":
            rec.priority = Priority(value)
        elif name == "kind":
            rec.kind = RecommendationKind(value)
        elif name == "made":
            rec.made = journal.day(value)
        else:
            setattr(rec, name, value)
    op.changed(R.RECOMMENDATION, rec.id, changes)
    op.summary = f"Edit {rec.ref} ({', '.join(changes)})"
    session.flush()
    return rec


def default_status_after(assessment: Assessment, position: Position) -> Status:
    """What logging a response does to the status when the clerk does not say."""
    if assessment in (Assessment.NOT_ADDRESSED, Assessment.PARTLY_ADDRESSED):
        return Status.FOLLOW_UP_NEEDED
    return Status.RESPONSE_RECEIVED


def log_response(
    desk: Desk,
    ref: str,
    *,
    received: dt.date,
    position: Position,
    text: str,
    from_whom: str = "",
    implementation: Implementation = Implementation.NOT_STATED,
    assessment: Assessment = Assessment.NOT_YET_ASSESSED,
    evidence: str = "",
    new_status: Status | None = None,
    note: str = "",
    document_id: uuid.UUID | None = None,
    today: dt.date | None = None,
) -> ResponseRecord:
    """Record a response and move the status, with its audit row, in one transaction."""
    text = _clean_text(text, "text of the response")
    if received > (today or dt.date.today()):
        raise InvalidInput(f"The date received ({house_date(received)}) is in the future.")
    with desk.transaction((C.RESPONSES, C.RECOMMENDATIONS)) as session:
        rec = _load(session, ref)
        op = journal.pending(
            OperationKind.LOG_RESPONSE,
            {
                "recommendation": rec.id,
                "ref": rec.ref,
                "received": received,
                "from_whom": (from_whom or "").strip(),
                "text": text,
                "position": position,
                "implementation": implementation,
                "assessment": assessment,
                "evidence": _clean_text(evidence, "evidence", required=False),
                "status": new_status,
                "note": note,
                "document": document_id,
            },
            desk.user,
        )
        resp = apply_log_response(session, op, op.payload)
        journal.write(session, op)
        return response_record(resp, rec.ref)


def apply_log_response(session: Session, op: journal.Pending, p: dict) -> Response:
    rec = _get(session, p["recommendation"])
    received = journal.day(p["received"])
    if received < rec.made:
        raise InvalidInput(
            f"The date received ({house_date(received)}) is before {rec.ref} was made ({house_date(rec.made)})."
        )
    position, assessment = Position(p["position"]), Assessment(p["assessment"])
    resp = Response(
        id=op.new_id(R.RESPONSE),
        recommendation_id=rec.id,
        received=received,
        from_whom=p["from_whom"],
        text=p["text"],
        position=position,
        implementation=Implementation(p["implementation"]),
        assessment=assessment,
        evidence=p["evidence"],
        document_id=journal.uid(p.get("document")),
    )
    session.add(resp)
    session.flush()
    op.created(R.RESPONSE, resp.id)
    op.used(R.RECOMMENDATION, rec.id)
    target = Status(p["status"]) if p.get("status") else default_status_after(assessment, position)
    if target != rec.status:
        _record_status(
            session,
            rec,
            target,
            p["note"] or f"Response of {house_date(received)} logged",
            op,
            resp.id,
        )
    op.summary = f"Log a response to {rec.ref}"
    return resp


def change_status(desk: Desk, ref: str, new_status: Status, note: str) -> StatusChangeRecord:
    note = _clean_text(note, "note explaining the change")
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = _load(session, ref)
        op = journal.pending(
            OperationKind.CHANGE_STATUS,
            {"recommendation": rec.id, "ref": rec.ref, "status": new_status, "note": note},
            desk.user,
        )
        change = apply_change_status(session, op, op.payload)
        journal.write(session, op)
        session.flush()
        return status_change_record(change)


def apply_change_status(session: Session, op: journal.Pending, p: dict) -> StatusChange:
    rec = _get(session, p["recommendation"])
    new_status = Status(p["status"])
    if rec.status == new_status:
        raise InvalidInput(f"{rec.ref} is already '{new_status.label}'.")
    op.summary = f"Change the status of {rec.ref} to '{new_status.label}'"
    return _record_status(session, rec, new_status, p["note"], op)


def revise_due(desk: Desk, ref: str, new_due: dt.date, reason: str) -> DueRevisionRecord:
    reason = _clean_text(reason, "reason for the new due date")
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = _load(session, ref)
        op = journal.pending(
            OperationKind.REVISE_DUE,
            {"recommendation": rec.id, "ref": rec.ref, "due": new_due, "reason": reason},
            desk.user,
        )
        rev = apply_revise_due(session, op, op.payload)
        journal.write(session, op)
        session.flush()
        return DueRevisionRecord(
            id=rev.id,
            old_due=rev.old_due,
            new_due=rev.new_due,
            reason=rev.reason,
            changed_at=rev.changed_at,
            changed_by=rev.changed_by,
        )


def apply_revise_due(session: Session, op: journal.Pending, p: dict) -> DueDateRevision:
    rec = _get(session, p["recommendation"])
    new_due = journal.day(p["due"])
    if new_due < rec.made:
        raise InvalidInput(
            f"The due date {house_date(new_due)} is before {rec.ref} was made ({house_date(rec.made)})."
        )
    if new_due == rec.due:
        raise InvalidInput(f"{rec.ref} is already due on {house_date(new_due)}.")
    rev = DueDateRevision(
        id=op.new_id(R.DUE_REVISION),
        recommendation_id=rec.id,
        old_due=rec.due,
        new_due=new_due,
        reason=p["reason"],
        changed_at=op.at,
        changed_by=op.actor,
    )
    op.replaced.setdefault("due", journal.enc(rec.due))
    rec.due = new_due
    session.add(rev)
    op.created(R.DUE_REVISION, rev.id)
    op.changed(R.RECOMMENDATION, rec.id, ["due"])
    op.summary = f"Revise the due date of {rec.ref} to {house_date(new_due)}"
    return rev


def status_counts_by_theme(desk: Desk) -> dict[str, dict[Status, int]]:
    """For the briefing chart: theme → status → count, themes in register order."""
    themes = list_themes(desk)
    counts: dict[str, dict[Status, int]] = {t: {} for t in themes}
    with desk.reading() as session:
        rows = session.execute(
            select(Theme.name, Recommendation.status, func.count())
            .select_from(Recommendation)
            .join(Theme, Recommendation.theme_id == Theme.id, isouter=True)
            .group_by(Theme.name, Recommendation.status)
        )
        for theme, status, n in rows:
            counts.setdefault(theme or "(no theme)", {})[status] = n
    return counts


def remove_response(desk: Desk, response_id: uuid.UUID, note: str = "") -> ResponseRecord:
    """Take a logged response out of the register (what undoing :func:`log_response` does).

    The status history stays append-only: when the response moved the status and nothing has moved
    it since, a new change back to the earlier status is appended; the original change is kept. The
    response's values stay in the journal (the operation's replaced values).
    """
    with desk.transaction((C.RESPONSES, C.RECOMMENDATIONS)) as session:
        if session.get(Response, response_id) is None:
            raise NotFound("That response is no longer in the register.")
        op = journal.pending(
            OperationKind.REMOVE_RESPONSE, {"response": response_id, "note": note}, desk.user
        )
        removed = apply_remove_response(session, op, op.payload)
        journal.write(session, op)
        return removed


def apply_remove_response(session: Session, op: journal.Pending, p: dict) -> ResponseRecord:
    resp = session.get(Response, journal.uid(p["response"]))
    if resp is None:
        raise NotFound("That response is no longer in the register.")
    rec = resp.recommendation
    removed = response_record(resp, rec.ref)
    op.replaced["response"] = journal.enc(dataclasses.asdict(removed))
    caused = session.scalars(
        select(StatusChange)
        .where(StatusChange.response_id == resp.id)
        .order_by(StatusChange.changed_at.desc())
        .limit(1)
    ).first()
    latest = session.scalars(
        select(StatusChange)
        .where(StatusChange.recommendation_id == rec.id)
        .order_by(StatusChange.changed_at.desc())
        .limit(1)
    ).first()
    if (
        caused is not None
        and latest is not None
        and caused.id == latest.id
        and caused.from_status is not None
    ):
        _record_status(
            session,
            rec,
            caused.from_status,
            p.get("note") or f"Response of {house_date(resp.received)} removed",
            op,
        )
    rec.responses.remove(resp)
    session.delete(resp)
    session.flush()
    op.removed(R.RESPONSE, resp.id)
    op.used(R.RECOMMENDATION, rec.id)
    op.summary = f"Remove a response to {rec.ref}"
    return removed


def remove_recommendation(desk: Desk, ref: str) -> RecommendationSummary:
    """Take a recommendation added by hand out of the register again (what undoing
    :func:`add_recommendation` does).

    Only while nothing hangs on it (:func:`removal_blocker`); otherwise :class:`Conflict`, nothing
    removed. Its own status row goes with it, and so does a theme typed by hand that nothing else uses
    now (redo makes it again). Its values stay in the journal.
    """
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = _load(session, ref)
        op = journal.pending(
            OperationKind.REMOVE_RECOMMENDATION,
            {"recommendation": rec.id, "ref": rec.ref},
            desk.user,
        )
        removed = apply_remove_recommendation(session, op, op.payload)
        journal.write(session, op)
        return removed


def removal_blocker(rec: Recommendation) -> str | None:
    """Why a recommendation cannot simply go, or None: what the clerk did with it since it was
    added, or that it is an ask of an imported letter (undo that import instead)."""
    reason = what_hangs_on(rec)
    if reason is None and rec.document_id is not None:
        reason = "came from an imported letter: undo that import instead"
    return reason


def apply_remove_recommendation(
    session: Session, op: journal.Pending, p: dict
) -> RecommendationSummary:
    rec = _get(session, p["recommendation"])
    reason = removal_blocker(rec)
    if reason is not None:
        raise Conflict(f"{rec.ref} {reason}; it was not removed.")
    removed = _summary(rec)
    op.replaced["recommendation"] = {
        "ref": rec.ref,
        **{name: stored_field(rec, name) for name in EDITABLE},
        "due": journal.enc(rec.due),
        "original_due": journal.enc(rec.original_due),
    }
    theme = rec.theme
    session.delete(rec)
    session.flush()
    op.removed(R.RECOMMENDATION, rec.id)
    # a theme typed for it, now unused
    if theme is not None and theme.document_id is None and drop_unused_theme(session, theme):
        op.removed(R.THEME, theme.id)
    op.summary = f"Remove {rec.ref}"
    return removed


def what_hangs_on(rec: Recommendation) -> str | None:
    """Why ``rec`` cannot simply go (what the clerk did with it since it was added), or None."""
    if rec.responses:
        return f"has {len(rec.responses)} response(s) logged"
    if rec.quote_links:
        return f"has {len(rec.quote_links)} quote(s) attached"
    if len(rec.status_changes) > 1:
        return "has had its status changed"
    if rec.due_revisions:
        return "has had its due date revised"
    return None


def edited_since_added(rec: Recommendation) -> bool:
    """True when the record was written after its first status row (an edit, even one undone since)."""
    first = rec.status_changes[0].created_at if rec.status_changes else rec.created_at
    return rec.updated_at > max(first, rec.created_at)


def drop_unused_theme(session: Session, theme: Theme) -> bool:
    """Delete ``theme`` when no recommendation uses it any more."""
    used = session.scalars(
        select(Recommendation.id).where(Recommendation.theme_id == theme.id).limit(1)
    ).first()
    if used is not None:
        return False
    session.delete(theme)
    return True


def summaries_for(desk: Desk, refs: Iterable[str]) -> list[RecommendationSummary]:
    """The register rows of just these references (to refresh a few rows after an edit)."""
    refs = tuple(dict.fromkeys(r for r in refs if r))
    if not refs:
        return []
    return list_recommendations(desk, RecommendationFilter(refs=refs))


def register_rows(desk: Desk) -> list[RecommendationSummary]:
    """Every row of the register, as :func:`list_recommendations` gives them, read in one query of
    plain columns (no ORM objects): what the desktop's table loads, fast on a decade of asks.

    A SQLite file is read with the standard library on a read-only connection (no SQLAlchemy result
    processing: about 40% faster on 20,000 rows); a database server through SQLAlchemy."""
    if desk.location.path is not None:
        return _register_rows_sqlite(desk.location.path)
    latest = (
        select(
            Response.recommendation_id.label("rid"),
            Response.assessment.label("assessment"),
            Response.position.label("position"),
            func.row_number()
            .over(
                partition_by=Response.recommendation_id,
                order_by=(Response.received.desc(), Response.created_at.desc()),
            )
            .label("rn"),
        )
    ).subquery()
    stmt = (
        select(
            Recommendation.id,
            Recommendation.ref,
            Recommendation.kind,
            Recommendation.text,
            Theme.name,
            Recommendation.addressee,
            Recommendation.made,
            Recommendation.due,
            Recommendation.status,
            Recommendation.priority,
            latest.c.assessment,
            latest.c.position,
            Recommendation.document_id,
            Recommendation.ordinal,
        )
        .select_from(Recommendation)
        .outerjoin(Theme, Recommendation.theme_id == Theme.id)
        .outerjoin(latest, (latest.c.rid == Recommendation.id) & (latest.c.rn == 1))
        .order_by(Recommendation.made, Recommendation.ref)
    )
    with desk.reading() as session:
        return [
            RecommendationSummary(
                id=rid,
                ref=ref,
                kind=kind,
                text=text,
                theme=theme or "",
                addressee=addressee,
                made=made,
                due=due,
                status=status,
                priority=priority,
                latest_assessment=assessment,
                latest_position=position,
                document_id=document_id,
                ordinal=ordinal,
            )
            for (
                rid,
                ref,
                kind,
                text,
                theme,
                addressee,
                made,
                due,
                status,
                priority,
                assessment,
                position,
                document_id,
                ordinal,
            ) in session.execute(stmt)
        ]


# The same query as :func:`register_rows`, in SQLite's words. Dates are stored as ISO text, UUIDs as
# 32 hex digits and enumerations as their slugs (see ``pcc_desk.model``).
_REGISTER_ROWS_SQL = """
SELECT r.id, r.ref, r.kind, r.text, t.name, r.addressee, r.made, r.due, r.status, r.priority,
       (SELECT s.assessment || ' ' || s.position FROM responses AS s WHERE s.recommendation_id = r.id
        ORDER BY s.received DESC, s.created_at DESC LIMIT 1),
       r.document_id, r.ordinal
FROM recommendations AS r
LEFT OUTER JOIN themes AS t ON r.theme_id = t.id
ORDER BY r.made, r.ref
"""  # the latest response by a correlated look-up in its index: faster here than the window function


_THEMES_SQL = """
SELECT t.name FROM themes AS t LEFT OUTER JOIN recommendations AS r ON r.theme_id = t.id
GROUP BY t.id ORDER BY min(r.made), min(r.ordinal), t.name
"""
_ADDRESSEES_SQL = "SELECT DISTINCT addressee FROM recommendations ORDER BY addressee"


@dataclass(frozen=True)
class RegisterTable:
    """What the register's table shows: every row, and the themes and addressees to filter by."""

    rows: list[RecommendationSummary]
    themes: list[str]
    addressees: list[str]


def register_table(desk: Desk) -> RegisterTable:
    """:func:`register_rows`, :func:`list_themes` and :func:`list_addressees` in one reading."""
    if desk.location.path is not None:
        return read_register_table(desk.location.path)
    return RegisterTable(register_rows(desk), list_themes(desk), list_addressees(desk))


def read_register_table(path) -> RegisterTable:
    """The register's table read from the SQLite file at ``path`` on a read-only connection, in one
    read transaction (the three parts agree), with the standard library alone: the desktop reads it at
    start-up while the file's health check runs, before the Desk is open. Raises ``sqlite3.Error``."""
    from pcc_desk.storage import read_only_connection

    with read_only_connection(path) as conn:
        conn.execute("BEGIN")
        rows = _register_rows_from(conn)
        themes = [name for (name,) in conn.execute(_THEMES_SQL)]
        addressees = [name for (name,) in conn.execute(_ADDRESSEES_SQL) if name]
        conn.execute("COMMIT")
    return RegisterTable(rows, themes, addressees)


def _register_rows_sqlite(path) -> list[RecommendationSummary]:
    from pcc_desk.storage import read_only_connection

    with read_only_connection(path) as conn:
        return _register_rows_from(conn)


def _register_rows_from(conn) -> list[RecommendationSummary]:
    kinds = {k.value: k for k in RecommendationKind}
    statuses = {s.value: s for s in Status}
    priorities = {p.value: p for p in Priority}
    assessments = {a.value: a for a in Assessment}
    positions = {p.value: p for p in Position}
    day = dt.date.fromisoformat
    uid = uuid.UUID
    documents: dict[str, uuid.UUID] = {}  # a few letters hold every ask: one UUID object each
    raw = conn.execute(_REGISTER_ROWS_SQL).fetchall()
    return [
        RecommendationSummary(
            id=uid(rid),
            ref=ref,
            kind=kinds[kind],
            text=text,
            theme=theme or "",
            addressee=addressee,
            made=day(made),
            due=day(due),
            status=statuses[status],
            priority=priorities[priority],
            latest_assessment=assessments[latest[0]] if latest else None,
            latest_position=positions[latest[1]] if latest else None,
            document_id=(
                documents.get(document_id) or documents.setdefault(document_id, uid(document_id))
            )
            if document_id is not None
            else None,
            ordinal=ordinal,
        )
        for (
            rid,
            ref,
            kind,
            text,
            theme,
            addressee,
            made,
            due,
            status,
            priority,
            latest_text,
            document_id,
            ordinal,
        ) in raw
        for latest in (latest_text.split(" ") if latest_text else None,)
    ]
