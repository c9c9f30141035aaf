"""What a laptop copy remembers of its team register (the sync's own bookkeeping, never sent: it is
written without a journal row), and what follows from it: which recommendations on the laptop still
carry a provisional reference (made here and not yet synced).

The remembered setting (key :data:`SYNC_KEY`) holds the team register's URL without a password, how
far the laptop has seen the server's journal (``server_seq``), how far its own journal has been sent
(``local_seq``), ``there`` (spans of rows after that mark already on the server: not counted as
waiting),
``left_out`` (the ids of records left out of the copy, see
:mod:`pcc_desk.services.sync_leave_out`), and ``aliases``: ids of records the laptop made that the server already held under
another id (a theme of the same name, a letter or transcript imported there first), mapped onto the
server's, so that the laptop's later changes to those records land on the server's."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from pcc_desk import postgres, storage
from pcc_desk.errors import Conflict
from pcc_desk.model import Operation, OperationKind, RecordKind, Setting, SyncConflict
from pcc_desk.services import journal
from pcc_desk.services.desk import Desk
from pcc_desk.vocabulary import SYNC_KEY as SYNC_KEY  # (the register file read ahead checks it too)

# the operations that give a recommendation a reference (the laptop's numbering until it is synced)
NUMBERING = (OperationKind.ADD_RECOMMENDATION, OperationKind.IMPORT_LETTER)

Spans = tuple[tuple[int, int], ...]  # spans of a laptop's journal rows by ``seq``, first and last


@dataclass(frozen=True)
class Origin:
    """Where a laptop copy came from and how far it has synced."""

    server: str  # the team register's URL, without a password
    server_seq: int  # the server's journal rows up to this one are on the laptop
    local_seq: int  # the laptop's journal rows up to this one are on the server
    aliases: dict[str, str] = field(default_factory=dict)  # laptop's id -> the server's (text)
    # the laptop's changes the team register refused, or that built on one: operation id -> line
    refused: dict[str, str] = field(default_factory=dict)
    # ids of records left out of this copy (old transcripts: pcc_desk.services.sync_leave_out) and of
    # the server's rows not applied here because they touch one
    left_out: frozenset[str] = frozenset()
    # spans (by ``seq``) of the laptop's journal rows after ``local_seq`` that are on the team register
    # already (brought down, or sent, after a row the clerk made while the sync ran; or by a sync that
    # was cancelled): not waiting to be sent
    there: Spans = ()

    def alias(self, ident: uuid.UUID) -> uuid.UUID:
        return uuid.UUID(self.aliases.get(str(ident), str(ident)))


def read_spans(value: Any) -> Spans:
    """The spans :func:`write_origin` wrote (none from a copy made before they were kept, and
    none read from anything else: they only ever lower a count)."""
    if not isinstance(value, list):
        return ()
    return tuple(
        (span[0], span[1])
        for span in value
        if isinstance(span, list) and len(span) == 2 and all(type(n) is int for n in span)
    )


def url_without_password(url: str) -> str:
    """The team register's address to remember: never its password (``URL.set(password=None)``
    leaves a password in place: ``set`` skips the arguments given as None)."""
    return (
        make_url(postgres.normalise_url(url))
        ._replace(password=None)
        .render_as_string(hide_password=False)
    )


def write_origin(session: Session, origin: Origin) -> None:
    value = {
        "server": url_without_password(origin.server),  # an older copy kept it: cleaned here
        "server_seq": origin.server_seq,
        "local_seq": origin.local_seq,
        "aliases": dict(origin.aliases),
        "refused": dict(origin.refused),
        "left_out": sorted(origin.left_out),
        "there": [list(run) for run in origin.there],
    }
    row = session.get(Setting, SYNC_KEY)
    if row is None:
        session.add(Setting(key=SYNC_KEY, value=value))
    else:
        row.value = value
    session.flush()


def read_origin(session: Session) -> Origin | None:
    row = session.get(Setting, SYNC_KEY)
    if row is None or not isinstance(row.value, dict):
        return None
    v: dict[str, Any] = row.value
    return Origin(
        str(v["server"]),
        int(v["server_seq"]),
        int(v["local_seq"]),
        {str(k): str(a) for k, a in (v.get("aliases") or {}).items()},
        {str(k): str(a) for k, a in (v.get("refused") or {}).items()},
        frozenset(str(i) for i in v.get("left_out") or ()),
        read_spans(v.get("there")),
    )


def note_refused(session: Session, op_id: str, line: str) -> None:
    """List one of the laptop's changes as not sent (one line why): it stays on this laptop only."""
    mark = read_origin(session)
    if mark is not None:
        write_origin(session, dataclasses.replace(mark, refused={**mark.refused, op_id: line}))


