"""Alembic environment: the URL comes from the caller (`upgrade_database`) or DATABASE_URL."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from facilitator.config import Config
from facilitator.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or Config().DATABASE_URL


def run_migrations_offline():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = config.attributes.get("connection")
    if connectable is None:
        engine = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool)
        with engine.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection):
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
