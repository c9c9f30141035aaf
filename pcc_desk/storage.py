"""Where the register lives and how it is opened: paths, SQLite pragmas, migrate-on-open, backups.

Opening a database is always the same few steps (see :func:`open_database`):

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
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from pcc_desk import paths
from pcc_desk.errors import DatabaseDamaged, DatabaseTooNew, InvalidInput

log = logging.getLogger(__name__)

APP_NAME = "PCC Desk"
APP_SLUG = "pcc-desk"
DB_FILE_NAME = "pcc-desk.sqlite3"
ENV_DB = "PCC_DESK_DB"
ENV_DATA_DIR = "PCC_DESK_DATA_DIR"

# The Alembic head this version ships. A test checks it equals the scripts' real head, so that
# start-up can skip importing Alembic when the database is already current.
HEAD_REVISION = "0002"


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
        return str(self.path) if self.path is not None else make_url(self.url).render_as_string(hide_password=True)


def resolve_location(db: str | os.PathLike[str] | None = None) -> Location:
    """``--db`` value, else ``PCC_DESK_DB``, else the default file in the user data folder."""
    raw = os.fspath(db) if db is not None else os.environ.get(ENV_DB) or ""
    if not raw:
        path = default_db_path()
        return Location(url=_sqlite_url(path), path=path)
    if "://" in raw:
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


def _begin_immediate(conn) -> None:
    # SQLite's default deferred transactions can fail half-way with "database is locked" when a second
    # writer appears; taking the write lock up front makes each use case all-or-nothing.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(location: Location) -> Engine:
    """An engine for an already-migrated database."""
    if location.path is not None:
        engine = create_engine(location.url, hide_parameters=True, connect_args={"isolation_level": None})
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _begin_immediate)
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
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise DatabaseDamaged(f"{path.name} is a SQLite file but not a PCC Desk register.")
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(f"{path.name} is not a readable database ({exc}).") from exc
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

    engine = create_engine(url, hide_parameters=True)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    finally:
        engine.dispose()
    return True


def open_database(db: str | os.PathLike[str] | None = None) -> tuple[Location, Engine]:
    """Resolve, check, migrate if needed, and return an engine ready for the services."""
    location = db if isinstance(db, Location) else resolve_location(db)
    if location.path is not None:  # search and its triggers need SQLite's FTS5: say so before anything
        from pcc_desk.search import require_fts5

        require_fts5()
    migrate(location)
    return location, make_engine(location)


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
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix or ".tmp", dir=target.parent)
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


def backup_file(path: Path, backups_dir: Path, label: str = "backup") -> Path:
    """Copy a live SQLite database with SQLite's backup API (consistent even while in use)."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backups_dir / f"{path.stem}-{stamp}-{label}.sqlite3"
    tmp = target.with_suffix(".partial")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    os.replace(tmp, target)
    log.info("backup written: %s", target.name)
    return target


def copy_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