def refusals(desk: Desk) -> list[str]:
    """The laptop's changes the team register refused at a sync, or that built on one (one line
    each, oldest first): they stay on this laptop only and are not sent again."""
    with desk.reading() as session:
        mark = read_origin(session)
    return list(mark.refused.values()) if mark is not None else []


def dismiss_refusals(desk: Desk, shown: Collection[str] | None = None) -> int:
    """Stop listing the changes not sent whose lines are in ``shown`` (all when None): the clerk has
    seen them. The changes themselves stay on this laptop as they were (nothing is undone) and are
    still not sent. Returns how many are no longer listed."""
    with desk.transaction() as session:
        mark = read_origin(session)
        if mark is None:
            return 0
        kept = {k: v for k, v in mark.refused.items() if shown is not None and v not in shown}
        if len(kept) != len(mark.refused):
            write_origin(session, dataclasses.replace(mark, refused=kept))
        return len(mark.refused) - len(kept)


def add_aliases(session: Session, found: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """Remember that the laptop's records ``(mine, theirs)`` are the server's."""
    now = read_origin(session)
    new = {str(mine): str(theirs) for mine, theirs in found if mine != theirs}
    if now is None or not new or new.items() <= now.aliases.items():
        return
    write_origin(session, dataclasses.replace(now, aliases={**now.aliases, **new}))


def provisional_ids(session: Session) -> frozenset[uuid.UUID]:
    """The recommendations of a laptop copy made there and not yet synced: their references are the
    laptop's numbering, and the team register gives the final ones at the sync. Empty when the
    register is not a laptop copy."""
    now = read_origin(session)
    if now is None:
        return frozenset()
    rows = session.scalars(
        select(Operation).where(Operation.seq > now.local_seq, Operation.kind.in_(NUMBERING))
    )
    return frozenset(
        uuid.UUID(e["id"])
        for row in rows
        for e in row.records or ()
        if e.get("role") == journal.CREATED and e.get("kind") == RecordKind.RECOMMENDATION
    )


def provisional_ids_in(conn: sqlite3.Connection) -> frozenset[uuid.UUID]:
    """:func:`provisional_ids` read from a laptop copy's file on a standard-library connection (the
    register's table is read so; see :mod:`pcc_desk.services.register.table`)."""
    row = conn.execute(
        f"SELECT value FROM {Setting.__tablename__} WHERE key = ?", (SYNC_KEY,)
    ).fetchone()
    if row is None:
        return frozenset()
    local_seq = int(json.loads(row[0])["local_seq"])
    kinds = [k.value for k in NUMBERING]
    rows = conn.execute(
        f"SELECT records FROM {Operation.__tablename__} WHERE seq > ? AND kind IN (?, ?)",
        (local_seq, *kinds),
    )
    return frozenset(
        uuid.UUID(e["id"])
        for (records,) in rows
        for e in json.loads(records or "[]")
        if e.get("role") == journal.CREATED and e.get("kind") == RecordKind.RECOMMENDATION
    )


def sent_up_to(
    laptop: Desk, server: Desk, since: int, sent: Collection[str], *, move: bool = True
) -> tuple[int, Spans]:
    """How far the laptop's journal is on the team register after a sync: the highest ``seq`` up to
    which every row after ``since`` was sent by it (``sent``: their ids, refused ones included) or
    is on the server (brought down from it); and the spans of rows after that one which are sent or
    on the server too (:attr:`Origin.there`). A row the clerk made while the sync ran (the desktop
    syncs off the screen's thread) is neither: it, and what follows it, stay to be sent, but only it
    is counted as waiting (:func:`waiting`). ``move=False`` (a cancelled sync): the mark stays at
    ``since`` and every row after it sent or on the server is in those spans. (A laptop's rows are
    numbered as they are written, each after the last: a span never takes in a later row.)"""
    with laptop.reading() as session:
        rows = session.execute(
            select(Operation.seq, Operation.id).where(Operation.seq > since).order_by(Operation.seq)
        ).all()
    unknown = [ident for _seq, ident in rows if str(ident) not in sent]
    there: set[uuid.UUID] = set()
    with server.reading() as session:
        for start in range(0, len(unknown), 500):
            chunk = unknown[start : start + 500]
            there.update(session.scalars(select(Operation.id).where(Operation.id.in_(chunk))))
    top, spans, stopped, last_done = since, list[list[int]](), not move, False
    for seq, ident in rows:
        done = str(ident) in sent or ident in there
        if done and not stopped:  # every row up to this one is there: the mark moves over it
            top = seq
            continue
        stopped = True  # from the first row still to be sent on, the mark stays
        if done and last_done:
            spans[-1][1] = seq
        elif done:
            spans.append([seq, seq])
        last_done = done
    return top, tuple((first, last) for first, last in spans)


def waiting(seqs: Iterable[int], there: Spans) -> int:
    """How many of the journal rows after the sent mark (their ``seqs``) are still to be sent."""
    return sum(1 for seq in seqs if not any(first <= seq <= last for first, last in there))


@dataclass(frozen=True)
class Unsettled:
    """What a laptop copy holds that the team register does not: nothing of it may be lost."""

    pending: int = 0  # changes not yet sent
    conflicts: int = 0  # conflicts not yet settled
    not_sent: int = 0  # changes the team register refused, still listed (until the clerk dismisses)

    def __bool__(self) -> bool:
        return bool(self.pending or self.conflicts or self.not_sent)

    def words(self) -> str:
        parts = [
            f"{self.pending} change(s) not yet synced" if self.pending else "",
            f"{self.not_sent} change(s) the team register did not take" if self.not_sent else "",
            f"{self.conflicts} conflict(s) not yet settled" if self.conflicts else "",
        ]
        return ", ".join(p for p in parts if p)


def unsettled_work(path: Path) -> Unsettled:
    """In the laptop copy at ``path`` (read only, never opened as a register): its changes not yet
    sent, those the team register refused and its conflicts not yet settled; nothing when it is no
    laptop copy or cannot be read."""
    try:
        conn = storage.connect(path)  # (read only; the path escaped: a folder may be "PCC #2")
    except sqlite3.Error:
        return Unsettled()
    try:
        row = conn.execute(
            f"SELECT value FROM {Setting.__tablename__} WHERE key = ?", (SYNC_KEY,)
        ).fetchone()
        if row is None:
            return Unsettled()
        mark = json.loads(row[0])
        seqs = conn.execute(
            f"SELECT seq FROM {Operation.__tablename__} WHERE seq > ?", (int(mark["local_seq"]),)
        )
        pending = waiting((int(seq) for (seq,) in seqs), read_spans(mark.get("there")))
        (conflicts,) = conn.execute(
            f"SELECT count(*) FROM {SyncConflict.__tablename__} WHERE resolved_at IS NULL"
        ).fetchone()
        refused = mark.get("refused")
        return Unsettled(pending, int(conflicts), len(refused) if isinstance(refused, dict) else 0)
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return Unsettled()
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.close()


def refuse_replacing(target: Path) -> None:
    """Raises Conflict if the file at ``target`` is a laptop copy holding work the team register has
    not got: no copy is ever written over it, whoever asks and however (``--force`` included)."""
    unsettled = unsettled_work(target)
    if unsettled:
        raise Conflict(
            f"{target.name} is a laptop copy with {unsettled.words()}: open it and sync it "
            "(or settle what it lists) first, or choose another file; nothing was written."
        )
