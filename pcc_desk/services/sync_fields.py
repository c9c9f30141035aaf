"""Merging the fields of a change made on a laptop with the team register's (a sync's push, see
:mod:`pcc_desk.services.sync`): a recommendation's fields, and the Committee's details detail by
detail. A field both sides changed from the same value to different ones is a conflict: the
server's value stays, and the laptop lists it (:class:`pcc_desk.model.SyncConflict`). And at the
pull, an edit brought down without the fields the laptop's own edits changed after it on the server
(:func:`without_fields_changed_later`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk.model import (
    Operation,
    OperationKind,
    Recommendation,
    RecordKind,
    Setting,
    SyncConflict,
    utcnow,
)
from pcc_desk.services import journal, register, settings
from pcc_desk.services.desk import Desk


@dataclass(frozen=True)
class Clash:
    """A field both sides changed from the same value to different ones."""

    record_id: uuid.UUID
    field: str
    base: Any
    mine: Any
    theirs: Any
    kind: RecordKind = RecordKind.RECOMMENDATION


class EditMerge:
    """For :func:`pcc_desk.services.undo.apply` on the server (its ``merge``), in the transaction
    that applies the row, the recommendation locked: an edit of a recommendation without the fields
    that are conflicts (kept in :attr:`clashes`), None when nothing is left of it; any other row as
    it is. A colleague's write to that recommendation waits for the transaction: it cannot slip in
    between the comparison and the edit."""

    def __init__(self) -> None:
        self.clashes: list[Clash] = []

    def __call__(self, session: Session, entry: dict[str, Any]) -> dict[str, Any] | None:
        self.clashes = []
        if entry.get("undoes"):
            return entry
        if entry.get("kind") == OperationKind.SAVE_SETTINGS.value:
            return self._details(session, entry)
        if entry.get("kind") != OperationKind.EDIT_RECOMMENDATION.value:
            return entry
        payload = entry.get("payload") or {}
        changes: dict[str, Any] = dict(payload.get("changes") or {})
        base: dict[str, Any] = entry.get("replaced") or {}
        rec = session.get(
            Recommendation, journal.uid(payload.get("recommendation")), with_for_update=True
        )
        if rec is None:
            return entry  # the service says why it cannot apply it
        theirs = {name: register.stored_field(rec, name) for name in changes}
        self.clashes = [
            Clash(rec.id, name, base[name], mine, theirs[name])
            for name, mine in changes.items()
            if name in base and theirs[name] != base[name] and theirs[name] != mine
        ]
        if not self.clashes:
            return entry
        clashing = {c.field for c in self.clashes}
        kept = {name: value for name, value in changes.items() if name not in clashing}
        if not kept:
            return None
        return {
            **entry,
            "payload": {**payload, "changes": kept},
            "replaced": {name: value for name, value in base.items() if name in kept},
        }

    def _details(self, session: Session, entry: dict[str, Any]) -> dict[str, Any] | None:
        """The Committee's details saved on the laptop, merged detail by detail with the server's:
        a detail only the laptop changed is taken, one only the server changed stays, one both
        changed to different values is a conflict (the server's stays)."""
        payload = entry.get("payload") or {}
        key, mine = str(payload.get("key") or ""), payload.get("value")
        base = (entry.get("replaced") or {}).get("value")
        row = session.get(Setting, key, with_for_update=True)
        theirs = row.value if row is not None else None
        if not all(isinstance(v, dict) for v in (mine, base, theirs)):
            return entry  # a detail set for the first time, or taken out: as it is
        assert isinstance(mine, dict) and isinstance(base, dict) and isinstance(theirs, dict)
        merged = dict(theirs)
        for name in sorted(set(mine) | set(base)):
            if mine.get(name) == base.get(name) or theirs.get(name) == mine.get(name):
                continue  # not changed here, or changed alike
            if theirs.get(name) == base.get(name):
                merged[name] = mine.get(name)
            else:
                self.clashes.append(
                    Clash(
                        settings.setting_id(key),
                        name,
                        base.get(name),
                        mine.get(name),
                        theirs.get(name),
                        RecordKind.SETTING,
                    )
                )
        if merged == theirs:
            return None
        return {**entry, "payload": {**payload, "value": merged}}


def take_details(laptop: Desk, server: Desk) -> None:
    """After a sync, the laptop's Committee's details are the server's (the laptop's changes were
    merged into them there), without a journal row: the same details on both sides."""
    with server.reading() as session:
        row = session.get(Setting, settings.KEY)
        value = row.value if row is not None else None
    if value is None:
        return
    with laptop.transaction() as session:
        mine = session.get(Setting, settings.KEY)
        if mine is None:
            session.add(Setting(key=settings.KEY, value=value))
        elif mine.value != value:
            mine.value = value


def record_clashes(laptop: Desk, entry: dict[str, Any], clashes: list[Clash]) -> None:
    """The conflicts a pushed row met, listed on the laptop (once each)."""
    if not clashes:
        return
    op_id = journal.uid(entry["id"])
    with laptop.transaction() as session:
        for clash in clashes:
            found = session.scalars(
                select(SyncConflict).where(
                    SyncConflict.operation_id == op_id, SyncConflict.field == clash.field
                )
            ).first()
            if found is None:
                session.add(
                    SyncConflict(
                        record_kind=clash.kind.value,
                        record_id=clash.record_id,
                        field=clash.field,
                        base=clash.base,
                        mine=clash.mine,
                        theirs=clash.theirs,
                        operation_id=op_id,
                        found_at=utcnow(),
                    )
                )


def changed_later_here(
    laptop: Desk, rows: list[tuple[int, dict[str, Any]]]
) -> dict[tuple[str, str], int]:
    """For each (recommendation, field) that one of ``rows`` already on the laptop (its own,
    pushed) changed: the position of the last such row among ``rows`` (the server's order).

    Not an edit of the laptop's undone by an undo among them: on the server that undo brings back
    what the server held before the edit (which the rows before it gave), not what the laptop held
    before it, so the pair gives the field no value of the laptop's."""
    with laptop.reading() as session:
        here = set(
            session.scalars(
                select(Operation.id).where(
                    Operation.id.in_([journal.uid(e["id"]) for _, e in rows])
                )
            )
        )
    undone = {
        target
        for _, e in rows
        if e.get("kind") == OperationKind.UNDO.value
        and journal.uid(e["id"]) in here
        and (target := journal.uid(e.get("undoes"))) in here
    }
    later: dict[tuple[str, str], int] = {}
    for n, (_seq, entry) in enumerate(rows):
        ident = journal.uid(entry["id"])
        if ident not in here or ident in undone or journal.uid(entry.get("undoes")) in undone:
            continue
        for record in entry.get("records") or ():
            if record.get("kind") == RecordKind.RECOMMENDATION.value:
                for name in record.get("fields") or ():
                    later[(str(journal.uid(record["id"])), name)] = n
    return later


def without_fields_changed_later(
    entry: dict[str, Any], n: int, later: dict[tuple[str, str], int]
) -> dict[str, Any]:
    """An edit brought down without the fields that the laptop's own edits, applied after it on the
    server, changed again: on the server those have the laptop's values, and so must the laptop."""
    if entry.get("kind") != OperationKind.EDIT_RECOMMENDATION.value or entry.get("undoes"):
        return entry
    payload = entry.get("payload") or {}
    rec = str(journal.uid(payload.get("recommendation")))
    changes = dict(payload.get("changes") or {})
    kept = {name: v for name, v in changes.items() if later.get((rec, name), -1) <= n}
    if kept == changes:
        return entry
    return {**entry, "payload": {**payload, "changes": kept}}


def takes_back_a_dropped_edit(laptop: Desk, server: Desk, entry: dict[str, Any]) -> bool:
    """Whether ``entry`` is the undo of an edit of the laptop's that the team register kept nothing
    of (every field it changed was a conflict: the server's values stayed, the edit is not in its
    journal). There is nothing to take back there: it is not sent (nor refused), and the edit's
    conflicts are settled, the server's values kept (the laptop holds them again after the pull)."""
    if entry.get("kind") != OperationKind.UNDO.value:
        return False
    target = journal.uid(entry.get("undoes"))
    with server.reading() as session:
        if session.get(Operation, target) is not None:
            return False
    with laptop.transaction() as session:
        found = list(
            session.scalars(select(SyncConflict).where(SyncConflict.operation_id == target))
        )
        for conflict in found:
            if conflict.resolved_at is None:
                conflict.resolved_at = utcnow()
                conflict.resolution = "theirs"
    return bool(found)
