"""Copying a whole register between a laptop's file and the team register, with the same UUIDs.

- :func:`upload` (``pcc-desk team upload laptop.sqlite3 URL``): a laptop's register into an empty
  team register, in one transaction; a second run finds every record there already and does nothing
  ("already uploaded"); a team register holding other records is refused, nothing changed.
- :func:`download` (``pcc-desk team download URL copy.sqlite3``): a full portable SQLite copy, built
  in a temporary file beside its name and moved into place whole.
- :func:`copy_register`: the copy itself, generic over the tables. Every table of the model's
  metadata is copied, in dependency order (``metadata.sorted_tables``; rows of a table that refers to
  itself, parents first), so a table added later is copied without touching this module. The search
  index is not copied: the triggers of the receiving register build it from the rows, as for any
  insert (a ``tsvector`` on the server, FTS5 in a file).

Both registers are at this version's schema: a laptop's file at an older one is upgraded first (with
the usual backup, as on opening); one saved by a newer PCC Desk is refused unchanged. The offline sync
builds on this: ``team checkout`` is :func:`download` plus remembering the server.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, LargeBinary, Table, func, select
from sqlalchemy.orm import Session

from pcc_desk import postgres, storage
from pcc_desk.errors import Conflict, InvalidInput
from pcc_desk.model import Base
from pcc_desk.services import sync_state
from pcc_desk.services.desk import Desk

BATCH_ROWS = 1_000
BATCH_BYTES = 32 * 1024 * 1024  # stored files: a batch never holds much more than this

# told (rows copied, rows in all) after each batch; raising (e.g. Cancelled) stops the copy, nothing kept
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CopyResult:
    source: str  # as a clerk would name them (a file's path, a server's host and database)
    target: str
    copied: bool  # False: nothing was copied (already uploaded)
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    message: str = ""
    left_out: str = ""  # what a laptop copy left out, in one line ("" when nothing)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


# a laptop copy's own bookkeeping, never copied to or from the team register (pcc_desk.services.sync)
LOCAL_TABLES = frozenset({"sync_conflicts"})


def copied_tables() -> list[Table]:
    """Every table of the register but :data:`LOCAL_TABLES`, parents before the tables that refer
    to them."""
    return [t for t in Base.metadata.sorted_tables if t.name not in LOCAL_TABLES]


def _self_references(table: Table) -> list[tuple[str, str]]:
    """(column, referred column) of each foreign key from ``table`` to itself."""
    return [
        (fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table
    ]


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a table that refers to itself (a letter's edited version, an undo's row), each
    after the row it refers to."""
    refs = _self_references(table)
    by_key = {(ref, row[ref]): row for _col, ref in refs for row in rows}
    ordered: list[dict[str, Any]] = []
    placed: set[int] = set()

    def place(row: dict[str, Any], depth: int = 0) -> None:
        if id(row) in placed:
            return
        if depth > len(rows):  # a cycle: the database would refuse it anyway; keep going
            return
        for col, ref in refs:
            parent = by_key.get((ref, row[col])) if row[col] is not None else None
            if parent is not None and parent is not row:
                place(parent, depth + 1)
        placed.add(id(row))
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


def _rows(source: Connection, table: Table) -> Iterator[dict[str, Any]]:
    statement = select(table).order_by(*table.primary_key.columns)
    if _self_references(table):
        rows = [dict(row._mapping) for row in source.execute(statement)]
        yield from _parents_first(table, rows)
        return
    for row in source.execution_options(yield_per=BATCH_ROWS).execute(statement):
        yield dict(row._mapping)


def _size(table: Table, row: dict[str, Any]) -> int:
    return sum(len(row[c.name] or b"") for c in table.columns if isinstance(c.type, LargeBinary))


def copy_register(
    source: Connection,
    target: Connection,
    tables: Sequence[Table] | None = None,
    *,
    progress: Progress | None = None,
    leave_out: Mapping[str, Collection[object]] | None = None,
) -> dict[str, int]:
    """Copy every row of ``tables`` (default: all of them) from ``source`` to ``target``, values as
    they are (same ids, times, texts), in the caller's transaction. Returns rows copied per table.
    ``progress`` is told how far it got after each batch (see :data:`Progress`). ``leave_out``: table
    name -> primary key values of rows not copied (the caller makes sure nothing copied refers to
    them)."""
    chosen = list(tables) if tables is not None else copied_tables()
    total = sum(_count(source, t) for t in chosen) if progress is not None else 0
    counts: dict[str, int] = {}
    done = 0

    def write(table: Table, batch: list[dict[str, Any]]) -> None:
        nonlocal done
        target.execute(table.insert(), batch)
        done += len(batch)
        if progress is not None:
            progress(done, max(total, done))

    for table in chosen:
        batch: list[dict[str, Any]] = []
        size = count = 0
        skip = (leave_out or {}).get(table.name) or ()
        key = next(iter(table.primary_key.columns)).name
        for row in _rows(source, table):
            if skip and row[key] in skip:
                continue
            batch.append(row)
            size += _size(table, row)
            count += 1
            if len(batch) >= BATCH_ROWS or size >= BATCH_BYTES:
                write(table, batch)
                batch, size = [], 0
        if batch:
            write(table, batch)
        counts[table.name] = count
    return counts


def _keys(connection: Connection, table: Table) -> set[tuple[Any, ...]]:
    columns = list(table.primary_key.columns)
    return {tuple(row) for row in connection.execute(select(*columns))}


def _count(connection: Connection, table: Table) -> int:
    return connection.scalar(select(func.count()).select_from(table)) or 0


