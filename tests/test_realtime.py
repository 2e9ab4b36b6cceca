"""Socket.IO handlers through Flask-SocketIO's test client: every event is answered through its ack,
refusals are structured and change nothing, and each connection only receives what it may see."""

import pytest

from facilitator import realtime
from tests.conftest import new_client_id, received


@pytest.fixture
def workshop(make_workshop):
    """A three-table workshop: (workshop, secrets)."""
    return make_workshop(groups=3)


def add_card(test_client, text="Des équipes fidèles", family="forces", client_id=None, **extra):
    payload = {"client_id": client_id or new_client_id(), "family": family, "text": text, **extra}
    return test_client.emit("card:add", payload, callback=True)


def assert_refused(reply, code):
    assert isinstance(reply, dict), reply
    assert reply["ok"] is False, reply
    assert reply["error"]["code"] == code, reply
    assert isinstance(reply["error"]["message"], str) and reply["error"]["message"].strip()


# --- join -------------------------------------------------------------------------------------------


def test_participant_join_answers_a_token_and_a_snapshot_of_its_table(workshop, phone):
    w, _ = workshop
    _, reply = phone(w.code, group=2, name="Léa", organisation="OT")
    assert reply["role"] == "participant" and reply["group"] == 2
    assert reply["participant_token"]
    snapshot = reply["snapshot"]
    assert snapshot["seq"] == 1, "the snapshot counts the participant's own arrival"
    assert snapshot["cards"] == []
    assert snapshot["participants"] == {"2": 1}
    assert snapshot["workshop"]["code"] == w.code
    assert set(snapshot["workshop"]["family_labels"]) == {*w.families, "transverse"}  # a theme's filing


def test_join_code_is_tolerant_of_typing(workshop, phone):
    w, _ = workshop
    _, reply = phone(f" {w.code[:4].lower()}-{w.code[4:].lower()} ", group=1)
    assert reply["snapshot"]["workshop"]["code"] == w.code


def test_rejoin_with_participant_token_keeps_the_cards(workshop, socket_client, phone):
    w, _ = workshop
    first, reply = phone(w.code, group=2)
    assert add_card(first, text="Ma carte")["ok"]
    first.disconnect()
    again = socket_client()
    rejoined = again.emit(
        "join",
        {"code": w.code, "role": "participant", "participant_token": reply["participant_token"]},
        callback=True,
    )
    assert rejoined["ok"] and rejoined["group"] == 2
    assert rejoined["participant_token"] == reply["participant_token"]
    assert [card["text"] for card in rejoined["snapshot"]["cards"]] == ["Ma carte"]
    assert rejoined["snapshot"]["participants"] == {"2": 1}, "the same person, not a second one"


@pytest.mark.parametrize("role", ["facilitator", "board"])
def test_facilitator_token_joins_every_table(workshop, joined, role):
    w, secrets = workshop
    _, reply = joined(w.code, role, token=secrets.facilitator_token)
    assert reply["role"] == role and reply["group"] is None
    assert "participant_token" not in reply
    assert reply["snapshot"]["participants"] == {"1": 0, "2": 0, "3": 0}


