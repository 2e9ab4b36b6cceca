"""No token in the server's output: after a whole session against `python wsgi.py`, its stdout and
stderr (start-up banner, access logs of every HTTP and long-polling request, warnings) hold none of the
facilitator, board, référent or participant tokens.

The server runs with its access log on (FACILITATOR_ACCESS_LOG=1, off by default), so every request
line is in the output too.

The organiser key is the one secret the server prints, on purpose: the start-up banner is how the
organiser gets the link to the organiser page (docs/security.md). It must appear there and nowhere else.
"""

import pytest
import requests
import socketio
from harness import ACK_TIMEOUT, LiveClient, new_client_id

pytestmark = pytest.mark.slow


def polling_client(server):
    """A phone that fell back to long-polling: every message is an HTTP request in the access log."""
    sio = socketio.Client(reconnection=False, request_timeout=ACK_TIMEOUT)
    sio.connect(server.url, transports=["polling"], wait_timeout=ACK_TIMEOUT)
    return sio


def test_no_token_reaches_the_logs(server_factory):
    server = server_factory("eventlet", FACILITATOR_ACCESS_LOG="1")
    created = server.create_workshop(groups=3)
    code = created["code"]
    secrets = {
        "facilitator token": created["facilitator_token"],
        "board token": created["board_token"],
        **{f"référent token {g['number']}": g["referent_token"] for g in created["groups"]},
    }
    clients = []
    try:
        # Every page, as a browser opens it (the token stays in the fragment, never sent).
        for url in [
            created["board_url"],
            created["facilitator_url"],
            created["join_url"],
            *(g["join_url"] for g in created["groups"]),
            *(g["referent_url"] for g in created["groups"]),
        ]:
            assert requests.get(url, timeout=ACK_TIMEOUT).status_code == 200, url
        # The organiser signs in on the form and lists the workshops.
        organiser = requests.Session()
        organiser.post(f"{server.url}/organiser", data={"key": server.key}, timeout=ACK_TIMEOUT)

        # Every role joins over WebSocket; a phone over long-polling; wrong tokens are tried.
        for role, token in [("facilitator", created["facilitator_token"]), ("board", created["board_token"])]:
            client = LiveClient(server, role)
            clients.append(client)
            client.join(code=code, role=role, token=token)
        for group in created["groups"]:
            referent = LiveClient(server, f"référent {group['number']}")
            clients.append(referent)
            referent.join(code=code, role="referent", group=group["number"], token=group["referent_token"])
            assert referent.post("attentes", f"Carte papier table {group['number']}")["ok"]
        for number in range(1, 4):
            phone = LiveClient(server, f"phone {number}")
            clients.append(phone)
            reply = phone.join(code=code, role="participant", group=number, name=f"Prénom{number}")
            secrets[f"participant token {number}"] = reply["participant_token"]
            assert phone.post("forces", f"Idée de la table {number}")["ok"]
            # The same phone again after a reload: it proves who it is with its token.
            again = LiveClient(server, f"phone {number} again")
            clients.append(again)
            again.join(code=code, role="participant", participant_token=reply["participant_token"], since=0)
        slow = polling_client(server)
        try:
            reply = slow.call(
                "join",
                {"code": code, "role": "participant", "group": 2, "name": "Lente"},
                timeout=ACK_TIMEOUT,
            )
            assert reply["ok"], reply
            secrets["participant token (polling)"] = reply["participant_token"]
            ack = slow.call(
                "card:add",
                {"client_id": new_client_id(), "family": "faiblesses", "text": "Par long-polling"},
                timeout=ACK_TIMEOUT,
            )
            assert ack["ok"], ack
            assert (
                slow.call("join", {"code": code, "role": "board", "token": "x" * 32}, timeout=ACK_TIMEOUT)[
                    "error"
                ]["code"]
                == "bad_token"
            )
        finally:
            slow.disconnect()
        wrong = LiveClient(server, "wrong role")
        clients.append(wrong)
        refused = wrong.call("join", {"code": code, "role": "facilitator", "token": created["board_token"]})
        assert refused["error"]["code"] == "bad_token"
        junk = wrong.call(
            "join", {"code": code, "role": "board", "token": created["board_token"], "since": "hier"}
        )
        assert junk["error"]["code"] == "invalid_payload"
        # The API with a token where the key is expected, then the organiser deletes the workshop.
        headers = {"Authorization": f"Bearer {created['facilitator_token']}"}
        assert (
            requests.delete(f"{server.url}/api/workshops/{code}", headers=headers, timeout=5).status_code
            == 401
        )
        headers = {"Authorization": f"Bearer {server.key}"}
        assert (
            requests.delete(f"{server.url}/api/workshops/{code}", headers=headers, timeout=5).status_code
            == 204
        )
    finally:
        for client in clients:
            client.close()
        server.stop()  # flushes and closes its output

    output = {
        name: (server.instance / name).read_text(errors="replace") for name in ("stdout.log", "stderr.log")
    }
    everything = "\n".join(output.values())
    assert "transport=polling" in everything, "no access log: this test reads nothing"
    assert f"GET /b/{code}" in everything
    for name, secret in secrets.items():
        for stream, text in output.items():
            assert secret not in text, f"the {name} is in the server's {stream}"
    banner_lines = [line for line in everything.splitlines() if server.key in line]
    assert banner_lines and all("/organiser#key=" in line for line in banner_lines), banner_lines
