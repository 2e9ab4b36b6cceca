"""organiser sessions: signing out really ends an organiser's session

The organiser's cookie used to carry the organiser key's hash, so a copy of it kept working after
sign-out (issue 18, point 11). Each sign-in now keeps a row; sign-out deletes it.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organiser_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
        sqlite_autoincrement=True,
    )


def downgrade():
    op.drop_table("organiser_sessions")
