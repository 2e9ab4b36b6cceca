"""Synthèse: organisers edit the report's cross-table themes (facilitator/crossthemes.py, the
/api/workshops/<code>/synthesis routes, reports/edited_themes.py). Each operation, refusals that change
nothing, the report built after edits, tokens, and that the server never clusters in its own process."""

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from facilitator import crossthemes
from facilitator.access import Viewer
from facilitator.errors import DomainError
from facilitator.models import Card, ReportTheme, ReportThemeCard
from facilitator.synthesis.worker import Worker, WorkerError
from facilitator.workshops import create_workshop

ROOT = Path(__file__).resolve().parent.parent

TEXTS = [
    # (table, family, text)
    (1, "forces", "Des eaux thermales réputées"),
    (2, "forces", "La qualité des eaux thermales"),
    (3, "forces", "Eaux thermales reconnues"),
    (1, "attentes", "Former les saisonniers"),
    (2, "attentes", "Formation des saisonniers"),
    (3, "faiblesses", "Transports en commun insuffisants"),
    (1, "faiblesses", "Pas de transports en commun"),
]
# What the clustering subprocess would answer for TEXTS (indexes into the list): a fixed proposal, so
# that these tests do not load spaCy; one test below runs the real subprocess.
PROPOSAL = [
    {"title": "Eaux · thermal", "cards": [0, 1, 2], "tables": [1, 2, 3]},
    {"title": "Saisonnier · former", "cards": [3, 4], "tables": [1, 2]},
    {"title": "Transport · commun", "cards": [5, 6], "tables": [1, 3]},
]


def fixed(_cards):
    return PROPOSAL


@pytest.fixture
def workshop(session):
    workshop, secrets = create_workshop(session, title="Assises du thermalisme", question="Q ?", groups=3)
    groups = {g.number: g for g in workshop.groups}
    cards = []
    for seq, (table, family, text) in enumerate(TEXTS, start=1):
        card = Card(
            workshop_id=workshop.id, group_id=groups[table].id, client_id=f"c{seq}", family=family,
            text=text, source="phone", status="visible", seq=seq,
        )  # fmt: skip
        session.add(card)
        cards.append(card)
    session.commit()
    workshop.secrets = secrets
    workshop.card_ids = [c.id for c in cards]
    return workshop


def editor(workshop):
    return Viewer(workshop_id=workshop.id, role="facilitator")


def proposed(session, workshop):
    return crossthemes.propose(session, workshop, editor(workshop), runner=fixed)


def state(session, workshop):
    """Everything stored about the synthesis: proves that a refusal changed nothing."""
    session.expire_all()
    return (
        crossthemes.listing(session, workshop),
        session.scalar(select(func.count()).select_from(ReportTheme)),
        session.scalar(select(func.count()).select_from(ReportThemeCard)),
    )


def titles(listing):
    return [t["title"] for t in listing["themes"]]


def texts(theme):
    return sorted(c["text"] for c in theme["cards"])


def test_a_proposal_stores_themes_with_provenance_and_every_card_once(session, workshop):
    listing = proposed(session, workshop)
    assert titles(listing) == ["Eaux · thermal", "Saisonnier · former", "Transport · commun"]
    first = listing["themes"][0]
    assert first["tables"] == [1, 2, 3] and first["provenance"] == "soulevé par 3 tables sur 3"
    assert listing["themes"][1]["provenance"] == "soulevé par 2 tables sur 3"
    assert not any(t["edited"] for t in listing["themes"])
    assert listing["unassigned"] == [] and listing["proposed"] is True
    ids = [c["id"] for t in listing["themes"] for c in t["cards"]]
    assert sorted(ids) == sorted(workshop.card_ids)


