"""Real WebSocket clients against `python wsgi.py`, knowing only the public contract.

A workshop is created with `POST /api/workshops`; phones, a board and the facilitator join over
Socket.IO (websocket transport only); cards go in concurrently. What reaches each client is checked
after a *sentinel* card: Socket.IO delivers a connection's messages in order, and the server emits a
card's broadcast before it answers the ack, so once a client holds the sentinel posted after every
other ack, it holds everything it will ever receive for them. No sleeps.
"""

import itertools
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest
from harness import new_client_id

pytestmark = pytest.mark.slow

FAMILIES = ["forces", "faiblesses", "attentes", "contributions"]
ORGANISATIONS = ["OT", "ADT", "RT", "CRTL", "Autre"]

# Every text is already what the server stores (NFC, trimmed, no control characters): it must come
# back byte for byte, in the ack, in every broadcast and in snapshots.
TEXTS = [
    "Difficile de recruter des agents thermaux qualifiés",
    "Les saisonniers partent chaque année, tout est à refaire",
    "Un campus des métiers du thermalisme pour former sur place",
    "Coopération OT, ADT & CRTL : « transformer l'essai » — oui !",
    "Être à l'écoute des élus ; ça prend du temps… 🙂",
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script> &amp; &lt;b&gt; </ol>",
    "👩‍💻 Numérique partagé 🏳️‍🌈 🇫🇷 👍🏽 🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "Ligne 1\nLigne 2 : œuvre, Ærø, straße, Œdipe",
    "\"Guillemets\" 'simples' `code` \\ barre oblique inverse",
    "ﬁ ＡＢＣ 中文 العربية עברית",
    "Mutualiser les salons : on y va ensemble, à frais partagés 💶",
]


def card_text(phone_index, card_index):
    base = TEXTS[(phone_index + card_index) % len(TEXTS)]
    return f"{base} #{phone_index}.{card_index}"


def test_texts_are_already_in_stored_form():
    for text in TEXTS:
        assert unicodedata.is_normalized("NFC", text) and text == text.strip()


def join_phones(server, connect, code, tables, per_table):
    """Join `per_table` participants at each table, concurrently; return [(table, client, reply)]."""

    def join(args):
        index, table = args
        phone = connect(server, f"phone {index} (table {table})")
        reply = phone.join(
            code=code,
            role="participant",
            group=table,
            name=f"Prénom{index} Élodie-{index}",
            organisation=ORGANISATIONS[index % len(ORGANISATIONS)],
        )
        assert reply["group"] == table and reply["participant_token"], reply
        assert all(card["group"] == table for card in reply["snapshot"]["cards"])
        return table, phone, reply

    seats = [table for table in range(1, tables + 1) for _ in range(per_table)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(join, enumerate(seats)))


