"""Taking the team register offline and syncing it back (``pcc-desk team checkout``, ``pcc-desk sync``).

A laptop copy is an ordinary register made by :func:`pcc_desk.services.team_copy.download`, plus one
setting (key :data:`SYNC_KEY`) that remembers the team register it came from (its URL without a
password), how far it has seen the server's journal (``server_seq``) and how far its own journal has
been sent (``local_seq``).

A sync replays journal rows by their id, through the services (:func:`pcc_desk.services.undo.apply`,
the same code that redo uses): each row is applied in a transaction of its own, and a row whose id
is in the target's journal already is not applied again. So a sync that is cut off part-way is simply
run again, and running it twice is running it once.

1. Push: the laptop's rows after ``local_seq``, oldest first, are applied on the server (rows the
   laptop pulled earlier are there already: skipped by id).
2. Pull: the server's rows after ``server_seq`` are applied on the laptop (the laptop's own rows
   just pushed are there already: skipped), deletions included; ``server_seq`` and ``local_seq``
   move on after each row, in the row's own transaction.

A laptop and a server at different schema revisions do not sync: one line says which to update, and
neither is changed. The remembered setting is the sync's own bookkeeping, not a clerk's change: it is
written without a journal row (it is never sent to the server).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcc_desk import postgres, storage
from pcc_desk.errors import Conflict, InvalidInput, PccError
from pcc_desk.model import Operation, Setting
from pcc_desk.services import journal, team_copy, undo
from pcc_desk.services.desk import Desk
from pcc_desk.services.journal import OperationRecord

SYNC_KEY = "sync:origin"  # not a Committee detail: settings.load reads only its own key


@dataclass(frozen=True)
class Origin:
    """Where a laptop copy came from and how far it has synced."""

    server: str  # the team register's URL, without a password
    server_seq: int  # the server's journal rows up to this one are on the laptop
    local_seq: int  # the laptop's journal rows up to this one are on the server


@dataclass(frozen=True)
class SyncResult:
    pushed: int
    pulled: int
    server: str  # the server as a clerk names it (host)
    refused: tuple[str, ...] = field(default=())
    message: str = ""


def _url_without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return (
        make_url(postgres.normalise_url(url))
        .set(password=None)
        .render_as_string(hide_password=False)
    )


def _max_seq(session: Session) -> int:
    return int(session.scalar(select(func.max(Operation.seq))) or 0)


def _write_origin(session: Session, origin: Origin) -> None:
    value = {
        "server": origin.server,
        "server_seq": origin.server_seq,
        "local_seq": origin.local_seq,
    }
    row = session.get(Setting, SYNC_KEY)
    if row is None:
        session.add(Setting(key=SYNC_KEY, value=value))
    else:
        row.value = value
    session.flush()


def _read_origin(session: Session) -> Origin | None:
    row = session.get(Setting, SYNC_KEY)
    if row is None or not isinstance(row.value, dict):
        return None
    v: dict[str, Any] = row.value
    return Origin(str(v["server"]), int(v["server_seq"]), int(v["local_seq"]))


def origin(desk: Desk) -> Origin | None:
    """The team register this register was checked out from, or None (it was not)."""
    with desk.reading() as session:
        return _read_origin(session)


def checkout(
    url: str, laptop: str | os.PathLike[str], *, force: bool = False
) -> team_copy.CopyResult:
    """A laptop copy of the team register at ``url`` (see :func:`team_copy.download`) that remembers
    the server and how far it has seen its journal (the copy's journal is the server's, so both marks
    are its highest row)."""
    done = team_copy.download(url, laptop, force=force)
    with Desk.open(Path(os.fspath(laptop)).expanduser()) as desk, desk.transaction() as session:
        top = _max_seq(session)
        _write_origin(session, Origin(_url_without_password(url), top, top))
    return done


def _laptop_revision(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


def _server_revision(url: str) -> str | None:
    engine = postgres.make_engine(postgres.normalise_url(url))
    try:
        with postgres.translated(url), engine.connect() as connection:
            return postgres.stored_revision(connection)
    finally:
        engine.dispose()


def check_schemas(url: str, laptop: Path) -> None:
    """Refuse (one line, nothing changed) when the laptop and the server are at different schema
    revisions, naming the one to update."""
    host = postgres.describe_host(url)
    mine, theirs = _laptop_revision(laptop), _server_revision(url)
    if mine == theirs == storage.HEAD_REVISION:
        return
    known = [*storage.EARLIER_REVISIONS, storage.HEAD_REVISION]

    def rank(rev: str | None) -> int:
        return known.index(rev) if rev in known else len(known)  # unknown: newer than this version

    if rank(theirs) > rank(mine):
        what = f"update PCC Desk on this laptop and open {laptop.name} once"
    elif rank(mine) > rank(theirs):
        what = f"the team register at {host} must be updated first (pcc-desk team init)"
    else:
        what = "update PCC Desk"
    raise Conflict(
        f"{laptop.name} is at schema {mine or 'none'} and the team register at {host} at schema "
        f"{theirs or 'none'}: {what}; nothing was synced."
    )


def _entries_after(desk: Desk, seq: int) -> list[tuple[int, dict[str, Any]]]:
    with desk.reading() as session:
        rows: list[OperationRecord] = journal.entries_after(session, seq)
        return [(r.seq, r.to_entry()) for r in rows]


def _describe(entry: dict[str, Any]) -> str:
    return str(entry.get("summary") or entry.get("kind") or "a change")


def push(laptop: Desk, server: Desk, *, limit: int | None = None) -> int:
    """Apply the laptop's journal rows not yet sent on the server, oldest first, each in a transaction
    of its own; rows already there (by id) are skipped. ``limit``: stop after that many rows (a sync
    cut off, for tests). Returns how many rows were applied on the server."""
    now = origin(laptop)
    if now is None:
        raise InvalidInput(_not_checked_out(laptop))
    applied = 0
    for n, (_seq, entry) in enumerate(_entries_after(laptop, now.local_seq)):
        if limit is not None and n >= limit:
            break
        try:
            if undo.apply(server, entry):
                applied += 1
        except PccError as refused:
            raise Conflict(
                f"The team register refused '{_describe(entry)}' (made on this laptop by "
                f"{entry.get('actor') or 'someone'}): {refused} Nothing after it was sent; "
                "the changes before it were."
            ) from refused
    return applied


def pull(laptop: Desk, server: Desk) -> int:
    """Apply the server's journal rows the laptop has not seen, oldest first, each in a transaction of
    its own (the laptop's mark moves on in it); rows already on the laptop are skipped by id."""
    now = origin(laptop)
    if now is None:
        raise InvalidInput(_not_checked_out(laptop))
    applied = 0
    for seq, entry in _entries_after(server, now.server_seq):
        if undo.apply(laptop, entry):
            applied += 1
        with laptop.transaction() as session:
            mark = _read_origin(session) or now
            _write_origin(session, Origin(mark.server, seq, mark.local_seq))
    return applied


def _not_checked_out(desk: Desk) -> str:
    name = desk.location.path.name if desk.location.path is not None else "This register"
    return (
        f"{name} was not checked out from a team register (pcc-desk team checkout URL FILE); "
        "there is nothing to sync it with."
    )


def sync(desk: Desk, *, url: str | None = None) -> SyncResult:
    """Push then pull (see the module). ``url`` overrides the remembered server's address (e.g. with
    a password); it must name the same database."""
    if desk.location.path is None:
        raise InvalidInput(
            "Sync runs on a laptop copy (--db laptop.sqlite3), not on the team register."
        )
    now = origin(desk)
    if now is None:
        raise InvalidInput(_not_checked_out(desk))
    address = url or now.server
    check_schemas(address, desk.location.path)
    with Desk.open(address) as server:
        pushed = push(desk, server)
        pulled = pull(desk, server)
        with desk.transaction() as session:
            mark = _read_origin(session) or now
            _write_origin(session, Origin(mark.server, mark.server_seq, _max_seq(session)))
    host = postgres.describe_host(address)
    return SyncResult(
        pushed=pushed,
        pulled=pulled,
        server=host,
        message=(
            f"Synced with the team register at {host}: {pushed} change(s) sent, "
            f"{pulled} change(s) received."
        ),
    )


def pending_count(desk: Desk) -> int:
    """How many of the laptop's journal rows are not yet sent (0 when not a laptop copy)."""
    now = origin(desk)
    if now is None:
        return 0
    with desk.reading() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(Operation).where(Operation.seq > now.local_seq)
            )
            or 0
        )
