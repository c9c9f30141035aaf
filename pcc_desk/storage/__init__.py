"""Where the register lives and how it is opened, in modules of one job each:

- :mod:`~pcc_desk.storage.location`: the data folder, :class:`Location`, ``--db`` resolved, and the
  one place SQLite addresses are built (:func:`sqlite_address`, :func:`connect`);
- :mod:`~pcc_desk.storage.engine`: the engine of a migrated register (pragmas, write locks, errors);
- :mod:`~pcc_desk.storage.health`: read-only checks (revision, header and write-ahead log, quick and
  thorough checks, the schema's fingerprint);
- :mod:`~pcc_desk.storage.migrations`: migrate-on-open;
- :mod:`~pcc_desk.storage.files`: atomic writes, sha256, checked copies;
- :mod:`~pcc_desk.storage.opening`: :func:`open_database`, the steps above in order.

The names below are those the rest of the core uses. Backups and the recovery of a damaged file are
:mod:`pcc_desk.backup`'s; storage never imports it. Front ends reach all of this through
:mod:`pcc_desk.services` only.
"""

from pcc_desk.storage.engine import READ_ONLY, make_engine
from pcc_desk.storage.files import (
    BACKUP_STAMP,
    atomic_output,
    atomic_write_bytes,
    backup_file,
    sha256_file,
)
from pcc_desk.storage.health import (
    DAMAGE_MARK_SUFFIX,
    EARLIER_REVISIONS,
    HEAD_REVISION,
    HEAD_SCHEMA_FINGERPRINT,
    EarlyHealthCheck,
    check_health,
    check_revision,
    damage_mark,
    quick_check,
    read_only_connection,
    schema_fingerprint,
    sidecars,
    stored_revision,
    thorough_check,
)
from pcc_desk.storage.location import (
    APP_SLUG,
    DB_FILE_NAME,
    ENV_DATA_DIR,
    ENV_DB,
    Location,
    connect,
    default_data_dir,
    default_db_path,
    resolve_location,
    sqlite_address,
)
from pcc_desk.storage.migrations import (
    ENV_TEST_EXIT_IN_MIGRATION,
    MIGRATION_BACKUP_LABEL,
    _alembic_config,
    known_revisions,
    migrate,
)
from pcc_desk.storage.opening import open_database

__all__ = [
    "APP_SLUG",
    "BACKUP_STAMP",
    "DAMAGE_MARK_SUFFIX",
    "DB_FILE_NAME",
    "EARLIER_REVISIONS",
    "ENV_DATA_DIR",
    "ENV_DB",
    "ENV_TEST_EXIT_IN_MIGRATION",
    "HEAD_REVISION",
    "HEAD_SCHEMA_FINGERPRINT",
    "MIGRATION_BACKUP_LABEL",
    "READ_ONLY",
    "EarlyHealthCheck",
    "Location",
    "_alembic_config",
    "atomic_output",
    "atomic_write_bytes",
    "backup_file",
    "check_health",
    "check_revision",
    "connect",
    "damage_mark",
    "default_data_dir",
    "default_db_path",
    "known_revisions",
    "make_engine",
    "migrate",
    "open_database",
    "quick_check",
    "read_only_connection",
    "resolve_location",
    "schema_fingerprint",
    "sha256_file",
    "sidecars",
    "sqlite_address",
    "stored_revision",
    "thorough_check",
]
