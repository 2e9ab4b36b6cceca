"""Moderation: edit, hide/restore, move, merge (provenance kept), delete, table ready — who may do what,
idempotent resends, one event per change, and every refusal an ack that changes nothing."""

import pytest

from tests.conftest import new_client_id, received, received_until


@pytest.fixture
def table(make_workshop, joined, phone):
    """Two tables; a référent per table, the facilitator, the board, two phones at table 1."""
    w, secrets = make_workshop(groups=2)
    fac, _ = joined(w.code, "facilitator", token=secrets.facilitator_token)
    board, _ = joined(w.code, "board", token=secrets.board_token)
    ref1, _ = joined(w.code, "referent", token=secrets.referent_tokens[1])
    ref2, _ = joined(w.code, "referent", token=secrets.referent_tokens[2])
    lea, _ = phone(w.code, group=1, name="Léa")
    paul, _ = phone(w.code, group=1, name="Paul")
    clients = {
        "w": w,
        "secrets": secrets,
        "fac": fac,
        "board": board,
        "ref1": ref1,
        "ref2": ref2,
        "lea": lea,
        "paul": paul,
    }
    for name, c in clients.items():
        if name not in ("w", "secrets"):
            c.get_received()
    return clients


def post(client, text, family="forces"):
    reply = client.emit(
        "card:add", {"client_id": new_client_id(), "family": family, "text": text}, callback=True
    )
    assert reply["ok"], reply
    client.get_received()
    return reply["card"]


def drain(*clients):
    for c in clients:
        c.get_received()


def test_referent_edits_hides_restores_and_moves_with_one_event_each(table, count_rows):
    card = post(table["lea"], "Accueil chaleureux")
    drain(table["board"], table["ref1"], table["paul"], table["ref2"])
    ref = table["ref1"]

    reply = ref.emit("card:edit", {"card_id": card["id"], "text": "  Un accueil chaleureux "}, callback=True)
    assert reply["ok"] and reply["card"]["text"] == "Un accueil chaleureux"
    assert reply["card"]["updated_at"] is not None
    for c in (table["board"], table["paul"], table["ref1"]):
        updates = received(c, "card:updated")
        assert [u["card"]["text"] for u in updates] == ["Un accueil chaleureux"]
    assert received(table["ref2"], "card:updated") == [], "another table hears nothing"

    assert ref.emit("card:hide", {"card_id": card["id"]}, callback=True)["card"]["status"] == "hidden"
    assert [u["card"]["status"] for u in received(table["board"], "card:updated")] == ["hidden"]
    before = count_rows()
    # Hiding again changes nothing and records nothing.
    assert ref.emit("card:hide", {"card_id": card["id"]}, callback=True)["ok"]
    assert count_rows() == before and received(table["board"], "card:updated") == []
    assert ref.emit("card:restore", {"card_id": card["id"]}, callback=True)["card"]["status"] == "visible"
    moved = ref.emit("card:move", {"card_id": card["id"], "family": "attentes"}, callback=True)
    assert moved["card"]["family"] == "attentes"
    refused = ref.emit("card:move", {"card_id": card["id"], "family": "menaces"}, callback=True)
    assert refused["error"]["code"] == "unknown_family"


def test_merge_keeps_the_text_and_the_provenance(table):
    kept = post(table["lea"], "Des équipes fidèles")
    dup = post(table["paul"], "Équipes fidèles et motivées")
    drain(table["board"], table["ref1"])
    reply = table["ref1"].emit("card:merge", {"keep": kept["id"], "cards": [dup["id"]]}, callback=True)
    assert reply["ok"], reply
    assert reply["card"]["text"] == "Des équipes fidèles"
    assert reply["card"]["merged_from"] == [
        {"id": dup["id"], "text": "Équipes fidèles et motivées", "author": "Paul", "group": 1}
    ]
    [event] = received(table["board"], "card:updated")
    assert event["card"]["id"] == kept["id"] and event["card"]["merged_from"][0]["id"] == dup["id"]
    assert [(m["id"], m["status"], m["merged_into"]) for m in event["merged"]] == [
        (dup["id"], "merged", kept["id"])
    ]
    # A merged card cannot be changed any more; the snapshot keeps the provenance.
    assert (
        table["ref1"].emit("card:hide", {"card_id": dup["id"]}, callback=True)["error"]["code"]
        == "card_merged"
    )
    snap = table["fac"].emit("sync", {"since": 0}, callback=True)
    assert any(e["type"] == "card:updated" for e in snap["events"])


