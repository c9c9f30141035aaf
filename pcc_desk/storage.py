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
import time
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
    TeamUnavailable,
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

    @property
    def is_server(self) -> bool:
        """A team register on a PostgreSQL server (no file: no backups folder, no file checks)."""
        from pcc_desk.postgres import is_server_url

        return self.path is None and is_server_url(self.url)

    def describe(self) -> str:
        if self.path is not None:
            return str(self.path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def resolve_location(db: str | os.PathLike[str] | None = None) -> Location:
    """``--db`` value, else ``PCC_DESK_DB``, else the default file in the user data folder.

    A SQLite file named by a URL (``sqlite:///PATH``, or SQLite's own ``sqlite:///file:PATH?uri=true``)
    is a file like any other: it gets the same location guard, health check, lock and backups."""
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
            if database.startswith("file:"):
                path = _path_of_file_uri(raw, database, dict(url.query))
                if path is not None:
                    return Location(url=_sqlite_url(path), path=path)
            elif database and database != ":memory:":
                path = Path(database).expanduser().resolve()
                return Location(url=_sqlite_url(path), path=path)
        return Location(url=raw, path=None)
    path = Path(raw).expanduser().resolve()
    if path.is_dir():
        path = path / DB_FILE_NAME
    return Location(url=_sqlite_url(path), path=path)


def _path_of_file_uri(raw: str, database: str, query: dict) -> Path | None:
    """The file a ``sqlite:///file:…`` URL names, as SQLite would read it (None: an in-memory one)."""
    from urllib.parse import unquote

    uri = database[len("file:") :].split("#", 1)[0]
    if uri.startswith("//"):  # file://localhost/path or file:///path
        authority, _, rest = uri[2:].partition("/")
        if authority not in ("", "localhost"):
            raise InvalidInput(f"'{raw}' names a file on another computer; give a local file path.")
        uri = "/" + rest
    options = {k.lower(): v for k, v in query.items()}
    if uri in ("", ":memory:") or options.get("mode") == "memory":
        return None
    unsupported = sorted(
        k for k, v in options.items() if not (k == "uri" or (k == "mode" and v in ("rw", "rwc")))
    )
    if unsupported:
        raise InvalidInput(
            f"'{raw}': PCC Desk opens the register itself, for reading and writing; give it as a "
            f"file path (the option {', '.join(unsupported)} is not supported)."
        )
    return Path(unquote(uri)).expanduser().resolve()


def sqlite_address(path: str | os.PathLike[str], *, sqlalchemy: bool = False, **params: str) -> str:
    """The one place where a SQLite file's path becomes an address; every opener goes through it.

    A folder may be named ``PCC #2``, ``what?``, ``100%``, ``a%25b``, ``O'Brien & co; "x"`` or
    anything else a file system allows. Written into an address as it is, ``#`` ends a URI (SQLite
    then opens a stray file in the parent folder), ``?`` starts a query string and ``%25`` is
    decoded to ``%``: so the path is always percent-escaped.

    ``sqlalchemy=True``: a SQLAlchemy URL, ``sqlite:///`` and the escaped absolute path (SQLAlchemy
    decodes it and hands SQLite a plain file name). Otherwise an RFC 8089 ``file:`` URI for
    ``sqlite3.connect(..., uri=True)``, with ``params`` as its query (``mode="ro"``, ``immutable="1"``).
    """
    from urllib.parse import quote, urlencode

    absolute = Path(os.path.abspath(os.fspath(path)))
    if sqlalchemy:
        if params:
            raise ValueError("a SQLAlchemy URL for a SQLite file takes no parameters here")
        return "sqlite:///" + quote(str(absolute), safe="/\\:")
    uri = absolute.as_uri()
    return f"{uri}?{urlencode(params)}" if params else uri


def connect(
    path: str | os.PathLike[str], *, mode: str = "ro", immutable: bool = False, **kwargs
) -> sqlite3.Connection:
    """A standard-library connection to the SQLite file at ``path``, through :func:`sqlite_address`.

    ``mode``: ``"ro"`` (reads only; the default), ``"rw"`` or ``"rwc"`` (may create the file).
    ``immutable``: read the file as it is on disk, without locks or a write-ahead log, creating no
    -wal or -shm beside it (only for a file without a -wal, so that no one is writing it)."""
    params = {"mode": mode}
    if immutable:
        params["immutable"] = "1"
    return sqlite3.connect(sqlite_address(path, **params), uri=True, **kwargs)


def _sqlite_url(path: Path) -> str:
    return sqlite_address(path, sqlalchemy=True)


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
    ("unable to open database file", StorageFailed,
     "The register's file could not be opened (its folder is missing or cannot be written). Nothing was changed."),
)  # fmt: skip
_DAMAGE_WORDS = ("database disk image is malformed", "file is not a database")
DAMAGE_MARK_SUFFIX = ".damage-seen"


