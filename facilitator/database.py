"""The database handle: one engine per app, a session per request or socket event.

Domain functions take the session as an argument; views and socket handlers get it from `db.session`
and it is released at the end of every request and every socket event.
"""

import errno
import os
import sqlite3
import tempfile
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


# --- Storage that cannot take a write: said clearly, at start-up and at run time -------------------------

STORAGE_LOG = {
    "storage_full": "the disk is full: nothing more can be saved (free some space, then restart)",
    "storage_unavailable": "the database or the data folder cannot be written (read-only, removed or failing)",
}
# Errno values of a disk that is full (ENOSPC, EDQUOT) or that refuses writes (EROFS, EACCES, EPERM).
FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
REFUSED_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
FULL_MESSAGES = ("database or disk is full", "no space left on device", "could not extend file")
REFUSED_MESSAGES = (
    "readonly database",
    "read-only",
    "unable to open database file",
    "disk i/o error",
    "cannot execute",  # PostgreSQL: … in a read-only transaction
)


def storage_problem(exc: BaseException | None) -> str | None:
    """Return `storage_full` or `storage_unavailable` when `exc` (or what caused it) says the storage
    cannot take a write, else None: a full disk is not a bug, and people should be told which it is."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
            return "storage_full"
        if isinstance(exc, OSError) and exc.errno in REFUSED_ERRNOS:
            return "storage_unavailable"
        if getattr(exc, "pgcode", None) == "53100":  # PostgreSQL disk_full
            return "storage_full"
        message = str(exc).lower()
        if any(text in message for text in FULL_MESSAGES):
            return "storage_full"
        if any(text in message for text in REFUSED_MESSAGES):
            return "storage_unavailable"
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return None


def _sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite"):
        return None
    database = url.split("///", 1)[-1].split("?", 1)[0]
    if not database or database == ":memory:":
        return None
    return Path(database.removeprefix("file:"))


def check_storage(instance_path, url: str) -> str | None:
    """Try a real write in the instance folder and in the SQLite database; return what is wrong, in
    French and English, or None. `wsgi.py` runs it before anything else writes, so a read-only or
    full disk stops the start with a message instead of a server that says "ready" and fails every
    write (or a traceback)."""
    folder = Path(instance_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-") as probe:
            probe.write(b"facilitator")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return _storage_message(storage_problem(exc), f"le dossier / the folder {folder}", exc)
    path = _sqlite_path(url)
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(url.split("///", 1)[-1] if "mode=" in url else path, uri="mode=" in url)
        try:
            connection.isolation_level = None
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("CREATE TABLE facilitator_write_check (x)")
            connection.execute("DROP TABLE facilitator_write_check")
            connection.execute("COMMIT")
        finally:
            connection.close()
    except (OSError, sqlite3.Error) as exc:
        return _storage_message(storage_problem(exc), f"la base / the database {path}", exc)
    return None


def _storage_message(code: str | None, where: str, exc: BaseException) -> str:
    if code == "storage_full":
        french = "Le disque est plein : Facilitator ne pourrait rien enregistrer. Libérez de la place."
        english = "The disk is full: Facilitator could not save anything. Free some space."
    else:
        french = (
            "Facilitator ne peut pas écrire dans ce dossier ou cette base (lecture seule, droits, "
            "disque absent). Vérifiez-les, ou choisissez un autre dossier avec FACILITATOR_INSTANCE."
        )
        english = (
            "Facilitator cannot write there (read-only, permissions, missing disk). Check them, or "
            "choose another folder with FACILITATOR_INSTANCE."
        )
    return (
        f"Facilitator ne peut pas démarrer / cannot start : {where}\n"
        f"  {french}\n  {english}\n  ({type(exc).__name__}: {exc})"
    )
