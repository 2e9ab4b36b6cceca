"""The slow layer's fixtures: live servers (`python wsgi.py` in a subprocess) and Socket.IO clients.

A server writes its output under its instance directory; when a test fails, the tail of every running
server's stderr is attached to the report (section "live server …")."""

import pytest
from harness import LiveClient, LiveServer, running


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory):
    """Return `start(async_mode="eventlet", **env)`: a fresh server, stopped at the end of the session."""
    started = []

    def start(async_mode="eventlet", **extra_env):
        server = LiveServer(
            tmp_path_factory.mktemp(f"instance-{async_mode}"), async_mode, extra_env=extra_env
        )
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()
        if server in running:
            running.remove(server)


@pytest.fixture(scope="session")
def shared_servers(server_factory):
    """Return `get(async_mode)`: one server per async mode, started on first use, shared by the session."""
    servers = {}

    def get(async_mode):
        if async_mode not in servers:
            servers[async_mode] = server_factory(async_mode)
        return servers[async_mode]

    return get


@pytest.fixture
def live_server(request, shared_servers):
    """The shared server in FACILITATOR_ASYNC_MODE eventlet, unless a test asks for another mode with
    `@pytest.mark.parametrize("live_server", ["gevent"], indirect=True)`."""
    return shared_servers(getattr(request, "param", "eventlet"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for server in running:
            report.sections.append(
                (f"live server {server.async_mode} {server.url} (stderr tail)", server.stderr_tail())
            )


@pytest.fixture
def connect():
    """Return `connect(server, name="")`: a connected LiveClient, disconnected after the test."""
    clients = []

    def factory(server, name=""):
        client = LiveClient(server, name)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()
