"""card merges: what each merge changed, so that it can be undone (issue 16)

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "card_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("undo", sa.JSON(), nullable=False),
        sa.Column("undone", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kept_id"], ["cards.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("card_merges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_card_merges_kept_id"), ["kept_id"], unique=False)


def downgrade():
    with op.batch_alter_table("card_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_card_merges_kept_id"))
    op.drop_table("card_merges")
