"""paper participants: people without a phone whose dots the référent casts (issue 16)

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (SQLite allows it with a default): a batch would rebuild the table and lose
    # its AUTOINCREMENT (0005), which SQLAlchemy does not reflect.
    op.add_column("participants", sa.Column("paper", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_column("paper")
