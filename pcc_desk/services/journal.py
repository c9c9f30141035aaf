"""The operations journal: every service call that changes data writes one row, in its own
transaction (:class:`pcc_desk.model.Operation`).

A writing service describes what it is about to do as a :class:`Pending` operation (its kind and its
arguments, records named by id), does it, noting on the way what it created, changed, removed or
used and the values it replaced, and hands it to :func:`write` before the transaction commits. Undo
and redo (:mod:`pcc_desk.services.undo`) are built from these rows; they append rows of their own,
so the journal is only ever appended to.

Ids of new records come from :meth:`Pending.new_id`: a fresh UUID (time-ordered for the kinds of
:data:`TIME_ORDERED`), or, when an operation is applied again (a redo, or the same operation
arriving from another register), the id it gave the first time, so that re-applying an operation
makes the very same records.

This module imports no other service: every service can use it.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import enum
import uuid
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack, overload

from sqlalchemy import ColumnElement, String, cast, event, func, select
from sqlalchemy.orm import Session, aliased

from pcc_desk import postgres
from pcc_desk.cleaning import clean_text
from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput
from pcc_desk.model import Operation, OperationKind, RecordKind, utcnow
from pcc_desk.model.base import new_uuid

CREATED, CHANGED, REMOVED, USED = "created", "changed", "removed", "used"

BOOKKEEPING = (OperationKind.UNDO, OperationKind.REDO)  # rows about other rows
# the records an import makes by the many, that no clerk names by id: time-ordered ids, so that
# their rows go at the end of each index (see pcc_desk.model.base.new_uuid); the others (operations,
# documents, transcripts, quotes...: ``pcc-desk undo 3f2a9c1b``) keep random ones
TIME_ORDERED = frozenset(
    (RecordKind.RECOMMENDATION, RecordKind.ADDRESSEE, RecordKind.STATUS_CHANGE, RecordKind.FOOTNOTE)
)
# in the payload of an import a sync recognised as one the team register had (the same file): the
# id of that first import; the row adds nothing (pcc_desk.services.sync_merge)
SAME_AS = "same_as"

_captured: contextvars.ContextVar[list[uuid.UUID] | None] = contextvars.ContextVar(
    "pcc_desk_journal_captured", default=None
)


# --- values in JSON --------------------------------------------------------------------------------


def enc(value: Any) -> Any:
    """A value as JSON holds it: dates as ISO text, UUIDs as text, enumerations as their slugs, text
    without control characters (the register stores it so: :mod:`pcc_desk.cleaning`; what the journal
    holds must be what was written, or undo would find it "changed since")."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, tuple | list):
        return [enc(v) for v in value]
    if isinstance(value, dict):
        return {str(k): enc(v) for k, v in value.items()}
    return value


def day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def required_day(text: str) -> dt.date:
    """A date the payload always holds (an empty one is an error, not a missing date)."""
    return dt.date.fromisoformat(text)


@overload
def uid(text: str | uuid.UUID) -> uuid.UUID: ...
@overload
def uid(text: None) -> None: ...
@overload
def uid(text: str | uuid.UUID | None) -> uuid.UUID | None: ...
def uid(text: str | uuid.UUID | None) -> uuid.UUID | None:
    if text is None or isinstance(text, uuid.UUID):
        return text
    return uuid.UUID(str(text))


# --- an operation being carried out --------------------------------------------------------------


