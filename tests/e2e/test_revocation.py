"""Ending connections against `python wsgi.py` (issue 18, points 2 and 8): a deleted workshop's open
connections never reach the next workshop created, and "Nouveaux liens" ends the consoles, boards
and référents opened with the old links while the phones stay.

The organiser acts through the organiser pages (sign-in, CSRF token), as from a laptop.
"""

import re
import time

import pytest
import requests
import socketio
from harness import ACK_TIMEOUT, LiveClient, new_client_id

pytestmark = pytest.mark.slow

WATCHED = ("workshop:deleted", "session:ended", "step:changed")


class Watcher(LiveClient):
    """A client that also records the end of its workshop or of its session, and the agenda."""

    EVENTS = LiveClient.EVENTS + WATCHED

    def got(self, event) -> list[dict]:
        with self.condition:
            return [m for m in self.received if m["event"] == event]

    def attempt(self, event, data=None) -> dict | None:
        """Call `event`; None when the server no longer serves this connection (disconnected)."""
        if not self.sio.connected:
            return None
        try:
            return self.sio.call(event, data, timeout=3)
        except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
            return None

    def wait_disconnected(self, timeout=ACK_TIMEOUT) -> bool:
        deadline = time.monotonic() + timeout
        while self.sio.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        return not self.sio.connected


@pytest.fixture
def watch(live_server):
    clients = []

    def factory(name):
        client = Watcher(live_server, name)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


def organiser(server) -> tuple[requests.Session, str]:
    """Sign in on the organiser page; return the browser session and a CSRF token for its buttons."""
    browser = requests.Session()
    browser.post(f"{server.url}/organiser", data={"key": server.key, "csrf_token": csrf(browser, server)})
    return browser, csrf(browser, server)


def csrf(browser, server) -> str:
    page = browser.get(f"{server.url}/organiser", timeout=ACK_TIMEOUT).text
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_a_deleted_workshops_connections_never_reach_the_next_workshop(live_server, watch):
    old = live_server.create_workshop(title="Atelier supprimé", groups=2)
    board, facilitator, phone = watch("old board"), watch("old facilitator"), watch("old phone")
    board.join(code=old["code"], role="board", token=old["board_token"])
    facilitator.join(code=old["code"], role="facilitator", token=old["facilitator_token"])
    phone.join(code=old["code"], role="participant", group=1, name="Ancienne")
    assert phone.post("forces", "Une idée de l'atelier supprimé")["ok"]

    browser, token = organiser(live_server)
    response = browser.post(
        f"{live_server.url}/organiser/workshops/{old['code']}/delete",
        data={"csrf_token": token, "confirmed": "yes"},
    )
    assert response.status_code == 200 and old["code"] not in response.text  # redirected to the list
    for client in (board, facilitator, phone):
        client.wait_disconnected(timeout=5)

    new = live_server.create_workshop(title="Atelier suivant", groups=2)
    newcomer = watch("new phone")
    newcomer.join(code=new["code"], role="participant", group=1, name="Nouvelle")
    first = newcomer.post("forces", "Première idée du nouvel atelier")
    assert first["ok"]
    sentinel = watch("new board")
    sentinel.join(code=new["code"], role="board", token=new["board_token"])
    last = newcomer.post("forces", "Sentinelle")
    sentinel.wait_for_card(last["card"]["id"])

    # The old board and phone receive nothing of the new workshop.
    for client in (board, phone):
        assert [c["text"] for c in client.cards()] == ["Une idée de l'atelier supprimé"], client.name
    # The stale facilitator cannot read or run the new workshop.
    synced = facilitator.attempt("sync", {"since": 0})
    assert synced is None or not synced["ok"]
    started = facilitator.attempt("step:start", {})
    assert started is None or not started["ok"]
    assert sentinel.got("step:changed") == []
    # The stale phone is not the new participant: it cannot post as her, nor edit her card.
    posted = phone.attempt("card:add", {"client_id": new_client_id(), "family": "forces", "text": "Usurpée"})
    assert posted is None or not posted["ok"]
    edited = phone.attempt("card:edit", {"card_id": first["card"]["id"], "text": "Modifiée"})
    assert edited is None or not edited["ok"]
    fresh = watch("new facilitator")
    snapshot = fresh.join(code=new["code"], role="facilitator", token=new["facilitator_token"])["snapshot"]
    assert [c["text"] for c in snapshot["cards"]] == ["Première idée du nouvel atelier", "Sentinelle"]
    # Every old connection was told and dropped.
    for client in (board, facilitator, phone):
        assert client.got("workshop:deleted"), client.name
        assert not client.sio.connected, client.name


def test_new_links_end_the_consoles_opened_with_the_old_ones_and_phones_stay(live_server, watch):
    workshop = live_server.create_workshop(title="Lien divulgué", groups=2)
    code = workshop["code"]
    board, facilitator, referent = watch("old board"), watch("old facilitator"), watch("old référent")
    board.join(code=code, role="board", token=workshop["board_token"])
    facilitator.join(code=code, role="facilitator", token=workshop["facilitator_token"])
    referent_token = workshop["groups"][0]["referent_token"]
    referent.join(code=code, role="referent", token=referent_token, group=1)
    phone = watch("phone")
    phone.join(code=code, role="participant", group=1, name="Camille")
    target = phone.post("forces", "Une idée à garder visible")
    assert target["ok"]

    browser, token = organiser(live_server)
    page = browser.post(
        f"{live_server.url}/organiser/workshops/{code}/links", data={"csrf_token": token, "confirmed": "yes"}
    )
    assert page.status_code == 200
    new_board_token = re.search(r'id="board-url" href="[^"#]+#t=([^"]+)"', page.text).group(1)

    for client in (board, facilitator, referent):
        assert client.wait_disconnected(timeout=5), f"{client.name} is still connected"
        assert client.got("session:ended") == [
            {"event": "session:ended", "type": "session:ended", "reason": "links_renewed"}
        ]
    # The phone stays, and what it posts reaches a board opened with the new link, not the old one.
    projected = watch("new board")
    projected.join(code=code, role="board", token=new_board_token)
    after = phone.post("forces", "Toujours connectée")
    assert after["ok"]
    projected.wait_for_card(after["card"]["id"])
    assert phone.sio.connected
    assert [c["id"] for c in board.cards()] == [target["card"]["id"]]
    # The old référent could not hide, the old facilitator could not lock (they are gone), and the
    # old links open nothing any more.
    assert referent.attempt("card:hide", {"card_id": target["card"]["id"]}) is None
    assert facilitator.attempt("workshop:lock", {"locked": True}) is None
    for role, old_token, group in (
        ("board", workshop["board_token"], None),
        ("facilitator", workshop["facilitator_token"], None),
        ("referent", referent_token, 1),
    ):
        again = watch(f"old {role} link")
        payload = {"code": code, "role": role, "token": old_token}
        if group:
            payload["group"] = group
        assert again.call("join", payload)["error"]["code"] == "bad_token"
    snapshot = watch("check").join(code=code, role="board", token=new_board_token)["snapshot"]
    assert all(c["status"] == "visible" for c in snapshot["cards"]) and not snapshot["agenda"].get("locked")
