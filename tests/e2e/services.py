"""Real Redis and PostgreSQL servers for the scale-out tests, started on 127.0.0.1 in temporary folders.

Debian's packages (`redis-server`, `postgresql`) are installed by `.ci/run` and `bin/test`. PostgreSQL
refuses to run as root, so as root its processes run as the `postgres` system user.
"""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from harness import free_port


def _wait_port(port, process, what, timeout=30):
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"{what} did not listen on {port} in {timeout}s")


class RedisServer:
    def __init__(self, folder: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is missing: apt-get install redis-server (bin/test does it)")
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_port(self.port, self.process, "redis-server")

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class PostgresServer:
    def __init__(self):
        # Not under pytest's tmp folder: that one is private to root and the postgres user must enter.
        folder = Path(tempfile.mkdtemp(prefix="facilitator-postgres-"))
        folder.chmod(0o755)
        self.folder = folder
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            pytest.fail("PostgreSQL is missing: apt-get install postgresql (bin/test does it)")
        bindir = Path(found[-1]).parent
        self.bindir = bindir
        self.port = free_port()
        self.data = folder / "pgdata"
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        folder.mkdir(parents=True, exist_ok=True)
        if as_postgres:
            shutil.chown(folder, "postgres")
        subprocess.run(
            [
                *as_postgres,
                str(bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.process = subprocess.Popen(
            [
                *as_postgres,
                str(bindir / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={folder}",
                "-c",
                "fsync=off",
                "-c",
                "max_connections=200",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_port(self.port, self.process, "postgres")
        deadline = time.monotonic() + 30
        while (
            subprocess.run(
                [
                    str(bindir / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "facilitator",
                ],
                capture_output=True,
            ).returncode
            != 0
        ):
            if time.monotonic() > deadline:
                pytest.fail("could not create the facilitator database")
            time.sleep(0.2)

    @property
    def url(self):
        return self.url_for("facilitator")

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Another empty database on the same server; return its URL."""
        subprocess.run(
            [str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
            check=True,
            capture_output=True,
        )
        return self.url_for(name)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer()
    yield server
    server.stop()
