"""safety

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The safety layer on hand-offs. The trigger "violence" needs nothing here: triggers are plain strings.
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('safety_class', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('safety_words', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('safety_feedback', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.drop_column('safety_feedback')
        batch_op.drop_column('safety_words')
        batch_op.drop_column('safety_class')
