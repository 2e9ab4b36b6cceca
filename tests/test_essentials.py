"""Each table's essentials: the référent marks, reorders and unmarks them up to N per family, or takes them
from the vote (ties broken by the earlier card, and shown); permissions over Socket.IO; the snapshot."""

import pytest
from sqlalchemy import func, select

from facilitator import agenda, essentials, votes
from facilitator.access import Viewer
from facilitator.cards import post_card
from facilitator.errors import DomainError
from facilitator.models import Essential, Participant, Workshop
from tests.conftest import new_client_id, received


@pytest.fixture
def w(session, make_workshop):
    workshop, _ = make_workshop(groups=2, vote_budget=5)
    w = session.get(Workshop, workshop.id)
    w.essentials_per_family = 2
    session.commit()
    return w


def phone_viewer(session, w, number=1):
    group = w.group(number)
    participant = Participant(workshop_id=w.id, group_id=group.id, token_hash=new_client_id())
    session.add(participant)
    session.commit()
    return Viewer(w.id, "participant", group.id, group.number, participant.id)


def referent(w, number=1):
    return Viewer(w.id, "referent", w.group(number).id, number)


def post(session, w, viewer, family="forces", text="Une idée"):
    return post_card(session, w, viewer, client_id=new_client_id(), family=family, text=text)[0]


