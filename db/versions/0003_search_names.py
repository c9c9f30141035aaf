"""search by name: speakers, roles, meeting titles, addressees, letter senders and recipients

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08 11:40:00

The index gains three columns (``names``, ``roles``, ``heading``) and a trigger on ``documents``, so a
clerk's search box finds a turn by who said it and in which meeting, and a recommendation by who it was
addressed to or who signed its letter. FTS5 cannot add a column to a table, so the index is dropped and
made again, and filled from the records that are there (the decade's 20 million words: about half a
minute, after the backup every migration is preceded by).

``search.reinstall`` drops whatever search triggers and tables an earlier version made before
installing this version's, so this step is right whatever state the index is in.
"""

from __future__ import annotations

from alembic import op

from pcc_desk import search

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        search.require_fts5()
    search.reinstall(bind)  # dialect-aware: on PostgreSQL the tsvector table, its GIN index and triggers


def downgrade() -> None:
    # 0002's code reads and writes only the index's first four columns, which are unchanged, and its
    # triggers leave the new ones empty: the richer index serves it as it is.
    pass
