"""Reported complete is not verified: the Committee's own check that an ask was done (who verified
it, when, on what evidence), and evidence files (a published policy, a data release, a PDF) kept for
an ask, one of its responses or status changes, or a verification.

A file is kept as imports keep theirs: copied into the files folder under its SHA-256 (the same file
attached twice is kept once) and named by a :class:`Document` row of kind ``evidence``, so that the
clerk can open it from the register whatever happened to the original. Each use case is one
transaction and one journal row; undo takes out what it added (the kept copy stays, as for imports).
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcc_desk import storage
from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput, NotFound
from pcc_desk.model import (
    Document,
    DocumentKind,
    Evidence,
    OperationKind,
    Recommendation,
    Response,
    Verification,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal, originals
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import EvidenceRecord, VerificationRecord
from pcc_desk.services.records import evidence_record, verification_record
from pcc_desk.services.register import clean_text, recommendation_by_id, recommendation_by_ref
from pcc_desk.vocabulary import ChangeKind as C

MAX_EVIDENCE_BYTES = 200 * 1024 * 1024
CHANGES = (C.RECOMMENDATIONS, C.DOCUMENTS)


def keep_file(desk: Desk, path: str | Path) -> dict[str, Any]:
    """What the journal row names an evidence file by (its bytes are kept in the register, by
    SHA-256, when the operation is applied: :func:`_document`)."""
    path = Path(path)
    if not path.is_file():
        what = "a folder" if path.is_dir() else "not there"
        raise InvalidInput(f"{path.name}: the evidence file is {what}; nothing was attached.")
    size = path.stat().st_size
    if size > MAX_EVIDENCE_BYTES:
        raise InvalidInput(
            f"{path.name}: the file is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB; "
            "nothing was attached."
        )
    try:
        sha = storage.sha256_file(path)
    except OSError as exc:
        raise InvalidInput(f"{path.name}: the file could not be read ({exc.strerror}).") from None
    return {"file_name": path.name, "sha256": sha, "path": str(path)}


def kept_path(desk: Desk, record: EvidenceRecord) -> Path:
    """The kept copy of an evidence file, written out as a temporary file of its own name (to open
    it): the register keeps the bytes."""
    return originals.open_kept(desk, record.sha256, record.file_name, record.stored_path or None)


def _document(session: Session, op: journal.Pending, f: dict[str, Any]) -> Document:
    doc = session.scalars(select(Document).where(Document.sha256 == f["sha256"])).first()
    if doc is None:
        doc = Document(
            id=op.new_id(R.DOCUMENT),
            kind=DocumentKind.EVIDENCE,
            title=f["file_name"],
            file_name=f["file_name"],
            sha256=f["sha256"],
            stored_path=f.get("stored_path"),
        )
        if not originals.is_kept(session, f["sha256"]):
            originals.keep(session, Path(f.get("path") or ""), f["sha256"], name=f["file_name"])
        session.add(doc)
        session.flush()
        op.created(R.DOCUMENT, doc.id)
    else:
        op.used(R.DOCUMENT, doc.id)
    return doc


def _attach(
    session: Session, op: journal.Pending, rec: Recommendation, f: dict[str, Any], **links: Any
) -> Evidence:
    doc = _document(session, op, f)
    evidence = Evidence(
        id=op.new_id(R.EVIDENCE),
        recommendation_id=rec.id,
        document_id=doc.id,
        note=f.get("note", ""),
        **{k: journal.uid(v) for k, v in links.items()},
    )
    session.add(evidence)
    session.flush()
    op.created(R.EVIDENCE, evidence.id)
    return evidence


def attach_evidence(
    desk: Desk,
    ref: str,
    path: str | Path,
    *,
    note: str = "",
    response_id: uuid.UUID | None = None,
    latest_response: bool = False,
) -> EvidenceRecord:
    """Keep ``path`` as evidence for ``ref`` (or for one of its responses: by id, or the latest)."""
    note = clean_text(note, "note", required=False)
    kept = keep_file(desk, path) | {"note": note}
    with desk.transaction(CHANGES) as session:
        rec = recommendation_by_ref(session, ref)
        if latest_response:
            if not rec.responses:
                raise InvalidInput(f"{rec.ref} has no response to attach evidence to.")
            response_id = rec.responses[-1].id
        op = journal.pending(
            OperationKind.ATTACH_EVIDENCE,
            {"recommendation": rec.id, "ref": rec.ref, "file": kept, "response": response_id},
            desk.user,
        )
        evidence = apply_attach_evidence(session, op, op.payload)
        journal.write(session, op)
        return evidence_record(evidence)


def apply_attach_evidence(session: Session, op: journal.Pending, p: dict[str, Any]) -> Evidence:
    rec = recommendation_by_id(session, p["recommendation"])
    links = {}
    if p.get("response"):
        resp = session.get(Response, journal.uid(p["response"]))
        if resp is None or resp.recommendation_id != rec.id:
            raise NotFound(f"That response is not one of {rec.ref}'s.")
        links["response_id"] = resp.id
    evidence = _attach(session, op, rec, p["file"], **links)
    op.used(R.RECOMMENDATION, rec.id)
    op.summary = f"Attach evidence to {rec.ref}"
    return evidence


def verify(
    desk: Desk,
    ref: str,
    *,
    note: str,
    evidence: tuple[str | Path, ...] = (),
    verified_on: dt.date | None = None,
    verified_by: str | None = None,
    today: dt.date | None = None,
) -> VerificationRecord:
    """Record that the Committee verified ``ref`` was done: by whom (the clerk, unless named), on
    which day (today unless given), what was seen (the note) and the evidence files."""
    note = clean_text(note, "note saying what was verified")
    day: dt.date = verified_on or today or dt.date.today()
    if day > (today or dt.date.today()):
        raise InvalidInput(f"The date verified ({house_date(day)}) is in the future.")
    files = [keep_file(desk, p) for p in evidence]
    with desk.transaction(CHANGES) as session:
        rec = recommendation_by_ref(session, ref)
        op = journal.pending(
            OperationKind.VERIFY,
            {
                "recommendation": rec.id,
                "ref": rec.ref,
                "on": day,
                "by": (verified_by or "").strip() or desk.user,
                "note": note,
                "files": files,
            },
            desk.user,
        )
        check = apply_verify(session, op, op.payload)
        journal.write(session, op)
        return verification_record(check, _evidence_of(session, check.id))


def apply_verify(session: Session, op: journal.Pending, p: dict[str, Any]) -> Verification:
    rec = recommendation_by_id(session, p["recommendation"])
    day = journal.required_day(p["on"])
    if day < rec.made:
        raise InvalidInput(
            f"The date verified ({house_date(day)}) is before {rec.ref} was made "
            f"({house_date(rec.made)})."
        )
    check = Verification(
        id=op.new_id(R.VERIFICATION),
        recommendation_id=rec.id,
        verified_on=day,
        verified_by=p["by"],
        note=p["note"],
    )
    session.add(check)
    session.flush()
    op.created(R.VERIFICATION, check.id)
    for f in p["files"]:
        _attach(session, op, rec, f, verification_id=check.id)
    op.used(R.RECOMMENDATION, rec.id)
    op.summary = f"Record the Committee's verification of {rec.ref}"
    return check


def _evidence_of(session: Session, verification_id: uuid.UUID) -> list[Evidence]:
    return list(
        session.scalars(
            select(Evidence)
            .where(Evidence.verification_id == verification_id)
            .order_by(Evidence.created_at)
        )
    )


def remove_added(
    session: Session, op: journal.Pending, target_records: list[dict[str, Any]]
) -> None:
    """Undo of a verification or an attachment: take out the rows it made (evidence, verification,
    and a document row nothing else uses now); the kept copy of the file stays."""
    made = {(e["kind"], uuid.UUID(e["id"])) for e in target_records if e["role"] == journal.CREATED}
    for kind, model in ((R.EVIDENCE, Evidence), (R.VERIFICATION, Verification)):
        for k, ident in made:
            row = session.get(model, ident) if k == kind else None
            if row is not None:
                session.delete(row)
                session.flush()
                op.removed(kind, ident)
    for k, ident in made:
        if k != R.DOCUMENT:
            continue
        used = session.scalar(select(func.count()).where(Evidence.document_id == ident))
        doc = session.get(Document, ident)
        if doc is not None and not used:
            session.delete(doc)
            session.flush()
            op.removed(R.DOCUMENT, ident)


def why_not_undo(session: Session, target_records: list[dict[str, Any]]) -> str | None:
    for entry in target_records:
        if entry["role"] == journal.CREATED and entry["kind"] in (R.EVIDENCE, R.VERIFICATION):
            model = Evidence if entry["kind"] == R.EVIDENCE else Verification
            if session.get(model, uuid.UUID(entry["id"])) is None:
                return "What that change added is no longer in the register; it was not undone."
    return None
