"""The database handle: one engine per app, a session per request or socket event.

Domain functions take the session as an argument; views and socket handlers get it from `db.session`
and it is released at the end of every request and every socket event.
"""

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.orm import scoped_session, sessionmaker

BUSY_TIMEOUT_MS = 15000


def make_engine(url: str):
    """Create an engine with the settings each backend needs to keep acknowledged data."""
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # WAL: readers never block the writer; synchronous=FULL: an acknowledged card survives a
            # power cut, not only a killed process; busy_timeout: writers queue instead of failing;
            # secure_delete: what is deleted (a workshop, a dot taken back) is overwritten with zeros,
            # not left readable in free pages of the file (rows are rarely deleted: the cost is small).
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


CHECKPOINT_WAIT_MS = 2000


def truncate_write_ahead_log(session) -> bool:
    """SQLite: copy the write-ahead log into the database file and empty it; True when done.

    Called after a deletion, so that the deleted text does not stay in the log until SQLite's own
    checkpoints overwrite it (they never empty the file). TRUNCATE waits for readers of older
    snapshots and holds new writers meanwhile, so it waits 2 s at most (not the 15 s busy timeout:
    under eventlet that wait stops every connection); when busy, the retention task retries within
    the hour. Nothing to do on PostgreSQL.
    """
    if session.get_bind().dialect.name != "sqlite":
        return True
    session.commit()
    connection = session.connection()
    connection.exec_driver_sql(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
    try:
        busy, _log, _moved = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        session.commit()
    return not busy


class Database:
    """Unbound until `init_app`, like the other extensions."""

    def __init__(self):
        self.engine = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False))

    def init_app(self, app):
        self.engine = make_engine(app.config["DATABASE_URL"])
        self.session.configure(bind=self.engine)
        app.extensions["facilitator_db"] = self

        @app.teardown_appcontext
        def _release_session(_exc):
            self.session.remove()


MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str):
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


MIGRATION_LOCK = 0x46414349  # PostgreSQL advisory lock key ("FACI"): one process migrates at a time


def upgrade_database(url: str):
    """Bring the database schema to the latest migration (creates the SQLite file on first start).

    On PostgreSQL several processes may start at once (two service units at boot): the migration runs
    under an advisory lock, so one process migrates while the others wait, then find the schema at head.
    """
    from alembic import command

    if url.startswith("sqlite"):
        make_engine(url).dispose()
    if not url.startswith("postgresql"):
        command.upgrade(alembic_config(url), "head")
        return
    from sqlalchemy import text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                command.upgrade(alembic_config(url), "head")
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
    finally:
        engine.dispose()