def run_workshop(server, connect, *, tables, per_table, cards_per_phone, resend_every):
    """Create a workshop, join phones and viewers, post cards, resend some; check every delivery."""
    created = server.create_workshop(groups=tables)
    code = created["code"]
    board = connect(server, "board")
    board.join(code=code, role="board", token=created["facilitator_token"])
    board_only = connect(server, "board (board token)")
    board_only.join(code=code, role="board", token=created["board_token"])
    facilitator = connect(server, "facilitator")
    facilitator.join(code=code, role="facilitator", token=created["facilitator_token"])
    viewers = [board, board_only, facilitator]

    phones = join_phones(server, connect, code, tables, per_table)

    def post_all(args):
        index, (table, phone, _reply) = args
        posted = []
        for card_index in range(cards_per_phone):
            client_id = new_client_id()
            family = FAMILIES[(index + card_index) % len(FAMILIES)]
            text = card_text(index, card_index)
            ack = phone.post(family, text, client_id)
            assert ack["ok"], ack
            card = ack["card"]
            assert (card["text"], card["family"], card["group"]) == (text, family, table), card
            assert card["client_id"] == client_id
            posted.append((phone, client_id, card))
        return posted

    with ThreadPoolExecutor(max_workers=8) as pool:
        posted = list(itertools.chain.from_iterable(pool.map(post_all, enumerate(phones))))
    by_id = {card["id"]: card for _phone, _client_id, card in posted}
    assert len(by_id) == len(posted) == tables * per_table * cards_per_phone

    # Resending a client_id (a lost ack) answers the same card and broadcasts nothing new.
    for phone, client_id, card in posted[::resend_every]:
        again = phone.post(card["family"], card["text"], client_id)
        assert again["ok"] and again["card"]["id"] == card["id"], again
        assert again["card"]["text"] == card["text"]
        changed = phone.post(card["family"], "un autre texte", client_id)
        assert (
            changed["ok"] and changed["card"]["id"] == card["id"] and changed["card"]["text"] == card["text"]
        )

    sentinels = {}
    for table in range(1, tables + 1):
        phone = next(p for t, p, _ in phones if t == table)
        ack = phone.post("forces", f"Sentinelle table {table}")
        assert ack["ok"], ack
        sentinels[table] = ack["card"]
        by_id[ack["card"]["id"]] = ack["card"]

    for viewer in viewers:
        received = viewer.wait_for(
            lambda cards: {s["id"] for s in sentinels.values()} <= {c["id"] for c in cards},
            what="every table's sentinel",
        )
        ids = [card["id"] for card in received]
        assert len(ids) == len(set(ids)), f"{viewer.name} received a card twice"
        assert set(ids) == set(by_id), f"{viewer.name}: missing {set(by_id) - set(ids)}"
        for card in received:
            assert card["text"] == by_id[card["id"]]["text"]
            assert card["family"] == by_id[card["id"]]["family"]
            assert card["group"] == by_id[card["id"]]["group"]
            assert "client_id" not in card, "a client id is a secret of its author"

    for table, phone, _reply in phones:
        received = phone.wait_for_card(sentinels[table]["id"])
        ids = [card["id"] for card in received]
        assert len(ids) == len(set(ids)), f"{phone.name} received a card twice"
        expected = {card_id for card_id, card in by_id.items() if card["group"] == table}
        assert set(ids) == expected, f"{phone.name} got another table's card or missed one"

    # A board that opens now starts from the same cards, byte-identical, and the right head counts.
    late = connect(server, "late board")
    snapshot = late.join(code=code, role="board", token=created["board_token"])["snapshot"]
    assert {card["id"]: card["text"] for card in snapshot["cards"]} == {
        card_id: card["text"] for card_id, card in by_id.items()
    }
    assert snapshot["participants"] == {str(table): per_table for table in range(1, tables + 1)}
    assert snapshot["seq"] >= len(by_id)
    return created, phones


def test_thirty_phones_four_tables_one_board(live_server, connect):
    """32 phones at 4 tables post 288 cards at once; everyone gets exactly their share, once.

    Each phone stays under the default card rate limit (15 per 10 seconds): 9 cards, at most one
    card resent twice, and a sentinel."""
    run_workshop(live_server, connect, tables=4, per_table=8, cards_per_phone=9, resend_every=10)


@pytest.mark.parametrize("live_server", ["gevent"], indirect=True)
def test_smoke_with_gevent(live_server, connect):
    """The same workshop, smaller, with FACILITATOR_ASYNC_MODE=gevent."""
    run_workshop(live_server, connect, tables=3, per_table=3, cards_per_phone=4, resend_every=3)


def snapshot_state(server, connect, created):
    viewer = connect(server, "snapshot")
    snapshot = viewer.join(code=created["code"], role="board", token=created["board_token"])["snapshot"]
    viewer.close()
    return snapshot


def assert_refused(reply, code):
    assert reply["ok"] is False, reply
    assert reply["error"]["code"] == code, reply
    assert isinstance(reply["error"]["message"], str) and reply["error"]["message"].strip(), reply


CARD_REFUSALS = [
    ({"client_id": "x1", "family": "menaces", "text": "Famille inconnue"}, "unknown_family"),
    ({"client_id": "x2", "family": "forces", "text": ""}, "empty_text"),
    ({"client_id": "x3", "family": "forces", "text": "  \n\t  "}, "empty_text"),
    ({"client_id": "x4", "family": "forces", "text": "\x00\x07\u202e"}, "empty_text"),
    ({"client_id": "x4b", "family": "forces", "text": " \u200d\u200c "}, "empty_text"),
    ({"client_id": "x5", "family": "forces", "text": "é" * 5000}, "text_too_long"),
    ({"client_id": "x6", "family": "forces", "text": "a" * 281}, "text_too_long"),
    ({"family": "forces", "text": "Sans identifiant"}, "invalid_payload"),
    ({"client_id": "x7", "text": "Sans famille"}, "invalid_payload"),
    ({"client_id": "x8", "family": "forces"}, "invalid_payload"),
    ({"client_id": "x9", "family": "forces", "text": 123}, "invalid_payload"),
    ({"client_id": "x10", "family": None, "text": "Famille nulle"}, "invalid_payload"),
    ({"client_id": 5, "family": "forces", "text": "Identifiant numérique"}, "invalid_payload"),
    ({"client_id": "pas un id !", "family": "forces", "text": "Identifiant invalide"}, "invalid_payload"),
    ({"client_id": "x11", "family": ["forces"], "text": "Famille liste"}, "invalid_payload"),
    ({"client_id": "x12", "family": "forces", "text": {"html": "<b>"}}, "invalid_payload"),
    ("juste une chaîne", "invalid_payload"),
    (["client_id", "family", "text"], "invalid_payload"),
    (None, "invalid_payload"),
]


