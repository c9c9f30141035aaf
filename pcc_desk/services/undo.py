"""Undo and redo, built from the operations journal (:mod:`pcc_desk.services.journal`), for the
desktop's undo stack and the command line alike; and applying a journal row by its id, as the offline
sync will.

An undo never rewrites history: it appends a row (kind ``undo``, pointing at what it undoes) and
applies the inverse through the services' own rules, in one transaction. A status change or a due
date revision is undone by *appending* a change back; a logged response by removing it (and, if it
had moved the status, appending a change back); an addition or an import by taking out what it added.
A redo appends a row too (kind ``redo``, pointing at the undo it reverses) and applies the operation
again from its journal row, with the same ids for the records it makes again.

Whether an undo or a redo may go ahead is decided in ONE place, :func:`why_not_undo` and
:func:`why_not_redo`: the rules of each kind of operation (nothing the clerk did with what an
import brought since, no quote on a transcript, the values it set still there...), then the
journal's own rule: a change made since, and still in effect, to what the operation made or
changed (by anyone) refuses it. A refusal is a :class:`Conflict` whose message is one line, and
nothing changes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from pcc_desk.dates import house_date
from pcc_desk.errors import Conflict, DuplicateImport, InvalidInput, NotFound
from pcc_desk.model import (
    RECORD_MODELS,
    Document,
    Operation,
    OperationKind,
    Quote,
    Recommendation,
    RecommendationQuote,
    RecordKind,
    Response,
    Status,
    Theme,
    Transcript,
)
from pcc_desk.services import journal, letter_import, quotes, register, settings, transcripts
from pcc_desk.services.desk import ChangeKind, Desk
from pcc_desk.services.dto import citation
from pcc_desk.services.journal import OperationRecord

K = OperationKind
R = RecordKind
C = ChangeKind

_REGISTER = (C.RECOMMENDATIONS,)
_QUOTES = quotes.CHANGES
CHANGES: dict[OperationKind, tuple[ChangeKind, ...]] = {
    K.ADD_RECOMMENDATION: _REGISTER,
    K.EDIT_RECOMMENDATION: _REGISTER,
    K.CHANGE_STATUS: _REGISTER,
    K.REVISE_DUE: _REGISTER,
    K.LOG_RESPONSE: (C.RESPONSES, C.RECOMMENDATIONS),
    K.REMOVE_RESPONSE: (C.RESPONSES, C.RECOMMENDATIONS),
    K.REMOVE_RECOMMENDATION: _REGISTER,
    K.QUOTE: _QUOTES,
    K.ATTACH_QUOTE: _QUOTES,
    K.DETACH_QUOTE: _QUOTES,
    K.DELETE_QUOTE: _QUOTES,
    K.IMPORT_LETTER: letter_import.CHANGES,
    K.REMOVE_IMPORT: letter_import.CHANGES,
    K.IMPORT_TRANSCRIPT: (*transcripts.CHANGES, *_QUOTES),
    K.DELETE_TRANSCRIPT: (*transcripts.CHANGES, *_QUOTES),
    K.SAVE_SETTINGS: (C.SETTINGS,),
}

# Kinds whose undo is not offered, and why (what was taken out stays in the journal row).
NOT_UNDOABLE = {
    K.REMOVE_RESPONSE: "taking a response out cannot be undone (its text is kept in the journal)",
    K.REMOVE_RECOMMENDATION: "taking a recommendation out cannot be undone (its values are kept in the journal)",
    K.REMOVE_IMPORT: "taking an import out cannot be undone: import the file again",
    K.DELETE_TRANSCRIPT: "deleting a transcript cannot be undone: import its file again",
}


@dataclass(frozen=True)
class Outcome:
    """One operation undone or redone."""

    operation: OperationRecord  # the row written: the undo, or the redo
    target: OperationRecord  # the change undone or redone
    message: str  # one line for the clerk
    refs: tuple[str, ...] = ()  # the recommendations concerned (when there are a few)


# --- the front ends' calls ---------------------------------------------------------------------------


def undo(desk: Desk, op_ids: Sequence[uuid.UUID | str] | None = None) -> tuple[Outcome, ...]:
    """Undo the given changes (all of them, or none: one transaction), newest first; without ids, the
    last change this user made on this register that is still in effect."""
    changes: list[ChangeKind] = []  # filled in below; the desk announces them after the commit
    with desk.transaction(changes) as session:
        targets = _targets(session, desk, op_ids, journal.last_done, "undo")
        outcomes = []
        for target in sorted(targets, key=lambda row: row.seq, reverse=True):
            if journal.is_undone(session, target.id):
                raise InvalidInput(f"'{target.summary}' is undone already.")
            reason = why_not_undo(session, target)
            if reason is not None:
                raise Conflict(reason)
            op = journal.pending(
                K.UNDO, {"undoes": target.id}, desk.user, undoes=target.id, summary=""
            )
            message, refs = _invert(session, desk, target, op)
            op.summary = f"Undo: {target.summary}"
            row = journal.write(session, op)
            changes.extend(CHANGES.get(target.kind, ()))
            outcomes.append(_outcome(row, target, message, refs, undone=True))
    return tuple(outcomes)


def redo(desk: Desk, op_ids: Sequence[uuid.UUID | str] | None = None) -> tuple[Outcome, ...]:
    """Apply the given undone changes again (all or none), oldest first; without ids, the change this
    user undid last (while they made no new change since)."""
    changes: list[ChangeKind] = []
    with desk.transaction(changes) as session:
        targets = _targets(session, desk, op_ids, journal.last_undone, "redo")
        outcomes = []
        for target in sorted(targets, key=lambda row: row.seq):
            undone_by = journal.current_undo(session, target.id)
            if undone_by is None:
                raise InvalidInput(f"'{target.summary}' is not undone; there is nothing to redo.")
            reason = why_not_redo(session, target, undone_by)
            if reason is not None:
                raise Conflict(reason)
            op = journal.pending(
                K.REDO,
                {"undo": undone_by.id},
                desk.user,
                undoes=undone_by.id,
                reuse=_reusable(session, target.records),
            )
            message, refs = _reapply(session, desk, target, op)
            op.summary = f"Redo: {target.summary}"
            row = journal.write(session, op)
            changes.extend(CHANGES.get(target.kind, ()))
            outcomes.append(_outcome(row, target, message, refs, undone=False))
    return tuple(outcomes)


def recent(desk: Desk, *, limit: int = 20, everyone: bool = False) -> list[OperationRecord]:
    """The latest journal rows, newest first: this user's, or everyone's."""
    with desk.reading() as session:
        return journal.recent(session, limit=limit, actor=None if everyone else desk.user)


def next_undo(desk: Desk) -> OperationRecord | None:
    """What ``undo`` without ids would undo now."""
    with desk.reading() as session:
        row = journal.last_done(session, desk.user)
        return journal.record(row) if row is not None else None


def next_redo(desk: Desk) -> OperationRecord | None:
    """What ``redo`` without ids would redo now."""
    with desk.reading() as session:
        row = journal.last_undone(session, desk.user)
        return journal.record(row, undone=True) if row is not None else None


def operations_that_created(
    desk: Desk, kind: RecordKind, ident: uuid.UUID
) -> list[OperationRecord]:
    """The journal rows that made the record (newest first): e.g. the import of a document."""
    key = str(ident)
    with desk.reading() as session:
        rows = session.scalars(
            select(Operation)
            .where(
                Operation.kind.not_in(journal.BOOKKEEPING),
                cast(Operation.records, Text).contains(key, autoescape=True),
            )
            .order_by(Operation.seq.desc())
        )
        found = [
            row
            for row in rows
            if any(
                e.get("id") == key and e.get("kind") == kind and e.get("role") == journal.CREATED
                for e in row.records or ()
            )
        ]
        return [journal.record(row, journal.is_undone(session, row.id)) for row in found]


# --- sync: applying a row by its id ------------------------------------------------------------------


def export(desk: Desk, after_seq: int = 0) -> list[dict[str, Any]]:
    """The journal's rows after ``after_seq``, oldest first, as JSON (what :func:`apply` takes)."""
    with desk.reading() as session:
        return [row.to_entry() for row in journal.entries_after(session, after_seq)]