class Pending:
    """One operation while its service carries it out; :func:`write` keeps it in the journal."""

    def __init__(
        self,
        kind: OperationKind,
        payload: dict[str, Any],
        *,
        actor: str,
        op_id: uuid.UUID | None = None,
        at: dt.datetime | None = None,
        reuse: Iterable[tuple[RecordKind, uuid.UUID]] = (),
        undoes: uuid.UUID | None = None,
        summary: str = "",
    ) -> None:
        self.id = op_id or uuid.uuid4()
        self.kind = kind
        self.payload = enc(payload)
        self.actor = actor
        self.at = at or utcnow()
        self.undoes = undoes
        self.summary = summary
        self.records = []
        self.replaced: dict[str, Any] = {}
        # set when the operation was made on another register and is applied here (a sync): the
        # values it replaced there (the services merge histories by them; see register.record_status)
        self.replayed: bool = False
        self.origin_replaced: dict[str, Any] = {}
        self._reuse: dict[RecordKind, deque[uuid.UUID]] = defaultdict(deque)
        for kind_, ident in reuse:
            self._reuse[RecordKind(kind_)].append(ident)

    def new_id(self, kind: RecordKind) -> uuid.UUID:
        """The id for a new record of ``kind``: the one given the first time when re-applied."""
        queue = self._reuse.get(RecordKind(kind))
        if queue:
            return queue.popleft()
        return new_uuid() if kind in TIME_ORDERED else uuid.uuid4()

    def note(
        self,
        role: str,
        kind: RecordKind,
        ident: uuid.UUID,
        fields: Iterable[str] | None = None,
        version: int | None = None,
    ) -> None:
        entry: dict[str, Any] = {"kind": RecordKind(kind).value, "id": str(ident), "role": role}
        if fields is not None:
            entry["fields"] = sorted(set(fields))
        if version is not None:
            entry["version"] = int(version)
        existing = self._noted.get((entry["id"], role))
        if existing is not None:
            if version is not None:  # the version this operation replaced: the first one noted
                existing.setdefault("version", int(version))
            if "fields" in existing and "fields" in entry:
                existing["fields"] = sorted(set(existing["fields"]) | set(entry["fields"]))
            else:
                existing.pop("fields", None)
            return
        self._records.append(entry)
        self._noted[(entry["id"], role)] = entry

    @property
    def records(self) -> list[dict[str, Any]]:
        return self._records

    @records.setter
    def records(self, entries: list[dict[str, Any]]) -> None:  # (a sync replays another's list)
        self._records = entries  # and by (id, role): noting a record again is one look-up
        self._noted = {(e["id"], e["role"]): e for e in reversed(entries)}

    def created(self, kind: RecordKind, ident: uuid.UUID) -> None:
        self.note(CREATED, kind, ident)

    def changed(
        self,
        kind: RecordKind,
        ident: uuid.UUID,
        fields: Iterable[str] | None = None,
        version: int | None = None,
    ) -> None:
        """``version``: the record's version before this operation changed it (kept in the row, so
        that a clerk told of a conflict learns who changed it since the version they saw)."""
        self.note(CHANGED, kind, ident, fields, version)

    def removed(self, kind: RecordKind, ident: uuid.UUID) -> None:
        self.note(REMOVED, kind, ident)

    def used(self, kind: RecordKind, ident: uuid.UUID) -> None:
        self.note(USED, kind, ident)


class PendingOptions(TypedDict, total=False):
    op_id: uuid.UUID | None
    at: dt.datetime | None
    reuse: Iterable[tuple[RecordKind, uuid.UUID]]
    undoes: uuid.UUID | None
    summary: str


def pending(
    kind: OperationKind, payload: dict[str, Any], actor: str, **kwargs: Unpack[PendingOptions]
) -> Pending:
    """A new operation by ``actor`` (the services' ``desk.user``)."""
    return Pending(kind, payload, actor=actor, **kwargs)


