"""translations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 05:09:08.912222
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('glossary_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('term', sa.String(length=80), nullable=False),
    sa.Column('keep', sa.String(length=80), nullable=False),
    sa.Column('explain', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('language', 'term')
    )
    with op.batch_alter_table('glossary_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_glossary_terms_language'), ['language'], unique=False)

    op.create_table('translation_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('previous_source', sa.Text(), nullable=True),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('synced_target', sa.Text(), nullable=True),
    sa.Column('state', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reject_reason', sa.Text(), nullable=True),
    sa.Column('not_understood', sa.Integer(), nullable=False),
    sa.Column('flags', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('language', 'key')
    )
    with op.batch_alter_table('translation_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_translation_units_language'), ['language'], unique=False)

    op.create_table('translation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('via', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('old_state', sa.Integer(), nullable=True),
    sa.Column('new_state', sa.Integer(), nullable=True),
    sa.Column('target', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['translation_units.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('translation_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_translation_events_unit_id'), ['unit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('translation_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_translation_events_unit_id'))

    op.drop_table('translation_events')
    with op.batch_alter_table('translation_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_translation_units_language'))

    op.drop_table('translation_units')
    with op.batch_alter_table('glossary_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_glossary_terms_language'))

    op.drop_table('glossary_terms')