def damage_mark(path: Path) -> Path:
    """``<db>.damage-seen``: left when SQLite met damage while reading or saving, so that the next
    opening runs the full integrity check and offers the recovery (see :func:`check_health`)."""
    return Path(f"{path}{DAMAGE_MARK_SUFFIX}")


def _on_error(context) -> BaseException | None:
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
        from pcc_desk import postgres

        return postgres.make_engine(location.url)
    return create_engine(location.url, hide_parameters=True)


# --- schema version ---------------------------------------------------------------------------

# The revisions this version can open: older ones are upgraded, a revision not listed here comes
# from a newer PCC Desk. A test checks them against the migration scripts, so that opening needs no
# Alembic (start-up skips importing it when the register is current).
HEAD_REVISION = "0005"
EARLIER_REVISIONS = ("0001", "0002", "0003", "0004")


def _is_known(revision: str) -> bool:
    return revision == HEAD_REVISION or revision in EARLIER_REVISIONS


def _not_a_register(name: str, tables: set[str]) -> DatabaseDamaged:
    if not tables:
        return DatabaseDamaged(
            f"{name} is damaged: it is an empty SQLite database, not a PCC Desk register "
            "(a copy that failed, or a file overwritten)."
        )
    return DatabaseDamaged(f"{name} is a SQLite file but not a PCC Desk register.")


def _read_revision(conn: sqlite3.Connection, name: str) -> str:
    tables = {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    }
    if "alembic_version" not in tables:
        raise _not_a_register(name, tables)
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if not row or not row[0]:
        raise DatabaseDamaged(
            f"{name} is damaged: it is not a complete PCC Desk register (its schema version is "
            "missing; a first start that was interrupted?)."
        )
    return row[0]