def test_referent_joins_its_table(workshop, joined):
    w, secrets = workshop
    _, reply = joined(w.code, "referent", token=secrets.referent_tokens[3])
    assert reply["role"] == "referent" and reply["group"] == 3
    assert list(reply["snapshot"]["participants"]) == ["3"]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"code": "ZZZZZZZZ", "role": "participant", "group": 1}, "unknown_workshop"),
        ({"code": "", "role": "participant", "group": 1}, "unknown_workshop"),
        ({"role": "facilitator", "token": "wrong"}, "bad_token"),
        ({"role": "facilitator"}, "bad_token"),
        ({"role": "board", "token": ""}, "bad_token"),
        ({"role": "facilitator", "token": "@board"}, "bad_token"),
        ({"role": "referent", "token": "@referent1", "group": 2}, "bad_token"),
        ({"role": "referent", "token": "@facilitator"}, "bad_token"),
        ({"role": "participant"}, "group_required"),
        ({"role": "participant", "group": 4}, "unknown_group"),
        ({"role": "participant", "group": 1, "name": "x" * 41}, "name_too_long"),
        ({"role": "participant", "group": 1, "organisation": "Mairie"}, "unknown_organisation"),
    ],
    ids=[
        "unknown-code",
        "empty-code",
        "wrong-token",
        "no-token",
        "empty-token",
        "board-token-as-facilitator",
        "referent-other-table",
        "facilitator-token-as-referent",
        "no-table",
        "unknown-table",
        "long-name",
        "unknown-organisation",
    ],
)
def test_join_refusals(workshop, socket_client, count_rows, payload, code):
    w, secrets = workshop
    tokens = {
        "@board": secrets.board_token,
        "@referent1": secrets.referent_tokens[1],
        "@facilitator": secrets.facilitator_token,
    }
    payload = {"code": w.code, **payload}
    if payload.get("token") in tokens:
        payload["token"] = tokens[payload["token"]]
    test_client = socket_client()
    before = count_rows()
    assert_refused(test_client.emit("join", payload, callback=True), code)
    assert count_rows() == before
    # Not joined: the connection cannot post.
    assert_refused(add_card(test_client), "not_joined")


MALFORMED_JOINS = [
    None,
    "ABCDEFGH",
    42,
    ["code", "participant"],
    {},
    {"role": "participant", "group": 1},
    {"code": "@", "group": 1},
    {"code": "@", "role": "organiser", "group": 1},
    {"code": "@", "role": "participant", "group": "3"},
    {"code": "@", "role": "participant", "group": True},
    {"code": "@", "role": "participant", "group": 1.5},
    {"code": "@", "role": "participant", "group": 0},
    {"code": "@", "role": "participant", "group": -1},
    {"code": "@", "role": "participant", "group": 10**12},
    {"code": 12345678, "role": "participant", "group": 1},
    {"code": ["@"], "role": "participant", "group": 1},
    {"code": "A" * 100_000, "role": "participant", "group": 1},
    {"code": "@", "role": "participant", "group": 1, "name": "x" * 100_000},
    {"code": "@", "role": "participant", "group": 1, "name": 7},
    {"code": "@", "role": "participant", "group": 1, "organisation": {"type": "OT"}},
    {"code": "@", "role": "facilitator", "token": ["t"]},
    {"code": "@", "role": "facilitator", "token": "t" * 100_000},
    {"code": "@", "role": "participant", "group": 1, "participant_token": 5},
]


@pytest.mark.parametrize("payload", MALFORMED_JOINS, ids=range(len(MALFORMED_JOINS)))
def test_malformed_join_payloads_are_refused(workshop, socket_client, count_rows, payload):
    w, _ = workshop
    if isinstance(payload, dict) and payload.get("code") == "@":
        payload = {**payload, "code": w.code}
    test_client = socket_client()
    before = count_rows()
    reply = test_client.emit("join", payload, callback=True)
    assert reply["ok"] is False, reply
    assert reply["error"]["code"] in ("invalid_payload", "name_too_long"), reply
    assert reply["error"]["message"].strip()
    assert count_rows() == before
    assert_refused(add_card(test_client), "not_joined")


def test_join_without_payload_is_answered(socket_client):
    assert_refused(socket_client().emit("join", callback=True), "invalid_payload")


def test_too_many_failed_joins_on_one_connection(workshop, socket_client):
    w, _ = workshop
    test_client = socket_client()
    for _ in range(5):
        assert_refused(
            test_client.emit("join", {"code": "ZZZZZZZZ", "role": "participant"}, callback=True),
            "unknown_workshop",
        )
    # Even the right code is refused now, on this connection.
    reply = test_client.emit("join", {"code": w.code, "role": "participant", "group": 1}, callback=True)
    assert_refused(reply, "too_many_attempts")
    # Another connection is not affected.
    other = socket_client()
    assert other.emit("join", {"code": w.code, "role": "participant", "group": 1}, callback=True)["ok"]