def apply(desk: Desk, entry: dict[str, Any]) -> bool:
    """Apply one journal row made on another register (as :func:`export` gives it), with its id, its
    author, its time and the ids of the records it made. A row whose id is in the journal already is
    not applied again: returns False. Raises what the services raise when it cannot apply here."""
    op_id = journal.uid(entry["id"])
    try:
        kind = OperationKind(entry["kind"])
    except ValueError:
        raise InvalidInput(
            f"'{entry['kind']}' is a kind of change this version of PCC Desk does not know."
        ) from None
    changes: list[ChangeKind] = []
    with desk.transaction(changes) as session:
        if session.get(Operation, op_id) is not None:
            return False
        op = journal.Pending(
            kind,
            entry.get("payload") or {},
            actor=entry.get("actor", ""),
            op_id=op_id,
            at=dt.datetime.fromisoformat(entry["at"]) if entry.get("at") else None,
            reuse=_reusable(session, entry.get("records", ())),
            undoes=journal.uid(entry.get("undoes")),
        )
        if kind in journal.BOOKKEEPING:
            first = session.get(Operation, op.undoes) if op.undoes else None
            if first is None:
                raise NotFound("That undo or redo concerns a change this register does not have.")
            target = first if kind == K.UNDO else session.get(Operation, first.undoes_id)
            if kind == K.UNDO:
                _invert(session, desk, target, op)
            else:
                _reapply(session, desk, target, op)
            op.summary = entry.get("summary") or f"{kind.label}: {target.summary}"
            changes.extend(CHANGES.get(target.kind, ()))
        else:
            _APPLY[kind](session, desk, op, op.payload)
            changes.extend(CHANGES.get(kind, ()))
        journal.write(session, op)
    return True


