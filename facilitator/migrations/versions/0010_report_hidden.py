"""workshops.report_hidden: whether the compte rendu's annex lists hidden cards marked or omits them
(issue 16)

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (SQLite allows it with a default): a batch would rebuild the table and lose
    # its AUTOINCREMENT (0005), which SQLAlchemy does not reflect.
    op.add_column(
        "workshops",
        sa.Column("report_hidden", sa.String(length=16), server_default="marked", nullable=False),
    )


def downgrade():
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("report_hidden")