def test_wrong_tokens_count_as_failed_attempts(workshop, socket_client):
    w, secrets = workshop
    test_client = socket_client()
    for _ in range(5):
        reply = test_client.emit("join", {"code": w.code, "role": "board", "token": "guess"}, callback=True)
        assert_refused(reply, "bad_token")
    reply = test_client.emit(
        "join", {"code": w.code, "role": "board", "token": secrets.board_token}, callback=True
    )
    assert_refused(reply, "too_many_attempts")


def test_malformed_payloads_do_not_lock_the_connection(workshop, socket_client):
    w, _ = workshop
    test_client = socket_client()
    for _ in range(10):
        assert_refused(test_client.emit("join", {"code": w.code}, callback=True), "invalid_payload")
    assert test_client.emit("join", {"code": w.code, "role": "participant", "group": 1}, callback=True)["ok"]


def test_connection_state_is_forgotten_on_disconnect(workshop, phone):
    w, _ = workshop
    test_client, _ = phone(w.code)
    sid = next(sid for sid, viewer in realtime.connections.items() if viewer.group_number == 1)
    test_client.disconnect()
    assert sid not in realtime.connections


# --- card:add ---------------------------------------------------------------------------------------


def test_card_add_before_join_is_refused(socket_client, count_rows):
    before = count_rows()
    assert_refused(add_card(socket_client()), "not_joined")
    assert count_rows() == before


def test_card_add_answers_the_card_with_its_client_id(workshop, phone):
    w, _ = workshop
    test_client, _ = phone(w.code, group=2, name="Léa")
    client_id = new_client_id()
    reply = add_card(test_client, text="  Des équipes fidèles ", family="attentes", client_id=client_id)
    assert reply["ok"], reply
    card = reply["card"]
    assert card["client_id"] == client_id
    assert (card["text"], card["family"], card["group"], card["author"]) == (
        "Des équipes fidèles",
        "attentes",
        2,
        "Léa",
    )
    assert card["source"] == "phone" and card["status"] == "visible"
    assert isinstance(card["id"], int) and isinstance(card["seq"], int)
    assert card["created_at"].endswith("Z")


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"family": "menaces"}, "unknown_family"),
        ({"text": ""}, "empty_text"),
        ({"text": " \n "}, "empty_text"),
        ({"text": "x" * 281}, "text_too_long"),
        (None, "invalid_payload"),
        ("texte", "invalid_payload"),
        ([1, 2], "invalid_payload"),
        ({"client_id": None}, "invalid_payload"),
        ({"client_id": ""}, "invalid_payload"),
        ({"client_id": "a b"}, "invalid_payload"),
        ({"client_id": "x" * 65}, "invalid_payload"),
        ({"client_id": 12}, "invalid_payload"),
        ({"family": None}, "invalid_payload"),
        ({"family": ["forces"]}, "invalid_payload"),
        ({"text": None}, "invalid_payload"),
        ({"text": 12}, "invalid_payload"),
        ({"text": "x" * 100_000}, "invalid_payload"),
        ({"group": "2"}, "invalid_payload"),
    ],
)
def test_card_add_refusals(workshop, phone, count_rows, payload, code):
    w, _ = workshop
    test_client, _ = phone(w.code, group=1)
    if isinstance(payload, dict):
        payload = {"client_id": new_client_id(), "family": "forces", "text": "Texte", **payload}
    before = count_rows()
    assert_refused(test_client.emit("card:add", payload, callback=True), code)
    assert count_rows() == before
    assert received(test_client, "card:added") == []


def test_board_cannot_post(workshop, joined, count_rows):
    w, secrets = workshop
    board, _ = joined(w.code, "board", token=secrets.board_token)
    before = count_rows()
    assert_refused(add_card(board), "forbidden")
    assert count_rows() == before


def test_referent_types_paper_cards_for_its_table(workshop, joined):
    w, secrets = workshop
    referent, _ = joined(w.code, "referent", token=secrets.referent_tokens[2])
    reply = add_card(referent, group=3)
    assert reply["ok"] and reply["card"]["source"] == "paper" and reply["card"]["group"] == 2