# --- the rules: may it be undone, may it be redone --------------------------------------------------


def why_not_undo(session: Session, target: Operation) -> str | None:
    """Why ``target`` cannot be undone now (one line), or None."""
    if target.kind in journal.BOOKKEEPING:
        return (
            f"'{target.summary}' is an undo or a redo itself: undo or redo the change it concerns."
        )
    if target.kind in NOT_UNDOABLE:
        return f"'{target.summary}': {NOT_UNDOABLE[target.kind]}."
    rule = _UNDO_RULES.get(target.kind)
    reason = rule(session, target) if rule is not None else None
    if reason is not None:
        return reason
    return _later(session, target, target.seq, "undone")


def why_not_redo(session: Session, target: Operation, undone_by: Operation) -> str | None:
    """Why ``target`` (undone by ``undone_by``) cannot be redone now (one line), or None. The
    operation's own rules are checked again as it is applied."""
    return _later(session, target, undone_by.seq, "redone")


def _later(session: Session, target: Operation, since: int, what: str) -> str | None:
    later = journal.later_conflict(session, target, since)
    if later is None:
        return None
    who = f"{later.actor}, " if later.actor else ""
    return (
        f"'{target.summary}' cannot be {what}: '{later.summary}' came after it "
        f"({who}{journal.when(later.at)}); undo that first."
    )


def _created(target: Operation, kind: RecordKind) -> list[uuid.UUID]:
    return [
        uuid.UUID(e["id"])
        for e in target.records or ()
        if e["kind"] == kind and e["role"] == journal.CREATED
    ]


def _rec(session: Session, target: Operation) -> Recommendation | None:
    return session.get(Recommendation, journal.uid(target.payload.get("recommendation")))


