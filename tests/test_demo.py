"""The demo workshop: a full board at once, built through the live domain functions."""

import json
from collections import Counter

import pytest
from sqlalchemy import func, select

from facilitator import demo
from facilitator.models import Card, Event, Participant, Vote
from facilitator.workshops import find_workshop, workshop_snapshot

BASE = "http://facilitator.test"
SAMPLE = demo.load_sample()  # the shared sample's 63 cards and the 27 of tables 7-9
# the sample's cards, the duplicates merged and the off-topic cards hidden
POSTED = len(SAMPLE["cards"]) + len(demo.DUPLICATES) + len(demo.HIDDEN)
PEOPLE = SAMPLE["workshop"]["tables"] * demo.PARTICIPANTS_PER_TABLE + len(demo.PAPER_PEOPLE)


@pytest.fixture
def migrated_database(demo_database):
    """Every test starts from a copy of the database where the demo was played once (conftest)."""
    return demo_database[0]


@pytest.fixture
def demo_links(demo_database):
    return demo_database[1]


def test_the_demo_is_the_size_of_the_real_room():
    """The design brief's room: 9 tables of about 10, some 90 cards; themes at several tables."""
    assert SAMPLE["workshop"]["tables"] == 9 and 85 <= len(SAMPLE["cards"]) <= 100
    assert 85 <= PEOPLE <= 100
    assert len({table for table, *_ in demo.THEMES}) >= 4
    assert demo.HIDDEN and demo.PAPER_PEOPLE


def test_demo_creates_the_tables_and_cards_of_the_sample(session, demo_links):
    workshop = find_workshop(session, demo_links["code"])
    spec = SAMPLE["workshop"]
    assert (workshop.title, workshop.question) == (spec["title"], spec["question"])
    assert (workshop.template, workshop.language) == (spec["template"], spec["language"])
    assert [g.number for g in workshop.groups] == list(range(1, spec["tables"] + 1))
    assert [g["number"] for g in demo_links["groups"]] == list(range(1, spec["tables"] + 1))

    everything = session.scalars(select(Card).where(Card.workshop_id == workshop.id).order_by(Card.seq)).all()
    hidden = [card for card in everything if card.status == "hidden"]
    assert [(c.group.number, c.family, c.text) for c in hidden] == demo.HIDDEN
    cards = [card for card in everything if card.status == "visible"]
    assert len(cards) == len(SAMPLE["cards"]) == 90
    merged = [card for card in everything if card.status == "merged"]
    assert [(m.text, m.merged_into_id) for m in merged] == [
        (text, cards[index].id) for index, text in demo.DUPLICATES
    ]
    assert all(card.family in workshop.families for card in cards)
    assert [(c.group.number, c.family, c.text) for c in cards] == [
        (c["table"], c["family"], c["text"]) for c in SAMPLE["cards"]
    ]
    sources = Counter(card.source for card in cards)
    assert sources["phone"] > sources["paper"] > 0


def test_demo_seats_named_participants_at_every_table(session, demo_links):
    workshop = find_workshop(session, demo_links["code"])
    participants = session.scalars(select(Participant).where(Participant.workshop_id == workshop.id)).all()
    phones = [p for p in participants if not p.paper]
    per_table = Counter(p.group.number for p in phones)
    assert per_table == {g.number: demo.PARTICIPANTS_PER_TABLE for g in workshop.groups}
    assert all(p.name in demo.FIRST_NAMES for p in phones)
    paper = {p.group.number: p.name for p in participants if p.paper}
    assert paper == demo.PAPER_PEOPLE
    assert {p.organisation for p in phones} == {"OT", "ADT", "RT", "CRTL", "Autre"}


