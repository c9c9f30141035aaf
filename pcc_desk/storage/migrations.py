"""Bringing a register to the head revision: a new one built whole beside its name, an old one
backed up and upgraded in one transaction (Alembic is imported where it is used)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcc_desk import paths, postgres
from pcc_desk.errors import DatabaseTooNew, TeamUnavailable
from pcc_desk.postgres import is_server_url
from pcc_desk.storage.engine import _begin_immediate, _on_error
from pcc_desk.storage.files import backup_file
from pcc_desk.storage.health import HEAD_REVISION, check_revision, sidecars
from pcc_desk.storage.location import Location, _sqlite_url, connect

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection, Engine


def known_revisions() -> list[str]:
    """Every revision this version's migration scripts know, oldest first."""
    script = _script_directory()
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def _alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


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
    unfinished = _unfinished_backups(path, location.backups_dir, label)
    taken = backup_file(path, location.backups_dir, label=label + UNFINISHED)
    for earlier in unfinished:  # the same state, from an attempt that did not finish
        with contextlib.suppress(OSError):
            earlier.unlink()
    _upgrade(path)
    with contextlib.suppress(OSError):
        os.replace(taken, taken.with_name(taken.name.replace(UNFINISHED + ".", ".")))
    return True


def _unfinished_backups(path: Path, folder: Path, label: str) -> list[Path]:
    if not folder.is_dir():
        return []
    ending = f"-{label}{UNFINISHED}.sqlite3"
    return [p for p in folder.iterdir() if p.name.startswith(path.stem) and p.name.endswith(ending)]


def _migration_engine(path: Path) -> Engine:
    """An engine for migrations: foreign keys off (batch migrations need that), and real
    transactions around DDL (the driver's own transaction handling would commit each CREATE at once)."""
    from sqlalchemy import create_engine, event

    engine = create_engine(
        _sqlite_url(path), hide_parameters=True, connect_args={"isolation_level": None}
    )

    @event.listens_for(engine, "connect")
    def _fk_off(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    event.listen(engine, "begin", _begin_immediate)
    event.listen(engine, "handle_error", _on_error)
    return engine


def _exit_inside_migration(ctx: object, step: object, heads: object, run_args: object) -> None:
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


def _newer_than_known(revision: str | None) -> bool:
    return revision is not None and revision != HEAD_REVISION and revision not in known_revisions()


def _migrate_server(url: str) -> bool:
    """Bring a team register (PostgreSQL) to the head revision: looked at read-only first (a newer
    register is refused without a change), then migrated in one transaction under the migration
    lock, as the register's owner role when it has team roles."""
    from alembic import command

    host = postgres.describe_host(url)

    def refuse_newer(revision: str | None) -> None:
        if _newer_than_known(revision):
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