def test_a_new_proposal_keeps_the_edited_themes_unless_asked(session, workshop):
    listing = proposed(session, workshop)
    water = listing["themes"][0]["id"]
    crossthemes.rename(session, workshop, editor(workshop), water, "L'eau thermale, notre force")
    seen = []

    def runner(cards):
        seen.append([c["text"] for c in cards])
        return [{"title": "Tout le reste", "cards": list(range(len(cards))), "tables": [1, 2, 3]}]

    again = crossthemes.propose(session, workshop, editor(workshop), runner=runner)
    # The edited theme's cards were not sent to the clustering; the unedited themes were replaced.
    assert "Des eaux thermales réputées" not in seen[0] and len(seen[0]) == 4
    assert titles(again) == ["L'eau thermale, notre force", "Tout le reste"]
    replaced = crossthemes.propose(session, workshop, editor(workshop), replace_edited=True, runner=fixed)
    assert titles(replaced) == ["Eaux · thermal", "Saisonnier · former", "Transport · commun"]


def test_rename(session, workshop):
    listing = proposed(session, workshop)
    theme = listing["themes"][1]["id"]
    after = crossthemes.rename(session, workshop, editor(workshop), theme, "  Former   les saisonniers ")
    assert after["themes"][1]["title"] == "Former les saisonniers" and after["themes"][1]["edited"]
    assert texts(after["themes"][1]) == texts(listing["themes"][1])


def test_merge_keeps_the_first_title_or_takes_a_new_one(session, workshop):
    listing = proposed(session, workshop)
    water, people, transport = (t["id"] for t in listing["themes"])
    after = crossthemes.merge(session, workshop, editor(workshop), water, transport)
    assert titles(after) == ["Eaux · thermal", "Saisonnier · former"]
    assert len(after["themes"][0]["cards"]) == 5 and after["themes"][0]["tables"] == [1, 2, 3]
    after = crossthemes.merge(session, workshop, editor(workshop), people, water, title="Tout")
    assert titles(after) == ["Tout"] and len(after["themes"][0]["cards"]) == 7


def test_split_moves_the_ticked_cards_to_a_new_theme_right_after(session, workshop):
    listing = proposed(session, workshop)
    water = listing["themes"][0]
    chosen = [c["id"] for c in water["cards"] if c["group"] == 3]
    after = crossthemes.split(session, workshop, editor(workshop), water["id"], chosen, "Reconnaissance")
    assert titles(after) == ["Eaux · thermal", "Reconnaissance", "Saisonnier · former", "Transport · commun"]
    assert texts(after["themes"][1]) == ["Eaux thermales reconnues"]
    assert after["themes"][1]["provenance"] == "soulevé par 1 table sur 3"
    assert after["themes"][0]["tables"] == [1, 2] and after["themes"][0]["edited"]


def test_move_a_card_and_an_emptied_theme_disappears(session, workshop):
    listing = proposed(session, workshop)
    water, people, transport = listing["themes"]
    for card in people["cards"]:
        after = crossthemes.move_card(session, workshop, editor(workshop), card["id"], transport["id"])
    assert titles(after) == ["Eaux · thermal", "Transport · commun"]
    assert len(after["themes"][1]["cards"]) == 4
    # A card posted after the proposal is in no theme until someone moves it.
    late = Card(
        workshop_id=workshop.id, group_id=workshop.groups[0].id, client_id="late", family="forces",
        text="Des sources chaudes", status="visible", seq=99,
    )  # fmt: skip
    session.add(late)
    session.commit()
    assert [c["text"] for c in crossthemes.listing(session, workshop)["unassigned"]] == [
        "Des sources chaudes"
    ]
    after = crossthemes.move_card(session, workshop, editor(workshop), late.id, water["id"])
    assert after["unassigned"] == [] and "Des sources chaudes" in texts(after["themes"][0])


