"""Alembic environment for PCC Desk.

Migrations run from code (see ``pcc_desk.storage.migrate``): the caller passes an open connection in
``config.attributes["connection"]``, with SQLite foreign keys off, as batch migrations need.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from pcc_desk.model import Base

target_metadata = Base.metadata

# Full-text search tables and their shadow tables are made by hand in migrations; autogenerate must
# not propose dropping them.
_FTS_PREFIXES = ("search_", "fts_")


def include_name(name, type_, parent_names):
    if type_ == "table" and name and name.startswith(_FTS_PREFIXES):
        return False
    return True


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=include_name,
        compare_type=True,
        # pcc_desk.storage passes its hooks here (tests use one to kill a migration part-way)
        on_version_apply=context.config.attributes.get("on_version_apply", ()),
    )


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.config.get_main_option("sqlalchemy.url")
    engine = create_engine(url, hide_parameters=True)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        render_as_batch=True,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
