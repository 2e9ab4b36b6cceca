"""report themes: the cross-table synthesis as organisers edit it

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("edited", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("report_themes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_themes_workshop_id"), ["workshop_id"], unique=False)

    op.create_table(
        "report_theme_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["theme_id"], ["report_themes.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workshop_id", "card_id"),
    )
    with op.batch_alter_table("report_theme_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_theme_cards_theme_id"), ["theme_id"], unique=False)


def downgrade():
    with op.batch_alter_table("report_theme_cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_theme_cards_theme_id"))
    op.drop_table("report_theme_cards")
    with op.batch_alter_table("report_themes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_themes_workshop_id"))
    op.drop_table("report_themes")
