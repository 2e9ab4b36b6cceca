"""ix_events_state: the last event of a workshop other than a head count, in one index lookup (issue 13:
a newcomer's snapshot is reused while nothing else happened, facilitator/newcomers.py)

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

NOT_A_COUNT = sa.text("type != 'participants:count'")


def upgrade():
    op.create_index(
        "ix_events_state",
        "events",
        ["workshop_id", "seq"],
        unique=False,
        sqlite_where=NOT_A_COUNT,
        postgresql_where=NOT_A_COUNT,
    )


def downgrade():
    op.drop_index("ix_events_state", table_name="events")
