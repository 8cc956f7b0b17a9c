"""inbox

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 05:35:44.471238
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('handoff_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handoff_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('to_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['handoff_id'], ['handoffs.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_id'], ['staff_users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('handoff_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handoff_events_handoff_id'), ['handoff_id'], unique=False)

    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_to_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.Enum('answered', 'appointment_made', 'referred', 'no_response', 'other', name='handoffoutcome', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_client_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answer_by', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_handoffs_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_foreign_key('fk_handoffs_closed_by_id', 'staff_users', ['closed_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key('fk_handoffs_assigned_to_id', 'staff_users', ['assigned_to_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('away', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('cover_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_staff_users_cover_id', 'staff_users', ['cover_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('whatsapp_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_key', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('dutch', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('whatsapp_messages', schema=None) as batch_op:
        batch_op.drop_column('dutch')
        batch_op.drop_column('response_key')

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_constraint('fk_staff_users_cover_id', type_='foreignkey')
        batch_op.drop_column('cover_id')
        batch_op.drop_column('away')

    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.drop_constraint('fk_handoffs_closed_by_id', type_='foreignkey')
        batch_op.drop_constraint('fk_handoffs_assigned_to_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_handoffs_assigned_to_id'))
        batch_op.drop_column('answer_by')
        batch_op.drop_column('last_client_at')
        batch_op.drop_column('seen_at')
        batch_op.drop_column('outcome')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('assigned_to_id')

    with op.batch_alter_table('handoff_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handoff_events_handoff_id'))

    op.drop_table('handoff_events')
