"""repeated asks: a clerk's confirmed link from an ask to the earlier ask it repeats

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 15:20:00

Self-contained: it only adds the ``recommendation_links`` table (no batch rebuild of an indexed
table, so the search triggers are untouched), on SQLite and PostgreSQL alike. The kind is a slug
(repeats / supersedes / related) without a CHECK constraint.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'recommendation_links',
        sa.Column('recommendation_id', sa.Uuid(), nullable=False),
        sa.Column('earlier_id', sa.Uuid(), nullable=False),
        sa.Column(
            'kind',
            sa.Enum('repeats', 'supersedes', 'related', name='linkkind', native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.ForeignKeyConstraint(
            ['earlier_id'], ['recommendations.id'],
            name=op.f('fk_recommendation_links_earlier_id_recommendations'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['recommendation_id'], ['recommendations.id'],
            name=op.f('fk_recommendation_links_recommendation_id_recommendations'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_links')),
        sa.UniqueConstraint('recommendation_id', 'earlier_id', name=op.f('uq_recommendation_links_recommendation_id')),
    )
    op.create_index(op.f('ix_recommendation_links_earlier_id'), 'recommendation_links', ['earlier_id'], unique=False)
    op.create_index(
        op.f('ix_recommendation_links_recommendation_id'), 'recommendation_links', ['recommendation_id'], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_recommendation_links_recommendation_id'), table_name='recommendation_links')
    op.drop_index(op.f('ix_recommendation_links_earlier_id'), table_name='recommendation_links')
    op.drop_table('recommendation_links')
