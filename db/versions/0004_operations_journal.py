"""operations journal: one row per change made through the services (undo, redo, later the sync)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 11:41:29

Self-contained: it only adds the ``journal`` table (no batch rebuild of an indexed table, so the
search triggers are untouched). The kinds are stored as slugs without a CHECK constraint, so a later
version can add kinds without a migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

KINDS = (
    'add-recommendation', 'edit-recommendation', 'change-status', 'revise-due', 'log-response',
    'remove-response', 'remove-recommendation', 'quote', 'attach-quote', 'detach-quote',
    'delete-quote', 'import-letter', 'remove-import', 'import-transcript', 'delete-transcript',
    'save-settings', 'undo', 'redo',
)


def upgrade() -> None:
    op.create_table(
        'journal',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor', sa.Text(), nullable=False),
        sa.Column('kind', sa.Enum(*KINDS, name='operationkind', native_enum=False, length=32), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('records', sa.JSON(), nullable=False),
        sa.Column('replaced', sa.JSON(), nullable=False),
        sa.Column('undoes_id', sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(['undoes_id'], ['journal.id'], name=op.f('fk_journal_undoes_id_journal'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_journal')),
        sa.UniqueConstraint('seq', name=op.f('uq_journal_seq')),
    )
    op.create_index('ix_journal_actor_seq', 'journal', ['actor', 'seq'], unique=False)
    op.create_index(op.f('ix_journal_undoes_id'), 'journal', ['undoes_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_journal_undoes_id'), table_name='journal')
    op.drop_index('ix_journal_actor_seq', table_name='journal')
    op.drop_table('journal')
