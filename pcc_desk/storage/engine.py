"""The SQLAlchemy engine of an already-migrated register: pragmas, ``BEGIN IMMEDIATE`` for writes,
and SQLite's failures turned into typed errors (SQLAlchemy is imported where it is used)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcc_desk.errors import (
    DatabaseDamaged,
    FileLocked,
    StorageFailed,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
    from sqlalchemy.engine import ExceptionContext

from pcc_desk import postgres
from pcc_desk.storage.health import damage_mark
from pcc_desk.storage.location import Location, _sqlite_url


def _on_connect(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


READ_ONLY = "pcc_desk_read_only"  # execution option of the engine that read-only sessions use


def _begin_immediate(conn: Connection) -> None:
    # SQLite's default deferred transactions can fail half-way with "database is locked" when a second
    # writer appears; taking the write lock up front makes each use case all-or-nothing. Reads take no
    # lock (WAL lets them run beside a writer), so a search is never held up by a long import.
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# SQLite's words for what goes wrong underneath a write, and what the clerk is told instead of a
# traceback. The transaction has been rolled back: nothing of the change was saved.
_STORAGE_FAILURES = (
    ("database or disk is full", StorageFailed,
     "The register could not be saved: the disk is full. Nothing of this change was saved; free some space and try again."),
    ("attempt to write a readonly database", StorageFailed,
     "The register could not be saved: the file or its folder is read-only. Nothing of this change was saved."),
    ("disk i/o error", StorageFailed,
     "The disk reported an error while reading or saving the register; nothing of this change was saved. Check the disk, then run 'pcc-desk check'."),
    ("database is locked", FileLocked,
     "The register is busy: another program is writing to it. Nothing of this change was saved; try again in a moment."),
    ("unable to open database file", StorageFailed,
     "The register's file could not be opened (its folder is missing or cannot be written). Nothing was changed."),
)  # fmt: skip
_DAMAGE_WORDS = ("database disk image is malformed", "file is not a database")


def _on_error(context: ExceptionContext) -> BaseException | None:
    text = str(context.original_exception).lower()
    for needle, error_class, message in _STORAGE_FAILURES:
        if needle in text:
            return error_class(message)
    if any(words in text for words in _DAMAGE_WORDS):
        database = context.engine.url.database if context.engine is not None else None
        if database:
            with contextlib.suppress(OSError):
                damage_mark(Path(database)).touch()
        return DatabaseDamaged(
            "The register is damaged: SQLite found a fault in the file. Nothing of this change was "
            "saved. Close PCC Desk and start it again (or run 'pcc-desk check') to be offered the "
            "newest good backup; the damaged file is kept."
        )
    return None


def make_engine(location: Location) -> Engine:
    """An engine for an already-migrated database."""
    from sqlalchemy import create_engine, event

    if location.path is not None:
        engine = create_engine(
            _sqlite_url(location.path), hide_parameters=True, connect_args={"isolation_level": None}
        )
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _begin_immediate)
        event.listen(engine, "handle_error", _on_error)
        return engine
    if location.is_server:
        return postgres.make_engine(location.url)
    return create_engine(location.url, hide_parameters=True)
