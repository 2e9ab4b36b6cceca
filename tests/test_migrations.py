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
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


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