def holds_all_of(source: Connection, target: Connection) -> Table | None:
    """The first table with a record of ``source`` that ``target`` lacks, or None (it holds them
    all: the source was copied there before)."""
    for table in copied_tables():
        if not _keys(source, table) <= _keys(target, table):
            return table
    return None


def is_empty(connection: Connection, tables: Iterable[Table] | None = None) -> bool:
    return all(_count(connection, t) == 0 for t in (tables or copied_tables()))


def snapshot(session: Session) -> Connection:
    """The session's connection reading one consistent state of the register while others write (a
    team register's clerks): REPEATABLE READ on PostgreSQL; a SQLite read transaction is one already."""
    if session.get_bind().dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    return session.connection()


def _laptop(path: str | os.PathLike[str]) -> Path:
    text = os.fspath(path)
    if "://" in text:
        raise InvalidInput(
            f"'{text}' is not a laptop's register file; give the path of its .sqlite3 file."
        )
    file = Path(text).expanduser()
    if not file.is_file():
        raise InvalidInput(f"{file}: there is no such register file; nothing was uploaded.")
    return file.resolve()


def _server(url: str) -> str:
    if not postgres.is_server_url(url or ""):
        raise InvalidInput(
            f"'{url}' is not the address of a team register; give a PostgreSQL URL such as "
            "postgresql+psycopg://alice@server/pcc_register."
        )
    return url


def _name(desk: Desk) -> str:
    if desk.location.path is not None:
        return desk.location.path.name
    return f"the team register at {postgres.describe_host(desk.location.url)}"


def upload(laptop: str | os.PathLike[str], url: str) -> CopyResult:
    """Copy the laptop's register into the team register at ``url``, which must be empty (made by
    ``team init``), in one transaction. Nothing is done twice: when the team register holds every
    record of the laptop's already, nothing is copied. A team register holding other records is
    refused (:class:`Conflict`), nothing changed."""
    path = _laptop(laptop)
    _server(url)
    with Desk.open(path) as source_desk, Desk.open(url) as team:
        host = _name(team)
        with source_desk.reading() as reading, team.engine.begin() as target:
            source = snapshot(reading)
            postgres.lock_journal(target)  # two uploads, or a clerk's change, wait for this one
            if not is_empty(target):
                missing = holds_all_of(source, target)
                if missing is None:
                    return CopyResult(
                        path.name,
                        host,
                        copied=False,
                        message=f"{path.name} is already uploaded to {host}; nothing was copied again.",
                    )
                raise Conflict(
                    f"{host[:1].upper()}{host[1:]} already holds other records (its "
                    f"{missing.name.replace('_', ' ')} differ from "
                    f"{path.name}'s); nothing was uploaded. Upload into an empty team register "
                    "made by 'pcc-desk team init'."
                )
            rows = copy_register(source, target)
    return CopyResult(
        path.name, host, copied=True, rows=rows, message=_summary(rows, path.name, host)
    )


def _summary(rows: dict[str, int], source: str, target: str) -> str:
    def n(table: str) -> int:
        return rows.get(table, 0)

    return (
        f"{source} copied to {target}: {n('recommendations')} recommendation(s), "
        f"{n('responses')} response(s), {n('transcripts')} transcript(s), {n('quotes')} quote(s), "
        f"{n('stored_files')} original file(s), {n('journal')} journal row(s); "
        f"{sum(rows.values())} rows in all."
    )


def download(
    url: str,
    copy: str | os.PathLike[str],
    *,
    force: bool = False,
    progress: Progress | None = None,
    leave_out: Callable[[Connection], Mapping[str, Collection[object]]] | None = None,
) -> CopyResult:
    """A full portable copy of the team register at ``url`` in the SQLite file ``copy``: the same
    ids, the original files, the journal, the search index built. Written in a temporary file beside
    ``copy`` and moved into place whole; an existing file is refused unless ``force``. ``progress``:
    see :data:`Progress` (an error it raises leaves nothing under ``copy``). ``leave_out``: given the
    snapshot read, the rows not to copy (see :func:`copy_register`)."""
    _server(url)
    target = Path(os.fspath(copy)).expanduser()
    if "://" in os.fspath(copy):
        raise InvalidInput(f"'{copy}' is not a file path; give the path of the copy to write.")
    if target.exists() and not force:
        raise Conflict(f"{target.name} exists already; nothing was written (--force replaces it).")
    if target.is_file():  # (forced) never over a laptop copy's work the team register has not got
        sync_state.refuse_replacing(target)
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; give the path of the copy to write.")
    target.parent.mkdir(parents=True, exist_ok=True)
    target = target.resolve()
    with Desk.open(url) as team:
        host = _name(team)
        with _partial_file(target) as partial:
            location = storage.resolve_location(partial)
            storage.migrate(location)
            engine = storage.make_engine(location)
            try:
                with team.reading() as reading, engine.begin() as writing:
                    source = snapshot(reading)
                    left = leave_out(source) if leave_out is not None else None
                    rows = copy_register(source, writing, progress=progress, leave_out=left)
            finally:
                engine.dispose()
            conn = storage.connect(partial, mode="rw")  # one self-contained file, as a backup is
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("PRAGMA journal_mode=DELETE")
            finally:
                conn.close()
            with open(partial, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, target)
    return CopyResult(
        host, target.name, copied=True, rows=rows, message=_summary(rows, host, target.name)
    )


@contextlib.contextmanager
def _partial_file(target: Path) -> Iterator[Path]:
    """A free name beside ``target`` for the copy being written; whatever is left there is removed."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    partial = Path(name)
    partial.unlink()  # SQLite makes the file
    try:
        yield partial
    finally:
        for leftover in (partial, *storage.sidecars(partial)):
            with contextlib.suppress(OSError):
                leftover.unlink()