def refused(code, fn, *args, **kwargs):
    with pytest.raises(DomainError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value.code


def kept(session, w):
    return session.scalar(select(func.count(Essential.id)).where(Essential.workshop_id == w.id))


def test_mark_reorder_unmark(session, w, published):
    lea = phone_viewer(session, w)
    a, b = post(session, w, lea, text="A"), post(session, w, lea, text="B")
    result = essentials.set_essentials(session, w, referent(w), family="forces", card_ids=[b.id, a.id])
    assert [(e["text"], e["position"], e["source"]) for e in result] == [
        ("B", 0, "referent"),
        ("A", 1, "referent"),
    ]
    message, audience = published[-1]
    assert message["type"] == "essentials:changed" and message["group"] == 1
    assert [e["text"] for e in message["essentials"]] == ["B", "A"] and audience.group_id == w.group(1).id
    result = essentials.set_essentials(session, w, referent(w), family="forces", card_ids=[a.id, b.id])
    assert [e["text"] for e in result] == ["A", "B"]
    assert essentials.set_essentials(session, w, referent(w), family="forces", card_ids=[]) == []
    assert kept(session, w) == 0


def test_limit_per_family(session, w):
    lea = phone_viewer(session, w)
    cards = [post(session, w, lea, text=str(i)) for i in range(3)]
    weak = post(session, w, lea, "faiblesses", "weak")
    essentials.set_essentials(session, w, referent(w), family="forces", card_ids=[c.id for c in cards[:2]])
    refused(
        "essentials_full",
        essentials.set_essentials,
        session,
        w,
        referent(w),
        family="forces",
        card_ids=[c.id for c in cards],
    )
    assert kept(session, w) == 2, "a refusal changes nothing"
    essentials.set_essentials(session, w, referent(w), family="faiblesses", card_ids=[weak.id])
    assert kept(session, w) == 3, "the limit is per family"


def test_refused_targets(session, w):
    lea, zoe = phone_viewer(session, w, 1), phone_viewer(session, w, 2)
    mine, other = post(session, w, lea), post(session, w, zoe)
    hidden = post(session, w, lea, text="hidden")
    hidden.status = "hidden"
    session.commit()
    ref = referent(w)
    refused(
        "unknown_target", essentials.set_essentials, session, w, ref, family="forces", card_ids=[other.id]
    )
    refused(
        "unknown_target", essentials.set_essentials, session, w, ref, family="forces", card_ids=[hidden.id]
    )
    refused(
        "invalid_payload", essentials.set_essentials, session, w, ref, family="faiblesses", card_ids=[mine.id]
    )
    refused("unknown_family", essentials.set_essentials, session, w, ref, family="nope", card_ids=[])
    refused(
        "invalid_payload",
        essentials.set_essentials,
        session,
        w,
        ref,
        family="forces",
        card_ids=[mine.id, mine.id],
    )
    assert kept(session, w) == 0


def test_permissions(session, w):
    lea = phone_viewer(session, w)
    card = post(session, w, lea)
    for viewer in (lea, Viewer(w.id, "board")):
        refused(
            "forbidden", essentials.set_essentials, session, w, viewer, family="forces", card_ids=[card.id]
        )
    # Table 2's référent works on table 2 only: table 1's card is not there, table 1 is not theirs.
    refused(
        "unknown_target",
        essentials.set_essentials,
        session,
        w,
        referent(w, 2),
        family="forces",
        card_ids=[card.id],
    )
    refused(
        "forbidden",
        essentials.set_essentials,
        session,
        w,
        referent(w, 1),
        family="forces",
        card_ids=[],
        group_number=2,
    )
    fac = Viewer(w.id, "facilitator")
    refused("group_required", essentials.set_essentials, session, w, fac, family="forces", card_ids=[card.id])
    assert essentials.set_essentials(session, w, fac, family="forces", card_ids=[card.id], group_number=1)


def test_from_votes_takes_the_top_and_shows_the_tie(session, w):
    lea, paul = phone_viewer(session, w), phone_viewer(session, w)
    a, b, c, d = (post(session, w, lea, text=t) for t in "ABCD")
    post(session, w, lea, text="no dot")
    weak = post(session, w, lea, "faiblesses", "weak")
    for card, n in ((a, 1), (b, 3), (c, 1), (d, 0), (weak, 1)):
        for _ in range(n):
            votes.cast_vote(session, w, paul if card is b else lea, card_id=card.id, delta=1)
    result = essentials.essentials_from_votes(session, w, referent(w))
    forces = [e for e in result["essentials"] if e["family"] == "forces"]
    # B (3 dots), then A and C tied at 1: A is earlier, so A is kept and C is reported as the tie.
    assert [(e["text"], e["votes"], e["source"]) for e in forces] == [("B", 3, "vote"), ("A", 1, "vote")]
    assert [e["text"] for e in result["ties"]["forces"]] == ["C"]
    ranks = {e["text"]: (e["rank"], e["tie"]) for e in result["ranking"]["forces"]}
    assert ranks["A"] == ranks["C"] == (2, True)
    assert [e["text"] for e in result["essentials"] if e["family"] == "faiblesses"] == ["weak"]
    assert "attentes" not in result["ties"]
    # One family only leaves the others alone.
    essentials.set_essentials(session, w, referent(w), family="faiblesses", card_ids=[])
    again = essentials.essentials_from_votes(session, w, referent(w), family="forces")
    assert [e["text"] for e in again["essentials"]] == ["B", "A"]


def test_plenary_broadcasts_to_everyone_and_snapshot_shows_all_tables(session, w, published):
    lea = phone_viewer(session, w)
    card = post(session, w, lea)
    fac = Viewer(w.id, "facilitator")
    agenda.start(session, w, fac)
    agenda.goto(session, w, fac, 4)
    essentials.set_essentials(session, w, referent(w), family="forces", card_ids=[card.id])
    assert published[-1][1].group_id is None
    zoe = phone_viewer(session, w, 2)
    part = essentials.essentials_snapshot(session, w, w.group(2), zoe)
    assert [e["text"] for e in part["essentials"]["1"]] == ["Une idée"] and part["essentials"]["2"] == []
    assert "ranking" not in part


# --- Over Socket.IO -------------------------------------------------------------------------------------


@pytest.fixture
def live(make_workshop, joined, phone):
    w, secrets = make_workshop(groups=2)
    lea, _ = phone(w.code, group=1)
    zoe, _ = phone(w.code, group=2)
    ref1, _ = joined(w.code, "referent", token=secrets.referent_tokens[1])
    board, _ = joined(w.code, "board", token=secrets.board_token)
    card = lea.emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": "Idée"}, callback=True
    )
    for c in (lea, zoe, ref1, board):
        c.get_received()
    return {
        "w": w,
        "secrets": secrets,
        "lea": lea,
        "zoe": zoe,
        "ref1": ref1,
        "board": board,
        "card": card["card"],
    }


