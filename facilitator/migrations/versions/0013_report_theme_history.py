"""report_themes.origin, proposed_by, machine_title, regrouped: where a cross-table theme comes from and
what persons did with it (issue 17, the collaborative Synthèse)

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs: a batch would rebuild the table and lose its AUTOINCREMENT (0005). The themes
    # stored before came from the machine's proposal (or were split off by hand: told apart by nothing).
    op.add_column(
        "report_themes",
        sa.Column("origin", sa.String(length=16), server_default="machine", nullable=False),
    )
    op.add_column("report_themes", sa.Column("proposed_by", sa.Integer(), nullable=True))
    op.add_column("report_themes", sa.Column("machine_title", sa.String(length=200), nullable=True))
    op.add_column(
        "report_themes",
        sa.Column("regrouped", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade():
    with op.batch_alter_table("report_themes", schema=None) as batch_op:
        batch_op.drop_column("regrouped")
        batch_op.drop_column("machine_title")
        batch_op.drop_column("proposed_by")
        batch_op.drop_column("origin")