def test_facilitator_types_paper_cards_for_a_chosen_table(workshop, joined):
    w, secrets = workshop
    facilitator, _ = joined(w.code, "facilitator", token=secrets.facilitator_token)
    assert_refused(add_card(facilitator), "group_required")
    assert_refused(add_card(facilitator, group=9), "unknown_group")
    reply = add_card(facilitator, group=3)
    assert reply["ok"] and reply["card"]["group"] == 3 and reply["card"]["source"] == "paper"


@pytest.fixture
def room(workshop, phone, joined):
    """Everyone of a workshop: two phones at table 1, one at table 2, référent 2, board, facilitator."""
    w, secrets = workshop
    people = {
        "phone1": phone(w.code, group=1)[0],
        "phone1b": phone(w.code, group=1)[0],
        "phone2": phone(w.code, group=2)[0],
        "referent2": joined(w.code, "referent", token=secrets.referent_tokens[2])[0],
        "board": joined(w.code, "board", token=secrets.board_token)[0],
        "facilitator": joined(w.code, "facilitator", token=secrets.facilitator_token)[0],
    }
    for test_client in people.values():
        test_client.get_received()
    return people


def card_texts(test_client):
    return [message["card"]["text"] for message in received(test_client, "card:added")]


def test_cards_reach_their_table_and_the_boards_only(room):
    assert add_card(room["phone1"], text="table un")["ok"]
    assert add_card(room["phone2"], text="table deux")["ok"]
    assert add_card(room["referent2"], text="papier deux")["ok"]
    assert card_texts(room["phone1b"]) == ["table un"]
    assert card_texts(room["phone1"]) == ["table un"]
    assert card_texts(room["phone2"]) == ["table deux", "papier deux"]
    assert card_texts(room["referent2"]) == ["table deux", "papier deux"]
    assert card_texts(room["board"]) == ["table un", "table deux", "papier deux"]
    assert card_texts(room["facilitator"]) == ["table un", "table deux", "papier deux"]


def test_broadcast_card_does_not_carry_the_client_id(room):
    add_card(room["phone1"], text="secret")
    [message] = received(room["board"], "card:added")
    assert "client_id" not in message["card"]


def test_idempotent_resend_is_broadcast_once(room, count_rows):
    client_id = new_client_id()
    first = add_card(room["phone1"], text="Une seule fois", client_id=client_id)
    before = count_rows()
    again = add_card(room["phone1"], text="Une seule fois", client_id=client_id)
    assert first["ok"] and again["ok"]
    assert again["card"] == first["card"]
    assert count_rows() == before
    assert card_texts(room["board"]) == ["Une seule fois"]
    assert card_texts(room["phone1b"]) == ["Une seule fois"]


def test_a_resend_says_it_is_one_and_tidying_is_no_difference(room):
    client_id = new_client_id()
    first = add_card(room["phone1"], text="Une seule fois", client_id=client_id)
    assert "duplicate" not in first and "text_differs" not in first
    again = add_card(room["phone1"], text="  Une seule\u200b fois \n", client_id=client_id)
    assert again["ok"] and again["duplicate"] is True and again["text_differs"] is False


def test_a_resend_with_another_text_keeps_the_card_and_says_the_text_differs(room, count_rows):
    """Issue 18, point 14: the stored card is answered (idempotency), and the phone is told that the
    text it sent is not that card's, so it can give the person their text back."""
    client_id = new_client_id()
    first = add_card(room["phone1"], text="Premier jet", client_id=client_id)
    before = count_rows()
    again = add_card(room["phone1"], text="Texte corrigé", client_id=client_id)
    assert again["ok"] and again["card"] == first["card"]
    assert again["duplicate"] is True and again["text_differs"] is True
    assert count_rows() == before
    assert card_texts(room["board"]) == ["Premier jet"]