def _gone(target: Operation) -> str:
    ref = target.payload.get("ref") or "That recommendation"
    return f"{ref} is no longer in the register; '{target.summary}' cannot be undone."


def _undo_add(session: Session, target: Operation) -> str | None:
    (ident,) = _created(target, R.RECOMMENDATION)
    rec = session.get(Recommendation, ident)
    if rec is None:
        return _gone(target)
    reason = register.removal_blocker(rec)
    return f"{rec.ref} {reason}; it was not removed." if reason else None


def _undo_edit(session: Session, target: Operation) -> str | None:
    rec = _rec(session, target)
    if rec is None:
        return _gone(target)
    for name, value in target.payload["changes"].items():
        now = register.stored_field(rec, name)
        if name == "theme":  # themes are matched without regard to case
            now, value = now.casefold(), (value or "").casefold()
        if now != value:
            return f"{rec.ref}: its {name} has been changed since; the edit was not undone."
    return None


def _undo_status(session: Session, target: Operation) -> str | None:
    rec = _rec(session, target)
    if rec is None:
        return _gone(target)
    status = Status(target.payload["status"])
    if rec.status != status:
        return (
            f"{rec.ref} is no longer '{status.label}' (it is '{rec.status.label}' now); "
            "the change was not undone."
        )
    return None


def _undo_due(session: Session, target: Operation) -> str | None:
    rec = _rec(session, target)
    if rec is None:
        return _gone(target)
    due = journal.day(target.payload["due"])
    if rec.due != due:
        return (
            f"{rec.ref} is no longer due on {house_date(due)} (it is due on {house_date(rec.due)}); "
            "the revision was not undone."
        )
    return None


def _undo_response(session: Session, target: Operation) -> str | None:
    (ident,) = _created(target, R.RESPONSE)
    if session.get(Response, ident) is None:
        return "That response is no longer in the register; logging it cannot be undone."
    return None


def _links_there(session: Session, quote_id, rec_ids, present: bool) -> str | None:
    for ident in rec_ids:
        rec = session.get(Recommendation, journal.uid(ident))
        if rec is None:
            return "A recommendation that quote concerns is no longer in the register."
        there = session.get(RecommendationQuote, (rec.id, quote_id)) is not None
        if there != present:
            state = "detached from" if present else "attached to"
            return f"That quote has been {state} {rec.ref} since; it was not undone."
    return None


def _undo_quote(session: Session, target: Operation) -> str | None:
    quote_id = next(
        uuid.UUID(e["id"]) for e in target.records if e["kind"] == R.QUOTE
    )  # created or used
    quote = session.get(Quote, quote_id)
    if quote is None:
        return "That quote is no longer in the register; it was not undone."
    links = target.replaced.get("links", [])
    reason = _links_there(session, quote.id, links, present=True)
    if reason is None and target.replaced.get("quote_created"):
        others = sorted(
            link.recommendation.ref
            for link in quote.recommendation_links
            if str(link.recommendation_id) not in links
        )
        if others:
            reason = (
                f"That quote has been attached to {', '.join(others)} since; it was not undone."
            )
    return reason


def _undo_attach(session: Session, target: Operation) -> str | None:
    quote = session.get(Quote, journal.uid(target.payload["quote"]))
    if quote is None:
        return "That quote is no longer in the register; it was not undone."
    return _links_there(session, quote.id, target.replaced.get("links", []), present=True)


def _undo_detach(session: Session, target: Operation) -> str | None:
    quote = session.get(Quote, journal.uid(target.payload["quote"]))
    if quote is None:
        return "That quote is no longer in the register; it was not undone."
    return _links_there(session, quote.id, target.replaced.get("links", []), present=False)


def _undo_delete_quote(session: Session, target: Operation) -> str | None:
    for ident in target.replaced.get("links", []):
        if session.get(Recommendation, journal.uid(ident)) is None:
            return "A recommendation that quote was attached to is no longer in the register."
    return None  # restore_quote checks that the turn is still there


