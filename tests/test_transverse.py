"""Issue 16, point 7: a mixed-family theme filed « Transverse » (under none of the families) takes its
dots, is kept among the essentials in a « Transverse » group after the families, and has its own group
in the compte rendu, after the families."""

import pytest

from facilitator import essentials, themes, votes
from facilitator.access import Viewer
from facilitator.cards import post_card
from facilitator.errors import DomainError
from facilitator.models import Participant, Workshop
from reports import build_summary
from reports.writers.docx_writer import outline
from tests.conftest import new_client_id, received


@pytest.fixture
def w(session, make_workshop):
    workshop, _ = make_workshop(groups=2, vote_budget=5)
    return session.get(Workshop, workshop.id)


def phone_viewer(session, w, number=1):
    group = w.group(number)
    participant = Participant(workshop_id=w.id, group_id=group.id, token_hash=new_client_id())
    session.add(participant)
    session.commit()
    return Viewer(w.id, "participant", group.id, group.number, participant.id)


def referent(w, number=1):
    return Viewer(w.id, "referent", w.group(number).id, number)


def post(session, w, viewer, family, text):
    return post_card(session, w, viewer, client_id=new_client_id(), family=family, text=text)[0]


def mixed_theme(session, w):
    lea = phone_viewer(session, w)
    a = post(session, w, lea, "forces", "Des équipes fidèles")
    b = post(session, w, lea, "attentes", "Former les saisonniers sur place")
    solo = post(session, w, lea, "forces", "Un cadre naturel")
    theme = themes.create_theme(session, w, referent(w), "Emploi et formation", [a.id, b.id])["theme"]
    return lea, theme, solo


def test_a_theme_filed_transverse_leaves_every_family_and_is_kept_after_them(session, w):
    lea, theme, solo = mixed_theme(session, w)
    key = f"theme:{theme['id']}"
    essentials.set_essentials(session, w, referent(w), family="forces", targets=[key])
    filed = themes.set_theme_family(session, w, referent(w), theme["id"], "transverse")["theme"]
    assert (filed["family"], filed["family_chosen"]) == ("transverse", True)
    assert essentials.essentials_of(session, w, w.group(1)) == []  # no longer kept under « Forces »

    votes.cast_vote(session, w, lea, theme_id=theme["id"], delta=1)
    votes.cast_vote(session, w, lea, card_id=solo.id, delta=1)
    ranking = votes.table_ranking(session, w, w.group(1))
    assert [e["target"] for e in ranking["transverse"]] == [key]
    assert all(key not in [e["target"] for e in ranking[f]] for f in w.families)
    # Kept from the vote: listed after the families' essentials.
    kept = essentials.essentials_from_votes(session, w, referent(w))["essentials"]
    assert [(e["family"], e["target"]) for e in kept] == [("forces", f"card:{solo.id}"), ("transverse", key)]
    # A card is never filed « Transverse »; a theme kept there only while it is filed there.
    with pytest.raises(DomainError) as info:
        essentials.set_essentials(session, w, referent(w), family="transverse", targets=[f"card:{solo.id}"])
    assert info.value.code == "invalid_payload"
    with pytest.raises(DomainError) as info:
        essentials.set_essentials(session, w, referent(w), family="attentes", targets=[key])
    assert info.value.code == "invalid_payload"
    # Back under its earliest card's family: it leaves « Transverse » with its dots.
    back = themes.set_theme_family(session, w, referent(w), theme["id"], None)["theme"]
    assert back["family"] == "forces"
    assert [e["family"] for e in essentials.essentials_of(session, w, w.group(1))] == ["forces"]
    assert votes.table_ranking(session, w, w.group(1))["forces"][0]["votes"] == 1


def test_transverse_over_socketio_reaches_the_table_and_the_boards(make_workshop, joined, phone):
    w, secrets = make_workshop(groups=2)
    lea, _ = phone(w.code, group=1)
    ref, _ = joined(w.code, "referent", token=secrets.referent_tokens[1])
    board, _ = joined(w.code, "board", token=secrets.board_token)
    assert board.get_received() is not None
    ids = [
        lea.emit("card:add", {"client_id": new_client_id(), "family": f, "text": t}, callback=True)["card"][
            "id"
        ]
        for f, t in (("forces", "Des équipes fidèles"), ("faiblesses", "Trop de saisonniers"))
    ]
    theme = ref.emit("theme:create", {"title": "Emploi", "cards": ids}, callback=True)["theme"]
    for c in (lea, board):
        c.get_received()
    reply = ref.emit("theme:set_family", {"theme_id": theme["id"], "family": "transverse"}, callback=True)
    assert reply["ok"] and reply["theme"]["family"] == "transverse"
    for c in (lea, board):
        assert [m["theme"]["family"] for m in received(c, "theme:updated")] == ["transverse"]
    kept = ref.emit(
        "essentials:set", {"family": "transverse", "targets": [f"theme:{theme['id']}"]}, callback=True
    )
    assert kept["ok"] and kept["essentials"][0]["family"] == "transverse"
    wrong = ref.emit("theme:set_family", {"theme_id": theme["id"], "family": "partout"}, callback=True)
    assert not wrong["ok"] and wrong["error"]["code"] == "unknown_family"


def test_the_report_gives_transverse_themes_their_own_group_after_the_families(session, w):
    lea, theme, _ = mixed_theme(session, w)
    themes.set_theme_family(session, w, referent(w), theme["id"], "transverse")
    votes.cast_vote(session, w, lea, theme_id=theme["id"], delta=1)
    votes.cast_vote(session, w, lea, theme_id=theme["id"], delta=1)
    essentials.essentials_from_votes(session, w, referent(w))

    summary = build_summary(session, w.code, synthesis=False)
    report = summary.to_report()
    assert report["transverse"] == [
        {"id": theme["id"], "title": "Emploi et formation", "group": 1, "cards": 2, "votes": 2,
         "votes_table": 2, "votes_plenary": 0}
    ]  # fmt: skip
    assert [e["family"] for e in report["by_group"][0]["essentials"]] == ["transverse"]
    assert [(r["kind"], r["family"]) for r in report["most_voted"]] == [("theme", "transverse")]

    blocks = outline(summary)
    h2 = [text for kind, text in blocks if kind == "h2"]
    families_end = h2.index("Contributions (0 carte)")
    assert h2[families_end + 1] == "Transverse (1 thème)"  # right after the last family
    at = blocks.index(("h2", "Transverse (1 thème)"))
    assert blocks[at + 2] == (
        "bullet",
        "«\u202fEmploi et formation\u202f» (2 cartes) — table 1, 2 gommettes",
    )
    essentials_lines = [text for kind, text in blocks if kind == "bullet" and "Transverse" in text]
    assert essentials_lines, "the table's essential says it is filed « Transverse »"
