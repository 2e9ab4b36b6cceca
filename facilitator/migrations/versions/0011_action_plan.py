"""the action plan: axes, actions with their provenance cards, engagements; workshops.plan_contacts
(issue 14)

Revision ID: 0011
Revises: 0010
"""

from alembic import op
import sqlalchemy as sa


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_axes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("report_theme_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["report_theme_id"], ["report_themes.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("plan_axes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_axes_workshop_id"), ["workshop_id"], unique=False)

    op.create_table(
        "plan_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("axis_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("partners", sa.String(length=300), nullable=False),
        sa.Column("due", sa.String(length=10), nullable=True),
        sa.Column("first_step", sa.Text(), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="active", nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["axis_id"], ["plan_axes.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["merged_into_id"], ["plan_actions.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.create_index("ix_plan_actions_workshop_group", ["workshop_id", "group_id"], unique=False)

    op.create_table(
        "plan_action_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["plan_actions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["card_id"], ["cards.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("action_id", "card_id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("plan_action_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_action_cards_action_id"), ["action_id"], unique=False)

    op.create_table(
        "plan_engagements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["plan_actions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("action_id", "participant_id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("plan_engagements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_engagements_action_id"), ["action_id"], unique=False)

    # A plain ADD COLUMN: a batch would rebuild the table and lose its AUTOINCREMENT (0005).
    op.add_column(
        "workshops", sa.Column("plan_contacts", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade():
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("plan_contacts")

    with op.batch_alter_table("plan_engagements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_engagements_action_id"))

    op.drop_table("plan_engagements")
    with op.batch_alter_table("plan_action_cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_action_cards_action_id"))

    op.drop_table("plan_action_cards")
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_plan_actions_workshop_group")

    op.drop_table("plan_actions")
    with op.batch_alter_table("plan_axes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_axes_workshop_id"))

    op.drop_table("plan_axes")
