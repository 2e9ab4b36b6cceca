"""series of workshops, workshops copied from another, actions carried over, follow-up links and the
history of each action's follow-up (issue 15)

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _add_reference(table, column, target):
    """Add a nullable column referring to `target.id`, ON DELETE SET NULL. SQLite takes the REFERENCES
    clause inside its ADD COLUMN (it cannot ALTER a constraint); PostgreSQL gets a named constraint."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {target} (id) ON DELETE SET NULL"
        )
        return
    op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
    op.create_foreign_key(f"fk_{table}_{column}", table, target, [column], ["id"], ondelete="SET NULL")


def upgrade():
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sqlite_autoincrement=True,
    )
    # Plain ADD COLUMNs: a batch would rebuild the table and lose its AUTOINCREMENT (0005).
    _add_reference("workshops", "series_id", "series")
    op.create_index("ix_workshops_series_id", "workshops", ["series_id"], unique=False)
    _add_reference("workshops", "copied_from_id", "workshops")
    _add_reference("plan_actions", "carried_from_id", "plan_actions")
    op.create_table(
        "followup_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=16), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["plan_actions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["engagement_id"], ["plan_engagements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_followup_links_workshop_id", "followup_links", ["workshop_id"], unique=False)
    op.create_index("ix_followup_links_action_id", "followup_links", ["action_id"], unique=False)
    op.create_table(
        "plan_action_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("on_date", sa.String(length=10), nullable=True),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["plan_actions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["link_id"], ["followup_links.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_plan_action_updates_action", "plan_action_updates", ["action_id", "id"], unique=False)
    op.create_index(
        "ix_plan_action_updates_workshop_id", "plan_action_updates", ["workshop_id"], unique=False
    )


def downgrade():
    op.drop_table("plan_action_updates")
    op.drop_table("followup_links")
    with op.batch_alter_table("plan_actions", schema=None) as batch_op:
        batch_op.drop_column("carried_from_id")
    op.drop_index("ix_workshops_series_id", table_name="workshops")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("copied_from_id")
        batch_op.drop_column("series_id")
    op.drop_table("series")