def test_merge_moves_the_dots_to_the_kept_card(table, session):
    from sqlalchemy import select

    from facilitator.models import Vote

    kept = post(table["lea"], "A")
    dup = post(table["paul"], "A bis")
    vote = table["lea"].emit("vote:cast", {"card_id": dup["id"], "delta": 1}, callback=True)
    assert vote["ok"], vote
    assert table["ref1"].emit("card:merge", {"keep": kept["id"], "cards": [dup["id"]]}, callback=True)["ok"]
    session.expire_all()
    assert [v.card_id for v in session.scalars(select(Vote))] == [kept["id"]]


def test_a_participant_edits_and_deletes_only_their_own_card(table, count_rows):
    mine = post(table["lea"], "Ma carte")
    theirs = post(table["paul"], "Sa carte")
    drain(table["board"], table["ref1"])
    lea = table["lea"]
    edited = lea.emit("card:edit", {"card_id": mine["id"], "text": "Ma carte corrigée"}, callback=True)
    assert edited["ok"] and edited["card"]["text"] == "Ma carte corrigée"
    before = count_rows()
    for event, payload in [
        ("card:edit", {"card_id": theirs["id"], "text": "piraté"}),
        ("card:delete", {"card_id": theirs["id"]}),
        ("card:hide", {"card_id": theirs["id"]}),
        ("card:hide", {"card_id": mine["id"]}),
        ("card:move", {"card_id": mine["id"], "family": "attentes"}),
        ("card:merge", {"keep": mine["id"], "cards": [theirs["id"]]}),
        ("group:ready", {"ready": True}),
    ]:
        reply = lea.emit(event, payload, callback=True)
        assert reply["ok"] is False and reply["error"]["code"] == "forbidden", (event, reply)
    assert count_rows() == before
    deleted = lea.emit("card:delete", {"card_id": mine["id"]}, callback=True)
    assert deleted["card"]["status"] == "deleted"
    assert [u["card"]["status"] for u in received(table["board"], "card:updated")] == ["visible", "deleted"]
    gone = lea.emit("card:edit", {"card_id": mine["id"], "text": "x"}, callback=True)
    assert gone["error"]["code"] == "unknown_card"


def test_a_participant_cannot_edit_once_the_family_is_closed(table):
    mine = post(table["lea"], "Ma force")
    fac = table["fac"]
    assert fac.emit("step:start", {}, callback=True)["ok"]  # accueil: no family open
    reply = table["lea"].emit("card:edit", {"card_id": mine["id"], "text": "trop tard"}, callback=True)
    assert reply["error"]["code"] == "editing_closed"
    # The référent still moderates it.
    assert table["ref1"].emit("card:edit", {"card_id": mine["id"], "text": "Ma force !"}, callback=True)["ok"]


def test_referent_of_another_table_and_the_board_are_refused(table, count_rows):
    card = post(table["lea"], "Table 1")
    before = count_rows()
    for event, payload in [
        ("card:edit", {"card_id": card["id"], "text": "x"}),
        ("card:hide", {"card_id": card["id"]}),
        ("card:restore", {"card_id": card["id"]}),
        ("card:move", {"card_id": card["id"], "family": "attentes"}),
        ("card:delete", {"card_id": card["id"]}),
    ]:
        reply = table["ref2"].emit(event, payload, callback=True)
        assert reply["error"]["code"] == "not_your_table", (event, reply)
        reply = table["board"].emit(event, payload, callback=True)
        assert reply["error"]["code"] == "forbidden", (event, reply)
    assert table["ref2"].emit("group:ready", {"ready": True, "group": 1}, callback=True)["error"]["code"] == (
        "not_your_table"
    )
    assert table["board"].emit("group:ready", {"ready": True, "group": 1}, callback=True)["error"][
        "code"
    ] == ("forbidden")
    assert (
        table["ref1"].emit("card:hide", {"card_id": 999999}, callback=True)["error"]["code"] == "unknown_card"
    )
    assert count_rows() == before


def test_merge_across_tables_is_refused(table):
    one = post(table["lea"], "Ici")
    two = post(table["ref2"], "Là-bas (papier)")
    reply = table["fac"].emit("card:merge", {"keep": one["id"], "cards": [two["id"]]}, callback=True)
    assert reply["error"]["code"] == "mixed_tables"
    reply = table["fac"].emit("card:merge", {"keep": one["id"], "cards": [one["id"]]}, callback=True)
    assert reply["error"]["code"] == "merge_too_few"


def test_facilitator_moderates_every_table(table):
    card = post(table["ref2"], "Papier table 2")
    assert table["fac"].emit("card:hide", {"card_id": card["id"]}, callback=True)["ok"]
    assert table["fac"].emit("card:delete", {"card_id": card["id"]}, callback=True)["ok"]


def test_moderators_delete_paper_cards_not_phone_cards(table):
    phone_card = post(table["lea"], "De Léa")
    paper = post(table["ref1"], "Carte papier")
    assert table["ref1"].emit("card:delete", {"card_id": phone_card["id"]}, callback=True)["error"][
        "code"
    ] == ("forbidden")
    assert (
        table["ref1"].emit("card:delete", {"card_id": paper["id"]}, callback=True)["card"]["status"]
        == "deleted"
    )


