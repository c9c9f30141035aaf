"""Offline sync: the conflicts a laptop copy's sync found

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 16:20:00

``sync_conflicts`` lists each field that a laptop copy and the team register both changed from the
same value to different ones (``pcc-desk sync``): the server's value stayed; the clerk chooses with
``pcc-desk resolve``. A new table only: nothing existing changes (SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sync_conflicts',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('record_kind', sa.String(length=40), nullable=False),
        sa.Column('record_id', sa.Uuid(), nullable=False),
        sa.Column('field', sa.String(length=60), nullable=False),
        sa.Column('base', sa.JSON(), nullable=True),
        sa.Column('mine', sa.JSON(), nullable=True),
        sa.Column('theirs', sa.JSON(), nullable=True),
        sa.Column('operation_id', sa.Uuid(), nullable=False),
        sa.Column('found_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.Column('resolution', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflicts')),
        sa.UniqueConstraint(
            'operation_id', 'field', name=op.f('uq_sync_conflicts_operation_id')
        ),
    )


def downgrade() -> None:
    op.drop_table('sync_conflicts')
