"""Where the register lives and how it is opened: paths, SQLite pragmas, migrate-on-open, backups.

Opening a database is always the same few steps (see :func:`open_database`):

0. refuse a path in a cloud-synced folder or on a network share (:mod:`pcc_desk.locations`), and
   check the file read-only (:func:`check_health`: header, size, write-ahead log, ``PRAGMA
   quick_check``): a damaged file is left byte-for-byte as it was and :class:`DatabaseDamaged` carries
   the recovery offer (the newest good backup, or a fresh start; see :func:`recover`);
1. look at the file read-only: a revision this version does not know means the file came from a newer
   PCC Desk, and it is refused without a single byte written;
2. if its schema is older than this version's, take a backup copy, then run the Alembic migrations on
   a connection of their own with foreign keys off (batch migrations need that);
3. hand back an engine with foreign keys on, WAL and a busy timeout.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import sqlite3
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pcc_desk import paths
from pcc_desk.errors import (
    BackupFailed,
    DatabaseDamaged,
    DatabaseTooNew,
    FileLocked,
    InvalidInput,
    StorageFailed,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

# SQLAlchemy is imported where it is used: the desktop starts the file's health check (standard
# library only) before SQLAlchemy has loaded, so that the two overlap.

log = logging.getLogger(__name__)

APP_SLUG = "pcc-desk"
DB_FILE_NAME = "pcc-desk.sqlite3"
ENV_DB = "PCC_DESK_DB"
ENV_DATA_DIR = "PCC_DESK_DATA_DIR"

# The Alembic head this version ships. A test checks it equals the scripts' real head, so that
# start-up can skip importing Alembic when the database is already current.
HEAD_REVISION = "0005"


def default_data_dir() -> Path:
    """The local (non-roaming) per-user data folder, or ``PCC_DESK_DATA_DIR`` when set."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_SLUG, appauthor=False, roaming=False))


def default_db_path() -> Path:
    return default_data_dir() / DB_FILE_NAME


@dataclass(frozen=True)
class Location:
    """A database the clerk asked for: a SQLite file path, or any SQLAlchemy URL."""

    url: str
    path: Path | None  # the SQLite file, when there is one

    @property
    def data_dir(self) -> Path:
        """The folder beside the database for originals and backups."""
        if self.path is not None:
            return self.path.parent
        return default_data_dir()

    @property
    def files_dir(self) -> Path:
        stem = self.path.stem if self.path is not None else APP_SLUG
        return self.data_dir / f"{stem}-files"

    @property
    def backups_dir(self) -> Path:
        stem = self.path.stem if self.path is not None else APP_SLUG
        return self.data_dir / f"{stem}-backups"

    def describe(self) -> str:
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def resolve_location(db: str | os.PathLike[str] | None = None) -> Location:
    """``--db`` value, else ``PCC_DESK_DB``, else the default file in the user data folder."""
    raw = os.fspath(db) if db is not None else os.environ.get(ENV_DB) or ""
    if not raw:
        path = default_db_path()
        return Location(url=_sqlite_url(path), path=path)
    if "://" in raw:
        from sqlalchemy.engine import make_url

        try:
            url = make_url(raw)
        except Exception as exc:  # sqlalchemy.exc.ArgumentError
            raise InvalidInput(f"'{raw}' is neither a file path nor a database URL.") from exc
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                path = Path(database).expanduser().resolve()
                return Location(url=_sqlite_url(path), path=path)
        return Location(url=raw, path=None)
    path = Path(raw).expanduser().resolve()
    if path.is_dir():
        path = path / DB_FILE_NAME
    return Location(url=_sqlite_url(path), path=path)


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


READ_ONLY = "pcc_desk_read_only"  # execution option of the engine that read-only sessions use


def _begin_immediate(conn) -> None:
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
)  # fmt: skip


def _on_error(context) -> BaseException | None:
    text = str(context.original_exception).lower()
    for needle, error_class, message in _STORAGE_FAILURES:
        if needle in text:
            return error_class(message)
    return None


def make_engine(location: Location) -> Engine:
    """An engine for an already-migrated database."""
    from sqlalchemy import create_engine, event

    if location.path is not None:
        engine = create_engine(
            location.url, hide_parameters=True, connect_args={"isolation_level": None}
        )
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _begin_immediate)
        event.listen(engine, "handle_error", _on_error)
        return engine
    return create_engine(location.url, hide_parameters=True)


# --- schema version ---------------------------------------------------------------------------


def stored_revision(path: Path) -> str | None:
    """The Alembic revision stamped in the file, read without writing anything. None: no schema yet."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseDamaged(f"{path.name} cannot be opened: {exc}.") from exc
    try:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'"
            ).fetchone()[0]
            if tables:
                raise DatabaseDamaged(f"{path.name} is a SQLite file but not a PCC Desk register.")
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(f"{path.name} is not a readable database ({exc}).") from exc
    finally:
        conn.close()


@contextlib.contextmanager
def read_only_connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A standard-library connection that can only read the SQLite file at ``path`` (for the few
    bulk reads where SQLAlchemy's result processing costs more than the query)."""
    conn = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def known_revisions() -> list[str]:
    """Every revision this version's migration scripts know, oldest first."""
    script = _script_directory()
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _script_directory():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def _alembic_config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def check_revision(path: Path) -> str | None:
    """Raise :class:`DatabaseTooNew` for a revision this version does not know."""
    revision = stored_revision(path)
    if revision is not None and revision != HEAD_REVISION and revision not in known_revisions():
        raise DatabaseTooNew(
            f"{path.name} was saved by a newer version of PCC Desk (schema {revision}); "
            "it has not been changed. Please install the latest PCC Desk to open it."
        )
    return revision


