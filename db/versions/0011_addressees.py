"""Several addressees per ask: each with its own clock, target date and status; responses by addressee

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 18:10:00

Adds, keeping every row as it is:

- ``addressees``: one row per addressee of an ask, with its own due date (as first set and the
  latest), target date (first given and the latest) and status. Every ask so far gets one row, its
  addressee as it was (empty when none was named), with the ask's due date, target date and status
  moved under it (the ask keeps them too: for one addressee they are the same);
- ``responses.addressee_id``: the addressee a response came from; every response so far belongs to
  its ask's one addressee.

On SQLite the column and its foreign key need a batch rebuild of ``responses``: its search triggers
are suspended around it and put back (on PostgreSQL the table is altered in place).
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

from pcc_desk import search

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_STATUS = sa.Enum(
    'awaiting-response', 'response-received', 'follow-up-needed', 'closed-implemented',
    'closed-not-accepted', 'superseded', name='status', native_enum=False, length=32,
)


def upgrade() -> None:
    op.create_table(
        'addressees',
        sa.Column('recommendation_id', sa.Uuid(), nullable=False),
        sa.Column('ordinal', sa.Integer(), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('original_due', sa.Date(), nullable=False),
        sa.Column('due', sa.Date(), nullable=False),
        sa.Column('original_target', sa.Date(), nullable=True),
        sa.Column('target', sa.Date(), nullable=True),
        sa.Column('status', _STATUS, nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.ForeignKeyConstraint(
            ['recommendation_id'], ['recommendations.id'],
            name=op.f('fk_addressees_recommendation_id_recommendations'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_addressees')),
        sa.UniqueConstraint('recommendation_id', 'name', name=op.f('uq_addressees_recommendation_id')),
    )
    op.create_index(
        op.f('ix_addressees_recommendation_id'), 'addressees', ['recommendation_id'], unique=False
    )
    bind = op.get_bind()
    # a batch rebuild on SQLite (a column with its foreign key), its search triggers put back
    with search.triggers_suspended(bind), op.batch_alter_table('responses') as batch:
        batch.add_column(sa.Column('addressee_id', sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            op.f('fk_responses_addressee_id_addressees'), 'addressees',
            ['addressee_id'], ['id'], ondelete='SET NULL',
        )
    op.create_index(op.f('ix_responses_addressee_id'), 'responses', ['addressee_id'], unique=False)

    # today's data: one addressee each, the ask's clock and status moved under it
    recs = sa.table(
        'recommendations',
        sa.column('id', sa.Uuid()), sa.column('addressee', sa.Text()),
        sa.column('original_due', sa.Date()), sa.column('due', sa.Date()),
        sa.column('original_target', sa.Date()), sa.column('target', sa.Date()),
        sa.column('status', sa.String()),
    )
    addressees = sa.table(
        'addressees',
        sa.column('id', sa.Uuid()), sa.column('recommendation_id', sa.Uuid()),
        sa.column('ordinal', sa.Integer()), sa.column('name', sa.Text()),
        sa.column('original_due', sa.Date()), sa.column('due', sa.Date()),
        sa.column('original_target', sa.Date()), sa.column('target', sa.Date()),
        sa.column('status', sa.String()),
    )
    rows = [
        {
            'id': uuid.uuid4(), 'recommendation_id': r.id, 'ordinal': 0,
            'name': (r.addressee or '').strip(), 'original_due': r.original_due, 'due': r.due,
            'original_target': r.original_target, 'target': r.target, 'status': r.status,
        }
        for r in bind.execute(sa.select(recs))
    ]
    if rows:
        bind.execute(sa.insert(addressees), rows)
    op.execute(
        'UPDATE responses SET addressee_id = (SELECT a.id FROM addressees AS a '
        'WHERE a.recommendation_id = responses.recommendation_id)'
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_responses_addressee_id'), table_name='responses')
    with search.triggers_suspended(op.get_bind()), op.batch_alter_table('responses') as batch:
        batch.drop_constraint(op.f('fk_responses_addressee_id_addressees'), type_='foreignkey')
        batch.drop_column('addressee_id')
    op.drop_index(op.f('ix_addressees_recommendation_id'), table_name='addressees')
    op.drop_table('addressees')