def test_client_id_of_someone_else_is_a_conflict(room):
    client_id = new_client_id()
    assert add_card(room["phone1"], client_id=client_id)["ok"]
    assert_refused(add_card(room["phone1b"], client_id=client_id), "client_id_conflict")
    assert len(received(room["board"], "card:added")) == 1


def test_participant_counts_reach_their_table_and_the_boards(workshop, room, phone):
    w, _ = workshop
    phone(w.code, group=2)
    counts = received(room["board"], "participants:count")
    assert [(m["group"], m["participants"]) for m in counts] == [(2, 2)]
    assert [(m["group"], m["participants"]) for m in received(room["phone2"], "participants:count")] == [
        (2, 2)
    ]
    assert received(room["phone1"], "participants:count") == []


def test_rejoining_elsewhere_leaves_the_old_table(workshop, room, socket_client):
    w, _ = workshop
    mover = room["phone1b"]
    reply = mover.emit("join", {"code": w.code, "role": "participant", "group": 2}, callback=True)
    assert reply["ok"] and reply["group"] == 2
    mover.get_received()
    add_card(room["phone1"], text="table un")
    add_card(room["phone2"], text="table deux")
    assert card_texts(mover) == ["table deux"]


# --- sync -------------------------------------------------------------------------------------------


def test_sync_returns_what_the_table_missed(room):
    phone1 = room["phone1"]
    since = phone1.emit("sync", {"since": 0}, callback=True)["seq"]
    add_card(room["phone2"], text="deux")
    add_card(room["phone1b"], text="un")
    add_card(room["referent2"], text="papier")
    reply = phone1.emit("sync", {"since": since}, callback=True)
    assert reply["ok"] and "snapshot" not in reply
    assert [m["card"]["text"] for m in reply["events"]] == ["un"]
    assert reply["seq"] == since + 3
    board = room["board"].emit("sync", {"since": since}, callback=True)
    assert [m["card"]["text"] for m in board["events"]] == ["deux", "un", "papier"]


def test_sync_after_join_with_the_snapshot_seq_misses_nothing_and_repeats_nothing(workshop, phone):
    w, _ = workshop
    test_client, reply = phone(w.code, group=1)
    sync = test_client.emit("sync", {"since": reply["snapshot"]["seq"]}, callback=True)
    assert sync.pop("server_time").endswith("Z"), "the clock that countdowns correct themselves with"
    assert sync == {"ok": True, "seq": reply["snapshot"]["seq"], "events": []}


@pytest.mark.parametrize("since", [10_000, "too-old"])
def test_sync_answers_a_snapshot_when_events_cannot_answer(app, room, since):
    app.config["SYNC_MAX_EVENTS"] = 2
    for n in range(3):
        add_card(room["phone1"], text=f"carte {n}")
    if since == "too-old":
        since = 0
    reply = room["phone1"].emit("sync", {"since": since}, callback=True)
    assert reply["ok"] and "events" not in reply
    assert [card["text"] for card in reply["snapshot"]["cards"]] == ["carte 0", "carte 1", "carte 2"]
    assert reply["snapshot"]["seq"] == reply["seq"]


def test_sync_snapshot_of_a_phone_holds_only_its_table(room):
    add_card(room["phone1"], text="un")
    add_card(room["phone2"], text="deux")
    reply = room["phone2"].emit("sync", {"since": 10**9}, callback=True)
    assert [card["text"] for card in reply["snapshot"]["cards"]] == ["deux"]


@pytest.mark.parametrize(
    "payload", [None, {}, {"since": -1}, {"since": "3"}, {"since": 1.5}, {"since": True}, [0]]
)
def test_sync_refuses_malformed_payloads(room, payload):
    assert_refused(room["phone1"].emit("sync", payload, callback=True), "invalid_payload")


def test_sync_before_join_is_refused(socket_client):
    assert_refused(socket_client().emit("sync", {"since": 0}, callback=True), "not_joined")


# --- unknown events and languages -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["vote:cast:typo", "card:shred", "hello", "x" * 300])
def test_unknown_events_are_answered(socket_client, name):
    reply = socket_client().emit(name, {"card_id": 1}, callback=True)
    assert_refused(reply, "unknown_event")