def migrate(location: Location) -> bool:
    """Bring the database to the head revision. Returns True if anything was migrated."""
    if location.path is None:
        return _migrate_url(location.url)
    location.path.parent.mkdir(parents=True, exist_ok=True)
    revision = check_revision(location.path)
    if revision == HEAD_REVISION:
        return False
    if revision is not None:
        backup_file(location.path, location.backups_dir, label=f"before-migration-from-{revision}")
    from alembic import command
    from sqlalchemy import create_engine, event

    conn = sqlite3.connect(location.path, isolation_level=None)
    conn.close()
    engine = create_engine(location.url, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _fk_off(dbapi_connection, _record):  # batch migrations need foreign keys off
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    finally:
        engine.dispose()
    return True


def _migrate_url(url: str) -> bool:
    from alembic import command
    from sqlalchemy import create_engine

    engine = create_engine(url, hide_parameters=True)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    finally:
        engine.dispose()
    return True


class EarlyHealthCheck:
    """:func:`check_health` started on a thread of its own, so that start-up can do other work while
    SQLite checks the file (it releases the GIL while it reads; on a decade's register of 650 MB the
    check takes about half a second). :func:`open_database` waits for it and raises what it found.

    Start it only where :func:`open_database` would check the file anyway (a safe location); it reads
    only, like :func:`check_health`."""

    def __init__(self, path: Path) -> None:
        import threading

        self.path = Path(path)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="pcc-desk-health-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            check_health(self.path)
        except BaseException as exc:  # handed to the thread that waits for the answer
            self._error = exc

    def wait(self) -> None:
        """Block until the check is done; raise :class:`DatabaseDamaged` (or whatever it met)."""
        self._thread.join()
        if self._error is not None:
            raise self._error


def open_database(
    db: str | os.PathLike[str] | Location | None = None,
    *,
    allow_unsafe_location: bool = False,
    early_check: EarlyHealthCheck | None = None,
) -> tuple[Location, Engine]:
    """Resolve, check, migrate if needed, and return an engine ready for the services.

    Raises :class:`UnsafeLocation` for a synced or network path (unless ``allow_unsafe_location``),
    and :class:`DatabaseDamaged` with a recovery offer for a damaged file, which is left untouched.
    ``early_check``: the health check of this file, already under way (see :class:`EarlyHealthCheck`).
    """
    location = db if isinstance(db, Location) else resolve_location(db)
    if location.path is not None:
        from pcc_desk import locations
        from pcc_desk.search import require_fts5

        require_fts5()  # search and its triggers need SQLite's FTS5: say so before anything
        locations.guard(location.path, allow_unsafe=allow_unsafe_location)
        try:
            if early_check is not None and early_check.path == location.path:
                early_check.wait()
            else:
                check_health(location.path)
            migrate(location)
        except DatabaseDamaged as damaged:
            if damaged.offer is None:
                from pcc_desk import backup

                damaged.offer = backup.recovery_offer(location)
            raise
    else:
        migrate(location)
    return location, make_engine(location)


def recover(location: Location, choice: str):
    """Act on the clerk's answer to a damaged database: ``"restore-latest"`` (the newest good backup)
    or ``"fresh"`` (an empty register). The damaged file is set aside, never deleted. Returns a
    :class:`pcc_desk.backup.Recovery` saying what was done."""
    from pcc_desk import backup

    return backup.recover(location, choice)


# --- health -----------------------------------------------------------------------------------

SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_MAGICS = (0x377F0682, 0x377F0683)
WAL_VERSION = 3007000


def sidecars(path: Path) -> tuple[Path, Path]:
    """The write-ahead log and shared-memory files that belong with a database file."""
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _page_size(header: bytes) -> int:
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else size


def wal_checksum(data: bytes, big_endian: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    """SQLite's WAL checksum (Fletcher-like, over 32-bit words)."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _wal_problem(wal: Path, page_size: int | None) -> str:
    with open(wal, "rb") as handle:
        header = handle.read(32)
    if len(header) < 32:
        return "its write-ahead log is cut short"
    magic, version, wal_page_size = struct.unpack(">III", header[:12])
    if magic not in WAL_MAGICS or version != WAL_VERSION:
        return "its write-ahead log is not one SQLite wrote"
    if wal_checksum(header[:24], big_endian=bool(magic & 1)) != struct.unpack(">II", header[24:32]):
        return "its write-ahead log header is damaged"
    if page_size and wal_page_size != page_size:
        return "its write-ahead log belongs to another database"
    return ""


def check_health(path: Path) -> None:
    """Raise :class:`DatabaseDamaged` unless ``path`` is absent, empty, or a sound SQLite database.

    Reads only: the header, the size, the write-ahead log's header, then ``PRAGMA quick_check`` on a
    read-only connection. A damaged file (and its -wal) is left byte-for-byte as it was.
    """
    path = Path(path)
    name = path.name
    wal, shm = sidecars(path)
    existed = {p: p.exists() for p in (wal, shm)}
    try:
        size = path.stat().st_size if path.exists() else 0
        wal_size = wal.stat().st_size if existed[wal] else 0
        if size == 0 and wal_size == 0:
            return
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseDamaged(f"{name} cannot be read ({exc.strerror or exc}).") from None
    page_size = None
    if size:
        if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
            raise DatabaseDamaged(f"{name} is not a SQLite database, or its first page is damaged.")
        page_size = _page_size(header)
        if page_size < 512 or page_size & (page_size - 1):
            raise DatabaseDamaged(f"{name} is damaged (its header is not valid).")
        if size % page_size:
            raise DatabaseDamaged(f"{name} is damaged: it has been cut short (truncated).")
        pages = int.from_bytes(header[28:32], "big")
        header_size_valid = pages and header[24:28] == header[92:96]
        if wal_size == 0 and header_size_valid and pages * page_size > size:
            raise DatabaseDamaged(f"{name} is damaged: it has been cut short (truncated).")
    if wal_size:
        try:
            problem = _wal_problem(wal, page_size)
        except OSError as exc:
            problem = f"its write-ahead log cannot be read ({exc.strerror or exc})"
        if problem:
            raise DatabaseDamaged(f"{name} is damaged: {problem}.")
    problem = ""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
        if rows != [("ok",)]:
            lines = [
                ln.strip()
                for row in rows
                for ln in str(row[0]).splitlines()
                if ln.strip() and not ln.startswith("***")
            ]
            problem = f"it fails its integrity check ({(lines or ['no detail'])[0][:120]})"
    except sqlite3.Error as exc:
        problem = "it cannot be read ({})".format(" ".join(str(exc).split()))
    if problem:
        for sidecar, was_there in existed.items():  # leave the folder as it was found
            if not was_there:
                with contextlib.suppress(OSError):
                    sidecar.unlink()
        raise DatabaseDamaged(f"{name} is damaged: {problem}.")


def thorough_check(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` (slower than the check on open; for
    ``pcc-desk check``). Returns the problems found, read-only; an empty list means sound."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        problems = [] if rows == [("ok",)] else [" ".join(str(r[0]).split()) for r in rows]
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"a row in {table} (rowid {rowid}) refers to a missing row in {parent}")
    except sqlite3.Error as exc:
        problems = [" ".join(str(exc).split())]
    finally:
        conn.close()
    return problems


def quick_check(path: Path) -> bool:
    """True when the SQLite file at ``path`` passes ``PRAGMA quick_check`` (read-only)."""
    try:
        check_health(path)
    except DatabaseDamaged:
        return False
    return True


# --- files ------------------------------------------------------------------------------------


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder and a replace."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix or ".tmp", dir=target.parent
    )
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def store_original(location: Location, source: Path, sha256: str) -> str:
    """Keep a copy of an imported file, content-addressed; returns its path relative to files_dir."""
    relative = Path(sha256[:2]) / f"{sha256}{source.suffix.lower()}"
    target = location.files_dir / relative
    if not target.exists():
        atomic_write_bytes(target, source.read_bytes())
    return relative.as_posix()


BACKUP_STAMP = "%Y%m%d-%H%M%S-%f"


def backup_file(
    path: Path, backups_dir: Path, label: str = "backup", now: dt.datetime | None = None
) -> Path:
    """Copy a live SQLite database with SQLite's backup API (consistent even while in use).

    The copy is written beside its final name as ``.partial``, switched to a plain rollback journal
    (so it is one self-contained file), checked with ``PRAGMA quick_check``, and only then given its
    name ``<stem>-<YYYYmmdd-HHMMSS-ffffff>-<label>.sqlite3``. A copy that fails its check is removed
    and :class:`BackupFailed` raised; older backups are never touched here.
    """
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now()).strftime(BACKUP_STAMP)
    target = backups_dir / f"{path.stem}-{stamp}-{label}.sqlite3"
    tmp = target.with_suffix(".partial")
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(tmp)
            try:
                source.backup(dest)
                try:
                    dest.execute("PRAGMA journal_mode=DELETE")
                    ok = dest.execute("PRAGMA quick_check").fetchall() == [("ok",)]
                except sqlite3.DatabaseError:  # the copy is too damaged to be checked at all
                    ok = False
            finally:
                dest.close()
        finally:
            source.close()
        if not ok:
            raise BackupFailed(
                f"The backup of {path.name} just taken fails its check; older backups were kept."
            )
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupFailed(
            f"{path.name} could not be backed up ({getattr(exc, 'strerror', None) or exc})."
        ) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    log.info("backup written: %s", target.name)
    return target