def write(session: Session, op: Pending) -> Operation | None:
    """Keep ``op`` in the journal, in the caller's transaction (call it last, before the commit).

    An operation that created, changed and removed nothing (quoting words already quoted for the same
    recommendations) leaves no row; but one made on another register and applied here (a sync)
    always does: it is known here by its id (not applied again; an undo of it finds it)."""
    kept_anyway = op.kind in BOOKKEEPING or op.replayed
    if not kept_anyway and all(e["role"] == USED for e in op.records):
        return None
    if session.get_bind().dialect.name == "postgresql":
        seq = _stand_in_seq(session)
    else:  # a file: SQLite's write lock, held since the change's first write, orders the rows
        seq = _next_seq(session)
    row = Operation(
        id=op.id,
        seq=seq,
        at=op.at,
        actor=op.actor,
        kind=op.kind,
        summary=op.summary,
        payload=op.payload,
        records=enc(op.records),
        replaced=enc(op.replaced),
        undoes_id=op.undoes,
    )
    session.add(row)
    session.flush()
    if seq < 0:
        session.info[_UNNUMBERED].append(row)
    written = session.info.get("journal_rows")
    if written is not None:  # the Desk that opened the session keeps the ids of its own rows
        written.append(op.id)
    captured = _captured.get()
    if captured is not None:
        captured.append(op.id)
    return row


# On a team register the rows' numbers (``seq``: the order the changes were committed in, which undo
# and the other clerks' windows read) are taken under a lock held until the commit: two clerks'
# changes committed at the same moment get one number each, in the order they commit. Taken when the
# row is written, the lock would be held through the rest of the use case (reading back what it
# returns): every other clerk's change would wait for it. So a row is written with a stand-in number
# (negative, unique to this server process: ``pg_backend_pid``), and just before the commit the
# journal's lock is taken and the stand-ins get the next numbers. The change's own rows are all
# written (flushed) before that lock: written while holding it, a row another clerk has locked would
# make both wait for each other (a deadlock the server breaks by failing one of the two changes).
_UNNUMBERED = "pcc_desk_journal_unnumbered"  # session.info: rows with a stand-in number
_NUMBERED = "pcc_desk_journal_numbered"  # session.info: the lock taken, numbers given as written
_LISTENING = "pcc_desk_journal_listening"  # session.info: the commit's numbering is set up
_STAND_INS = 500  # rows a transaction numbers at its commit; after that it takes the lock at once
_PIDS = 4_000_000  # stand-in = -(1 + pid % _PIDS + _PIDS * n): within PostgreSQL's integer


def _next_seq(session: Session) -> int:
    return (session.scalar(select(func.max(Operation.seq))) or 0) + 1


def _stand_in_seq(session: Session) -> int:
    if session.info.get(_NUMBERED):
        return _next_seq(session)
    rows = session.info.get(_UNNUMBERED)
    if rows is None:
        rows = session.info[_UNNUMBERED] = []
        session.info["pcc_desk_backend_pid"] = (
            session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        )
        if not session.info.get(_LISTENING):  # once per session
            session.info[_LISTENING] = True
            event.listen(session, "before_commit", _number_rows)
            event.listen(session, "after_commit", _forget)
            event.listen(session, "after_rollback", _forget)
    if len(rows) >= _STAND_INS:  # a very long undo: number what is written, then as written
        _number_rows(session)
        return _next_seq(session)
    return -(1 + int(session.info["pcc_desk_backend_pid"]) % _PIDS + _PIDS * len(rows))


def _forget(session: Session) -> None:
    """The transaction is over: the next one in this session numbers its own rows."""
    for key in (_UNNUMBERED, _NUMBERED):
        session.info.pop(key, None)


def _number_rows(session: Session) -> None:
    """Before the commit: the journal's lock, then the next numbers for this transaction's rows."""
    rows = session.info.pop(_UNNUMBERED, None)
    if rows is None or session.info.get(_NUMBERED):
        return
    session.flush()
    postgres.lock_journal(session.connection())
    session.info[_NUMBERED] = True
    top = max(session.scalar(select(func.max(Operation.seq))) or 0, 0)
    for n, row in enumerate(rows, start=1):
        row.seq = top + n
    session.flush()


