"""full-text search: FTS5 index over segments, recommendations, responses and footnotes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 20:10:00

The DDL lives in ``pcc_desk.search`` (the one module that knows FTS5), so later batch migrations of an
indexed table can re-create the sync triggers with ``search.install_triggers(op.get_bind())``.
"""

from __future__ import annotations

from alembic import op

from pcc_desk import search

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    search.require_fts5()
    search.install(op.get_bind())


def downgrade() -> None:
    search.uninstall(op.get_bind())