def test_a_resend_with_the_same_client_id_changes_nothing(table, count_rows):
    card = post(table["lea"], "Texte")
    drain(table["board"])
    client_id = new_client_id()
    first = table["ref1"].emit(
        "card:edit", {"card_id": card["id"], "text": "Une", "client_id": client_id}, callback=True
    )
    before = count_rows()
    again = table["ref1"].emit(
        "card:edit", {"card_id": card["id"], "text": "Une", "client_id": client_id}, callback=True
    )
    assert again == first
    assert count_rows() == before
    assert len(received(table["board"], "card:updated")) == 1, "recorded and broadcast once"


def test_table_ready_is_signalled_to_the_boards_and_the_table(table, joined):
    reply = table["ref1"].emit("group:ready", {"ready": True}, callback=True)
    assert reply == {"ok": True, "group": 1, "ready": True}
    assert [m["ready"] for m in received(table["fac"], "group:ready")] == [True]
    assert [m["group"] for m in received(table["lea"], "group:ready")] == [1]
    assert received(table["ref2"], "group:ready") == []
    _, board_join = joined(table["w"].code, "board", token=table["secrets"].board_token)
    assert board_join["snapshot"]["ready"] == {"1": True, "2": False}
    assert table["ref1"].emit("group:ready", {"ready": False}, callback=True)["ready"] is False
    assert [m["ready"] for m in received(table["fac"], "group:ready")] == [False]


def test_sealed_cards_are_changed_only_by_their_author(table):
    fac = table["fac"]
    assert fac.emit("step:start", {}, callback=True)["ok"]
    assert fac.emit("step:next", {}, callback=True)["agenda"]["step"]["hidden_until_reveal"]
    secret = post(table["lea"], "Secret")
    drain(table["board"], table["paul"])
    assert table["ref1"].emit("card:edit", {"card_id": secret["id"], "text": "x"}, callback=True)["error"][
        "code"
    ] == ("card_sealed")
    reply = table["lea"].emit("card:edit", {"card_id": secret["id"], "text": "Secret corrigé"}, callback=True)
    assert reply["ok"]
    for c in (table["board"], table["paul"]):
        assert "Secret corrigé" not in str(c.get_received())


def test_presence_counts_connected_phones(table, phone):
    _, other_join = phone(table["w"].code, group=2)
    assert other_join["presence"] == {"2": 1}
    third, _ = phone(table["w"].code, group=1)
    presence = received(table["board"], "group:presence")
    assert presence[-1] == {"type": "group:presence", "group": 1, "connected": 3}
    third.disconnect()  # announced by a background task (`presence.connection_left`)
    received_until(table["fac"], "group:presence", lambda m: m["group"] == 1 and m["connected"] == 2)


# --- Issue 16, point 8: the kept card is chosen, and a merge can be undone ---------------------------


def test_any_chosen_card_may_be_the_kept_one(table):
    first = post(table["lea"], "Parking trop petit")
    later = post(table["paul"], "Le parking est trop petit le matin")
    reply = table["ref1"].emit("card:merge", {"keep": later["id"], "cards": [first["id"]]}, callback=True)
    assert reply["ok"], reply
    assert (
        reply["card"]["id"] == later["id"] and reply["card"]["text"] == "Le parking est trop petit le matin"
    )
    assert [m["id"] for m in reply["card"]["merged_from"]] == [first["id"]]
    assert isinstance(reply["merge"], int)


