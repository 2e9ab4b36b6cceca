"""workshops.hide_vote_totals: « Totaux cachés pendant le vote » — phones and boards get no table totals
while the table vote runs (issue 16)

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (SQLite allows it with a default): a batch would rebuild the table and lose
    # its AUTOINCREMENT (0005), which SQLAlchemy does not reflect.
    op.add_column(
        "workshops",
        sa.Column("hide_vote_totals", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade():
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("hide_vote_totals")
