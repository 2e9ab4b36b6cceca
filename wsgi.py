"""Entry point: `python wsgi.py` serves Facilitator (eventlet by default).

The async library is patched first, before anything else is imported; it is the only module that
knows about eventlet or gevent. FACILITATOR_ASYNC_MODE picks `eventlet` (default), `gevent` or
`threading` (development only).

`flask --app wsgi <command>` (demo, kit…) imports this module from inside a click command, long after
Flask and its locals were imported: no server runs, and patching that late only fills the terminal with
eventlet's warnings and tracebacks. Commands therefore run in `threading` mode, unpatched.
"""

import functools
import os
import sys
import warnings

from dotenv import load_dotenv


def _run_by_a_command() -> bool:
    """True when a click command (the `flask` CLI) is importing this module, not `python wsgi.py`."""
    click = sys.modules.get("click")
    return __name__ != "__main__" and click is not None and click.get_current_context(silent=True) is not None


load_dotenv()
COMMAND = _run_by_a_command()
ASYNC_MODE = "threading" if COMMAND else os.environ.get("FACILITATOR_ASYNC_MODE", "eventlet")
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
if ASYNC_MODE == "eventlet":
    # eventlet warns on import that it is deprecated (docs/decisions.md, issue 16): a notice for the
    # project's developers, not for the person who starts the server for a workshop.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
    import eventlet

    eventlet.monkey_patch()
    if POSTGRES:
        # psycopg2 waits for PostgreSQL in C; psycogreen makes it yield to the other green threads.
        from psycogreen.eventlet import patch_psycopg

        patch_psycopg()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
    if POSTGRES:
        from psycogreen.gevent import patch_psycopg

        patch_psycopg()

from facilitator import create_app  # noqa: E402
from facilitator.config import Config  # noqa: E402
from facilitator.database import check_storage, upgrade_database  # noqa: E402
from facilitator.extensions import db, socketio  # noqa: E402
from facilitator.network import public_base_url, reachability_warning  # noqa: E402
from facilitator.runtime import tune_garbage_collector  # noqa: E402
from facilitator.workshops import purge_old_workshops  # noqa: E402

config = Config()
config.ASYNC_MODE = ASYNC_MODE  # a command never imports eventlet or gevent (see above)
STORAGE = check_storage(config.INSTANCE_PATH, config.DATABASE_URL)  # before anything is written
if STORAGE:
    print(STORAGE, file=sys.stderr, flush=True)
    sys.exit(3)
config.resolve_secrets()
upgrade_database(config.DATABASE_URL)
app = create_app(config)


def banner() -> str:
    """Say where to go: the organiser's page (with its key) and the address phones will use."""
    base = public_base_url(app.config)
    local = f"http://127.0.0.1:{config.PORT}"
    lines = [
        "",
        "Facilitator est prêt / is ready",
        f"  Organisateur / organiser : {local}/organiser#key={config.ORGANISER_KEY}",
        f"  Adresse des téléphones / phones use : {base}",
        f"  Base de données / database : {config.DATABASE_URL.split('@')[-1]}",
        f"  Mode : {ASYNC_MODE}",
    ]
    warning = reachability_warning(base, app.config.get("PUBLIC_URL"))
    if warning:
        lines.append(f"  {warning}")
    return "\n".join(lines) + "\n"


def purge_old_workshops_hourly():
    """Apply the retention setting (FACILITATOR_RETENTION_DAYS) now and every hour."""
    while True:
        with app.app_context():
            try:
                purged = purge_old_workshops(db.session, config.RETENTION_DAYS)
                if purged:
                    print(f"Rétention : {purged} atelier(s) supprimé(s)", flush=True)
            finally:
                db.session.remove()
        socketio.sleep(3600)


if __name__ == "__main__":
    print(banner(), flush=True)
    socketio.start_background_task(purge_old_workshops_hourly)
    tune_garbage_collector()  # no 100-ms pauses of every connection at 1,000 phones (facilitator/runtime.py)
    options = {}
    if ASYNC_MODE == "eventlet":
        # eventlet.wsgi sends a crash's traceback as the 500 body unless `debug=False`, and
        # Flask-SocketIO keeps `debug` for itself: its own server call gets it here.
        import eventlet.wsgi

        eventlet.wsgi.server = functools.partial(eventlet.wsgi.server, debug=False)
        # eventlet.wsgi serves at most `max_size` requests at once (default 1,024), and every live
        # WebSocket is one: raise it so a 1,000-phone workshop plus boards is never kept waiting.
        options["max_size"] = config.MAX_CONNECTIONS
    socketio.run(
        app,
        host=config.HOST,
        port=config.PORT,
        allow_unsafe_werkzeug=ASYNC_MODE == "threading",
        log_output=config.ACCESS_LOG,
        **options,
    )