def test_board_snapshot_shows_every_card(session, demo_links):
    workshop = find_workshop(session, demo_links["code"])
    snapshot = workshop_snapshot(session, workshop, None)
    shown = [c for c in snapshot["cards"] if c["status"] == "visible"]
    assert len(snapshot["cards"]) == POSTED and len(shown) == len(SAMPLE["cards"])
    assert Counter(c["family"] for c in shown) == Counter(c["family"] for c in SAMPLE["cards"])
    paper = Counter(demo.PAPER_PEOPLE.keys())
    assert snapshot["participants"] == {
        str(g.number): demo.PARTICIPANTS_PER_TABLE + paper[g.number] for g in workshop.groups
    }
    filed = {t["title"]: t["family"] for t in snapshot["themes"]}
    assert (
        filed["Bien accueillir les curistes"] == "transverse"
        and filed["Se loger et venir sans voiture"] == "attentes"
    )
    assert all(c["author"] for c in snapshot["cards"] if c["source"] == "phone")


def test_seq_counts_every_event_once(session, demo_links):
    workshop = find_workshop(session, demo_links["code"])
    seqs = session.scalars(
        select(Event.seq).where(Event.workshop_id == workshop.id).order_by(Event.seq)
    ).all()
    assert workshop.seq == len(seqs) == workshop_snapshot(session, workshop, None)["seq"]
    assert seqs == list(range(1, workshop.seq + 1))
    types = Counter(session.scalars(select(Event.type).where(Event.workshop_id == workshop.id)))
    assert types["card:added"] == POSTED
    assert types["theme:created"] == len(demo.THEMES)
    assert types["essentials:changed"] == SAMPLE["workshop"]["tables"]
    assert types["card:updated"] >= len(demo.HIDDEN) + len(demo.DUPLICATES)


def test_demo_links_open_the_full_board(demo_links, socket_client, client):
    assert demo_links["board_url"].startswith(f"{BASE}/b/{demo_links['code']}#t=")
    assert client.get(demo_links["board_url"].removeprefix(BASE).split("#")[0]).status_code == 200
    board = socket_client()
    reply = board.emit(
        "join",
        {"code": demo_links["code"], "role": "board", "token": demo_links["board_token"]},
        callback=True,
    )
    assert reply["ok"] and len(reply["snapshot"]["cards"]) == POSTED
    referent = socket_client()
    table = demo_links["groups"][1]
    reply = referent.emit(
        "join",
        {"code": demo_links["code"], "role": "referent", "token": table["referent_token"], "group": 2},
        callback=True,
    )
    assert reply["ok"]
    duplicates = sum(1 for index, _ in demo.DUPLICATES if SAMPLE["cards"][index]["table"] == 2)
    hidden = sum(1 for table, *_ in demo.HIDDEN if table == 2)
    assert (
        len(reply["snapshot"]["cards"])
        == sum(1 for c in SAMPLE["cards"] if c["table"] == 2) + duplicates + hidden
    )
    assert [p["name"] for p in reply["snapshot"]["paper_participants"]] == [demo.PAPER_PEOPLE[2]]


