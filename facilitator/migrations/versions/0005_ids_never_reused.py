"""ids never reused: SQLite AUTOINCREMENT on every table

Without AUTOINCREMENT, SQLite gives a new row the largest id in use plus one: once the newest
workshop is deleted, the next one gets its id, and so do its tables and participants. Rooms are
named by these ids (`w<id>`, `w<id>:g<group id>`, `w<id>:p<participant id>`) and clients hold card
and theme ids, so a deleted workshop's open connections took over the next workshop created
(issue 18, point 2). AUTOINCREMENT keeps the largest id ever used (in `sqlite_sequence`): ids only
grow. SQLite cannot add it to a table in place, so each table is recreated (batch mode copies its
rows, ids included, and its indexes).

PostgreSQL's sequences never hand an id out twice: nothing to do there.

Revision ID: 0005
Revises: 0004
"""

from alembic import op
from sqlalchemy import text

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Parents first; every table with an integer id.
TABLES = (
    "workshops",
    "groups",
    "steps",
    "participants",
    "themes",
    "cards",
    "report_themes",
    "report_theme_cards",
    "votes",
    "essentials",
    "client_requests",
    "events",
)


def _recreate(autoincrement: bool):
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # Recreating a table drops the old one: with foreign keys enforced, that drop would delete the
    # rows of every table below it (ON DELETE CASCADE). Alembic's connection never turns them on.
    if bind.execute(text("PRAGMA foreign_keys")).scalar():
        raise RuntimeError("migration 0005 must run with SQLite foreign keys off (PRAGMA foreign_keys=OFF)")
    kwargs = {"sqlite_autoincrement": True} if autoincrement else {}
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs=kwargs):
            pass


def upgrade():
    _recreate(autoincrement=True)


def downgrade():
    _recreate(autoincrement=False)
