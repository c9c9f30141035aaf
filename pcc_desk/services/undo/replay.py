"""Carrying an undo or a redo out: :func:`invert` applies the inverse of an operation through the
services' own ``apply_*`` functions (a status change undone by a change back appended, an import by
taking out what it added...); :func:`reapply` applies an operation again from its journal row, with
the same ids for the records it makes again (:func:`reusable`)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk.dates import house_date
from pcc_desk.errors import DuplicateImport, InvalidInput, NotFound
from pcc_desk.model import (
    RECORD_MODELS,
    Document,
    Operation,
    OperationKind,
    Quote,
    Recommendation,
    RecordKind,
    Status,
    Theme,
)
from pcc_desk.services import (
    journal,
    letter_import,
    quotes,
    register,
    repeats,
    reply_import,
    settings,
    tracker_paper,
    transcripts,
    verification,
)
from pcc_desk.services.desk import Desk
from pcc_desk.services.undo.rules import NOT_UNDOABLE, created_ids

T = TypeVar("T")

K = OperationKind
R = RecordKind


def invert(
    session: Session, desk: Desk, target: Operation, op: journal.Pending
) -> tuple[str, tuple[str, ...]]:
    """Apply the inverse of ``target`` as ``op`` (the undo row). Returns a message and the refs."""
    kind, p = target.kind, target.payload
    ref = p.get("ref", "")
    if kind == K.ADD_RECOMMENDATION:
        (ident,) = created_ids(target, R.RECOMMENDATION)
        removed = register.apply_remove_recommendation(session, op, {"recommendation": ident})
        return f"Undone: {removed.ref} was taken out of the register again.", (removed.ref,)
    if kind == K.EDIT_RECOMMENDATION:
        register.apply_edit(
            session, op, {"recommendation": p["recommendation"], "changes": target.replaced}
        )
        for ident in created_ids(target, R.THEME):  # a theme typed in the edit, unused now
            theme = session.get(Theme, ident)
            if theme is not None and register.drop_unused_theme(session, theme):
                op.removed(R.THEME, ident)
        session.flush()
        return f"Undone: the edit of {ref}.", (ref,)
    if kind == K.CHANGE_STATUS:
        new, old = Status(p["status"]), Status(target.replaced["status"])
        change = register.apply_change_status(
            session,
            op,
            {
                "recommendation": p["recommendation"],
                "status": old,
                "note": f"Undo of the change to '{new.label}'",
            },
        )
        # applied from another register (a sync), the change back may not be the latest of the
        # merged history: the addressees then keep the status the latest gave them
        if not op.replayed or _row(session, Recommendation, change.recommendation_id).status == old:
            register.addressees.restore_statuses(session, op, target.replaced)
        return (
            f"Undone: {ref} is '{old.label}' again (a change back was added to its history).",
            (ref,),
        )
    if kind == K.REVISE_DUE and p.get("addressee"):  # one addressee's: back for that one
        old = target.replaced["addressee_due"]
        register.apply_revise_due(
            session,
            op,
            {
                "recommendation": p["recommendation"],
                "addressee": p["addressee"],
                "due": old,
                "reason": f"Undo of the revision to {house_date(journal.required_day(p['due']))}",
            },
        )
        words = house_date(journal.required_day(old))
        return f"Undone: {p['addressee']} is due to answer {ref} on {words} again.", (ref,)
    if kind == K.REVISE_DUE:
        new_due, old_due = journal.required_day(p["due"]), target.replaced["due"]
        register.apply_revise_due(
            session,
            op,
            {
                "recommendation": p["recommendation"],
                "due": old_due,
                "reason": f"Undo of the revision to {house_date(new_due)}",
            },
        )
        return (
            f"Undone: {ref} is due on {house_date(journal.required_day(old_due))} again (a revision back was "
            "added to its history).",
            (ref,),
        )
    if kind == K.REVISE_TARGET:
        old = target.replaced["target"]
        register.apply_revise_target(
            session,
            op,
            {
                "recommendation": p["recommendation"],
                "target": old,
                "reason": "Undo of the revision of the target date",
                "clear_original": "original_target" in target.replaced,
            },
        )
        words = house_date(journal.required_day(old)) if old else "no date"
        return f"Undone: {ref}'s target date is {words} again.", (ref,)
    if kind == K.ADD_ADDRESSEE:
        register.addressing.undo_add(session, op, target)
        return f"Undone: {p['name']} is no longer an addressee of {ref}.", (ref,)
    if kind == K.REMOVE_ADDRESSEE:
        register.addressing.undo_remove(session, op, target)
        return f"Undone: {p['name']} is an addressee of {ref} again.", (ref,)
    if kind == K.SET_RAG:
        old = target.replaced["rag"]
        tracker_paper.apply_set_rag(
            session,
            op,
            {"recommendation": p["recommendation"], "rag": old["rag"], "reason": old["reason"]},
        )
        return f"Undone: {ref}'s rating is as it was.", (ref,)
    if kind == K.CLOSE:
        refs = tracker_paper.undo_close(session, op, target)
        return (
            f"Undone: {', '.join(refs)} reopened (a change back was added to each history).",
            refs,
        )
    if kind in (K.VERIFY, K.ATTACH_EVIDENCE):
        verification.remove_added(session, op, target.records)
        what = "verification" if kind == K.VERIFY else "evidence"
        return f"Undone: the {what} recorded for {ref} was taken out again.", (ref,)
    if kind == K.LOG_RESPONSE:
        (ident,) = created_ids(target, R.RESPONSE)
        register.apply_remove_response(
            session, op, {"response": ident, "note": "Undo of logging the response"}
        )
        return f"Undone: the response to {ref} was taken out again.", (ref,)
    if kind in (K.QUOTE, K.ATTACH_QUOTE):
        quote_id = journal.uid(p["quote"]) if kind == K.ATTACH_QUOTE else None
        if quote_id is None:
            quote_id = next(uuid.UUID(e["id"]) for e in target.records if e["kind"] == R.QUOTE)
        quote = _row(session, Quote, quote_id)
        held = _held_by_another_attach(session, target, quote_id)
        links = [i for i in target.replaced["links"] if i not in held]
        recs = [_row(session, Recommendation, journal.uid(i)) for i in links]
        quotes.unlink(session, op, quote, recs)
        quotes.restore_times(session, target, quote)
        quotes.hold_times(session, target, quote, held)
        if target.replaced.get("quote_created"):
            session.delete(quote)
            session.flush()
            op.removed(R.QUOTE, quote_id)
        return f"Undone: {target.summary}.", tuple(rec.ref for rec in recs)
    if kind == K.DETACH_QUOTE:
        quote = _row(session, Quote, journal.uid(p["quote"]))
        recs = [_row(session, Recommendation, journal.uid(i)) for i in target.replaced["links"]]
        quotes.link(session, op, quote, recs)
        return f"Undone: {target.summary}.", tuple(rec.ref for rec in recs)
    if kind == K.DELETE_QUOTE:
        quote = quotes.restore_quote(session, op, journal.uid(p["quote"]), target.replaced["quote"])
        recs = [_row(session, Recommendation, journal.uid(i)) for i in target.replaced["links"]]
        quotes.link(session, op, quote, recs)
        return "Undone: the quote is back.", tuple(rec.ref for rec in recs)
    if kind == K.IMPORT_LETTER:
        (ident,) = created_ids(target, R.DOCUMENT)
        undone = letter_import.apply_remove_import(session, op, {"document": ident})
        return undone.message, ()
    if kind == K.LINK_ASKS:
        (ident,) = created_ids(target, R.LINK)
        return repeats.apply_unlink(session, op, ident), (ref, p["earlier_ref"])
    if kind == K.UNLINK_ASKS:
        repeats.apply_link(session, op, p)
        return f"Undone: {ref} is linked to {p['earlier_ref']} again.", (ref, p["earlier_ref"])
    if kind == K.IMPORT_RESPONSE:
        return reply_import.apply_remove(session, op, target.records), tuple(
            a["ref"] for a in p["answers"]
        )
    if kind == K.IMPORT_TRANSCRIPT:
        (ident,) = created_ids(target, R.TRANSCRIPT)
        record = transcripts.apply_delete(session, op, {"transcript": ident, "force": False})
        return (
            f"{record.file_name}: import undone; the transcript of "
            f"{record.citation.removesuffix(' – transcript')} ({record.segment_count} turn(s)) "
            "removed. The copy of the file kept in the register stays, for a redo.",
            (),
        )
    if kind == K.SAVE_SETTINGS:
        settings.apply_save(session, op, {"key": p["key"], "value": target.replaced["value"]})
        return "Undone: the Committee's details are as they were.", ()
    raise InvalidInput(f"'{target.summary}' cannot be undone.")


def _held_by_another_attach(
    session: Session, target: Operation, quote_id: uuid.UUID
) -> dict[str, dt.datetime]:
    """The recommendations (ids) another attach of the quote, in effect still, attached it to, each
    with the earliest such attach's time: an attach made on two registers (a sync) is one link,
    which stays while either is in effect, with the earlier time (and so the same on every register,
    whichever attach is undone where)."""
    held: dict[str, dt.datetime] = {}
    others = select(Operation).where(
        Operation.kind == K.ATTACH_QUOTE,
        Operation.id != target.id,
        Operation.payload["quote"].as_string() == str(quote_id),  # (read by the database)
    )
    for row in session.scalars(others):
        if not journal.is_undone(session, row.id):
            for ident in (row.payload or {}).get("recommendations") or ():
                key = str(ident)
                held[key] = min(held.get(key, row.at), row.at)
    return held


def _row(session: Session, model: type[T], ident: uuid.UUID) -> T:
    """The row an undo works on; gone since (removed by someone else): a one-line refusal."""
    row = session.get(model, ident)
    if row is None:
        raise NotFound(
            "That change cannot be undone: a record it concerns is no longer in the register."
        )
    return row


def _apply_letter(
    session: Session, desk: Desk, op: journal.Pending, p: dict[str, Any]
) -> letter_import.ImportResult:
    earlier = session.scalars(select(Document).where(Document.sha256 == p["sha256"])).first()
    if earlier is not None:
        raise DuplicateImport(
            f"{p['file_name']}: already imported on {house_date(earlier.created_at.date())}; nothing was added."
        )
    letter_import.ensure_kept_copy(session, desk, p)
    return letter_import.apply_import(session, op, p, letter_import.letter_from_json(p["letter"]))


def _apply_transcript(
    session: Session, desk: Desk, op: journal.Pending, p: dict[str, Any]
) -> transcripts.ImportResult:
    if p.get("sha256"):
        earlier = session.scalars(select(Document).where(Document.sha256 == p["sha256"])).first()
        if earlier is not None:
            raise DuplicateImport(
                f"{p['file_name']}: already imported on {house_date(earlier.created_at.date())}; nothing was added."
            )
    return transcripts.apply_import(session, op, p, transcripts.reparse(session, desk, p))


def _apply_reply(
    session: Session, desk: Desk, op: journal.Pending, p: dict[str, Any]
) -> reply_import.ReplyImportResult:
    letter_import.ensure_kept_copy(session, desk, p)
    return reply_import.apply_import(session, op, p)


Apply = Callable[[Session, Desk, journal.Pending, dict[str, Any]], object]


def _session_only(fn: Callable[[Session, journal.Pending, dict[str, Any]], object]) -> Apply:
    return lambda session, _desk, op, p: fn(session, op, p)


APPLY: dict[OperationKind, Apply] = {
    K.ADD_RECOMMENDATION: _session_only(register.apply_add),
    K.EDIT_RECOMMENDATION: _session_only(register.apply_edit),
    K.CHANGE_STATUS: _session_only(register.apply_change_status),
    K.REVISE_DUE: _session_only(register.apply_revise_due),
    K.REVISE_TARGET: _session_only(register.apply_revise_target),
    K.VERIFY: _session_only(verification.apply_verify),
    K.CLOSE: _session_only(tracker_paper.apply_close),
    K.SET_RAG: _session_only(tracker_paper.apply_set_rag),
    K.ADD_ADDRESSEE: _session_only(register.apply_add_addressee),
    K.REMOVE_ADDRESSEE: _session_only(register.apply_remove_addressee),
    K.ATTACH_EVIDENCE: _session_only(verification.apply_attach_evidence),
    K.LOG_RESPONSE: _session_only(register.apply_log_response),
    K.REMOVE_RESPONSE: _session_only(register.apply_remove_response),
    K.REMOVE_RECOMMENDATION: _session_only(register.apply_remove_recommendation),
    K.QUOTE: _session_only(quotes.apply_quote),
    K.ATTACH_QUOTE: _session_only(quotes.apply_attach),
    K.DETACH_QUOTE: _session_only(quotes.apply_detach),
    K.DELETE_QUOTE: _session_only(quotes.apply_delete_quote),
    K.IMPORT_LETTER: _apply_letter,
    K.REMOVE_IMPORT: _session_only(letter_import.apply_remove_import),
    K.IMPORT_RESPONSE: _apply_reply,
    K.LINK_ASKS: _session_only(repeats.apply_link),
    K.UNLINK_ASKS: _session_only(repeats.apply_unlink_pair),
    K.IMPORT_TRANSCRIPT: _apply_transcript,
    K.DELETE_TRANSCRIPT: _session_only(transcripts.apply_delete),
    K.SAVE_SETTINGS: _session_only(settings.apply_save),
}


def reapply(
    session: Session, desk: Desk, target: Operation, op: journal.Pending
) -> tuple[str, tuple[str, ...]]:
    """Apply ``target`` again as ``op`` (the redo row), from its journal row."""
    if target.kind in NOT_UNDOABLE:
        raise InvalidInput(f"'{target.summary}' cannot be redone.")
    result = APPLY[target.kind](session, desk, op, target.payload)
    ref = target.payload.get("ref", "")
    if isinstance(result, letter_import.ImportResult):  # a letter's import: its own words
        return result.message, ()
    if isinstance(result, reply_import.ReplyImportResult):  # a reply's import: its own words
        return f"Redone: {result.message}", result.refs
    if target.kind == K.IMPORT_TRANSCRIPT:
        return f"Redone: {target.summary}.", ()
    if target.kind == K.ADD_RECOMMENDATION:
        return f"Redone: {ref} is back in the register.", ()
    return f"Redone: {target.summary}.", (ref,) if ref else ()


def reusable(
    session: Session, records: Iterable[dict[str, Any]]
) -> list[tuple[RecordKind, uuid.UUID]]:
    """The ids an operation gave the records it made, where no such record exists now (they went with
    its undo): applying it again makes them with the same ids."""
    reuse = []
    for entry in records:
        if entry.get("role") != journal.CREATED:
            continue
        kind = RecordKind(entry["kind"])
        model = RECORD_MODELS.get(kind)
        ident = uuid.UUID(entry["id"])
        if model is not None and session.get(model, ident) is None:
            reuse.append((kind, ident))
    return reuse
