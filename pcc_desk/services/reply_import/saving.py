"""Saving a reviewed reply in ONE transaction (:func:`commit`): the reply's Document (the original
file kept) and one Response per answered ask, each moving its status as any logged response does;
one journal row, so the whole import is one undo. :func:`apply_import` applies it from that row
(a redo); :func:`apply_remove` takes it out (the undo)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk import storage
from pcc_desk.dates import house_date
from pcc_desk.errors import DuplicateImport, ImportRejected, InvalidInput
from pcc_desk.model import Document, DocumentKind, OperationKind, Response
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal, originals
from pcc_desk.services.desk import Desk
from pcc_desk.services.register import (
    apply_log_response,
    apply_remove_response,
    clean_text,
    recommendation_by_ref,
)
from pcc_desk.services.register.addressees import addressee_for
from pcc_desk.services.reply_import.values import (
    CHANGES,
    Answer,
    ReplyImportResult,
    ReplyPreview,
)


def suggested_answers(preview: ReplyPreview) -> tuple[Answer, ...]:
    """The answers as suggested: the chosen passage and the position read from it, per answered ask."""
    return tuple(
        Answer(s.ref, preview.passages[s.chosen], s.position)
        for s in preview.suggestions
        if s.chosen is not None
    )


def _earlier(session: Session, sha256: str) -> Document | None:
    return session.scalars(select(Document).where(Document.sha256 == sha256)).first()


def commit(
    desk: Desk,
    preview: ReplyPreview,
    answers: Sequence[Answer] | None = None,
    *,
    received: dt.date | None = None,
    today: dt.date | None = None,
) -> ReplyImportResult:
    """Save ``answers`` (by default the suggestions) as Responses, in one transaction."""
    name = preview.file_name
    answers = suggested_answers(preview) if answers is None else tuple(answers)
    received = received or preview.received
    if received is None:
        raise InvalidInput(f"{name}: the reply's date was not found: give the date received.")
    if received > (today or dt.date.today()):
        raise InvalidInput(f"The date received ({house_date(received)}) is in the future.")
    if not answers:
        raise InvalidInput(f"{name}: no ask is answered: nothing to import.")
    refs = [a.ref for a in answers]
    if len(set(refs)) != len(refs):
        raise InvalidInput(f"{name}: an ask is answered twice; give it one answer.")
    for answer in answers:
        clean_text(answer.text, f"answer to {answer.ref}")
    source = Path(preview.path)
    try:
        unchanged = storage.sha256_file(source) == preview.sha256
    except OSError:
        raise ImportRejected(
            f"{name}: the file can no longer be read; nothing was imported."
        ) from None
    if not unchanged:
        raise ImportRejected(
            f"{name}: the file has changed since it was read; read it again before importing."
        )
    with desk.transaction(CHANGES) as session:
        earlier = _earlier(session, preview.sha256)
        if earlier is not None:
            raise DuplicateImport(
                f"{name}: already imported on {house_date(earlier.created_at.date())}; nothing was added."
            )
        originals.keep(session, source, preview.sha256, name=name)  # in the import's transaction
        answered: list[dict[str, Any]] = []
        payload: dict[str, Any] = {
            "file_name": name,
            "sha256": preview.sha256,
            "path": preview.path,
            "letter": preview.letter.document_id,
            "title": f"Reply to {preview.letter.title}".strip(),
            "date": received,
            "sender": preview.sender,
            "answers": answered,
        }
        for answer in answers:
            rec = recommendation_by_ref(session, answer.ref)
            row = addressee_for(rec, preview.sender)  # several: the one the sender names
            answered.append(
                {
                    "recommendation": rec.id,
                    "ref": rec.ref,
                    "addressee": row.id if row is not None else None,
                    "received": received,
                    "from_whom": preview.sender,
                    "text": answer.text,
                    "position": answer.position,
                    "implementation": "not-stated",
                    "assessment": "not-yet-assessed",
                    "evidence": "",
                    "status": None,
                    "note": f"Response of {house_date(received)} imported from {name}",
                }
            )
        op = journal.pending(OperationKind.IMPORT_RESPONSE, payload, desk.user)
        result = apply_import(session, op, op.payload)
        journal.write(session, op)
    return dataclasses.replace(result, operation_id=op.id)


def apply_import(session: Session, op: journal.Pending, p: dict[str, Any]) -> ReplyImportResult:
    """The reply's Document and one Response per answer (ids from ``op``: a redo makes the same)."""
    doc = Document(
        id=op.new_id(R.DOCUMENT),
        kind=DocumentKind.RESPONSE,
        title=p["title"],
        date=journal.required_day(p["date"]),
        sender=p["sender"],
        file_name=p["file_name"],
        sha256=p["sha256"],
        stored_path=p.get("stored_path"),
    )
    session.add(doc)
    session.flush()
    op.created(R.DOCUMENT, doc.id)
    refs = []
    for answer in p["answers"]:
        apply_log_response(session, op, {**answer, "document": str(doc.id)})
        refs.append(answer["ref"])
    session.flush()
    span = f"{refs[0]} to {refs[-1]}" if len(refs) > 1 else refs[0]
    op.summary = f"Import the reply {p['file_name']} ({span})"
    message = (
        f"{p['file_name']}: {len(refs)} response(s) logged ({', '.join(refs)}), "
        f"received {house_date(journal.required_day(p['date']))}."
    )
    return ReplyImportResult(message, doc.id, tuple(refs))


def apply_remove(
    session: Session, op: journal.Pending, target_records: list[dict[str, Any]]
) -> str:
    """Take an imported reply out: its responses (each status change undone by a change back, as
    for a removed response) and its Document."""
    refs = []
    for entry in target_records:
        if entry["kind"] == R.RESPONSE and entry["role"] == journal.CREATED:
            resp = session.get(Response, journal.uid(entry["id"]))
            if resp is None:
                continue
            refs.append(resp.recommendation.ref)
            apply_remove_response(
                session, op, {"response": resp.id, "note": "Undo of importing the reply"}
            )
    for entry in target_records:
        if entry["kind"] == R.DOCUMENT and entry["role"] == journal.CREATED:
            doc = session.get(Document, journal.uid(entry["id"]))
            if doc is not None:
                session.delete(doc)
                session.flush()
                op.removed(R.DOCUMENT, doc.id)
    return f"Undone: the reply's {len(refs)} response(s) were taken out again ({', '.join(refs)})."


def undo_blocker(session: Session, target_records: list[dict[str, Any]]) -> str | None:
    for entry in target_records:
        if (
            entry["kind"] == R.RESPONSE
            and entry["role"] == journal.CREATED
            and session.get(Response, journal.uid(entry["id"])) is None
        ):
            return "A response that reply logged is no longer in the register; the import cannot be undone."
    return None
