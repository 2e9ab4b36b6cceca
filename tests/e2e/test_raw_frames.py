"""What a hand-made client sends below Socket.IO: malformed frames over a raw WebSocket, and a polling
POST to a session that just closed (issue 18, points 11 and 12). Every event frame with an ack id is
answered with the one error shape; no answer ever carries a Python traceback."""

import json
import time

import pytest
import requests
import websocket

pytestmark = pytest.mark.slow

# Event frames with an ack id that python-socketio used to drop (no ack: the client waited forever).
MALFORMED = [
    '42{id}{{"x":1}}',  # the payload is not a list
    '42{id}"join"',
    "42{id}true",
    "42{id}null",
    "42{id}[]",  # no event name
    '42{id}[{{"a":1}}]',  # a name that is not a string
    "42{id}[1]",
    "42{id}[",  # not JSON
    '42{id}["card:add"',
    '42{id}["join",{{"code":1}}',
    '42{id}["join"]x',  # extra data
    '42{id}["connect"]',  # a reserved name: unknown_event
]


def raw_socket(server):
    """A WebSocket that speaks Engine.IO by hand, connected to the default namespace."""
    ws = websocket.create_connection(
        server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket", timeout=5
    )
    assert ws.recv().startswith("0{")
    ws.send("40")
    assert ws.recv().startswith("40{")
    return ws


def ack_of(ws, ack_id, timeout=5):
    """The ack for `ack_id` (answering pings meanwhile), or None when none came in `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            frame = ws.recv()
        except websocket.WebSocketTimeoutException:
            return None
        if frame == "2":
            ws.send("3")
        elif frame.startswith(f"43{ack_id}["):
            return json.loads(frame[len(f"43{ack_id}") :])[0]
    return None


def test_malformed_event_frames_with_an_ack_id_are_answered(live_server):
    ws = raw_socket(live_server)
    try:
        for ack_id, template in enumerate(MALFORMED, start=10):
            frame = template.format(id=ack_id)
            ws.send(frame)
            reply = ack_of(ws, ack_id)
            assert reply is not None, f"no ack for {frame!r}"
            expected = "unknown_event" if '"connect"' in frame else "invalid_payload"
            assert reply["ok"] is False and reply["error"]["code"] == expected, (frame, reply)
            assert reply["error"]["message"].strip()
        # The connection still works: a real event is answered as usual.
        ws.send('4299["join",{"code":"ZZZZZZZZ","role":"participant"}]')
        assert ack_of(ws, 99)["error"]["code"] == "unknown_workshop"
    finally:
        ws.close()


@pytest.mark.parametrize("live_server", ["eventlet", "gevent"], indirect=True)
def test_a_post_to_a_just_closed_session_shows_no_traceback(live_server):
    base = f"{live_server.url}/socket.io/?EIO=4&transport=polling"
    handshake = requests.get(base, timeout=5)
    session = f"{base}&sid={json.loads(handshake.text[1:])['sid']}"
    assert requests.post(session, data="40", timeout=5).ok
    requests.get(session, timeout=5)
    assert requests.post(session, data="1", timeout=5).ok  # the client closes its session
    for _ in range(3):  # engine.io raises on the first POST that follows; then "Invalid session"
        response = requests.post(session, data='42["join",{}]', timeout=5)
        body = response.text
        assert "Traceback" not in body and ".py" not in body and "site-packages" not in body, body
        if response.status_code >= 500:
            assert response.json()["error"]["code"] == "internal"
