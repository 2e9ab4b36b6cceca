"""Property-based fuzzing: thousands of generated payloads against every socket event and API body.

Whatever arrives, the server answers with a well-formed ack or a JSON error, never a 500, and a refusal
changes nothing in the database.
"""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.models import Card, Event, Participant, Workshop

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=300)
)
junk = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
huge_text = st.integers(min_value=281, max_value=20_000).map(lambda n: "é" * n)
texts = (
    st.text(max_size=400)
    | huge_text
    | st.sampled_from(["", "   ", "<img src=x onerror=alert(1)>", "=1+1", "💡 Idée"])
)


def counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Workshop, Participant, Card, Event)
        )


@pytest.fixture
def arena(app, make_workshop, socket_client):
    workshop, secrets = make_workshop(groups=2)
    participant = socket_client()
    participant.emit("join", {"code": workshop.code, "role": "participant", "group": 1}, callback=True)
    board = socket_client()
    board.emit("join", {"code": workshop.code, "role": "board", "token": secrets.board_token}, callback=True)
    return workshop, secrets, participant, board


def assert_well_formed(reply):
    assert isinstance(reply, dict), reply
    assert isinstance(reply.get("ok"), bool), reply
    if not reply["ok"]:
        error = reply["error"]
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]


def card_payloads(families):
    fields = {
        "client_id": st.text(max_size=80) | st.uuids().map(lambda u: u.hex) | junk,
        "family": st.sampled_from(families + ["", "FORCES", "inconnue"]) | junk,
        "text": texts | junk,
        "group": st.integers(min_value=-3, max_value=60) | junk,
    }
    return st.fixed_dictionaries({}, optional=fields) | junk


@FUZZ
@given(data=st.data())
def test_card_add_answers_everything_and_refusals_change_nothing(app, arena, data):
    workshop, _secrets, participant, _board = arena
    payload = data.draw(card_payloads(list(workshop.families)))
    before = counts(app)
    reply = participant.emit("card:add", payload, callback=True)
    assert_well_formed(reply)
    if not reply["ok"]:
        assert counts(app) == before
    else:
        assert reply["card"]["text"].strip()
        assert len(reply["card"]["text"]) <= 280


@FUZZ
@given(data=st.data())
def test_join_answers_everything(app, arena, socket_client, data):
    workshop, secrets, _participant, _board = arena
    fields = {
        "code": st.sampled_from([workshop.code, workshop.code.lower(), "", "ZZZZZZZZ"]) | junk,
        "role": st.sampled_from(["participant", "referent", "facilitator", "board", "admin"]) | junk,
        "token": st.sampled_from(
            [secrets.facilitator_token, secrets.board_token, secrets.referent_tokens[1], "x"]
        )
        | junk,
        "group": st.integers(min_value=-2, max_value=4) | junk,
        "name": texts | junk,
        "organisation": st.sampled_from(["OT", "Autre", "NASA"]) | junk,
        "participant_token": st.text(max_size=40) | junk,
    }
    payload = data.draw(st.fixed_dictionaries({}, optional=fields) | junk)
    client = socket_client()
    before = counts(app)
    reply = client.emit("join", payload, callback=True)
    assert_well_formed(reply)
    if not reply["ok"]:
        assert counts(app)[:3] == before[:3]
    client.disconnect()


@FUZZ
@given(
    payload=st.fixed_dictionaries({}, optional={"since": st.integers(min_value=-5, max_value=10**12) | junk})
    | junk
)
def test_sync_answers_everything(arena, payload):
    _workshop, _secrets, participant, board = arena
    for client in (participant, board):
        reply = client.emit("sync", payload, callback=True)
        assert_well_formed(reply)


@FUZZ
@given(
    name=st.text(min_size=1, max_size=30).filter(
        lambda n: n not in {"join", "card:add", "sync", "connect", "disconnect", "message"}
    ),
    payload=junk,
)
def test_unknown_events_are_answered(arena, name, payload):
    reply = arena[2].emit(name, payload, callback=True)
    assert_well_formed(reply)
    assert reply["ok"] is False


@FUZZ
@given(
    body=junk
    | st.fixed_dictionaries(
        {},
        optional={
            "title": texts | junk,
            "question": texts | junk,
            "groups": st.integers(min_value=-5, max_value=80) | junk,
            "group_names": st.lists(st.text(max_size=100), max_size=60) | junk,
            "template": st.sampled_from(["concertation", "swot", "start-stop-continue", "x"]) | junk,
            "language": st.sampled_from(["fr", "en", "de"]) | junk,
            "vote_budget": st.integers(min_value=-5, max_value=200) | junk,
            "organisations": st.lists(st.text(max_size=50), max_size=25) | junk,
            "anonymous": junk,
        },
    )
)
def test_create_workshop_api_never_fails_badly(app, client, body):
    before = counts(app)
    response = client.post(
        "/api/workshops",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": "Bearer test-organiser-key"},
    )
    assert response.status_code in (201, 400, 413), response.data[:300]
    reply = response.get_json()
    if response.status_code == 201:
        assert reply["code"] and len(reply["groups"]) == body.get("groups", 1)
    else:
        assert reply["ok"] is False and reply["error"]["message"]
        assert counts(app) == before


@FUZZ
@given(code=st.text(max_size=40), group=st.text(max_size=5))
def test_pages_and_public_api_never_fail_badly(client, arena, code, group):
    code = quote(code, safe="")
    for path in (f"/j/{code}", f"/api/workshops/{code}", f"/api/workshops/{code}/qr.svg"):
        response = client.get(path, query_string={"g": group})
        assert response.status_code in (200, 302, 308, 404), (path, response.status_code)