def test_refusals_change_nothing(session, workshop, make_workshop):
    listing = proposed(session, workshop)
    water, people, transport = (t["id"] for t in listing["themes"])
    other, _ = make_workshop()
    foreign = crossthemes.propose(
        session, other, Viewer(workshop_id=other.id, role="facilitator"), runner=lambda cards: []
    )
    assert foreign["themes"] == []
    deleted = session.get(Card, workshop.card_ids[0])
    deleted.status = "deleted"
    session.commit()
    before = state(session, workshop)
    me = editor(workshop)
    attempts = [
        (lambda: crossthemes.rename(session, workshop, me, water, "   "), "empty_title"),
        (lambda: crossthemes.rename(session, workshop, me, water, "x" * 201), "title_too_long"),
        (lambda: crossthemes.rename(session, workshop, me, 999_999, "Titre"), "unknown_report_theme"),
        (lambda: crossthemes.merge(session, workshop, me, water, water), "merge_same_theme"),
        (lambda: crossthemes.merge(session, workshop, me, water, 999_999), "unknown_report_theme"),
        (lambda: crossthemes.merge(session, workshop, me, water, people, title="y" * 300), "title_too_long"),
        (lambda: crossthemes.split(session, workshop, me, people, [], "Nouveau"), "invalid_payload"),
        (
            lambda: crossthemes.split(session, workshop, me, people, [workshop.card_ids[5]], "Nouveau"),
            "card_not_in_theme",
        ),
        (
            lambda: crossthemes.split(session, workshop, me, people, workshop.card_ids[3:5], "Nouveau"),
            "split_all_cards",
        ),
        (lambda: crossthemes.split(session, workshop, me, people, workshop.card_ids[3:4], ""), "empty_title"),
        (lambda: crossthemes.move_card(session, workshop, me, workshop.card_ids[0], people), "unknown_card"),
        (lambda: crossthemes.move_card(session, workshop, me, 999_999, people), "unknown_card"),
        (
            lambda: crossthemes.move_card(session, workshop, me, workshop.card_ids[3], 999_999),
            "unknown_report_theme",
        ),
    ]
    # Another workshop's facilitator, a référent, the board: forbidden, whatever they ask.
    for viewer in (
        Viewer(workshop_id=other.id, role="facilitator"),
        Viewer(workshop_id=workshop.id, role="referent", group_id=workshop.groups[0].id, group_number=1),
        Viewer(workshop_id=workshop.id, role="board"),
        None,
    ):
        attempts += [
            (lambda v=viewer: crossthemes.rename(session, workshop, v, water, "Pris"), "forbidden"),
            (lambda v=viewer: crossthemes.merge(session, workshop, v, water, people), "forbidden"),
            (lambda v=viewer: crossthemes.propose(session, workshop, v, runner=fixed), "forbidden"),
            (lambda v=viewer: crossthemes.show(session, workshop, v), "forbidden"),
        ]
    # A theme of another workshop is unknown here.
    other_theme = ReportTheme(workshop_id=other.id, title="Ailleurs", position=1)
    session.add(other_theme)
    session.commit()
    before = state(session, workshop)
    attempts.append(
        (lambda: crossthemes.merge(session, workshop, me, water, other_theme.id), "unknown_report_theme")
    )
    for attempt, code in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == code
        session.rollback()
        assert state(session, workshop) == before, code
    assert transport  # the deleted card left the water theme but nothing else moved


def test_deleting_the_workshop_deletes_its_synthesis(session, workshop):
    from facilitator.workshops import delete_workshop

    proposed(session, workshop)
    assert session.scalar(select(func.count()).select_from(ReportThemeCard)) == len(TEXTS)
    delete_workshop(session, workshop)
    assert session.scalar(select(func.count()).select_from(ReportTheme)) == 0
    assert session.scalar(select(func.count()).select_from(ReportThemeCard)) == 0


