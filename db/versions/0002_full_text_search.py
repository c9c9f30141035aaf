"""full-text search: FTS5 index over segments, recommendations, responses and footnotes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 20:10:00

The DDL lives in ``pcc_desk.search`` (the one module that knows full-text search), so later batch
migrations of an indexed table can re-create the sync triggers with
``search.install_triggers(op.get_bind())``. Dialect-aware: SQLite gets FTS5 tables and triggers; a team
register on PostgreSQL gets a generated ``tsvector`` column with a GIN index, kept in step by triggers.
"""

from __future__ import annotations

from alembic import op

from pcc_desk import search

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        search.require_fts5()
    search.install(bind)


def downgrade() -> None:
    search.uninstall(op.get_bind())
