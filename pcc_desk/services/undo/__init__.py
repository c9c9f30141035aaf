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

The package: the front ends' calls and applying a row by id here; :mod:`.rules` (may it be undone,
may it be redone) and :mod:`.replay` (the inverses, and applying an operation again).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from pcc_desk.errors import Conflict, InvalidInput, NotFound
from pcc_desk.model import Operation, OperationKind, RecordKind, replay_clock
from pcc_desk.services import (
    journal,
    letter_import,
    quotes,
    reply_import,
    transcripts,
    verification,
)
from pcc_desk.services.desk import Desk
from pcc_desk.services.journal import OperationRecord
from pcc_desk.services.register.rules import FOLLOWING, REPLAYING
from pcc_desk.services.undo.replay import APPLY, invert, reapply, reusable
from pcc_desk.services.undo.rules import NOT_UNDOABLE, why_not_redo, why_not_undo
from pcc_desk.vocabulary import ChangeKind

K = OperationKind
# the operations whose undo appends a row to a history merged by time at a sync (the status, the due
# date and the target are the latest row's)
MERGED_BY_TIME = frozenset({K.CHANGE_STATUS, K.REVISE_DUE, K.REVISE_TARGET})
C = ChangeKind

_REGISTER = (C.RECOMMENDATIONS,)
_QUOTES = quotes.CHANGES
# what each kind of operation changes: undoing, redoing or applying it announces the same
CHANGES: dict[OperationKind, tuple[ChangeKind, ...]] = {
    K.ADD_RECOMMENDATION: _REGISTER,
    K.EDIT_RECOMMENDATION: _REGISTER,
    K.CHANGE_STATUS: _REGISTER,
    K.REVISE_DUE: _REGISTER,
    K.REVISE_TARGET: _REGISTER,
    K.VERIFY: verification.CHANGES,
    K.CLOSE: _REGISTER,
    K.SET_RAG: _REGISTER,
    K.ADD_ADDRESSEE: _REGISTER,
    K.REMOVE_ADDRESSEE: _REGISTER,
    K.ATTACH_EVIDENCE: verification.CHANGES,
    K.LOG_RESPONSE: (C.RESPONSES, C.RECOMMENDATIONS),
    K.REMOVE_RESPONSE: (C.RESPONSES, C.RECOMMENDATIONS),
    K.REMOVE_RECOMMENDATION: _REGISTER,
    K.QUOTE: _QUOTES,
    K.ATTACH_QUOTE: _QUOTES,
    K.DETACH_QUOTE: _QUOTES,
    K.DELETE_QUOTE: _QUOTES,
    K.IMPORT_LETTER: letter_import.CHANGES,
    K.REMOVE_IMPORT: letter_import.CHANGES,
    K.IMPORT_RESPONSE: reply_import.CHANGES,
    K.LINK_ASKS: _REGISTER,
    K.UNLINK_ASKS: _REGISTER,
    K.IMPORT_TRANSCRIPT: (*transcripts.CHANGES, *_QUOTES),
    K.DELETE_TRANSCRIPT: (*transcripts.CHANGES, *_QUOTES),
    K.SAVE_SETTINGS: (C.SETTINGS,),
}


@dataclass(frozen=True)
class Outcome:
    """One operation undone or redone."""

    operation: OperationRecord  # the row written: the undo, or the redo
    target: OperationRecord  # the change undone or redone
    message: str  # one line for the clerk
    refs: tuple[str, ...] = ()  # the recommendations concerned (when there are a few)


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
            message, refs = invert(session, desk, target, op)
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
                reuse=reusable(session, target.records),
            )
            message, refs = reapply(session, desk, target, op)
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


def export(desk: Desk, after_seq: int = 0) -> list[dict[str, Any]]:
    """The journal's rows after ``after_seq``, oldest first, as JSON (what :func:`apply` takes)."""
    with desk.reading() as session:
        return [row.to_entry() for row in journal.entries_after(session, after_seq)]


Merge = Callable[[Session, dict[str, Any]], dict[str, Any] | None]


def apply(
    desk: Desk,
    entry: dict[str, Any],
    *,
    check_undo: bool = False,
    merge: Merge | None = None,
    follow: bool = False,
) -> bool:
    """Apply one journal row made on another register (as :func:`export` gives it), with its id, its
    author, its time and the ids of the records it made. A row whose id is in the journal already is
    not applied again: returns False. Raises what the services raise when it cannot apply here.

    ``check_undo``: an undo is refused (:class:`Conflict`, with the reason) when the one-door rules
    refuse it here (someone has since worked on what it would take back): a laptop's sync to the
    team register.

    ``merge``: called in the transaction, before anything is applied, with the row as it came; it
    returns the row to apply (e.g. without the fields that are conflicts: what it reads of the
    records is what the change is applied to), or None: nothing to apply (returns False).

    ``follow``: the register the row comes from has the last word (a laptop's pull from the team
    register): a recommendation it took out is taken out here too, with what this register hung on
    it since (its changes the team register refused: they stay in this journal, listed)."""
    op_id = journal.uid(entry["id"])
    try:
        kind = OperationKind(entry["kind"])
    except ValueError:
        raise InvalidInput(
            f"'{entry['kind']}' is a kind of change this version of PCC Desk does not know."
        ) from None
    changes: list[ChangeKind] = []
    at = dt.datetime.fromisoformat(entry["at"]) if entry.get("at") else None
    with replay_clock(at), desk.transaction(changes) as session:
        session.info[REPLAYING] = True  # its time stays the one it was made at
        session.info[FOLLOWING] = follow
        if session.get(Operation, op_id) is not None:
            return False
        if merge is not None:
            merged = merge(session, entry)
            if merged is None:
                return False
            entry = merged
        op = journal.Pending(
            kind,
            entry.get("payload") or {},
            actor=entry.get("actor", ""),
            op_id=op_id,
            at=at,
            reuse=reusable(session, entry.get("records", ())),
            undoes=journal.uid(entry.get("undoes")),
        )
        op.replayed = True
        op.origin_replaced = dict(entry.get("replaced") or {})
        if kind in journal.BOOKKEEPING:
            first = session.get(Operation, op.undoes) if op.undoes else None
            if first is None:
                raise NotFound("That undo or redo concerns a change this register does not have.")
            target = first if kind == K.UNDO else session.get(Operation, first.undoes_id)
            if target is None:
                raise NotFound("That redo concerns a change this register does not have.")
            if kind == K.UNDO:
                # an undo of a status change or a date revision appends a change back to the
                # history, which merges by time like any other: it is not refused
                checked = check_undo and target.kind not in MERGED_BY_TIME
                reason = why_not_undo(session, target) if checked else None
                if reason is not None:
                    raise Conflict(f"The undo of '{target.summary}' was refused: {reason}")
                invert(session, desk, target, op)
            else:
                reapply(session, desk, target, op)
            op.summary = entry.get("summary") or f"{kind.label}: {target.summary}"
            changes.extend(CHANGES.get(target.kind, ()))
        else:
            APPLY[kind](session, desk, op, op.payload)
            changes.extend(CHANGES.get(kind, ()))
        journal.write(session, op)
    return True


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
    row: Operation | None,
    target: Operation,
    message: str,
    refs: Iterable[str],
    *,
    undone: bool,
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
    "operations_that_created",
    "recent",
    "redo",
    "undo",
    "why_not_redo",
    "why_not_undo",
]