@contextlib.contextmanager
def capture() -> Iterator[list[uuid.UUID]]:
    """The ids of the operations written in this block (on this thread): the desktop's undo stack
    keeps them to undo and redo exactly those operations."""
    ids: list[uuid.UUID] = []
    token = _captured.set(ids)
    try:
        yield ids
    finally:
        _captured.reset(token)


# --- reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OperationRecord:
    """A journal row as the front ends see it."""

    id: uuid.UUID
    seq: int
    at: dt.datetime  # UTC
    actor: str
    kind: OperationKind
    summary: str
    undoes: uuid.UUID | None = None
    undone: bool = False  # a change since undone, or an undo since redone
    payload: dict[str, Any] | None = None
    records: tuple[dict[str, Any], ...] = ()
    replaced: dict[str, Any] | None = None

    @property
    def state(self) -> str:
        if self.kind == OperationKind.UNDO:
            return "redone" if self.undone else "undo"
        if self.kind == OperationKind.REDO:
            return "redo"
        return "undone" if self.undone else "done"

    def to_entry(self) -> dict[str, Any]:
        """The row as JSON, as another register would apply it (:func:`pcc_desk.services.undo.apply`)."""
        entry: dict[str, Any] = enc(
            {
                "id": self.id,
                "at": self.at,
                "actor": self.actor,
                "kind": self.kind,
                "summary": self.summary,
                "undoes": self.undoes,
                "payload": self.payload or {},
                "records": list(self.records),
                "replaced": self.replaced or {},
            }
        )
        return entry


def record(row: Operation, undone: bool = False) -> OperationRecord:
    return OperationRecord(
        id=row.id,
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        kind=row.kind,
        summary=row.summary,
        undoes=row.undoes_id,
        undone=undone,
        payload=dict(row.payload or {}),
        records=tuple(row.records or ()),
        replaced=dict(row.replaced or {}),
    )


def _reversed_clause(op: type[Operation]) -> ColumnElement[bool]:
    """SQL: ``op`` has been reversed, i.e. an undo of it exists that no redo has reversed in turn
    (for an undo row: a redo of it exists)."""
    undo, redo = aliased(Operation), aliased(Operation)
    redone = select(redo.id).where(redo.undoes_id == undo.id, redo.kind == OperationKind.REDO)
    undone = select(undo.id).where(
        undo.undoes_id == op.id, undo.kind == OperationKind.UNDO, ~redone.exists()
    )
    by_redo = select(redo.id).where(redo.undoes_id == op.id, redo.kind == OperationKind.REDO)
    return ((op.kind != OperationKind.UNDO) & undone.exists()) | (
        (op.kind == OperationKind.UNDO) & by_redo.exists()
    )


def is_undone(session: Session, op_id: uuid.UUID) -> bool:
    op = aliased(Operation)
    return bool(session.scalar(select(_reversed_clause(op)).where(op.id == op_id)))


def current_undo(session: Session, op_id: uuid.UUID) -> Operation | None:
    """The undo that has ``op_id`` undone now (none when it is in effect)."""
    undo, redo = aliased(Operation), aliased(Operation)
    redone = select(redo.id).where(redo.undoes_id == undo.id, redo.kind == OperationKind.REDO)
    return session.scalars(
        select(undo)
        .where(undo.undoes_id == op_id, undo.kind == OperationKind.UNDO, ~redone.exists())
        .order_by(undo.seq.desc())
        .limit(1)
    ).first()


def last_done(session: Session, actor: str) -> Operation | None:
    """The latest change ``actor`` made that is still in effect (what ``undo`` takes back)."""
    op = aliased(Operation)
    return session.scalars(
        select(op)
        .where(op.actor == actor, op.kind.not_in(BOOKKEEPING), ~_reversed_clause(op))
        .order_by(op.seq.desc())
        .limit(1)
    ).first()