def _undo_letter(session: Session, target: Operation) -> str | None:
    (ident,) = _created(target, R.DOCUMENT)
    doc = session.get(Document, ident)
    if doc is None:
        return f"{target.payload.get('file_name')}: that import is no longer in the register."
    return letter_import.import_blocker(session, doc)


def _undo_transcript(session: Session, target: Operation) -> str | None:
    (ident,) = _created(target, R.TRANSCRIPT)
    transcript = session.get(Transcript, ident)
    if transcript is None:
        return f"{target.payload.get('file_name')}: that transcript is no longer in the register."
    count = transcripts.quote_count(session, transcript.id)
    if count:
        label = citation(transcript.committee, transcript.meeting_date)
        return (
            f"The transcript of {label.removesuffix(' – transcript')} has {count} quote(s) attached "
            "since it was imported; the import was not undone."
        )
    return None


def _undo_settings(session: Session, target: Operation) -> str | None:
    if settings.stored_value(session, target.payload["key"]) != target.payload["value"]:
        return "The Committee's details have been changed since; the change was not undone."
    return None


_UNDO_RULES: dict[OperationKind, Callable[[Session, Operation], str | None]] = {
    K.ADD_RECOMMENDATION: _undo_add,
    K.EDIT_RECOMMENDATION: _undo_edit,
    K.CHANGE_STATUS: _undo_status,
    K.REVISE_DUE: _undo_due,
    K.LOG_RESPONSE: _undo_response,
    K.QUOTE: _undo_quote,
    K.ATTACH_QUOTE: _undo_attach,
    K.DETACH_QUOTE: _undo_detach,
    K.DELETE_QUOTE: _undo_delete_quote,
    K.IMPORT_LETTER: _undo_letter,
    K.IMPORT_TRANSCRIPT: _undo_transcript,
    K.SAVE_SETTINGS: _undo_settings,
}


# --- inverses ------------------------------------------------------------------------------------------