def test_demo_is_a_finished_workshop_in_its_report(session, demo_links):
    """Every participant spent their dots, each table kept its essentials, référents made themes and
    merged duplicates: the compte rendu of the demo shows all of it."""
    from reports import build_summary

    workshop = find_workshop(session, demo_links["code"])
    people = session.scalars(select(Participant.id).where(Participant.workshop_id == workshop.id)).all()
    for stage in ("table", "plenary"):  # the budget at each stage, all of it spent
        dots = Counter(
            session.scalars(
                select(Vote.participant_id).where(Vote.workshop_id == workshop.id, Vote.stage == stage)
            )
        )
        assert dots == dict.fromkeys(people, workshop.vote_budget), stage

    summary = build_summary(session, demo_links["code"], synthesis=False)
    report = summary.to_report()
    assert report["totals"]["votes"] == 2 * len(people) * workshop.vote_budget
    assert report["totals"]["votes_plenary"] == len(people) * workshop.vote_budget
    # The room's priorities: every plenary dot on a table's essential, ranked, ties shared.
    ranking = report["plenary"]
    assert sum(p["votes_plenary"] for p in ranking) == report["totals"]["votes_plenary"]
    assert [p["votes_plenary"] for p in ranking] == sorted(
        (p["votes_plenary"] for p in ranking), reverse=True
    )
    assert ranking[0]["rank"] == 1 and any(p["tie"] for p in ranking)
    kept = {(t["number"], e["text"]) for t in report["by_group"] for e in t["essentials"]}
    assert {(p["group"], p["text"]) for p in ranking} <= kept
    assert workshop.step_status == "paused" and workshop.steps[workshop.step_position].voting == "plenary"
    assert report["totals"]["cards"] == len(SAMPLE["cards"]) + len(demo.HIDDEN)  # hidden ones count
    assert report["totals"]["merged"] == 2 and report["totals"]["hidden"] == len(demo.HIDDEN)
    assert report["totals"]["participants_paper"] == len(demo.PAPER_PEOPLE)
    assert report["totals"]["votes_paper"] == 2 * len(demo.PAPER_PEOPLE) * workshop.vote_budget
    assert [t["title"] for t in report["transverse"]] == ["Bien accueillir les curistes"]
    body = json.dumps({k: v for k, v in report.items() if k != "cards"}, ensure_ascii=False)
    assert not any(text in body for _, _, text in demo.HIDDEN)  # hidden: never in the report's body
    assert all(report["top"][family] for family in workshop.families)  # a podium in every family
    for table in report["by_group"]:
        assert table["essentials"], table["number"]
        assert all(e["votes"] > 0 for e in table["essentials"])  # kept from the table's vote
        per_family = Counter(e["family"] for e in table["essentials"])
        assert max(per_family.values()) <= workshop.essentials_per_family
    kept_themes = [e["text"] for t in report["by_group"] for e in t["essentials"] if e["kind"] == "theme"]
    assert set(kept_themes) <= {title for _, title, *_ in demo.THEMES} and kept_themes
    from reports.writers.docx_writer import outline

    bullets = [text for kind, text in outline(summary) if kind == "bullet"]
    assert any(f"thème «\u202f{kept_themes[0]}\u202f» (" in text for text in bullets)  # named as a theme
    # the essentials' dots and the plenary's priorities too
    assert sum(kind == "chart" for kind, _ in outline(summary)) == 5
    assert ("h1", "Priorités de la plénière") in outline(summary)
    assert len(report["commitments"]) == sum(1 for c in SAMPLE["cards"] if c["family"] == "contributions")
    assert report["participation"]["paper"] > 0


def test_each_run_is_a_new_workshop_with_the_same_dots(session, demo_links):
    from reports import build_summary

    again = demo.create_demo(session, BASE)
    assert again["code"] != demo_links["code"]
    assert session.scalar(select(func.count(Card.id))) == 2 * POSTED

    def essentials(code):
        report = build_summary(session, code, synthesis=False).to_report()
        return [
            (t["number"], [(e["text"], e["votes_table"], e["votes_plenary"]) for e in t["essentials"]])
            for t in report["by_group"]
        ]

    assert essentials(again["code"]) == essentials(demo_links["code"])


def test_flask_cli_demo_command(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Tableau à projeter : http://facilitator.test/b/" in result.output
    assert "Console d’animation : http://facilitator.test/f/" in result.output
    assert result.output.count("/r/") == SAMPLE["workshop"]["tables"]


def test_python_m_demo_uses_the_configured_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FACILITATOR_INSTANCE", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("PUBLIC_URL", "http://192.0.2.10:5000")
    monkeypatch.delenv("ORGANISER_KEY", raising=False)
    monkeypatch.chdir(tmp_path)  # no project .env
    assert demo.main() == 0
    output = capsys.readouterr().out
    assert "Atelier de démonstration créé : « Assises du thermalisme en Occitanie »" in output
    assert "Lien des participants : http://192.0.2.10:5000/j/" in output
    assert (tmp_path / "demo.db").exists() and (tmp_path / "organiser_key").exists()
