"""Where the register lives and how it is opened: paths, SQLite pragmas, migrate-on-open, backups.

Opening a database is always the same few steps (see :func:`open_database`):

0. refuse a path in a cloud-synced folder or on a network share (:mod:`pcc_desk.locations`), and
   check the file read-only (:func:`~pcc_desk.storage.checking.check_on_opening`: header, size,
   write-ahead log, schema; ``PRAGMA quick_check`` when it is due, or in the background with writes
   held until it passes): a damaged file is left byte-for-byte as it was and :class:`DatabaseDamaged` carries
   the recovery offer (the newest good backup, or a fresh start; added by the opening service);
1. look at the file read-only: a revision this version does not know means the file came from a newer
   PCC Desk, and it is refused without a single byte written;
2. if its schema is older than this version's, take a backup copy, then run the Alembic migrations on
   a connection of their own with foreign keys off (batch migrations need that);
3. hand back an engine with foreign keys on, WAL and a busy timeout.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from pcc_desk.errors import (
    DatabaseDamaged,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

from pcc_desk import locations, locking
from pcc_desk.search import require_fts5
from pcc_desk.storage.checking import (
    EarlyHealthCheck,
    WriteGate,
    attach_gate,
    check_on_opening,
)
from pcc_desk.storage.engine import make_engine
from pcc_desk.storage.health import HEAD_REVISION, _look, _schema_problem
from pcc_desk.storage.location import Location, resolve_location
from pcc_desk.storage.migrations import migrate


def open_database(
    db: str | os.PathLike[str] | Location | None = None,
    *,
    allow_unsafe_location: bool = False,
    early_check: EarlyHealthCheck | None = None,
    background_check: bool = False,
) -> tuple[Location, Engine]:
    """Resolve, check, migrate if needed, and return an engine ready for the services.

    Raises :class:`UnsafeLocation` for a synced or network path (unless ``allow_unsafe_location``),
    :class:`DatabaseTooNew` for a file from a newer version (left untouched), and
    :class:`DatabaseDamaged` for a damaged file, which is left untouched (the service that opens the
    register, :meth:`pcc_desk.services.desk.Desk.open`, adds the recovery offer from :mod:`pcc_desk.backup`).
    ``early_check``: the health check of this file, already under way (see :class:`EarlyHealthCheck`).
    ``background_check``: when the whole-file check is due, run it on a thread while the register
    is read, and hold writes until it passes (:mod:`pcc_desk.storage.checking`); otherwise it runs
    before this returns.

    The register's lock (:class:`pcc_desk.locking.RegisterLock`) is held shared from before the file
    is looked at until the engine is disposed of, so that no restore can swap the file under it.
    """
    location = db if isinstance(db, Location) else resolve_location(db)
    if location.path is None:
        migrate(location)
        return location, make_engine(location)
    require_fts5()  # search and its triggers need SQLite's FTS5: say so before anything
    locations.guard(location.path, allow_unsafe=allow_unsafe_location)
    location.path.parent.mkdir(parents=True, exist_ok=True)
    lock = locking.RegisterLock(location.path).share()
    try:
        if early_check is not None and early_check.path == location.path:
            due = early_check.wait()
        else:
            due = check_on_opening(location.path, background=background_check)
        if migrate(location):
            with _look(location.path) as conn:
                problem = _schema_problem(conn, location.path.name, HEAD_REVISION)
            if problem:
                raise DatabaseDamaged(problem)
        gate = WriteGate(location.path, due)
        engine = make_engine(location, gate)
    except BaseException:
        lock.release()
        raise
    from sqlalchemy import event

    attach_gate(engine, gate)

    def closed(_engine: Engine) -> None:
        gate.close()
        lock.release()

    event.listen(engine, "engine_disposed", closed)
    return location, engine