def _invert(
    session: Session, desk: Desk, target: Operation, op: journal.Pending
) -> tuple[str, tuple[str, ...]]:
    """Apply the inverse of ``target`` as ``op`` (the undo row). Returns a message and the refs."""
    kind, p = target.kind, target.payload
    ref = p.get("ref", "")
    if kind == K.ADD_RECOMMENDATION:
        (ident,) = _created(target, R.RECOMMENDATION)
        removed = register.apply_remove_recommendation(session, op, {"recommendation": ident})
        return f"Undone: {removed.ref} was taken out of the register again.", (removed.ref,)
    if kind == K.EDIT_RECOMMENDATION:
        register.apply_edit(
            session, op, {"recommendation": p["recommendation"], "changes": target.replaced}
        )
        for ident in _created(target, R.THEME):  # a theme typed in the edit, unused now
            theme = session.get(Theme, ident)
            if theme is not None and register.drop_unused_theme(session, theme):
                op.removed(R.THEME, ident)
        session.flush()
        return f"Undone: the edit of {ref}.", (ref,)
    if kind == K.CHANGE_STATUS:
        new, old = Status(p["status"]), Status(target.replaced["status"])
        register.apply_change_status(
            session,
            op,
            {
                "recommendation": p["recommendation"],
                "status": old,
                "note": f"Undo of the change to '{new.label}'",
            },
        )
        return (
            f"Undone: {ref} is '{old.label}' again (a change back was added to its history).",
            (ref,),
        )
    if kind == K.REVISE_DUE:
        new, old = journal.day(p["due"]), target.replaced["due"]
        register.apply_revise_due(
            session,
            op,
            {
                "recommendation": p["recommendation"],
                "due": old,
                "reason": f"Undo of the revision to {house_date(new)}",
            },
        )
        return (
            f"Undone: {ref} is due on {house_date(journal.day(old))} again (a revision back was "
            "added to its history).",
            (ref,),
        )
    if kind == K.LOG_RESPONSE:
        (ident,) = _created(target, R.RESPONSE)
        register.apply_remove_response(
            session, op, {"response": ident, "note": "Undo of logging the response"}
        )
        return f"Undone: the response to {ref} was taken out again.", (ref,)
    if kind in (K.QUOTE, K.ATTACH_QUOTE):
        quote_id = journal.uid(p["quote"]) if kind == K.ATTACH_QUOTE else None
        if quote_id is None:
            quote_id = next(uuid.UUID(e["id"]) for e in target.records if e["kind"] == R.QUOTE)
        quote = session.get(Quote, quote_id)
        recs = [session.get(Recommendation, journal.uid(i)) for i in target.replaced["links"]]
        quotes.unlink(session, op, quote, recs)
        if target.replaced.get("quote_created"):
            session.delete(quote)
            session.flush()
            op.removed(R.QUOTE, quote_id)
        return f"Undone: {target.summary}.", tuple(rec.ref for rec in recs)
    if kind == K.DETACH_QUOTE:
        quote = session.get(Quote, journal.uid(p["quote"]))
        recs = [session.get(Recommendation, journal.uid(i)) for i in target.replaced["links"]]
        quotes.link(session, op, quote, recs)
        return f"Undone: {target.summary}.", tuple(rec.ref for rec in recs)
    if kind == K.DELETE_QUOTE:
        quote = quotes.restore_quote(session, op, journal.uid(p["quote"]), target.replaced["quote"])
        recs = [session.get(Recommendation, journal.uid(i)) for i in target.replaced["links"]]
        quotes.link(session, op, quote, recs)
        return "Undone: the quote is back.", tuple(rec.ref for rec in recs)
    if kind == K.IMPORT_LETTER:
        (ident,) = _created(target, R.DOCUMENT)
        undone = letter_import.apply_remove_import(session, op, {"document": ident})
        return undone.message, ()
    if kind == K.IMPORT_TRANSCRIPT:
        (ident,) = _created(target, R.TRANSCRIPT)
        record = transcripts.apply_delete(session, op, {"transcript": ident, "force": False})
        return (
            f"{record.file_name}: import undone; the transcript of "
            f"{record.citation.removesuffix(' – transcript')} ({record.segment_count} turn(s)) "
            "removed. The kept copy of the file stays in the files folder.",
            (),
        )
    if kind == K.SAVE_SETTINGS:
        settings.apply_save(session, op, {"key": p["key"], "value": target.replaced["value"]})
        return "Undone: the Committee's details are as they were.", ()
    raise InvalidInput(f"'{target.summary}' cannot be undone.")


# --- applying an operation (again) ---------------------------------------------------------------------


def _apply_letter(session: Session, desk: Desk, op: journal.Pending, p: dict):
    earlier = session.scalars(select(Document).where(Document.sha256 == p["sha256"])).first()
    if earlier is not None:
        raise DuplicateImport(
            f"{p['file_name']}: already imported on {house_date(earlier.created_at.date())}; nothing was added."
        )
    letter_import.ensure_kept_copy(desk, p)
    return letter_import.apply_import(session, op, p, letter_import.letter_from_json(p["letter"]))


def _apply_transcript(session: Session, desk: Desk, op: journal.Pending, p: dict):
    if p.get("sha256"):
        earlier = session.scalars(select(Document).where(Document.sha256 == p["sha256"])).first()
        if earlier is not None:
            raise DuplicateImport(
                f"{p['file_name']}: already imported on {house_date(earlier.created_at.date())}; nothing was added."
            )
    return transcripts.apply_import(session, op, p, transcripts.reparse(desk, p))


def _session_only(fn):
    return lambda session, _desk, op, p: fn(session, op, p)