def test_report_json_after_edits_carries_the_renamed_merged_and_split_themes(session, workshop):
    from reports import build_summary

    listing = proposed(session, workshop)
    water, people, transport = listing["themes"]
    me = editor(workshop)
    crossthemes.rename(session, workshop, me, people["id"], "Former les saisonniers")
    crossthemes.merge(session, workshop, me, people["id"], transport["id"], title="Emploi et mobilité")
    chosen = [c["id"] for c in water["cards"] if c["group"] == 3]
    crossthemes.split(session, workshop, me, water["id"], chosen, "Reconnaissance des eaux")
    gone = session.get(Card, [c["id"] for c in water["cards"] if c["group"] == 1][0])
    gone.status = "deleted"  # deleted after the edits: drops out of its theme
    late = Card(
        workshop_id=workshop.id, group_id=workshop.groups[1].id, client_id="late", family="attentes",
        text="Un label qualité commun", status="visible", seq=99,
    )  # fmt: skip
    session.add(late)
    session.commit()
    themes = build_summary(session, workshop.code).to_report()["themes"]
    edited = [t for t in themes if t["edited"]]
    assert [t["title"] for t in edited] == ["Eaux · thermal", "Reconnaissance des eaux", "Emploi et mobilité"]
    water_out, recognition, merged = edited
    assert [c["text"] for c in water_out["cards"]] == ["La qualité des eaux thermales"]
    assert water_out["provenance"] == "soulevé par 1 table sur 3"
    assert [c["text"] for c in recognition["cards"]] == ["Eaux thermales reconnues"]
    assert merged["tables"] == [1, 2, 3] and merged["provenance"] == "soulevé par 3 tables sur 3"
    assert len(merged["cards"]) == 4
    # The card posted after the edits is clustered and appended as a proposal.
    rest = [t for t in themes if not t["edited"]]
    assert [c["text"] for t in rest for c in t["cards"]] == ["Un label qualité commun"]
    all_ids = [c["id"] for t in themes for c in t["cards"]]
    assert len(all_ids) == len(set(all_ids)) == 7  # 7 + 1 late - 1 deleted


def test_the_real_clustering_runs_in_the_worker_subprocess(session, workshop):
    """`crossthemes.synthesise` asks this process's `python -m reports.synthesis --serve` worker: each
    card in exactly one theme, and a second proposal reuses the same process (models loaded once)."""
    cards = crossthemes.proposal_input(session, workshop, editor(workshop))
    themes = crossthemes.synthesise(cards)
    indexes = sorted(i for t in themes for i in t["cards"])
    assert indexes == list(range(len(TEXTS)))
    assert all(t["title"] for t in themes)
    process = crossthemes.synthesis_worker().process
    assert process is not None and process.poll() is None
    assert crossthemes.synthesise(cards) == themes
    assert crossthemes.synthesis_worker().process is process


def test_the_clustering_worker_yields_the_cpu_and_a_failure_is_a_clear_error():
    command = Worker().command()
    assert Path(command[0]).name == "nice" and command[1:3] == ["-n", "10"]
    assert command[-3:] == ["-m", "reports.synthesis", "--serve"]
    broken = Worker(python="/bin/false", timeout=5)
    with pytest.raises(WorkerError):
        broken.propose([{"table": 1, "family": "forces", "text": "Eau"}])
    crossthemes._workers[12345.0] = broken
    try:
        with pytest.raises(DomainError) as failed:
            crossthemes.synthesise(
                [{"id": 1, "table": 1, "family": "forces", "text": "Eau"}], timeout=12345.0
            )
    finally:
        del crossthemes._workers[12345.0]
    assert failed.value.code == "synthesis_failed" and failed.value.status == 500