def test_unknown_event_without_payload_is_answered(socket_client):
    assert_refused(socket_client().emit("nothing", callback=True), "unknown_event")


@pytest.mark.parametrize("args", [({"card_id": 1},), ("text",), ()])
def test_an_event_named_star_is_answered(socket_client, args):
    """python-socketio hands it to the catch-all handler without its name (realtime.core.answer_star_events)."""
    client = socket_client()
    reply = client.emit("*", *args, callback=True)
    assert_refused(reply, "unknown_event")
    assert reply["error"]["details"] == {"event": "*"}
    assert_refused(client.emit("hello", {}, callback=True), "unknown_event")  # the connection still works


def message_of(socket_client, **headers):
    reply = socket_client(**headers).emit("join", {"code": "ZZZZZZZZ", "role": "participant"}, callback=True)
    assert_refused(reply, "unknown_workshop")
    return reply["error"]["message"]


ENGLISH = "No workshop has this code. Check the code on the poster."


def test_messages_are_in_french_by_default(socket_client):
    french = message_of(socket_client)
    assert french != ENGLISH
    assert "atelier" in french.lower() and "code" in french


def test_messages_are_in_english_when_the_phone_asks(socket_client):
    english = message_of(socket_client, **{"Accept-Language": "en-GB,en;q=0.9"})
    assert english == ENGLISH
    assert message_of(socket_client, **{"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}) != ENGLISH


def test_error_messages_fill_in_their_details(workshop, phone):
    w, _ = workshop
    test_client, _ = phone(w.code)
    reply = add_card(test_client, text="x" * 281)
    assert "280" in reply["error"]["message"]
    assert reply["error"]["details"] == {"limit": 280}


def test_an_event_named_disconnect_does_not_reset_failed_joins(workshop, socket_client):
    w, _ = workshop
    test_client = socket_client()
    for _ in range(5):
        test_client.emit("join", {"code": "ZZZZZZZZ", "role": "participant"}, callback=True)
    assert_refused(test_client.emit("disconnect", {}, callback=True), "unknown_event")
    reply = test_client.emit("join", {"code": w.code, "role": "participant", "group": 1}, callback=True)
    assert_refused(reply, "too_many_attempts")


def test_an_event_named_disconnect_does_not_forget_the_viewer(workshop, phone):
    w, _ = workshop
    test_client, _ = phone(w.code)
    test_client.emit("disconnect", callback=True)
    assert add_card(test_client)["ok"]


def test_an_acknowledged_card_is_on_disk(app, workshop, phone):
    """The ack comes after the commit: another connection to the database file sees the card."""
    from sqlalchemy import create_engine, select

    from facilitator.models import Card

    w, _ = workshop
    test_client, _ = phone(w.code)
    reply = add_card(test_client, text="Sur le disque")
    engine = create_engine(app.config["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            stored = connection.execute(select(Card.text).where(Card.id == reply["card"]["id"])).scalar_one()
    finally:
        engine.dispose()
    assert stored == "Sur le disque"


def test_workshops_are_isolated(make_workshop, phone, joined):
    first, first_secrets = make_workshop(groups=1)
    second, _ = make_workshop(groups=1)
    board, _ = joined(first.code, "board", token=first_secrets.board_token)
    here, _ = phone(first.code)
    there, _ = phone(second.code)
    board.get_received()
    here.get_received()
    assert add_card(there, text="ailleurs")["ok"]
    assert received(board, "card:added") == [] and received(here, "card:added") == []
    missed = board.emit("sync", {"since": 0}, callback=True)["events"]
    assert [m["type"] for m in missed] == ["participants:count"], "only the phone that joined here"


def test_a_phone_cannot_post_to_another_table(room):
    reply = add_card(room["phone1"], text="ici", group=2)
    assert reply["ok"] and reply["card"]["group"] == 1
    assert card_texts(room["phone2"]) == [] and card_texts(room["referent2"]) == []
    assert card_texts(room["phone1b"]) == ["ici"]
