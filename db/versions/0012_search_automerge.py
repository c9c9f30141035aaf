"""the full-text index merges its segments eight at a time (FTS5 ``automerge`` 8)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 00:00:00

FTS5 keeps its index as segments and merges those of one size once ``automerge`` of them have piled
up (its default is 4). At 8 an import pays for about a fifth less merging over the register's life;
searches find the very same records. The setting lives in the index's own config table, so this
step writes it there (every index made from now on gets it when it is made: ``search.install``).
Nothing changes on PostgreSQL (its index is a ``tsvector`` column); a downgrade leaves the setting.
"""

from __future__ import annotations

from alembic import op

from pcc_desk import search

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search.apply_settings(op.get_bind())


def downgrade() -> None:
    # the setting is FTS5's own: an older version reads and writes the index as it is
    pass