@contextlib.contextmanager
def _look(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection for a first look at the file. Without a -wal no one is writing it, so
    it is read as it is on disk (``immutable``), and no -wal or -shm is left beside a file that is
    then refused (a newer version's, or a damaged one)."""
    conn = connect(path, immutable=not sidecars(path)[0].exists())
    try:
        yield conn
    finally:
        conn.close()


def _empty_file(name: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"{name} is damaged: the file is empty (0 bytes), as after a copy or a sync that failed, "
        "or a disk fault."
    )


def stored_revision(path: Path) -> str | None:
    """The Alembic revision stamped in the file, read without writing anything (and without leaving
    a -wal or -shm). None: there is no file yet. A file that is there but empty, not SQLite, or not a
    register raises :class:`DatabaseDamaged`."""
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise _empty_file(path.name)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DatabaseDamaged(f"{path.name} cannot be read ({exc.strerror or exc}).") from None
    try:
        with _look(path) as conn:
            return _read_revision(conn, path.name)
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(f"{path.name} is not a readable database ({exc}).") from exc


@contextlib.contextmanager
def read_only_connection(path: Path) -> Iterator[sqlite3.Connection]:
    """A standard-library connection that can only read the SQLite file at ``path`` (for the few
    bulk reads where SQLAlchemy's result processing costs more than the query)."""
    conn = connect(path)
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


def _too_new(name: str, revision: str) -> DatabaseTooNew:
    return DatabaseTooNew(
        f"{name} was saved by a newer version of PCC Desk (schema {revision}); "
        "it has not been changed. Please install the latest PCC Desk to open it."
    )


def check_revision(path: Path) -> str | None:
    """Raise :class:`DatabaseTooNew` for a revision this version does not know."""
    revision = stored_revision(path)
    if revision is not None and not _is_known(revision):
        raise _too_new(path.name, revision)
    return revision


# --- migrations ---------------------------------------------------------------------------------

MIGRATION_BACKUP_LABEL = "before-migration-from-{revision}"
UNFINISHED = "-unfinished"  # the label's end while the migration it was taken for has not finished
ENV_TEST_EXIT_IN_MIGRATION = (
    "PCC_DESK_TEST_EXIT_IN_MIGRATION"  # tests: die inside this revision's step
)
STALE_NEW_FILE_SECONDS = 3600


def migrate(location: Location) -> bool:
    """Bring the database to the head revision. Returns True if anything was migrated.

    A new register is built whole in a temporary file beside its name and then put in place, so an
    interrupted first start leaves no half-made register. An existing one is backed up first (a
    permanent backup), then upgraded in one transaction: every migration it needs, each with its
    version stamp, committed together, so an upgrade that fails or is killed part-way leaves the
    file at the revision it had, intact. The backup is labelled unfinished until the upgrade has
    committed, and a later attempt replaces an unfinished one rather than adding another, so
    failed attempts do not pile up."""
    if location.path is None:
        return _migrate_url(location.url)
    path = location.path
    path.parent.mkdir(parents=True, exist_ok=True)
    revision = check_revision(path)
    if revision == HEAD_REVISION:
        return False
    if revision is None:
        return _create(path)
    label = MIGRATION_BACKUP_LABEL.format(revision=revision)
    unfinished = _unfinished_backups(location, label)
    taken = backup_file(path, location.backups_dir, label=label + UNFINISHED)
    for earlier in unfinished:  # the same state, from an attempt that did not finish
        with contextlib.suppress(OSError):
            earlier.unlink()
    _upgrade(path)
    with contextlib.suppress(OSError):
        os.replace(taken, taken.with_name(taken.name.replace(UNFINISHED + ".", ".")))
    return True


def _unfinished_backups(location: Location, label: str) -> list[Path]:
    folder = location.backups_dir
    if not folder.is_dir():
        return []
    ending = f"-{label}{UNFINISHED}.sqlite3"
    return [
        p
        for p in folder.iterdir()
        if p.name.startswith(location.path.stem) and p.name.endswith(ending)
    ]


def _migration_engine(path: Path):
    """An engine for migrations: foreign keys off (batch migrations need that), and real
    transactions around DDL (the driver's own transaction handling would commit each CREATE at once)."""
    from sqlalchemy import create_engine, event

    engine = create_engine(
        _sqlite_url(path), hide_parameters=True, connect_args={"isolation_level": None}
    )

    @event.listens_for(engine, "connect")
    def _fk_off(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    event.listen(engine, "begin", _begin_immediate)
    event.listen(engine, "handle_error", _on_error)
    return engine


def _exit_inside_migration(ctx, step, heads, run_args) -> None:
    """Tests only: die inside the named revision's transaction, as a power cut would."""
    wanted = os.environ.get(ENV_TEST_EXIT_IN_MIGRATION)
    if wanted and wanted in (getattr(step, "up_revision_id", None), "*"):
        os._exit(71)


def _upgrade(path: Path) -> None:
    from alembic import command

    engine = _migration_engine(path)
    try:
        # One transaction for the whole upgrade (SQLite's DDL is transactional, the FTS5 tables'
        # too): Alembic sees it and opens none of its own, and it is committed only at the end.
        with engine.begin() as connection:
            config = _alembic_config(connection)
            config.attributes["on_version_apply"] = [_exit_inside_migration]
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def _create(path: Path) -> bool:
    """Build a new register in a temporary file beside ``path``, then give it its name (never over a
    file that appeared meanwhile: then that one is used)."""
    for stale in path.parent.glob(f".{path.name}.new-*"):  # left by a first start that died
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > STALE_NEW_FILE_SECONDS:
                stale.unlink()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.new-", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # SQLite makes the file itself
        _upgrade(tmp)
        conn = connect(tmp, mode="rw")
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        try:
            _place_new_file(tmp, path)
        except FileExistsError:
            check_revision(path)  # another process made it first: use theirs
            return False
        return True
    finally:
        for leftover in (tmp, *sidecars(tmp)):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _place_new_file(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the name ``path``, unless a file of that name exists (:class:`FileExistsError`)."""
    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        pass
    if os.name != "nt" and path.exists():
        raise FileExistsError(path)
    os.rename(tmp, path)  # (Windows refuses to rename over an existing file)


def _server_too_new(revision: str | None) -> bool:
    return revision is not None and revision != HEAD_REVISION and revision not in known_revisions()


def _migrate_server(url: str) -> bool:
    """Bring a team register (PostgreSQL) to the head revision: looked at read-only first (a newer
    register is refused without a change), then migrated in one transaction under the migration
    lock, as the register's owner role when it has team roles."""
    from alembic import command

    from pcc_desk import postgres

    host = postgres.describe_host(url)

    def refuse_newer(revision: str | None) -> None:
        if _server_too_new(revision):
            raise DatabaseTooNew(
                f"The team register at {host} was saved by a newer version of PCC Desk (schema "
                f"{revision}); it has not been changed. Please install the latest PCC Desk to open it."
            )

    engine = postgres.make_engine(url)
    try:
        with postgres.translated(url):
            with engine.connect() as probe:
                revision = postgres.stored_revision(probe)
                probe.rollback()
            refuse_newer(revision)
            if revision == HEAD_REVISION:
                return False
            with engine.begin() as connection:
                postgres.lock_migrations(connection)
                revision = postgres.stored_revision(connection)  # another clerk may have been first
                refuse_newer(revision)
                if revision == HEAD_REVISION:
                    return False
                role = postgres.migration_role(connection)
                if role is None and not postgres.can_create(connection):
                    raise TeamUnavailable(
                        f"The team register at {host} needs its schema "
                        + (f"brought from {revision} to {HEAD_REVISION}" if revision else "created")
                        + ", which this login may not do; nothing was changed. Its owner runs "
                        "'pcc-desk team init URL' once."
                    )
                with postgres.as_role(connection, role):
                    command.upgrade(_alembic_config(connection), "head")
                if role is not None:
                    postgres.grant_privileges(connection)
    finally:
        engine.dispose()
    return True


def _migrate_url(url: str) -> bool:
    from pcc_desk.postgres import is_server_url

    if is_server_url(url):
        return _migrate_server(url)
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
    :class:`DatabaseTooNew` for a file from a newer version (left untouched), and
    :class:`DatabaseDamaged` with a recovery offer for a damaged file, which is left untouched.
    ``early_check``: the health check of this file, already under way (see :class:`EarlyHealthCheck`).

    The register's lock (:class:`pcc_desk.locking.RegisterLock`) is held shared from before the file
    is looked at until the engine is disposed of, so that no restore can swap the file under it.
    """
    location = db if isinstance(db, Location) else resolve_location(db)
    if location.path is None:
        migrate(location)
        return location, make_engine(location)
    from pcc_desk import locations, locking
    from pcc_desk.search import require_fts5

    require_fts5()  # search and its triggers need SQLite's FTS5: say so before anything
    locations.guard(location.path, allow_unsafe=allow_unsafe_location)
    location.path.parent.mkdir(parents=True, exist_ok=True)
    lock = locking.RegisterLock(location.path).share()
    try:
        try:
            if early_check is not None and early_check.path == location.path:
                early_check.wait()
            else:
                check_health(location.path)
            if migrate(location):
                with _look(location.path) as conn:
                    problem = _schema_problem(conn, location.path.name, HEAD_REVISION)
                if problem:
                    raise DatabaseDamaged(problem)
        except DatabaseDamaged as damaged:
            if damaged.offer is None:
                from pcc_desk import backup

                damaged.offer = backup.recovery_offer(location)
            raise
        engine = make_engine(location)
    except BaseException:
        lock.release()
        raise
    from sqlalchemy import event

    event.listen(engine, "engine_disposed", lambda _engine: lock.release())
    return location, engine


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
WAL_HEADER = 32
WAL_FRAME_HEADER = 24
WAL_FRAMES_CHECKED = 4096  # a longer log (16 MB and more) is left to SQLite and the full check


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
    """What is wrong with the write-ahead log, in words ("" when nothing is).

    Besides its header: SQLite reads the log's frames up to the first one whose checksum fails and
    silently ignores the rest, so a damaged frame before later committed saves would make the
    register open without them, and the next save would overwrite them. A frame that fails while
    the frames after it still check (against the failing frame's stored checksum, or the one it
    should have had) and hold a later save's commit is that damage; a torn last save (a crash
    while writing it) is not."""
    with open(wal, "rb") as handle:
        header = handle.read(WAL_HEADER)
        if len(header) < WAL_HEADER:
            return "its write-ahead log is cut short"
        magic, version, wal_page_size = struct.unpack(">III", header[:12])
        if magic not in WAL_MAGICS or version != WAL_VERSION:
            return "its write-ahead log is not one SQLite wrote"
        big_endian = bool(magic & 1)
        s0, s1 = wal_checksum(header[:24], big_endian)
        if (s0, s1) != struct.unpack(">II", header[24:32]):
            return "its write-ahead log header is damaged"
        if page_size and wal_page_size != page_size:
            return "its write-ahead log belongs to another database"
        salts = header[16:24]
        frame_size = WAL_FRAME_HEADER + wal_page_size
        chain: list[tuple[int, int]] = [(s0, s1)]  # where the next frame's checksum may start from
        broken = False
        commits_to_damage = 0  # commits after the damaged frame that mean a whole save is lost
        for _ in range(WAL_FRAMES_CHECKED):
            frame = handle.read(frame_size)
            if len(frame) < frame_size:
                return ""  # the end of the log
            stored = struct.unpack(">II", frame[16:24])
            commit = bool(int.from_bytes(frame[4:8], "big"))
            sound = frame[8:16] == salts and any(
                _frame_checksum(frame, big_endian, start) == stored for start in chain
            )
            if not broken:
                if not sound:
                    if frame[8:16] != salts and not _near(frame[8:16], salts):
                        return ""  # an older log's frames: the end of this one
                    # The first frame SQLite would not read. Losing the save it belongs to is
                    # what a crash while writing the last save looks like; losing a later,
                    # complete save is damage.
                    broken = True
                    commits_to_damage = 1 if commit else 2
                    chain = [stored, _frame_checksum(frame, big_endian, chain[0])]
                    continue
            elif not sound:
                return ""  # the log ends here (a torn end), not damage in the middle
            elif commit:
                commits_to_damage -= 1
                if not commits_to_damage:
                    return "its write-ahead log is damaged (changes saved after the damage would be lost)"
            chain = [stored]
    return ""


def _frame_checksum(frame: bytes, big_endian: bool, start: tuple[int, int]) -> tuple[int, int]:
    s0, s1 = wal_checksum(frame[:8], big_endian, *start)
    return wal_checksum(frame[WAL_FRAME_HEADER:], big_endian, s0, s1)


def _near(a: bytes, b: bytes) -> bool:
    """Do two salts differ in a single bit (one flipped by damage)?"""
    return bin(int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).count("1") == 1


_HEADER_DAMAGED = "{name} is damaged (its header is not valid)."


def _header_problem(name: str, header: bytes, size: int, wal_frames: bool) -> str:
    """Cheap checks of the database header (the first 100 bytes; see SQLite's file format)."""
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return f"{name} is not a SQLite database, or its first page is damaged."
    page_size = _page_size(header)
    if page_size < 512 or page_size & (page_size - 1):
        return _HEADER_DAMAGED.format(name=name)
    write_version, read_version, reserved = header[18], header[19], header[20]
    if write_version not in (1, 2) or read_version not in (1, 2) or page_size - reserved < 480:
        return _HEADER_DAMAGED.format(name=name)
    if header[21:24] != b"\x40\x20\x20" or header[72:92] != bytes(20):
        return _HEADER_DAMAGED.format(name=name)
    if size % page_size:
        return f"{name} is damaged: it has been cut short (truncated)."
    if wal_frames:
        return ""  # the rest of page 1 may be newer in the write-ahead log
    if int.from_bytes(header[44:48], "big") not in (1, 2, 3, 4) or header[56:60] not in (
        b"\0\0\0\1",
        b"\0\0\0\2",
        b"\0\0\0\3",
    ):
        return _HEADER_DAMAGED.format(name=name)
    pages = int.from_bytes(header[28:32], "big")
    if pages and header[24:28] == header[92:96]:  # the page count is valid
        if pages * page_size > size:
            return f"{name} is damaged: it has been cut short (truncated)."
        trunk = int.from_bytes(header[32:36], "big")
        free = int.from_bytes(header[36:40], "big")
        if free >= pages or trunk > pages or bool(trunk) != bool(free):
            return f"{name} is damaged: its list of free pages is not valid."
    return ""


def _freelist_problem(path: Path, name: str, header: bytes) -> str:
    """Walk the free-page list's trunk pages (a few pages at most): a damaged list makes the next
    save reuse pages that are still in use, which spreads the damage."""
    page_size = _page_size(header)
    pages = int.from_bytes(header[28:32], "big")
    trunk = int.from_bytes(header[32:36], "big")
    free = int.from_bytes(header[36:40], "big")
    if not trunk or header[24:28] != header[92:96]:
        return ""
    seen, counted = set(), 0
    with open(path, "rb") as handle:
        while trunk:
            if trunk in seen or trunk > pages or counted > free:
                return f"{name} is damaged: its list of free pages is not valid."
            seen.add(trunk)
            handle.seek((trunk - 1) * page_size)
            page = handle.read(8)
            if len(page) < 8:
                return f"{name} is damaged: it has been cut short (truncated)."
            trunk, leaves = int.from_bytes(page[:4], "big"), int.from_bytes(page[4:8], "big")
            if leaves > page_size // 4 - 2:
                return f"{name} is damaged: its list of free pages is not valid."
            counted += 1 + leaves
    if counted != free:
        return f"{name} is damaged: its list of free pages is not valid."
    return ""


def schema_fingerprint(conn: sqlite3.Connection) -> str:
    """A digest of the register's structure as SQLite reads it from the schema: its tables with their
    columns (names, declared types, constraints), indexes and foreign keys. A flipped byte there that
    still reads as valid SQL changes it. Not included: the full-text index's tables and triggers
    (``pcc-desk search-index`` checks and rebuilds those) and any other trigger; letter case in
    names (SQLite ignores it)."""
    parts = []
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search_%' AND name != 'alembic_version' ORDER BY name"
    ).fetchall()
    for (name,) in tables:
        quoted = '"' + name.replace('"', '""') + '"'
        columns = conn.execute(f"PRAGMA table_xinfo({quoted})").fetchall()
        indexes = []
        for _seq, index, unique, origin, partial in conn.execute(f"PRAGMA index_list({quoted})"):
            quoted_index = '"' + index.replace('"', '""') + '"'
            cols = [str(c[2]).lower() for c in conn.execute(f"PRAGMA index_info({quoted_index})")]
            indexes.append(((index if origin == "c" else origin).lower(), unique, partial, cols))
        keys = conn.execute(f"PRAGMA foreign_key_list({quoted})").fetchall()
        parts.append(
            (
                name.lower(),
                [(c[1].lower(), str(c[2]).upper(), c[3], c[5], c[6]) for c in columns],
                sorted(indexes, key=repr),
                sorted(
                    (k[2].lower(), str(k[3]).lower(), str(k[4]).lower(), k[5], k[6]) for k in keys
                ),
            )
        )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


# The structure of a sound register at the head revision (see :func:`schema_fingerprint`). A test
# builds a register from the migration scripts and upgrades each stored old one, and compares both
# with it. Older revisions are not compared: what an older version made may differ in ways that do
# not matter (the next migrations rebuild them), and a sound register must never be called damaged.
HEAD_SCHEMA_FINGERPRINT = "5b774053ddda3b6442510cfa9c900363510d4a5c56d6b8c90fc6ee8928ffc5c7"


def _schema_problem(conn: sqlite3.Connection, name: str, revision: str) -> str:
    if revision == HEAD_REVISION and schema_fingerprint(conn) != HEAD_SCHEMA_FINGERPRINT:
        return (
            f"{name} is damaged: its tables are not those of a PCC Desk register "
            "(the part of the file that describes them has changed)."
        )
    return ""


def _remove_created(existed: dict[Path, bool]) -> None:
    """Leave the folder as it was found: remove the -wal and -shm a look at the file created."""
    wal = next(iter(existed))
    try:
        if not existed[wal] and wal.exists() and wal.stat().st_size:
            return  # someone has written to it meanwhile: not ours to remove
    except OSError:
        return
    for sidecar, was_there in existed.items():
        if not was_there:
            with contextlib.suppress(OSError):
                sidecar.unlink()


def check_health(path: Path) -> None:
    """Raise :class:`DatabaseDamaged` unless ``path`` is absent or a sound PCC Desk register, and
    :class:`DatabaseTooNew` for one from a newer version.

    Reads only, cheapest first: the file's size and header (page size, fixed fields, page count
    against the file's size, the free-page list), the write-ahead log (its header, and a damaged
    frame before a commit), the schema version and the register's structure, then ``PRAGMA
    quick_check``; and the full ``PRAGMA integrity_check`` when SQLite has met damage in this file
    since it was last checked (:func:`damage_mark`). An existing file that is empty, or holds no
    register, is damage. A damaged or refused file (and its -wal) is left byte-for-byte as it was.
    """
    path = Path(path)
    name = path.name
    wal, shm = sidecars(path)
    existed = {p: p.exists() for p in (wal, shm)}
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return  # no register yet: one is made
    except OSError as exc:
        raise DatabaseDamaged(f"{name} cannot be read ({exc.strerror or exc}).") from None
    if size == 0:
        raise _empty_file(name)
    try:
        wal_size = wal.stat().st_size if existed[wal] else 0
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseDamaged(f"{name} cannot be read ({exc.strerror or exc}).") from None
    wal_frames = wal_size > WAL_HEADER
    problem = _header_problem(name, header, size, wal_frames)
    if not problem and not wal_frames:
        try:
            problem = _freelist_problem(path, name, header)
        except OSError as exc:
            problem = f"{name} cannot be read ({exc.strerror or exc})."
    if problem:
        raise DatabaseDamaged(problem)
    if wal_size:
        try:
            problem = _wal_problem(wal, _page_size(header))
        except OSError as exc:
            problem = f"its write-ahead log cannot be read ({exc.strerror or exc})"
        if problem:
            raise DatabaseDamaged(f"{name} is damaged: {problem}.")
    try:
        try:
            with _look(path) as conn:
                revision = _read_revision(conn, name)
                if not _is_known(revision):
                    raise _too_new(name, revision)
                problem = _schema_problem(conn, name, revision)
            if problem:
                raise DatabaseDamaged(problem)
            problem = _quick_check_problem(path)
            if not problem and damage_mark(path).exists():
                found = thorough_check(path)
                if found:
                    problem = f"it fails its integrity check ({found[0][:120]})"
                else:
                    with contextlib.suppress(OSError):
                        damage_mark(path).unlink()
        except sqlite3.Error as exc:
            problem = "it cannot be read ({})".format(" ".join(str(exc).split()))
        if problem:
            raise DatabaseDamaged(f"{name} is damaged: {problem}.")
    except (DatabaseDamaged, DatabaseTooNew):
        _remove_created(existed)
        raise


def _quick_check_problem(path: Path) -> str:
    conn = connect(path)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    finally:
        conn.close()
    if rows == [("ok",)]:
        return ""
    lines = [
        ln.strip()
        for row in rows
        for ln in str(row[0]).splitlines()
        if ln.strip() and not ln.startswith("***")
    ]
    return f"it fails its integrity check ({(lines or ['no detail'])[0][:120]})"


def thorough_check(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` (slower than the check on open; for
    ``pcc-desk check``). Returns the problems found, read-only; an empty list means sound."""
    try:
        conn = connect(path)
    except sqlite3.Error as exc:
        return [" ".join(str(exc).split())]
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
    """True when the SQLite file at ``path`` passes the health check (read-only)."""
    try:
        check_health(path)
    except (DatabaseDamaged, DatabaseTooNew):
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
        source = connect(path)
        try:
            dest = connect(tmp, mode="rwc")
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