_APPLY: dict[OperationKind, Callable[[Session, Desk, journal.Pending, dict], Any]] = {
    K.ADD_RECOMMENDATION: _session_only(register.apply_add),
    K.EDIT_RECOMMENDATION: _session_only(register.apply_edit),
    K.CHANGE_STATUS: _session_only(register.apply_change_status),
    K.REVISE_DUE: _session_only(register.apply_revise_due),
    K.LOG_RESPONSE: _session_only(register.apply_log_response),
    K.REMOVE_RESPONSE: _session_only(register.apply_remove_response),
    K.REMOVE_RECOMMENDATION: _session_only(register.apply_remove_recommendation),
    K.QUOTE: _session_only(quotes.apply_quote),
    K.ATTACH_QUOTE: _session_only(quotes.apply_attach),
    K.DETACH_QUOTE: _session_only(quotes.apply_detach),
    K.DELETE_QUOTE: _session_only(quotes.apply_delete_quote),
    K.IMPORT_LETTER: _apply_letter,
    K.REMOVE_IMPORT: _session_only(letter_import.apply_remove_import),
    K.IMPORT_TRANSCRIPT: _apply_transcript,
    K.DELETE_TRANSCRIPT: _session_only(transcripts.apply_delete),
    K.SAVE_SETTINGS: _session_only(settings.apply_save),
}


def _reapply(
    session: Session, desk: Desk, target: Operation, op: journal.Pending
) -> tuple[str, tuple[str, ...]]:
    """Apply ``target`` again as ``op`` (the redo row), from its journal row."""
    if target.kind in NOT_UNDOABLE:
        raise InvalidInput(f"'{target.summary}' cannot be redone.")
    result = _APPLY[target.kind](session, desk, op, target.payload)
    ref = target.payload.get("ref", "")
    if target.kind == K.IMPORT_LETTER:
        return result.message, ()
    if target.kind == K.IMPORT_TRANSCRIPT:
        return f"Redone: {target.summary}.", ()
    if target.kind == K.ADD_RECOMMENDATION:
        return f"Redone: {ref} is back in the register.", ()
    return f"Redone: {target.summary}.", (ref,) if ref else ()


def _reusable(session: Session, records: Iterable[dict]) -> list[tuple[RecordKind, uuid.UUID]]:
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


# --- helpers ---------------------------------------------------------------------------------------


def _targets(
    session: Session,
    desk: Desk,
    op_ids: Sequence[uuid.UUID | str] | None,
    latest: Callable[[Session, str], Operation | None],
    what: str,
) -> list[Operation]:
    if op_ids is None:
        row = latest(session, desk.user)
        if row is None:
            raise NotFound(
                f"There is nothing of yours to {what} on this register"
                + (
                    " (a new change since the last undo ends what can be redone)."
                    if what == "redo"
                    else "."
                )
            )
        return [row]
    if not op_ids:
        raise InvalidInput(f"Name at least one change to {what}.")
    rows = []
    for ident in op_ids:
        row = journal.find(session, ident)
        if row is None:
            raise NotFound(
                f"There is no change {ident} in the journal (see `pcc-desk undo --list`)."
            )
        if row.kind in journal.BOOKKEEPING:
            raise InvalidInput(
                f"'{row.summary}' is an undo or a redo itself: {what} the change it concerns."
            )
        rows.append(row)
    return rows


def _outcome(
    row: Operation | None, target: Operation, message: str, refs, *, undone: bool
) -> Outcome:
    assert row is not None  # an undo or redo row is always written
    return Outcome(
        operation=journal.record(row),
        target=journal.record(target, undone),
        message=message,
        refs=tuple(dict.fromkeys(r for r in refs if r)),
    )


__all__ = [
    "CHANGES",
    "NOT_UNDOABLE",
    "Outcome",
    "apply",
    "export",
    "next_redo",
    "next_undo",
    "recent",
    "redo",
    "undo",
    "why_not_redo",
    "why_not_undo",
]
