"""Dot voting: the budget is never exceeded (not even by two casts racing), dots are taken back, per-family
budgets, closed voting, another table refused, idempotent resends, ranking with ties, and the socket events."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator import agenda, votes
from facilitator.access import Viewer
from facilitator.cards import post_card
from facilitator.errors import DomainError
from facilitator.extensions import db
from facilitator.models import Essential, Participant, Vote, Workshop
from tests.conftest import new_client_id, received


@pytest.fixture
def w(session, make_workshop):
    workshop, _ = make_workshop(groups=2, vote_budget=3)
    return session.get(Workshop, workshop.id)


def phone_viewer(session, w, number=1):
    group = w.group(number)
    participant = Participant(workshop_id=w.id, group_id=group.id, token_hash=new_client_id(), name="Léa")
    session.add(participant)
    session.commit()
    return Viewer(w.id, "participant", group.id, group.number, participant.id)


def post(session, w, viewer, family="forces", text="Une idée"):
    return post_card(session, w, viewer, client_id=new_client_id(), family=family, text=text)[0]


def refused(code, fn, *args, **kwargs):
    with pytest.raises(DomainError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value.code
    return info.value


def dots(session, w):
    return session.scalar(select(func.count(Vote.id)).where(Vote.workshop_id == w.id))


def cast(session, w, viewer, card, delta=1, **kw):
    return votes.cast_vote(session, w, viewer, card_id=card.id, delta=delta, **kw)


def test_budget_is_never_exceeded_and_dots_come_back(session, w, published):
    lea = phone_viewer(session, w)
    a, b = post(session, w, lea, text="A"), post(session, w, lea, text="B")
    assert cast(session, w, lea, a)["remaining"] == 2
    assert cast(session, w, lea, a)["remaining"] == 1
    reply = cast(session, w, lea, b)
    assert reply == {
        "ok": True,
        "stage": "table",
        "target": f"card:{b.id}",
        "votes": 1,
        "remaining": 0,
        "by_family": None,
        "mine": {f"card:{a.id}": 2, f"card:{b.id}": 1},
    }
    seq = session.get(Workshop, w.id).seq
    refused("no_dots_left", cast, session, w, lea, b)
    assert dots(session, w) == 3 and session.get(Workshop, w.id).seq == seq, "a refusal changes nothing"
    # Taking a dot back frees it; a dot that is not there cannot be taken.
    assert cast(session, w, lea, a, -1)["mine"] == {f"card:{a.id}": 1, f"card:{b.id}": 1}
    assert cast(session, w, lea, b, -1)["remaining"] == 2
    refused("no_dot_here", cast, session, w, lea, b, -1)
    # The broadcasts carry totals, never who voted, to the boards and the card's table.
    counts = [(m, a_) for m, a_ in published if m["type"] == "vote:counts"]
    assert counts[-1][0] == {
        "type": "vote:counts",
        "seq": counts[-1][0]["seq"],
        "group": 1,
        "stage": "table",
        "target": f"card:{b.id}",
        "card_id": b.id,
        "theme_id": None,
        "votes": 0,
    }
    assert counts[-1][1].group_id == w.group(1).id


def test_each_participant_has_their_own_budget(session, w):
    lea, paul = phone_viewer(session, w), phone_viewer(session, w)
    card = post(session, w, lea)
    for _ in range(3):
        cast(session, w, lea, card)
    assert cast(session, w, paul, card)["votes"] == 4
    refused("no_dots_left", cast, session, w, lea, card)
    refused("no_dot_here", cast, session, w, paul, post(session, w, paul), -1)


def test_per_family_budgets(session, w):
    w.family_budgets = {"forces": 1}
    session.commit()
    lea = phone_viewer(session, w)
    force, other_force = post(session, w, lea, "forces", "F1"), post(session, w, lea, "forces", "F2")
    weakness = post(session, w, lea, "faiblesses", "W")
    reply = cast(session, w, lea, force)
    assert reply["by_family"] == {"forces": 0} and reply["remaining"] == 2
    error = refused("no_family_dots_left", cast, session, w, lea, other_force)
    assert error.details["family"] == "forces"
    assert cast(session, w, lea, weakness)["remaining"] == 1, "other families still take dots"
    assert cast(session, w, lea, weakness)["remaining"] == 0
    refused("no_dots_left", cast, session, w, lea, force, 1)


def test_voting_closed_when_the_step_says_off(session, w):
    lea = phone_viewer(session, w)
    card = post(session, w, lea)
    fac = Viewer(w.id, "facilitator")
    agenda.start(session, w, fac)  # accueil: voting off
    refused("voting_closed", cast, session, w, lea, card)
    agenda.goto(session, w, fac, 3)  # sélectionner l'essentiel: at the tables
    assert cast(session, w, lea, card)["stage"] == "table"
    agenda.set_locked(session, w, fac, True)
    refused("voting_closed", cast, session, w, lea, card)
    agenda.set_locked(session, w, fac, False)
    agenda.end(session, w, fac)
    refused("voting_closed", cast, session, w, lea, card, -1)
    assert dots(session, w) == 1


def test_only_own_table_visible_cards(session, w):
    lea, zoe = phone_viewer(session, w, 1), phone_viewer(session, w, 2)
    other_table = post(session, w, zoe)
    refused("unknown_target", cast, session, w, lea, other_table)
    hidden = post(session, w, lea, text="hidden")
    hidden.status = "hidden"
    merged = post(session, w, lea, text="merged")
    merged.status = "merged"
    sealed = post(session, w, lea, text="sealed")
    sealed.sealed = True
    session.commit()
    for card in (hidden, merged, sealed):
        refused("unknown_target", cast, session, w, lea, card)
    refused("unknown_target", votes.cast_vote, session, w, lea, card_id=999999, delta=1)
    assert dots(session, w) == 0


@pytest.mark.parametrize("role", ["referent", "facilitator", "board"])
def test_only_participants_vote(session, w, role):
    lea = phone_viewer(session, w)
    card = post(session, w, lea)
    group = w.group(1)
    viewer = Viewer(w.id, role, group.id, 1) if role == "referent" else Viewer(w.id, role)
    refused("forbidden", cast, session, w, viewer, card)


def test_plenary_votes_on_every_tables_essentials_only(session, w, published):
    lea, zoe = phone_viewer(session, w, 1), phone_viewer(session, w, 2)
    kept, not_kept = post(session, w, zoe, text="kept"), post(session, w, zoe, text="not kept")
    session.add(Essential(workshop_id=w.id, group_id=w.group(2).id, family="forces", card_id=kept.id))
    session.commit()
    fac = Viewer(w.id, "facilitator")
    agenda.start(session, w, fac)
    agenda.goto(session, w, fac, 4)  # plenary
    reply = cast(session, w, lea, kept)
    assert reply["stage"] == "plenary" and reply["remaining"] == 2
    refused("unknown_target", cast, session, w, lea, not_kept)
    assert published[-1][0]["stage"] == "plenary" and published[-1][1].group_id is None


def test_idempotent_resend_counts_once(session, w):
    lea = phone_viewer(session, w)
    card = post(session, w, lea)
    client_id = new_client_id()
    first = cast(session, w, lea, card, client_id=client_id)
    again = cast(session, w, lea, card, client_id=client_id)
    assert again == first and dots(session, w) == 1
    paul = phone_viewer(session, w)
    refused("client_id_conflict", cast, session, w, paul, card, client_id=client_id)


def test_two_casts_racing_never_exceed_the_budget(app, session, w, published):
    """Eight threads, each with its own database session, cast for the same participant at once."""
    lea = phone_viewer(session, w)
    cards = [post(session, w, lea, text=f"card {i}") for i in range(8)]
    barrier = threading.Barrier(8)
    outcomes = []

    def attempt(card_id):
        with app.app_context(), Session(db.engine, expire_on_commit=False) as own:
            workshop = own.get(Workshop, w.id)
            barrier.wait()
            try:
                votes.cast_vote(own, workshop, lea, card_id=card_id, delta=1)
                outcomes.append("ok")
            except DomainError as exc:
                outcomes.append(exc.code)

    threads = [threading.Thread(target=attempt, args=(c.id,)) for c in cards]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["no_dots_left"] * 5 + ["ok"] * 3
    session.expire_all()
    assert dots(session, w) == 3


def test_ranking_shows_ties_with_equal_ranks():
    entries = [
        {"target": "a", "votes": 3, "seq": 5},
        {"target": "b", "votes": 5, "seq": 9},
        {"target": "c", "votes": 3, "seq": 2},
        {"target": "d", "votes": 1, "seq": 1},
    ]
    ranked = votes.rank(entries)
    assert [(e["target"], e["rank"], e["tie"]) for e in ranked] == [
        ("b", 1, False),
        ("c", 2, True),  # ex aequo, the earlier card first
        ("a", 2, True),
        ("d", 4, False),
    ]


def test_table_ranking_by_family(session, w):
    lea, paul = phone_viewer(session, w), phone_viewer(session, w)
    first, second = post(session, w, lea, text="first"), post(session, w, lea, text="second")
    post(session, w, lea, "faiblesses", "weak")
    cast(session, w, paul, second)
    cast(session, w, paul, second)
    cast(session, w, lea, first)
    ranking = votes.table_ranking(session, w, w.group(1))
    assert [(e["text"], e["votes"], e["rank"]) for e in ranking["forces"]] == [
        ("second", 2, 1),
        ("first", 1, 2),
    ]
    assert ranking["faiblesses"][0]["votes"] == 0


# --- Over Socket.IO -------------------------------------------------------------------------------------


@pytest.fixture
def live(make_workshop, joined, phone):
    w, secrets = make_workshop(groups=2, vote_budget=2)
    lea, lea_join = phone(w.code, group=1, name="Léa")
    paul, _ = phone(w.code, group=1, name="Paul")
    zoe, _ = phone(w.code, group=2, name="Zoé")
    board, _ = joined(w.code, "board", token=secrets.board_token)
    card = lea.emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": "Idée"}, callback=True
    )
    for c in (lea, paul, zoe, board):
        c.get_received()
    return {
        "w": w,
        "secrets": secrets,
        "lea": lea,
        "paul": paul,
        "zoe": zoe,
        "board": board,
        "card": card["card"],
    }


def test_vote_cast_over_socket_broadcasts_counts_to_the_table_and_boards(live):
    reply = live["lea"].emit("vote:cast", {"card_id": live["card"]["id"], "delta": 1}, callback=True)
    assert reply["ok"] and reply["remaining"] == 1
    for name in ("paul", "board"):
        counts = received(live[name], "vote:counts")
        assert [c["votes"] for c in counts] == [1], name
        assert "participant" not in str(counts) and "Léa" not in str(counts)
    assert received(live["zoe"], "vote:counts") == [], "another table hears nothing"
    assert (
        live["lea"].emit("vote:cast", {"card_id": live["card"]["id"], "delta": 1}, callback=True)["remaining"]
        == 0
    )
    over = live["lea"].emit("vote:cast", {"card_id": live["card"]["id"], "delta": 1}, callback=True)
    assert over["ok"] is False and over["error"]["code"] == "no_dots_left" and over["error"]["message"]


def test_vote_refusals_over_socket(live, joined):
    card_id = live["card"]["id"]
    board = live["board"].emit("vote:cast", {"card_id": card_id, "delta": 1}, callback=True)
    assert board["error"]["code"] == "forbidden"
    ref, _ = joined(live["w"].code, "referent", token=live["secrets"].referent_tokens[1])
    assert (
        ref.emit("vote:cast", {"card_id": card_id, "delta": 1}, callback=True)["error"]["code"] == "forbidden"
    )
    other = live["zoe"].emit("vote:cast", {"card_id": card_id, "delta": 1}, callback=True)
    assert other["error"]["code"] == "unknown_target"
    bad = live["lea"].emit("vote:cast", {"card_id": card_id, "delta": 2}, callback=True)
    assert bad["error"]["code"] == "invalid_payload"
    with db.engine.connect() as connection:
        assert connection.scalar(select(func.count(Vote.id))) == 0


def test_snapshot_gives_my_dots_and_the_counts(live, phone):
    card_id = live["card"]["id"]
    live["paul"].emit("vote:cast", {"card_id": card_id, "delta": 1}, callback=True)
    _, again = phone(live["w"].code, group=1)
    snapshot = again["snapshot"]["votes"]
    assert snapshot["state"] == "table" and snapshot["budget"] == 2
    assert snapshot["counts"]["table"] == {f"card:{card_id}": 1}
    assert snapshot["remaining"]["table"] == 2 and snapshot["mine"]["table"] == {}


def test_a_card_keeps_counting_after_a_rejoin(live, phone):
    _, join = phone(live["w"].code, group=1)
    lea_token = join["participant_token"]
    client, _ = phone(live["w"].code, participant_token=lea_token)
    assert (
        client.emit("vote:cast", {"card_id": live["card"]["id"], "delta": 1}, callback=True)["remaining"] == 1
    )
    _, back = phone(live["w"].code, participant_token=lea_token)
    assert back["snapshot"]["votes"]["mine"]["table"] == {f"card:{live['card']['id']}": 1}
    assert back["snapshot"]["votes"]["remaining"]["table"] == 1


# --- Issue 16, point 9: the référent casts dots for a person without a phone -------------------------


def staff(w, role="referent", number=1):
    group = w.group(number)
    if role == "facilitator":
        return Viewer(w.id, "facilitator")
    return Viewer(w.id, "referent", group.id, group.number)


def test_a_paper_participant_has_their_own_budget_cast_by_the_referent(session, w, published):
    lea = phone_viewer(session, w)
    a, b = post(session, w, lea, text="A"), post(session, w, lea, text="B")
    ref = staff(w)
    added = votes.add_paper_participant(session, w, ref, "  Marie ")
    person = added["participant"]
    assert person["name"] == "Marie" and person["number"] == 1 and person["group"] == 1
    assert person["remaining"] == {"table": 3, "plenary": 3}
    assert published[-1][0]["type"] == "participants:count"
    assert published[-1][0]["participants"] == 2, "a person at the table, like a phone"
    pid = person["id"]

    reply = cast(session, w, ref, a, paper_participant=pid)
    assert (
        reply["paper_participant"] == pid and reply["remaining"] == 2 and reply["mine"] == {f"card:{a.id}": 1}
    )
    cast(session, w, ref, a, paper_participant=pid)
    cast(session, w, ref, b, paper_participant=pid)
    refused("no_dots_left", cast, session, w, ref, b, paper_participant=pid)
    # Léa's own budget is untouched; the table hears the totals as for any dot.
    assert cast(session, w, lea, b)["remaining"] == 2
    assert published[-1][0] == {
        "type": "vote:counts",
        "seq": published[-1][0]["seq"],
        "group": 1,
        "stage": "table",
        "target": f"card:{b.id}",
        "card_id": b.id,
        "theme_id": None,
        "votes": 2,
    }
    assert cast(session, w, ref, a, delta=-1, paper_participant=pid)["remaining"] == 1
    # A resend with the same client id counts once and names the person again.
    client_id = new_client_id()
    first = cast(session, w, ref, a, paper_participant=pid, client_id=client_id)
    again = cast(session, w, ref, a, paper_participant=pid, client_id=client_id)
    assert first == again and again["paper_participant"] == pid
    assert dots(session, w) == 4


def test_paper_participants_are_the_tables_own_and_nobody_casts_as_them_from_a_phone(session, w):
    lea = phone_viewer(session, w)
    card = post(session, w, lea)
    pid = votes.add_paper_participant(session, w, staff(w), None)["participant"]["id"]
    refused("not_your_table", cast, session, w, staff(w, number=2), card, paper_participant=pid)
    refused("forbidden", cast, session, w, lea, card, paper_participant=pid)
    refused(
        "unknown_paper_participant", cast, session, w, staff(w), card, paper_participant=lea.participant_id
    )
    refused("forbidden", votes.add_paper_participant, session, w, lea, "x")
    refused("not_your_table", votes.add_paper_participant, session, w, staff(w), "x", group_number=2)
    refused("group_required", votes.add_paper_participant, session, w, staff(w, "facilitator"), "x")
    # The facilitator may cast for anyone on paper, and add one at any table.
    assert cast(session, w, staff(w, "facilitator"), card, paper_participant=pid)["remaining"] == 2
    other = votes.add_paper_participant(session, w, staff(w, "facilitator"), "Jo", group_number=2)
    assert other["participant"]["group"] == 2 and other["participant"]["number"] == 1


def test_the_referents_snapshot_lists_its_paper_participants_with_their_dots(joined, make_workshop):
    created, secrets = make_workshop(groups=2, vote_budget=2)
    ref, _ = joined(created.code, "referent", token=secrets.referent_tokens[1])
    card = ref.emit(
        "card:add", {"client_id": new_client_id(), "family": "forces", "text": "Papier"}, callback=True
    )
    added = ref.emit("participant:add_paper", {"name": "Marie"}, callback=True)
    assert added["ok"], added
    pid = added["participant"]["id"]
    vote = ref.emit(
        "vote:cast", {"card_id": card["card"]["id"], "delta": 1, "paper_participant": pid}, callback=True
    )
    assert vote["ok"] and vote["remaining"] == 1, vote
    _, rejoined = joined(created.code, "referent", token=secrets.referent_tokens[1])
    [person] = rejoined["snapshot"]["paper_participants"]
    assert person["name"] == "Marie" and person["remaining"]["table"] == 1
    assert person["mine"]["table"] == {f"card:{card['card']['id']}": 1}
    _, other = joined(created.code, "referent", token=secrets.referent_tokens[2])
    assert other["snapshot"]["paper_participants"] == []
    _, phone = joined(created.code, "participant", group=1, name="Léa")
    assert "paper_participants" not in phone["snapshot"]


def test_the_report_counts_paper_dots_apart(session, w):
    from reports import build_summary

    lea = phone_viewer(session, w)
    card = post(session, w, lea)
    pid = votes.add_paper_participant(session, w, staff(w), "Marie")["participant"]["id"]
    cast(session, w, staff(w), card, paper_participant=pid)
    cast(session, w, staff(w), card, paper_participant=pid)
    cast(session, w, lea, card)
    summary = build_summary(session, w.code, synthesis=False)
    report = summary.to_report()
    assert report["totals"]["votes"] == 3 and report["totals"]["votes_paper"] == 2
    assert report["totals"]["participants_paper"] == 1 and report["totals"]["participants"] == 2
    assert [g["votes_paper"] for g in report["by_group"]] == [2, 0]


def test_the_documents_say_which_dots_were_cast_on_paper(session, w, tmp_path):
    """Issue 16, point 9: the compte rendu words the référents' dots (participation, « Les plus
    votées », the slides) and the spreadsheet has them in a column."""
    import openpyxl
    import pptx

    from reports import build_summary, writers
    from reports.writers.docx_writer import outline

    lea = phone_viewer(session, w)
    card = post(session, w, lea)
    pid = votes.add_paper_participant(session, w, staff(w), "Marie")["participant"]["id"]
    cast(session, w, staff(w), card, paper_participant=pid)
    cast(session, w, staff(w), card, paper_participant=pid)
    cast(session, w, lea, card)
    summary = build_summary(session, w.code, synthesis=False)
    said = "dont 2 gommettes posées sur papier par les référents pour 1 participant sans téléphone"
    blocks = outline(summary)
    assert ("bullet", f"Gommettes posées\u202f: 3, {said}") in blocks  # participation
    at = blocks.index(("h1", "Les plus votées"))
    assert said in blocks[at + 1][1]
    writers.write(summary, "pptx", tmp_path / "r.pptx")
    slides = " ".join(
        shape.text_frame.text
        for slide in pptx.Presentation(tmp_path / "r.pptx").slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert "2 gommettes posées sur papier par les référents pour 1 participant sans téléphone" in slides
    writers.write(summary, "xlsx", tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    synthese = [row for row in book["Synthèse"].iter_rows(values_only=True)]
    assert ("Dont gommettes sur papier", 2) == synthese[
        [r[0] for r in synthese].index("Dont gommettes sur papier")
    ][:2]
    header = next(r for r in synthese if r and r[0] == "Table")
    first = synthese[synthese.index(header) + 1]
    assert first[header.index("Dont gommettes sur papier")] == 2  # table 1's column
    entered = [row[4] for row in book["Votes"].iter_rows(min_row=2, values_only=True)]
    assert sorted(entered) == ["au téléphone", "sur papier (par le référent)", "sur papier (par le référent)"]


def test_a_phone_reads_its_own_dots_again_after_a_merge_moved_them(joined, make_workshop, phone):
    created, secrets = make_workshop(groups=2, vote_budget=3)
    ref, _ = joined(created.code, "referent", token=secrets.referent_tokens[1])
    lea, _ = phone(created.code, group=1, name="Léa")

    def add(text):
        reply = lea.emit(
            "card:add", {"client_id": new_client_id(), "family": "forces", "text": text}, callback=True
        )
        return reply["card"]["id"]

    kept, dup = add("Parking"), add("Parking trop petit")
    assert lea.emit("vote:cast", {"card_id": dup, "delta": 1}, callback=True)["ok"]
    assert ref.emit("card:merge", {"keep": kept, "cards": [dup]}, callback=True)["ok"]
    mine = lea.emit("vote:mine", {}, callback=True)
    assert mine["ok"] and mine["mine"]["table"] == {f"card:{kept}": 1} and mine["remaining"]["table"] == 2
    paper = ref.emit("participant:add_paper", {}, callback=True)["participant"]
    assert ref.emit("vote:mine", {}, callback=True)["paper_participants"] == [paper]
    board, _ = joined(created.code, "board", token=secrets.board_token)
    assert board.emit("vote:mine", {}, callback=True)["error"]["code"] == "forbidden"


def test_an_anonymous_workshop_stores_no_name_for_a_paper_participant(session, make_workshop):
    created, _ = make_workshop(groups=1, anonymous=True)
    w = session.get(Workshop, created.id)
    ref = Viewer(w.id, "referent", w.groups[0].id, w.groups[0].number)
    assert votes.add_paper_participant(session, w, ref, "Marie")["participant"]["name"] is None
    assert session.scalar(select(Participant.name).where(Participant.paper.is_(True))) is None
