"""`python wsgi.py` hands eventlet a connection limit above a 1,000-phone workshop (its default is 1,024)."""

import json
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Run wsgi.py as `__main__` in a child process with socketio.run replaced by a recorder, so nothing
# listens and this process is never monkey-patched.
PROBE = """
import json, runpy, sys
import flask_socketio
def record(self, app, **kwargs):
    print("RUN " + json.dumps({k: v for k, v in kwargs.items() if isinstance(v, (int, str, bool))}))
flask_socketio.SocketIO.run = record
flask_socketio.SocketIO.start_background_task = lambda self, *a, **k: None
runpy.run_path("wsgi.py", run_name="__main__")
"""


def run_options(tmp_path, mode, **env) -> dict:
    environment = {
        "PATH": "/usr/bin:/bin",
        "FACILITATOR_INSTANCE": str(tmp_path),
        "FACILITATOR_ASYNC_MODE": mode,
        "ORGANISER_KEY": "k",
        "SECRET_KEY": "s",
        "PUBLIC_URL": "http://127.0.0.1:5000",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RUN ")), None)
    assert line, done.stderr[-2000:]
    return json.loads(line[4:])


def test_eventlet_serves_more_than_its_default_1024_connections(tmp_path):
    assert run_options(tmp_path, "eventlet")["max_size"] == 5000
    assert run_options(tmp_path, "eventlet", FACILITATOR_MAX_CONNECTIONS="12000")["max_size"] == 12000


def test_gevent_gets_no_eventlet_option(tmp_path):
    # gevent's pywsgi server has no connection pool limit by default, and refuses unknown options.
    assert "max_size" not in run_options(tmp_path, "gevent")


def environment_for(tmp_path, **env) -> dict:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "FACILITATOR_INSTANCE": str(tmp_path),
        "ORGANISER_KEY": "k",
        "SECRET_KEY": "s",
        "PUBLIC_URL": "http://127.0.0.1:5000",
        **env,
    }


def test_flask_commands_run_quietly_without_patching(tmp_path):
    """`flask --app wsgi <command>` imports wsgi.py long after Flask: patching then only printed
    eventlet's warnings and tracebacks. A command runs unpatched, in threading mode."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "kit", "--help"],
        cwd=ROOT,
        env=environment_for(tmp_path, FACILITATOR_ASYNC_MODE="eventlet"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "--posters" in done.stdout
    assert done.stderr == "", done.stderr[-2000:]


def test_the_server_is_still_patched_first(tmp_path):
    probe = (
        PROBE + "import eventlet.patcher\nprint('PATCHED', eventlet.patcher.is_monkey_patched('socket'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=environment_for(tmp_path, FACILITATOR_ASYNC_MODE="eventlet"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "PATCHED True" in done.stdout, done.stderr[-2000:]


# --- Start-up storage check (issue 18, point 10): a folder or a database that cannot take a write stops
# the start with a French and English message, before the banner says "ready".


def start_up(tmp_path, **env):
    """Run the real `python wsgi.py`; return the finished process (one that serves is a failure)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    environment = environment_for(tmp_path, FACILITATOR_HOST="127.0.0.1", FACILITATOR_PORT=port, **env)
    try:
        return subprocess.run(
            [sys.executable, "wsgi.py"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired as served:
        pytest.fail(f"the server started instead of refusing: {served.stdout!r}")


def assert_refused_start(done, where):
    assert done.returncode == 3, (done.returncode, done.stderr[-2000:])
    assert "RUN " not in done.stdout and "prêt / is ready" not in done.stdout
    assert "Facilitator ne peut pas démarrer / cannot start" in done.stderr and where in done.stderr
    assert "Traceback" not in done.stderr, done.stderr[-2000:]


def test_an_instance_path_that_is_not_a_folder_stops_the_start(tmp_path):
    taken = tmp_path / "instance"
    taken.write_text("not a folder")
    assert_refused_start(start_up(tmp_path, FACILITATOR_INSTANCE=str(taken)), str(taken))


def test_a_read_only_instance_folder_stops_the_start(tmp_path):
    """Tests run as root, where permissions never refuse a write: the folder is made immutable."""
    folder = tmp_path / "instance"
    folder.mkdir()
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available on this filesystem")
    try:
        assert_refused_start(start_up(tmp_path, FACILITATOR_INSTANCE=str(folder)), str(folder))
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_database_stops_the_start(tmp_path):
    database = tmp_path / "facilitator.db"
    sqlite3.connect(database).close()
    read_only = f"sqlite:///file:{database}?mode=ro&uri=true"
    assert_refused_start(start_up(tmp_path, DATABASE_URL=read_only), str(database))


def test_the_start_up_says_nothing_of_eventlet_and_names_a_loopback_public_url(tmp_path):
    """Issue 16: eventlet's deprecation notice is for developers, not for the person who starts a
    workshop; a PUBLIC_URL on 127.0.0.1 is said as such, not as « aucune adresse réseau »."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment_for(tmp_path, FACILITATOR_ASYNC_MODE="eventlet"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "RUN " in done.stdout, done.stderr[-2000:]
    assert "Eventlet is deprecated" not in done.stderr + done.stdout
    assert "EventletDeprecationWarning" not in done.stderr
    assert "PUBLIC_URL pointe vers cet ordinateur (127.0.0.1)" in done.stdout
    assert "aucune adresse réseau" not in done.stdout
