"""The slow layer's fixtures: live servers (`python wsgi.py` in a subprocess) and Socket.IO clients.

A server writes its output under its instance directory; when a test fails, the tail of every running
server's stderr is attached to the report (section "live server …")."""

from pathlib import Path

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


# --- Browsers (Playwright on Debian's Chromium): one session shared by every browser test module ------


@pytest.fixture(scope="session")
def browser():
    from test_browser import CHROMIUM, CHROMIUM_ARGS, playwright_sync

    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests drive Debian's Chromium at {CHROMIUM}: sudo apt-get install chromium")
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_context(browser):
    """Return `open_context(**options)`: a fresh, watched browser context (closed after the test)."""
    from test_browser import WAIT, Watch

    contexts = []
    watch = Watch()

    def factory(**options):
        options.setdefault("locale", "fr-FR")
        context = browser.new_context(**options)
        context.set_default_timeout(WAIT)
        watch.attach(context)
        contexts.append(context)
        return context

    factory.watch = watch
    yield factory
    for context in contexts:
        context.close()
    watch.check()
