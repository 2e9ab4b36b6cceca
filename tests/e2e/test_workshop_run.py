"""The whole workshop in real browsers: 3 tables × 3 phones, 3 référent consoles (tablets), the board
(1920×1080) and the facilitator console, through every step of the default agenda — welcome, a silent
step and its reveal, expectations and contributions with a paper card, a merge and a theme, votes
within the budget, essentials, the plenary view and the presenter mode, the conclusion.

Screenshots of every step at phone, tablet and projector size: test-artifacts/screenshots/run-*.png.
Merges, themes, votes and essentials go through the page's own socket (`Live.current.request`) rather
than the buttons: their UIs are covered by their own tests; this one checks that every screen follows."""

import re

import pytest
from phones import connected
from test_browser import PHONE, PROJECTOR, SCREENSHOTS, TABLET

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SECRET = "Trop de brochures différentes pour un même territoire"
NAMES = [["Léa", "Malik", "Inès"], ["Paul", "Chloé", "Yanis"], ["Zoé", "Hugo", "Nora"]]


def shot(page, name, full=False):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"run-{name}.png"), full_page=full)


def send(page, event, payload):
    """Emit through the page's own live connection; return the ack."""
    return page.evaluate(
        """([event, payload]) => new Promise((resolve) =>
            Live.current.request(event, payload, (err, reply) => resolve(err ? {ok: false, err: String(err)} : reply)))""",
        [event, payload],
    )


def post(phone, family, text):
    phone.locator(f"input[name=family][value={family}]").check()
    phone.locator("#card-text").fill(text)
    phone.locator("#send-card").click()
    expect(
        phone.locator("#cards .card-text", has_text=re.compile("^" + re.escape(text) + "$"))
    ).to_have_count(1)


def card_id(board, text):
    exact = re.compile("^" + re.escape(text) + "$")
    node = board.locator(
        "[data-cards-family] [data-card-id]", has=board.locator(".card-text", has_text=exact)
    )
    expect(node).to_have_count(1)
    return int(node.get_attribute("data-card-id"))


def shots(name, phone, referent, board, facilitator=None):
    shot(phone, f"{name}-phone", full=True)
    shot(referent, f"{name}-tablet", full=True)
    shot(board, f"{name}-projector")
    if facilitator is not None:
        shot(facilitator, f"{name}-facilitator")


