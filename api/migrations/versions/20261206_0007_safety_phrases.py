"""safety phrases: reviewers' changes to the safety lexicons

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'safety_phrases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=False),
        sa.Column('level', sa.String(length=8), nullable=False),
        sa.Column('safety_class', sa.String(length=32), nullable=False),
        sa.Column('phrase', sa.String(length=200), nullable=False),
        sa.Column('removed', sa.Boolean(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('undone_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['undone_by_id'], ['staff_users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_safety_phrases_language'), 'safety_phrases', ['language'], unique=False)
    op.create_index(op.f('ix_safety_phrases_active'), 'safety_phrases', ['active'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_safety_phrases_active'), table_name='safety_phrases')
    op.drop_index(op.f('ix_safety_phrases_language'), table_name='safety_phrases')
    op.drop_table('safety_phrases')