def test_referent_sets_essentials_and_the_table_and_boards_hear(live):
    reply = live["ref1"].emit(
        "essentials:set", {"family": "forces", "card_ids": [live["card"]["id"]]}, callback=True
    )
    assert reply["ok"] and reply["essentials"][0]["text"] == "Idée"
    for name in ("lea", "board"):
        changed = received(live[name], "essentials:changed")
        assert changed and changed[0]["essentials"][0]["card_id"] == live["card"]["id"], name
    assert received(live["zoe"], "essentials:changed") == []
    voted = live["ref1"].emit("essentials:from_votes", {}, callback=True)
    assert voted["ok"] and voted["essentials"] == [], "no dot yet: nothing kept from the vote"


def test_socket_permission_refusals(live, joined):
    card_id = live["card"]["id"]
    body = {"family": "forces", "card_ids": [card_id]}
    assert live["lea"].emit("essentials:set", body, callback=True)["error"]["code"] == "forbidden"
    assert live["board"].emit("essentials:set", body, callback=True)["error"]["code"] == "forbidden"
    assert live["lea"].emit("essentials:from_votes", {}, callback=True)["error"]["code"] == "forbidden"
    ref2, _ = joined(live["w"].code, "referent", token=live["secrets"].referent_tokens[2])
    assert ref2.emit("essentials:set", body, callback=True)["error"]["code"] == "unknown_target"
    assert ref2.emit("essentials:set", {**body, "group": 1}, callback=True)["error"]["code"] == "forbidden"
    assert (
        live["ref1"].emit("essentials:set", {**body, "group": 2}, callback=True)["error"]["code"]
        == "forbidden"
    )
    fac, _ = joined(live["w"].code, "facilitator", token=live["secrets"].facilitator_token)
    assert fac.emit("essentials:set", {**body, "group": 1}, callback=True)["ok"]


def test_board_snapshot_has_every_tables_essentials_and_ranking(live, joined):
    live["ref1"].emit("essentials:set", {"family": "forces", "card_ids": [live["card"]["id"]]}, callback=True)
    _, board = joined(live["w"].code, "board", token=live["secrets"].board_token)
    snapshot = board["snapshot"]
    assert set(snapshot["essentials"]) == {"1", "2"} and snapshot["essentials"]["1"][0]["text"] == "Idée"
    assert snapshot["ranking"]["1"]["forces"][0]["rank"] == 1
    _, phone2 = joined(live["w"].code, "participant", group=2)
    assert set(phone2["snapshot"]["essentials"]) == {"2"}, "a phone sees its own table outside the plenary"


def test_phones_list_every_tables_essentials_once_the_plenary_vote_opens(live, joined):
    live["ref1"].emit("essentials:set", {"family": "forces", "card_ids": [live["card"]["id"]]}, callback=True)
    before = live["zoe"].emit("essentials:list", {}, callback=True)
    assert before["error"]["code"] == "voting_closed", "outside the plenary a phone sees its own table only"
    assert live["board"].emit("essentials:list", {}, callback=True)["ok"]
    fac, _ = joined(live["w"].code, "facilitator", token=live["secrets"].facilitator_token)
    fac.emit("step:start", {}, callback=True)
    fac.emit("step:goto", {"position": 4}, callback=True)
    listed = live["zoe"].emit("essentials:list", {}, callback=True)
    assert listed["ok"] and listed["essentials"]["1"][0]["text"] == "Idée" and listed["counts"] == {}
    vote = live["zoe"].emit("vote:cast", {"card_id": live["card"]["id"], "delta": 1}, callback=True)
    assert vote["ok"] and vote["stage"] == "plenary"
    counts = received(live["lea"], "vote:counts")
    assert counts[-1]["stage"] == "plenary" and counts[-1]["votes"] == 1, "everyone hears plenary counts"