@pytest.mark.parametrize("live_server", ["eventlet", "gevent"], indirect=True)
def test_bad_payloads_are_refused_and_change_nothing(live_server, connect):
    created = live_server.create_workshop(groups=3)
    code = created["code"]
    board = connect(live_server, "board")
    board.join(code=code, role="board", token=created["facilitator_token"])
    phone = connect(live_server, "phone")
    phone.join(code=code, role="participant", group=1, name="Anaïs", organisation="OT")
    neighbour = connect(live_server, "neighbour")
    neighbour.join(code=code, role="participant", group=2)
    mine = phone.post("forces", "Ma carte")
    assert mine["ok"], mine
    board.wait_for_card(mine["card"]["id"])
    before = snapshot_state(live_server, connect, created)

    for payload, code_expected in CARD_REFUSALS:
        assert_refused(phone.call("card:add", payload), code_expected)
    # Someone else's client_id is not a way to read or overwrite their card.
    stolen = neighbour.post("forces", "Ma version", mine["card"]["client_id"])
    assert_refused(stolen, "client_id_conflict")
    # A board only reads.
    assert_refused(
        board.call("card:add", {"client_id": "b1", "family": "forces", "text": "Du tableau"}), "forbidden"
    )
    # Events nobody handles are answered too.
    assert_refused(phone.call("card:delete-all", {"code": code}), "unknown_event")

    stranger = connect(live_server, "not joined")
    assert_refused(stranger.post("forces", "Sans rejoindre"), "not_joined")

    join_refusals = [
        ({"code": "ZZZZZZZZ", "role": "participant", "group": 1}, "unknown_workshop"),
        ({"code": code, "role": "board", "token": "pas-le-bon-jeton"}, "bad_token"),
        ({"code": code, "role": "board"}, "bad_token"),
        ({"code": code, "role": "facilitator", "token": created["board_token"]}, "bad_token"),
        ({"code": code, "role": "referent", "token": created["facilitator_token"]}, "bad_token"),
        (
            {"code": code, "role": "referent", "token": created["groups"][0]["referent_token"], "group": 2},
            "bad_token",
        ),
        ({"code": code, "role": "participant", "group": 99}, "unknown_group"),
        ({"code": code, "role": "participant"}, "group_required"),
        ({"code": code, "role": "participant", "group": 1, "organisation": "Mairie"}, "unknown_organisation"),
        ({"code": code, "role": "participant", "group": 1, "name": "N" * 41}, "name_too_long"),
        ({"code": code, "role": "admin"}, "invalid_payload"),
        ({"code": 12345678, "role": "participant", "group": 1}, "invalid_payload"),
        ({"code": code, "role": "participant", "group": "1"}, "invalid_payload"),
        ({"role": "participant", "group": 1}, "invalid_payload"),
    ]
    for payload, code_expected in join_refusals:
        client = connect(live_server, "join refused")
        assert_refused(client.call("join", payload), code_expected)
        assert_refused(client.post("forces", "Après un refus"), "not_joined")
        client.close()

    after = snapshot_state(live_server, connect, created)
    assert after == before, "a refused request changed the workshop"

    sentinel = phone.post("attentes", "Sentinelle")
    assert sentinel["ok"], sentinel
    received = board.wait_for_card(sentinel["card"]["id"])
    assert [card["id"] for card in received] == [mine["card"]["id"], sentinel["card"]["id"]]
    assert [card["id"] for card in neighbour.cards()] == []


def test_wrong_codes_are_limited_per_connection(live_server, connect):
    """Join codes cannot be guessed by brute force through one connection."""
    created = live_server.create_workshop(groups=1)
    guesser = connect(live_server, "guesser")
    for attempt in range(5):
        assert_refused(
            guesser.call("join", {"code": f"AAAAAAA{attempt + 2}", "role": "participant"}), "unknown_workshop"
        )
    assert_refused(
        guesser.call("join", {"code": created["code"], "role": "participant"}), "too_many_attempts"
    )
