"""one message per turn: an outbound message holds the response keys of all replies joined into it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('whatsapp_messages', schema=None) as batch_op:
        batch_op.alter_column('response_key', existing_type=sa.String(length=100), type_=sa.Text(),
                              existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('whatsapp_messages', schema=None) as batch_op:
        batch_op.alter_column('response_key', existing_type=sa.Text(), type_=sa.String(length=100),
                              existing_nullable=True)
