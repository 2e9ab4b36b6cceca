"""participants per table index

A phone's join counts the participants of its table; without this index that count scans every
participant of the workshop (1,000 at the storm benchmark).

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index("ix_participants_workshop_group", ["workshop_id", "group_id"], unique=False)


def downgrade():
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_workshop_group")