def test_phones_list_every_tables_essentials_once_the_run_is_over(live, joined):
    """The phone's thank-you shows the plenary's result: after the plenary, at the conclusion and once
    ended, a phone may list every table's essentials again; before the plenary it may not."""
    live["ref1"].emit("essentials:set", {"family": "forces", "card_ids": [live["card"]["id"]]}, callback=True)
    fac, _ = joined(live["w"].code, "facilitator", token=live["secrets"].facilitator_token)
    fac.emit("step:start", {}, callback=True)
    fac.emit("step:goto", {"position": 3}, callback=True)  # the table vote: not yet
    assert live["zoe"].emit("essentials:list", {}, callback=True)["error"]["code"] == "voting_closed"
    fac.emit("step:goto", {"position": 4}, callback=True)
    assert live["zoe"].emit("vote:cast", {"card_id": live["card"]["id"], "delta": 1}, callback=True)["ok"]
    fac.emit("step:goto", {"position": 6}, callback=True)  # the conclusion
    listed = live["zoe"].emit("essentials:list", {}, callback=True)
    assert listed["ok"] and listed["essentials"]["1"][0]["text"] == "Idée"
    assert listed["counts"] == {f"card:{live['card']['id']}": 1}
    assert fac.emit("step:end", {}, callback=True)["ok"]
    assert live["lea"].emit("essentials:list", {}, callback=True)["ok"]


# --- Issue 16, point 7: themes among the essentials, and the family a mixed theme is filed under -----


def test_cards_and_themes_are_kept_and_reordered_together(session, w):
    from facilitator import themes

    lea = phone_viewer(session, w)
    card = post(session, w, lea, text="Une carte")
    a = post(session, w, lea, text="A")
    b = post(session, w, lea, family="attentes", text="B")
    theme = themes.create_theme(session, w, referent(w), "Mixte", [a.id, b.id])["theme"]
    assert theme["family"] == "forces" and theme["family_chosen"] is False  # its earliest card's
    both = [f"theme:{theme['id']}", f"card:{card.id}"]
    kept_now = essentials.set_essentials(session, w, referent(w), family="forces", targets=both)
    assert [e["target"] for e in kept_now] == both
    again = essentials.set_essentials(session, w, referent(w), family="forces", targets=both[::-1])
    assert [e["target"] for e in again] == both[::-1]
    refused("invalid_payload", essentials.set_essentials, session, w, referent(w), family="attentes",
            targets=[f"theme:{theme['id']}"])  # fmt: skip
    refused("invalid_payload", essentials.set_essentials, session, w, referent(w), family="forces",
            targets=both, card_ids=[card.id])  # fmt: skip

    # Filed under « Attentes » by the référent: it leaves the essentials of « Forces », votes there.
    moved = themes.set_theme_family(session, w, referent(w), theme["id"], "attentes")["theme"]
    assert moved["family"] == "attentes" and moved["family_chosen"] is True
    assert [e["target"] for e in essentials.essentials_of(session, w, w.group(1))] == [f"card:{card.id}"]
    ranking = votes.table_ranking(session, w, w.group(1))
    assert f"theme:{theme['id']}" in [e["target"] for e in ranking["attentes"]]
    assert f"theme:{theme['id']}" not in [e["target"] for e in ranking["forces"]]
    kept_there = essentials.set_essentials(
        session, w, referent(w), family="attentes", targets=[f"theme:{theme['id']}"]
    )
    assert [e["family"] for e in kept_there if e["theme_id"]] == ["attentes"]
    refused("unknown_family", themes.set_theme_family, session, w, referent(w), theme["id"], "menaces")
    refused("not_your_table", themes.set_theme_family, session, w, referent(w, 2), theme["id"], None)
    assert themes.set_theme_family(session, w, referent(w), theme["id"], None)["theme"]["family"] == "forces"
