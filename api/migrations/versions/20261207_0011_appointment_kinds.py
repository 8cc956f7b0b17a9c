"""appointments: a kind and things to bring as keys with translated labels; the free text becomes optional

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ('intake', 'pip', 'progress', 'help_post', 'money', 'exam', 'other')


def upgrade() -> None:
    # Existing appointments keep their free text as it was ("other": shown as the gemeente wrote it).
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum(*KINDS, name='appointmentkind', native_enum=False, length=32),
                                      nullable=False, server_default='other'))
        batch_op.add_column(sa.Column('bring_items', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.alter_column('purpose', existing_type=sa.String(length=300), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE appointments SET purpose = kind WHERE purpose IS NULL")
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.alter_column('purpose', existing_type=sa.String(length=300), nullable=False)
        batch_op.drop_column('bring_items')
        batch_op.drop_column('kind')