def test_unmerge_restores_the_cards_their_dots_their_theme_and_their_essentials(table):
    ref, board, paul = table["ref1"], table["board"], table["paul"]
    kept = post(table["lea"], "Des équipes fidèles")
    dup = post(paul, "Équipes fidèles et motivées")
    hidden = post(paul, "Équipes fidèles (mot déplacé)")
    assert ref.emit("card:hide", {"card_id": hidden["id"]}, callback=True)["ok"]
    theme = ref.emit("theme:create", {"title": "Équipes", "cards": [hidden["id"]]}, callback=True)["theme"]
    assert table["lea"].emit("vote:cast", {"card_id": dup["id"], "delta": 1}, callback=True)["ok"]
    assert paul.emit("vote:cast", {"card_id": kept["id"], "delta": 1}, callback=True)["ok"]
    kept_set = ref.emit("essentials:set", {"family": "forces", "card_ids": [dup["id"]]}, callback=True)
    assert kept_set["ok"], kept_set
    merge = ref.emit("card:merge", {"keep": kept["id"], "cards": [dup["id"], hidden["id"]]}, callback=True)
    assert merge["ok"], merge
    counts = {m["target"]: m["votes"] for m in received(board, "vote:counts")}
    assert counts[f"card:{kept['id']}"] == 2 and counts[f"card:{dup['id']}"] == 0, (
        "the board hears the dots move"
    )
    drain(board, paul, table["fac"])

    reply = ref.emit("card:unmerge", {"card_id": kept["id"]}, callback=True)
    assert reply["ok"], reply
    assert reply["card"]["merged_from"] == []
    back = {c["id"]: c for c in reply["unmerged"]}
    assert back[dup["id"]]["status"] == "visible"
    assert back[hidden["id"]]["status"] == "hidden", "a card hidden before the merge comes back hidden"
    assert back[hidden["id"]]["theme"] == theme["id"], "back in its theme"
    assert back[dup["id"]]["merged_into"] is None

    # The board: the kept card, each restored card (the hidden one reduced), the dots, the essentials.
    updates = received(board, "card:updated")
    by_id = {u["card"]["id"]: u["card"] for u in updates}
    assert by_id[dup["id"]]["text"] == "Équipes fidèles et motivées"
    assert by_id[hidden["id"]] == {"id": hidden["id"], "group": 1, "status": "hidden"}
    assert updates[0]["unmerged"] == sorted([dup["id"], hidden["id"]])
    snap = table["fac"].emit("sync", {"since": 0}, callback=True)
    types = [e["type"] for e in snap["events"]]
    assert "vote:counts" in types and "essentials:changed" in types
    votes = table["fac"].emit(
        "join",
        {"code": table["w"].code, "role": "facilitator", "token": table["secrets"].facilitator_token},
        callback=True,
    )
    table_counts = votes["snapshot"]["votes"]["counts"]["table"]
    assert table_counts[f"card:{dup['id']}"] == 1 and table_counts[f"card:{kept['id']}"] == 1
    [essential] = votes["snapshot"]["essentials"]["1"]
    assert essential["card_id"] == dup["id"]

    # Nothing left to undo; a resend answers the first reply.
    again = ref.emit("card:unmerge", {"card_id": kept["id"]}, callback=True)
    assert again["error"]["code"] == "nothing_to_unmerge"


def test_unmerge_undoes_the_latest_merge_first_and_keeps_later_dots(table):
    ref, lea = table["ref1"], table["lea"]
    a, b, c = (post(lea, text) for text in ("A", "A bis", "A ter"))
    assert ref.emit("card:merge", {"keep": a["id"], "cards": [b["id"]]}, callback=True)["ok"]
    assert ref.emit("card:merge", {"keep": a["id"], "cards": [c["id"]]}, callback=True)["ok"]
    assert lea.emit("vote:cast", {"card_id": a["id"], "delta": 1}, callback=True)["ok"]
    first = ref.emit("card:unmerge", {"card_id": a["id"]}, callback=True)
    assert [card["id"] for card in first["unmerged"]] == [c["id"]]
    assert [m["id"] for m in first["card"]["merged_from"]] == [b["id"]]
    second = ref.emit("card:unmerge", {"card_id": a["id"]}, callback=True)
    assert [card["id"] for card in second["unmerged"]] == [b["id"]]
    assert lea.emit("vote:cast", {"card_id": a["id"], "delta": -1}, callback=True)["ok"], (
        "the later dot stayed"
    )


def test_unmerge_of_a_card_merged_since_and_by_others_is_refused(table, count_rows):
    ref, lea = table["ref1"], table["lea"]
    a, b, c = (post(lea, text) for text in ("A", "A bis", "B"))
    assert ref.emit("card:merge", {"keep": a["id"], "cards": [b["id"]]}, callback=True)["ok"]
    assert ref.emit("card:merge", {"keep": c["id"], "cards": [a["id"]]}, callback=True)["ok"]
    before = count_rows()
    assert ref.emit("card:unmerge", {"card_id": a["id"]}, callback=True)["error"]["code"] == "card_merged"
    assert table["ref2"].emit("card:unmerge", {"card_id": c["id"]}, callback=True)["error"]["code"] == (
        "not_your_table"
    )
    assert lea.emit("card:unmerge", {"card_id": c["id"]}, callback=True)["error"]["code"] == "forbidden"
    assert table["board"].emit("card:unmerge", {"card_id": c["id"]}, callback=True)["error"]["code"] == (
        "forbidden"
    )
    assert count_rows() == before
    # Undo the later merge, then the earlier one: a and b come back.
    assert [x["id"] for x in ref.emit("card:unmerge", {"card_id": c["id"]}, callback=True)["unmerged"]] == [
        a["id"]
    ]
    restored = ref.emit("card:unmerge", {"card_id": a["id"]}, callback=True)
    assert [x["id"] for x in restored["unmerged"]] == [b["id"]]
