"""following through: target dates, progress updates, the Committee's verification and evidence

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 15:10:00

Adds, keeping every row as it is:

- ``recommendations.original_target`` and ``recommendations.target``: the date the addressee gives
  for doing what was asked (empty for every ask so far), apart from the response due date;
- ``target_date_revisions``: each target given or revised, with its reason (like due-date revisions);
- ``recommendations.rag`` and ``rag_reason``: the clerk's own RAG rating of an ask in the tracker
  paper, with the reason (empty: the rating is derived);
- ``responses.kind``: ``response`` (every response so far) or ``progress-update``;
- ``verifications``: the Committee's own check that an ask was done (who, when, the note);
- ``evidence``: files kept as evidence (each a ``documents`` row, content-addressed like imports),
  attached to an ask, a response, a status change or a verification.

Columns are added (and dropped again by the downgrade) with ALTER TABLE, not a batch rebuild, so the search triggers on the
recommendations and responses tables are untouched (on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('recommendations', sa.Column('original_target', sa.Date(), nullable=True))
    op.add_column('recommendations', sa.Column('target', sa.Date(), nullable=True))
    op.add_column('recommendations', sa.Column('rag', sa.String(length=8), nullable=True))
    op.add_column('recommendations', sa.Column('rag_reason', sa.Text(), server_default='', nullable=False))
    op.add_column(
        'responses',
        sa.Column(
            'kind',
            sa.Enum('response', 'progress-update', name='responsekind', native_enum=False, length=32),
            server_default='response',
            nullable=False,
        ),
    )
    op.create_table(
        'target_date_revisions',
        sa.Column('recommendation_id', sa.Uuid(), nullable=False),
        sa.Column('old_target', sa.Date(), nullable=True),
        sa.Column('new_target', sa.Date(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.Column('changed_by', sa.Text(), nullable=False),
        sa.Column('response_id', sa.Uuid(), nullable=True),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.ForeignKeyConstraint(
            ['recommendation_id'], ['recommendations.id'],
            name=op.f('fk_target_date_revisions_recommendation_id_recommendations'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['response_id'], ['responses.id'],
            name=op.f('fk_target_date_revisions_response_id_responses'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_target_date_revisions')),
    )
    op.create_index(
        op.f('ix_target_date_revisions_recommendation_id'), 'target_date_revisions',
        ['recommendation_id'], unique=False,
    )


    op.create_table(
        'verifications',
        sa.Column('recommendation_id', sa.Uuid(), nullable=False),
        sa.Column('verified_on', sa.Date(), nullable=False),
        sa.Column('verified_by', sa.Text(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.ForeignKeyConstraint(
            ['recommendation_id'], ['recommendations.id'],
            name=op.f('fk_verifications_recommendation_id_recommendations'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_verifications')),
    )
    op.create_index(
        op.f('ix_verifications_recommendation_id'), 'verifications', ['recommendation_id'], unique=False
    )
    op.create_table(
        'evidence',
        sa.Column('recommendation_id', sa.Uuid(), nullable=False),
        sa.Column('document_id', sa.Uuid(), nullable=False),
        sa.Column('response_id', sa.Uuid(), nullable=True),
        sa.Column('status_change_id', sa.Uuid(), nullable=True),
        sa.Column('verification_id', sa.Uuid(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.ForeignKeyConstraint(
            ['recommendation_id'], ['recommendations.id'],
            name=op.f('fk_evidence_recommendation_id_recommendations'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['document_id'], ['documents.id'],
            name=op.f('fk_evidence_document_id_documents'), ondelete='RESTRICT',
        ),
        sa.ForeignKeyConstraint(
            ['response_id'], ['responses.id'],
            name=op.f('fk_evidence_response_id_responses'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['status_change_id'], ['status_changes.id'],
            name=op.f('fk_evidence_status_change_id_status_changes'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['verification_id'], ['verifications.id'],
            name=op.f('fk_evidence_verification_id_verifications'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
    )
    op.create_index(op.f('ix_evidence_recommendation_id'), 'evidence', ['recommendation_id'], unique=False)
    op.create_index(op.f('ix_evidence_document_id'), 'evidence', ['document_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_evidence_document_id'), table_name='evidence')
    op.drop_index(op.f('ix_evidence_recommendation_id'), table_name='evidence')
    op.drop_table('evidence')
    op.drop_index(op.f('ix_verifications_recommendation_id'), table_name='verifications')
    op.drop_table('verifications')
    op.drop_index(op.f('ix_target_date_revisions_recommendation_id'), table_name='target_date_revisions')
    op.drop_table('target_date_revisions')
    # ALTER TABLE DROP COLUMN (SQLite 3.35+), not a batch rebuild: the search triggers stay
    op.drop_column('responses', 'kind')
    op.drop_column('recommendations', 'rag_reason')
    op.drop_column('recommendations', 'rag')
    op.drop_column('recommendations', 'target')
    op.drop_column('recommendations', 'original_target')