def test_the_server_never_imports_the_clustering():
    code = (
        "import sys\n"
        "import facilitator.app, facilitator.pages, facilitator.realtime\n"
        "import facilitator.crossthemes, facilitator.api\n"
        "bad = [m for m in ('reports', 'spacy', 'sklearn', 'pandas') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


# --- HTTP -------------------------------------------------------------------------------------------------


def api(client, method, path, token=None, json=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.open(path, method=method, headers=headers, json=json)


@pytest.fixture
def stored(session, workshop):
    proposed(session, workshop)
    return workshop


def test_the_routes_need_the_facilitator_token_or_the_organiser_key(client, app, stored):
    code, secrets = stored.code, stored.secrets
    base = f"/api/workshops/{code}/synthesis"
    listing = api(client, "GET", base, secrets.facilitator_token).get_json()
    theme = listing["themes"][0]["id"]
    calls = [
        ("GET", base, None),
        ("POST", f"{base}/propose", {}),
        ("PATCH", f"{base}/themes/{theme}", {"title": "Pris"}),
        ("POST", f"{base}/merge", {"into": theme, "from": listing["themes"][1]["id"]}),
        (
            "POST",
            f"{base}/themes/{theme}/split",
            {"cards": [listing["themes"][0]["cards"][0]["id"]], "title": "X"},
        ),
        ("POST", f"{base}/move", {"card": listing["themes"][1]["cards"][0]["id"], "theme": theme}),
    ]
    before = api(client, "GET", base, secrets.facilitator_token).get_json()
    for method, path, body in calls:
        for token, status in ((None, 401), ("not-a-token", 401), (secrets.board_token, 403),
                              (secrets.referent_tokens[1], 403)):  # fmt: skip
            response = api(client, method, path, token, body)
            assert response.status_code == status, (method, path, token)
            assert response.get_json()["ok"] is False
    assert api(client, "GET", base, secrets.facilitator_token).get_json() == before
    organiser = app.config["ORGANISER_KEY"]
    assert api(client, "GET", base, organiser).status_code == 200


def test_the_routes_edit_and_answer_the_whole_synthesis(client, stored):
    token = stored.secrets.facilitator_token
    base = f"/api/workshops/{stored.code}/synthesis"
    listing = api(client, "GET", base, token).get_json()
    water, people, transport = (t["id"] for t in listing["themes"])
    renamed = api(client, "PATCH", f"{base}/themes/{water}", token, {"title": "L'eau"})
    assert renamed.status_code == 200 and titles(renamed.get_json())[0] == "L'eau"
    merged = api(
        client, "POST", f"{base}/merge", token, {"into": people, "from": transport, "title": "Emploi"}
    )
    assert titles(merged.get_json()) == ["L'eau", "Emploi"]
    card = merged.get_json()["themes"][0]["cards"][0]["id"]
    split = api(client, "POST", f"{base}/themes/{water}/split", token, {"cards": [card], "title": "Source"})
    assert titles(split.get_json()) == ["L'eau", "Source", "Emploi"]
    moved = api(client, "POST", f"{base}/move", token, {"card": card, "theme": people})
    assert titles(moved.get_json()) == ["L'eau", "Emploi"]
    bad = api(client, "POST", f"{base}/merge", token, {"into": people, "from": people})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "merge_same_theme"
    malformed = api(client, "POST", f"{base}/move", token, {"card": "one"})
    assert malformed.status_code == 400 and malformed.get_json()["error"]["code"] == "invalid_payload"
    gone = api(client, "PATCH", f"{base}/themes/999999", token, {"title": "X"})
    assert gone.status_code == 404 and gone.get_json()["error"]["code"] == "unknown_report_theme"
    assert api(client, "GET", "/api/workshops/NOPE99/synthesis", token).status_code == 404


# --- Pages ------------------------------------------------------------------------------------------------


def test_the_console_offers_every_report_format_and_the_synthesis_page(client, workshop):
    console = client.get(f"/f/{workshop.code}?lang=fr").get_data(as_text=True)
    for fmt in ("docx", "pdf", "pptx", "xlsx", "csv", "json", "html"):
        assert f'data-report="{fmt}"' in console
    assert "Compte rendu" in console and "js/report.js" in console
    assert f'href="/f/{workshop.code}/synthese"' in console
    board = client.get(f"/b/{workshop.code}").get_data(as_text=True)
    assert "data-report=" not in board  # the projected board has no report buttons
    page = client.get(f"/f/{workshop.code}/synthese?lang=fr")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Proposer les thèmes" in html and "js/synthesis.js" in html
    assert client.get("/f/NOPE99/synthese").status_code == 404


def test_an_english_workshop_is_clustered_as_english(session, workshop, monkeypatch):
    """The proposal reads the cards in the workshop's language (reports.synthesis --language)."""
    seen = []

    def propose(_worker, cards, language="fr"):
        seen.append(language)
        return []

    monkeypatch.setattr(Worker, "propose", propose)
    crossthemes.propose(session, workshop, editor(workshop))
    workshop.language = "en"
    session.commit()
    crossthemes.propose(session, workshop, editor(workshop))
    assert seen == ["fr", "en"]