def last_undone(session: Session, actor: str) -> Operation | None:
    """The change ``actor`` undid last, while nothing new was done by them since (what ``redo``
    brings back), or None."""
    latest_change = session.scalar(
        select(func.max(Operation.seq)).where(
            Operation.actor == actor, Operation.kind.not_in(BOOKKEEPING)
        )
    )
    op = aliased(Operation)
    undo = session.scalars(
        select(op)
        .where(
            op.actor == actor,
            op.kind == OperationKind.UNDO,
            op.seq > (latest_change or 0),
            ~_reversed_clause(op),
        )
        .order_by(op.seq.desc())
        .limit(1)
    ).first()
    return session.get(Operation, undo.undoes_id) if undo is not None else None


def recent(session: Session, *, limit: int = 20, actor: str | None = None) -> list[OperationRecord]:
    """The latest rows, newest first (of one actor when given)."""
    op = aliased(Operation)
    stmt = select(op, _reversed_clause(op)).order_by(op.seq.desc()).limit(limit)
    if actor is not None:
        stmt = stmt.where(op.actor == actor)
    return [record(row, bool(undone)) for row, undone in session.execute(stmt)]


def entries_after(session: Session, seq: int = 0) -> list[OperationRecord]:
    """Every row after ``seq``, oldest first (what another register would apply)."""
    op = aliased(Operation)
    stmt = select(op, _reversed_clause(op)).where(op.seq > seq).order_by(op.seq)
    return [record(row, bool(undone)) for row, undone in session.execute(stmt)]


def find(session: Session, ident: str | uuid.UUID) -> Operation | None:
    """A row by its id, or by a unique leading part of it (at least 6 hex digits)."""
    if isinstance(ident, uuid.UUID):
        return session.get(Operation, ident)
    key = str(ident).strip().lower().replace("-", "")
    if len(key) < 6 or any(c not in "0123456789abcdef" for c in key):
        return None
    if len(key) == 32:
        return session.get(Operation, uuid.UUID(key))
    # the first 6 digits read the same whether the id is stored as 32 hex digits (SQLite) or hyphenated
    near = select(Operation).where(cast(Operation.id, String).startswith(key[:6]))
    rows = [row for row in session.scalars(near) if row.id.hex.startswith(key)]
    if len(rows) > 1:
        raise InvalidInput(f"'{ident}' matches more than one change; give more of its id.")
    return rows[0] if rows else None


def later_conflict(session: Session, op: Operation, since_seq: int) -> Operation | None:
    """The first change made after ``since_seq`` and still in effect that concerns what ``op``
    created or changed: it touched a record ``op`` created, or changed a field of a record that
    ``op`` changed (a record's field list absent: all of it). None when there is none."""
    mine: dict[str, list[dict[str, Any]]] = {}
    for entry in op.records or ():
        if entry.get("role") in (CREATED, CHANGED):
            mine.setdefault(entry["id"], []).append(entry)
    if not mine:
        return None
    later = aliased(Operation)
    rows = session.execute(
        select(later, _reversed_clause(later))
        .where(later.seq > since_seq, later.kind.not_in(BOOKKEEPING), later.id != op.id)
        .order_by(later.seq)
    )
    for row, undone in rows:
        if undone:
            continue
        for entry in row.records or ():
            for own in mine.get(entry.get("id", ""), ()):
                if _clash(own, entry):
                    return row
    return None


def _clash(own: dict[str, Any], theirs: dict[str, Any]) -> bool:
    if own["role"] == CREATED:
        return True
    if theirs.get("role") not in (CHANGED, REMOVED, CREATED):
        return False  # they only used it: a change of ours to it can go
    mine, other = own.get("fields"), theirs.get("fields")
    return mine is None or other is None or bool(set(mine) & set(other))


def when(at: dt.datetime) -> str:
    """A journal time (UTC) in the clerk's local time, as a clerk reads it."""
    local = at.replace(tzinfo=dt.UTC).astimezone()
    return f"{house_date(local.date())}, {local:%H:%M}"
