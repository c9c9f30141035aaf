"""Record versions: an integer ``version`` on every record a clerk edits in place

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 15:00:00

Recommendations, themes, responses and settings get ``version`` (1 for every row there is), which
SQLAlchemy raises by one with every change of the row (``version_id_col``): a clerk who saves a
record that someone else changed since it was shown is told, instead of overwriting it.

A column added with a constant default: SQLite adds it in place (``ALTER TABLE ... ADD COLUMN``, no
rebuild, so the search triggers stay), PostgreSQL likewise.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pcc_desk import search

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_TABLES = ('recommendations', 'themes', 'responses', 'settings')


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column('version', sa.Integer(), nullable=False, server_default=sa.text('1')))


def downgrade() -> None:
    bind = op.get_bind()
    for table in _TABLES:
        if bind.dialect.name == 'postgresql':
            op.drop_column(table, 'version')
        else:
            with search.triggers_suspended(bind), op.batch_alter_table(table, recreate='always') as batch:
                batch.drop_column('version')
