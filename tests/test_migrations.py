"""The migrations build exactly the schema the models describe, from an empty database."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from facilitator.database import alembic_config, upgrade_database
from facilitator.models import Base


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'migrated.db'}"


def differences(url):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            found = compare_metadata(context, Base.metadata)
            return [d for d in found if not _inline_reference_read_without_its_options(connection, d, found)]
    finally:
        engine.dispose()


def _foreign_key_key(constraint):
    return (constraint.table.name, tuple(e.parent.name for e in constraint.elements))


def _inline_reference_read_without_its_options(connection, difference, found):
    """SQLite's reflection reads the ON DELETE of a table-level FOREIGN KEY only; a column added later
    (0014) carries it inline, so autogenerate sees a remove/add pair. Accept the pair when SQLite's own
    PRAGMA foreign_key_list reports the ON DELETE the model asks for."""
    kind, constraint = difference[0], difference[1]
    if kind not in ("add_fk", "remove_fk"):
        return False
    other = "remove_fk" if kind == "add_fk" else "add_fk"
    key = _foreign_key_key(constraint)
    pair = [d[1] for d in found if d[0] == other and _foreign_key_key(d[1]) == key]
    if not pair:
        return False
    model = constraint if kind == "add_fk" else pair[0]
    table, (column,) = key
    rows = connection.exec_driver_sql(f"PRAGMA foreign_key_list({table})").all()
    return any(row[3] == column and row[6] == (model.ondelete or "NO ACTION") for row in rows)


def tables(url):
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_head_on_an_empty_database_matches_the_models(url):
    upgrade_database(url)
    assert tables(url) == set(Base.metadata.tables)
    assert differences(url) == []


def test_migrations_have_a_single_head():
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, heads


def test_downgrade_to_base_and_up_again(url):
    config = alembic_config(url)
    upgrade_database(url)
    command.downgrade(config, "base")
    assert tables(url) == set()
    command.upgrade(config, "head")
    assert differences(url) == []


def test_upgrade_is_idempotent(url):
    upgrade_database(url)
    upgrade_database(url)
    assert differences(url) == []


def test_differences_are_detected(url):
    """The comparison is not vacuous: a database without the migrations differs from the models."""
    config = alembic_config(url)
    upgrade_database(url)
    command.downgrade(config, "base")
    assert differences(url) != []


def test_upgrading_an_existing_sqlite_database_keeps_its_rows_and_never_reuses_ids(url):
    """0005 recreates every table with AUTOINCREMENT (issue 18, point 2): rows, ids and links survive."""
    from sqlalchemy import text

    config = alembic_config(url)
    command.upgrade(config, "0004")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO workshops (id, code, title, question, language, template, families,"
                    " organisations, vote_budget, anonymous, facilitator_token_hash, board_token_hash, seq,"
                    " created_at, locked, essentials_per_family, step_status)"
                    " VALUES (7, 'ABCDEFGH', 'Atelier', '', 'fr', 'concertation', '[]', '[]', 5, 0, 'f', 'b',"
                    " 0, '2026-01-01', 0, 3, 'free')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO groups (id, workshop_id, number, name, referent_token_hash, ready)"
                    " VALUES (3, 7, 1, 'Table 1', 'r', 0)"
                )
            )
        command.upgrade(config, "head")
        with engine.begin() as connection:
            assert connection.execute(text("SELECT id, code FROM workshops")).all() == [(7, "ABCDEFGH")]
            assert connection.execute(text("SELECT id, workshop_id FROM groups")).all() == [(3, 7)]
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
            created = dict(connection.execute(text("SELECT name, sql FROM sqlite_master")).all())
            plain = [name for name in Base.metadata.tables if "AUTOINCREMENT" not in created[name]]
            assert plain == []
            connection.execute(text("DELETE FROM workshops"))
            connection.execute(
                text(
                    "INSERT INTO workshops (code, title, question, language, template, families,"
                    " organisations, vote_budget, anonymous, facilitator_token_hash, board_token_hash, seq,"
                    " created_at, locked, essentials_per_family, step_status)"
                    " VALUES ('BCDEFGHJ', 'Suivant', '', 'fr', 'concertation', '[]', '[]', 5, 0, 'f', 'b',"
                    " 0, '2026-01-02', 0, 3, 'free')"
                )
            )
            assert connection.execute(text("SELECT id FROM workshops")).scalar() == 8
    finally:
        engine.dispose()
    assert differences(url) == []