def test_a_whole_workshop_of_three_tables(live_server, open_context):
    created = live_server.create_workshop(groups=3, vote_budget=3)
    facilitator = open_context(**PROJECTOR).new_page()
    facilitator.goto(created["facilitator_url"])
    # The projector opens straight in a view with ?view=.
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"].replace("#", "?view=table#"))
    connected(board)
    expect(board.locator('.view-button[data-view="table"]')).to_have_attribute("aria-pressed", "true")
    expect(board.locator('.filter-button[data-group="1"]')).to_have_attribute("aria-pressed", "true")
    board.keyboard.press("1")
    expect(board.locator('.view-button[data-view="all"]')).to_have_attribute("aria-pressed", "true")

    phones = []
    for table, names in enumerate(NAMES):
        row = []
        for name in names:
            page = open_context(**PHONE).new_page()
            page.goto(created["groups"][table]["join_url"])
            page.locator("#name").fill(name)
            page.locator("#join-form [type=submit]").click()
            row.append(page)
        phones.append(row)
    referents = []
    for table in range(3):
        page = open_context(**TABLET).new_page()
        page.goto(created["groups"][table]["referent_url"])
        referents.append(page)
    for page in [facilitator, *referents, *(p for row in phones for p in row)]:
        connected(page)
    phone, referent = phones[0][0], referents[0]

    # The console: every table at a glance, with who is connected.
    tiles = facilitator.locator("[data-glance-group]")
    expect(tiles).to_have_count(3)
    for number in (1, 2, 3):
        expect(facilitator.locator(f'[data-glance-group="{number}"] [data-glance-connected]')).to_have_text(
            "3 connectés"
        )
    expect(board.locator("[data-glance-group]")).to_have_count(0)  # the board has no console

    # 1. Welcome: nothing to post.
    facilitator.get_by_role("button", name="Démarrer le déroulé").click()
    for page in (board, phone, referent):
        expect(page.locator("#step-title")).to_have_text("Accueil et règles du jeu")
    expect(phone.locator("#send-card")).to_be_disabled()
    shots("01-welcome", phone, referent, board, facilitator)

    # 2. Strengths and weaknesses, hidden until reveal.
    facilitator.get_by_role("button", name="Étape suivante").click()
    for page in (board, phone, referent):
        expect(page.locator("#step-title")).to_have_text("Forces et faiblesses")
    post(phone, "faiblesses", SECRET)
    post(phones[0][1], "forces", "Des équipes d’accueil fidèles et motivées")
    post(phones[1][0], "forces", "Un patrimoine reconnu")
    post(phones[2][0], "faiblesses", "Peu de transports entre les sites")
    expect(board.locator("#step-sealed")).to_have_text(re.compile("4 cartes cachées"))
    for page in (board, facilitator, referent, phones[0][2]):
        assert SECRET not in page.content()
    shots("02-silent", phone, referent, board, facilitator)
    facilitator.get_by_role("button", name="Révéler les cartes").click()
    expect(board.locator('[data-cards-family="faiblesses"] .card-text', has_text=SECRET)).to_be_visible()
    expect(board.locator("#step-sealed")).to_be_hidden()
    expect(facilitator.locator('[data-glance-group="1"] [data-glance-family="faiblesses"]')).to_have_text("1")
    shots("02-revealed", phone, referent, board, facilitator)

    # 3. Expectations and contributions, a paper card typed by a référent.
    facilitator.get_by_role("button", name="Étape suivante").click()
    for page in (board, phone, referent):
        expect(page.locator("#step-title")).to_have_text("Attentes et contributions")
    texts = {
        (0, 0): "Une carte commune des itinéraires",
        (0, 1): "Une carte commune des itinéraires vélo",
        (0, 2): "Partager nos agendas d’animations",
        (1, 0): "Un site web unique pour la destination",
        (1, 1): "Former ensemble les saisonniers",
        (1, 2): "Mutualiser les achats d’espaces",
        (2, 0): "Une newsletter commune aux OT",
        (2, 1): "Prêter nos salles pour les ateliers",
        (2, 2): "Un accueil hors les murs l’été",
    }
    for (table, person), text in texts.items():
        family = "attentes" if person < 2 else "contributions"
        post(phones[table][person], family, text)
    paper = "Carte papier : ouvrir le dimanche en saison"
    referent.locator("input[name=family][value=attentes]").check()
    if referent.locator("#paper-text").count():
        referent.locator("#paper-text").fill(paper)
        referent.locator("#paper-send").click()
    else:
        referent.locator("#card-text").fill(paper)
        referent.locator("#send-card").click()
    expect(board.locator(".board-card", has_text=paper).locator(".card-author")).to_have_text(
        re.compile("Carte papier")
    )

    # A merge (the two map cards of table 1) and a theme, by the référent.
    keep = card_id(board, "Une carte commune des itinéraires vélo")
    duplicate = card_id(board, texts[(0, 0)])
    merged = send(referent, "card:merge", {"keep": keep, "cards": [duplicate]})
    assert merged["ok"], merged
    expect(board.locator(f'[data-card-id="{duplicate}"]')).to_have_count(0)
    agendas = card_id(board, "Partager nos agendas d’animations")
    theme = send(referent, "theme:create", {"title": "Outils communs", "cards": [agendas]})
    assert theme["ok"], theme
    in_theme = {"theme_id": theme["theme"]["id"]}  # one row of dots per theme: its cards take none
    # The facilitator moderates a card of table 3 from the console: hidden on the board, dimmed here.
    hide_text = "Prêter nos salles pour les ateliers"
    facilitator.locator(".board-card", has_text=hide_text).get_by_role("button", name="Masquer").click()
    expect(facilitator.locator(".board-card.is-hidden", has_text=hide_text)).to_be_visible()
    expect(board.locator(".board-card", has_text=hide_text)).to_have_count(0)
    shots("03-contributions", phone, referent, board, facilitator)

    # 4. Select what matters: votes from the phones within the budget, essentials by the référents.
    facilitator.get_by_role("button", name="Étape suivante").click()
    for page in (board, phone, referent):
        expect(page.locator("#step-title")).to_have_text("Sélectionner l’essentiel")
    contributions_1 = card_id(board, "Partager nos agendas d’animations")
    refused = send(phones[0][0], "vote:cast", {"card_id": contributions_1, "delta": 1})
    assert refused["error"]["code"] == "card_in_theme"
    for voter in phones[0]:
        assert send(voter, "vote:cast", {"card_id": keep, "delta": 1})["ok"]
    assert send(phones[0][0], "vote:cast", {"card_id": keep, "delta": 1})["ok"]
    assert send(phones[0][0], "vote:cast", {**in_theme, "delta": 1})["remaining"] == 0
    refused = send(phones[0][0], "vote:cast", {**in_theme, "delta": 1})
    assert refused["error"]["code"] == "no_dots_left"
    back = send(phones[0][0], "vote:cast", {**in_theme, "delta": -1})
    assert back["ok"] and back["remaining"] == 1
    site, formation = card_id(board, texts[(1, 0)]), card_id(board, texts[(1, 1)])
    for voter in phones[1]:
        assert send(voter, "vote:cast", {"card_id": site, "delta": 1})["ok"]
        assert send(voter, "vote:cast", {"card_id": formation, "delta": 1})["ok"]
    newsletter, summer = card_id(board, texts[(2, 0)]), card_id(board, texts[(2, 2)])
    # Table 3 votes with the phones' own (+) buttons.
    for voter in phones[2]:
        voter.locator(f'#cards [data-card-id="{newsletter}"]').get_by_role(
            "button", name="Ajouter une gommette"
        ).click()
        expect(voter.locator("#vote-left")).to_have_text(re.compile("2 gommettes"))
    shots("04-vote", phone, referent, board, facilitator)

    marked = send(referent, "essentials:set", {"family": "attentes", "card_ids": [keep]})
    assert marked["ok"], marked
    assert send(referent, "essentials:set", {"family": "faiblesses", "card_ids": [card_id(board, SECRET)]})[
        "ok"
    ]
    assert send(referents[1], "essentials:from_votes", {})["ok"]
    assert send(referents[2], "essentials:set", {"family": "contributions", "card_ids": [summer]})["ok"]
    assert send(referents[2], "essentials:set", {"family": "attentes", "card_ids": [newsletter]})["ok"]
    assert send(referent, "group:ready", {"ready": True})["ok"]
    expect(facilitator.locator('[data-glance-group="1"]')).to_have_class(re.compile("is-ready"))
    expect(facilitator.locator('[data-glance-group="1"] [data-glance-essentials]')).to_have_text(
        "2 essentiels"
    )
    expect(facilitator.locator('[data-glance-group="2"] [data-glance-essentials]')).to_have_text(
        "2 essentiels"
    )

    # 5. Plenary: the board switches to the plenary view by itself.
    facilitator.get_by_role("button", name="Étape suivante").click()
    expect(board.locator("#step-title")).to_have_text("Restitution en plénière")
    expect(board.locator('.view-button[data-view="plenary"]')).to_have_attribute("aria-pressed", "true")
    columns = board.locator("[data-plenary-group]")
    expect(columns).to_have_count(3)
    expect(columns.nth(0).locator(".essential-text")).to_have_text(
        [SECRET, "Une carte commune des itinéraires vélo"]
    )
    expect(columns.nth(1).locator(".essential-text")).to_have_text([texts[(1, 0)], texts[(1, 1)]])
    expect(columns.nth(1).locator(".tie-tag")).to_have_count(2)  # 3 dots each: ex aequo
    expect(columns.nth(1).locator(".tie-tag").first).to_have_text("ex æquo")
    expect(columns.nth(2).locator(".essential-text")).to_have_text([texts[(2, 0)], texts[(2, 2)]])
    assert hide_text not in board.locator("#plenary").inner_text()
    # Plenary votes arrive live.
    for voter in (phones[1][0], phones[2][1]):
        assert send(voter, "vote:cast", {"card_id": summer, "delta": 1})["ok"]
    expect(columns.nth(2).locator("[data-essential-target]", has_text=texts[(2, 2)])).to_contain_text(
        "plénière : 2"
    )
    shots("05-plenary", phone, referent, board, facilitator)

    # Presenter mode, with the keyboard.
    board.keyboard.press("4")
    presenter = board.locator("#presenter")
    expect(presenter).to_be_visible()
    expect(board.locator("#presenter-progress")).to_have_text("Table 1 / 3")
    expect(board.locator("#presenter-table")).to_have_text(created["groups"][0]["name"])
    expect(presenter.locator(".essential-text")).to_have_text(
        [SECRET, "Une carte commune des itinéraires vélo"]
    )
    shot(board, "05-presenter-1-projector")
    board.keyboard.press("ArrowRight")
    expect(board.locator("#presenter-progress")).to_have_text("Table 2 / 3")
    board.keyboard.press("ArrowRight")
    expect(board.locator("#presenter-progress")).to_have_text("Table 3 / 3")
    expect(presenter.locator(".essential-text").first).to_have_text(texts[(2, 0)])
    shot(board, "05-presenter-3-projector")
    board.keyboard.press("ArrowLeft")
    expect(board.locator("#presenter-progress")).to_have_text("Table 2 / 3")
    board.keyboard.press("Escape")
    expect(presenter).to_be_hidden()
    expect(board.locator('.view-button[data-view="plenary"]')).to_have_attribute("aria-pressed", "true")

    # 6. Conclusion (after the « Plan d'action » step).
    facilitator.get_by_role("button", name="Étape suivante").click()
    expect(board.locator("#step-title")).to_have_text("Plan d’action")
    facilitator.get_by_role("button", name="Étape suivante").click()
    for page in (board, phone, referent):
        expect(page.locator("#step-title")).to_have_text("Conclusion")
    shots("06-conclusion", phone, referent, board, facilitator)

    # The console in the facilitator's hand (a phone, a tablet): no sideways scrolling.
    for size, options in (("phone", PHONE), ("tablet", TABLET)):
        page = open_context(**options).new_page()
        page.goto(created["facilitator_url"].replace("#", "?view=plenary#"))
        connected(page)
        expect(page.locator("[data-plenary-group]")).to_have_count(3)
        width = options["viewport"]["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"06-console-plenary-{size}", full=True)
