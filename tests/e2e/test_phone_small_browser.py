"""The phone's small things (issue 16, "Small ones") at 360×740, as a participant notices them:

- the table picker names each table « Table 3 — Nom », one big target per table, nothing past the edge;
- a paste past the card limit is kept whole: the counter says by how much to shorten, « Envoyer » waits;
- counts agree in French (« 1 gommette », « 0 gommette »);
- notes say what they are with an icon and a style of their own (success is not a warning);
- « Temps écoulé » is said once when a timed step runs out.

Screenshots: /tmp/shots-i16phone/*.png."""

import re
from pathlib import Path

import pytest
from phones import connected, post
from test_browser import PHONE

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = Path("/tmp/shots-i16phone")
NAMES = [
    "Office de tourisme intercommunal des Pyrénées audoises et du Pays cathare",
    "ADT",
    "Relais territoriaux",
    "CRTL",
    "Table 5",
    "Offices de tourisme du littoral",
    "Agence de développement touristique de l’Hérault",
    "Grands sites",
    "Stations thermales et villes d’eaux",
]


def shot(page, name, full=False):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def overflows(page):
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_table_picker_numbers_every_table_and_fits_a_small_phone(live_server, open_context):
    created = live_server.create_workshop(groups=9, group_names=NAMES)
    page = open_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/j/{created['code']}")
    choices = page.locator("#group-field .choice")
    expect(choices).to_have_count(9)
    expect(choices.nth(0)).to_contain_text("Table 1 — Office de tourisme intercommunal")
    expect(choices.nth(2)).to_have_text("Table 3 — Relais territoriaux")
    expect(choices.nth(4)).to_have_text("Table 5")  # a table named after its number says it once
    for index in range(9):
        box = choices.nth(index).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 300, (index, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (index, box)
    assert not overflows(page)
    shot(page, "join-table-picker", full=True)
    for width, height in ((1366, 768), (1920, 1080)):  # a laptop opening the link: columns, still whole
        wide = open_context(viewport={"width": width, "height": height}).new_page()
        wide.goto(f"{live_server.url}/j/{created['code']}")
        tops = {round(wide.locator("#group-field .choice").nth(i).bounding_box()["y"]) for i in range(9)}
        assert len(tops) < 9 and not overflows(wide), width  # several tables per row
        shot(wide, f"join-table-picker-{width}", full=True)
    choices.nth(2).click()
    page.locator("#name").fill("Léa")
    page.locator("#join-form [type=submit]").click()
    connected(page)
    expect(page.locator("#table-badge")).to_have_text("Table 3 — Relais territoriaux")
    assert not overflows(page)


def test_a_long_paste_is_kept_and_the_phone_says_how_much_to_cut(live_server, open_context):
    created = live_server.create_workshop(groups=2, vote_budget=2)
    page = open_context(**PHONE).new_page()
    page.goto(created["groups"][0]["join_url"])
    page.locator("#name").fill("Léa")
    page.locator("#join-form [type=submit]").click()
    connected(page)
    expect(page.locator("#card-counter")).to_have_text("280 caractères restants")
    long_text = "Mutualiser les agendas des offices " + "x" * 277  # 312 characters
    assert len(long_text) == 312
    page.locator("#card-text").fill(long_text)
    expect(page.locator("#card-text")).to_have_value(long_text)  # nothing cut
    expect(page.locator("#card-counter")).to_have_text("312 / 280 — raccourcissez de 32 caractères")
    expect(page.locator("#send-card")).to_be_disabled()
    expect(page.locator("#card-text")).to_have_attribute("aria-invalid", "true")
    page.locator("#card-text").press("Enter")  # Enter sends, but not this: the text stays, said why
    expect(page.locator("#card-error")).to_contain_text("Trop longue")
    expect(page.locator("#card-text")).to_have_value(long_text)
    expect(page.locator(".phone-card")).to_have_count(0)
    shot(page, "card-long-paste")
    page.locator("#card-text").fill(long_text[:279])
    expect(page.locator("#card-counter")).to_have_text("1 caractère restant")
    expect(page.locator("#send-card")).to_be_enabled()
    expect(page.locator("#card-error")).to_be_hidden()
    post(page, long_text[:279])
    # The author's own edit box keeps a long paste too, and says how much to cut.
    mine = page.locator(".phone-card[data-card-id]").first
    mine.get_by_role("button", name="Modifier").click()
    mine.locator("textarea").fill(long_text + " encore")
    expect(mine.locator(".edit-counter")).to_have_text("319 / 280 — raccourcissez de 39 caractères")
    expect(mine.get_by_role("button", name="Enregistrer")).to_be_disabled()
    expect(mine.locator("textarea")).to_have_value(long_text + " encore")
    mine.get_by_role("button", name="Annuler").click()
    # Counts in French: 0 and 1 take the singular.
    expect(page.locator("#vote-left")).to_have_text("Il vous reste 2 gommettes")
    page.locator(".vote-plus").first.click()
    expect(page.locator("#vote-left")).to_have_text("Il vous reste 1 gommette")


AGENDA = [
    {
        "title": "Forces",
        "minutes": 1,
        "open_families": ["forces"],
        "hidden_until_reveal": False,
        "voting": "off",
    },
    {
        "title": "Vote de la table",
        "minutes": 5,
        "open_families": [],
        "hidden_until_reveal": False,
        "voting": "table",
    },
]

# The ratio of WCAG 2 between an element's text colour and its own background colour.
CONTRAST = """element => {
  const style = getComputedStyle(element);
  const rgb = value => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""
ICON = "element => getComputedStyle(element, '::before').content"
GROUND = "element => getComputedStyle(element).backgroundColor"


def note_look(locator):
    return locator.evaluate(ICON), locator.evaluate(GROUND), locator.evaluate(CONTRAST)


def test_time_up_is_said_once_and_notes_differ_by_kind(live_server, open_context, connect):
    created = live_server.create_workshop(groups=2, vote_budget=2)
    facilitator = connect(live_server, "facilitator")
    facilitator.join(code=created["code"], role="facilitator", token=created["facilitator_token"])
    assert facilitator.call("agenda:update", {"steps": AGENDA})["ok"]
    page = open_context(**PHONE).new_page()
    page.clock.install()
    page.goto(created["groups"][0]["join_url"])
    page.locator("#name").fill("Léa")
    page.locator("#join-form [type=submit]").click()
    connected(page)
    assert facilitator.call("step:start", {})["ok"]
    expect(page.locator("#step-title")).to_have_text("Forces")
    page.clock.fast_forward("01:05")
    expect(page.locator("#step-status")).to_have_text("Temps écoulé")
    expect(page.locator("#composer-closed")).to_be_visible()
    assert page.evaluate("document.body.innerText").count("Temps écoulé") == 1
    shot(page, "time-up")

    # The notes: information (the step says what to do), warning (locked), error (a refusal).
    assert facilitator.call("step:next", {})["ok"]
    note = page.locator("#step-note")
    expect(note).to_have_text("Pas de nouvelle carte à cette étape : place au vote.")
    expect(note).to_have_class("step-note note note-info")
    info = note_look(note)
    shot(page, "vote-step-note")
    assert facilitator.call("workshop:lock", {"locked": True})["ok"]
    expect(note).to_have_text("Verrouillé par l’animateur")
    expect(note).to_have_class("step-note note note-warning")
    warning = note_look(note)
    assert facilitator.call("workshop:lock", {"locked": False})["ok"]
    page.evaluate("""() => { const e = document.getElementById('card-error');
      e.className = 'error note note-error'; e.textContent = 'Refusée'; e.hidden = false; }""")
    error = note_look(page.locator("#card-error"))

    referent = open_context(**PHONE).new_page()
    referent.goto(created["groups"][0]["referent_url"])
    connected(referent)
    referent.locator("#essentials-from-votes").click()
    success_note = referent.locator("#essentials-note")
    expect(success_note).to_have_text("L’essentiel a été repris du vote.")
    expect(success_note).to_have_class("essentials-note note note-success")
    success = note_look(success_note)
    shot(referent, "referent-success-note")

    looks = {"info": info, "warning": warning, "error": error, "success": success}
    icons = {kind: look[0] for kind, look in looks.items()}
    grounds = {kind: look[1] for kind, look in looks.items()}
    assert len(set(icons.values())) == 4 and "none" not in icons.values(), icons  # not colour alone
    assert len(set(grounds.values())) == 4, grounds
    for kind, look in looks.items():
        assert look[2] >= 4.5, (kind, look)


def until(page, script, attempts=100):
    """Wait until `script` is true in the page (page.wait_for_function polls with eval: the CSP
    refuses it)."""
    for _ in range(attempts):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


OFFLINE_NOISE = r"ERR_INTERNET_DISCONNECTED|ERR_FAILED|WebSocket|socket\.io|Failed to load resource"


def test_a_reload_offline_shows_the_page_and_its_outbox(live_server, open_context, connect):
    created = live_server.create_workshop(groups=2)
    facilitator = connect(live_server, "facilitator")
    facilitator.join(code=created["code"], role="facilitator", token=created["facilitator_token"])
    assert facilitator.call("agenda:update", {"steps": [{**AGENDA[0], "minutes": 30}, AGENDA[1]]})["ok"]
    assert facilitator.call("step:start", {})["ok"]
    open_context.watch.allow(OFFLINE_NOISE)
    context = open_context(**PHONE)
    page = context.new_page()
    page.goto(created["groups"][0]["join_url"])
    page.locator("#name").fill("Inès")
    page.locator("#join-form [type=submit]").click()
    connected(page)
    post(page, "Un calendrier commun des salons")
    # The worker runs and has kept the page and its assets (network first: it was online).
    until(page, "() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)")
    until(
        page,
        """async () => { const cache = await caches.open('facilitator-phone-v1');
           const kept = (await cache.keys()).map(r => new URL(r.url).pathname);
           return kept.includes(location.pathname) && kept.some(p => p.endsWith('/js/phone.js'))
             && !kept.some(p => p.startsWith('/socket.io') || p.startsWith('/api/')); }""",
    )

    context.set_offline(True)
    expect(page.locator("body")).to_have_attribute("data-connection", "offline")
    page.locator("#card-text").fill("Une carte tapée hors ligne")
    page.locator("#card-text").press("Enter")
    expect(page.locator(".phone-card.is-pending")).to_have_count(1)
    page.reload()
    # Not the browser's error page: the phone page, at its table, with the card still waiting.
    expect(page.locator("#table-badge")).to_have_text("Table 1")
    expect(page.locator("#status")).to_contain_text("Hors ligne")
    expect(page.locator(".phone-card.is-pending", has_text="Une carte tapée hors ligne")).to_have_count(1)
    expect(page.locator(".phone-card", has_text="Un calendrier commun des salons")).to_have_count(1)
    expect(page.locator("#card-text")).to_be_visible()
    expect(page.locator("#step-title")).to_have_text("Forces")  # the step it was told, not free mode
    expect(page.locator(".family-choice.family-faiblesses")).to_have_class(re.compile("is-closed"))
    shot(page, "offline-reload")

    context.set_offline(False)
    connected(page)
    sent = page.locator(".phone-card[data-card-id]", has_text="Une carte tapée hors ligne")
    expect(sent).to_have_count(1)
    expect(page.locator(".phone-card.is-pending")).to_have_count(0)
    expect(sent.locator(".card-state.sent")).to_be_visible()


def test_hidden_totals_show_my_dots_only_until_the_vote_ends(live_server, open_context, connect):
    created = live_server.create_workshop(groups=2, vote_budget=3, hide_vote_totals=True)
    facilitator = connect(live_server, "facilitator")
    facilitator.join(code=created["code"], role="facilitator", token=created["facilitator_token"])
    steps = [
        {"title": "Forces", "minutes": 10, "open_families": ["forces"], "hidden_until_reveal": False, "voting": "off"},
        {"title": "Vote de la table", "minutes": 10, "open_families": [], "hidden_until_reveal": False,
         "voting": "table"},
        {"title": "Conclusion", "minutes": 5, "open_families": [], "hidden_until_reveal": False, "voting": "off"},
    ]  # fmt: skip
    assert facilitator.call("agenda:update", {"steps": steps})["ok"]
    assert facilitator.call("step:start", {})["ok"]
    zoe = connect(live_server, "Zoé")
    zoe.join(code=created["code"], role="participant", group=1, name="Zoé")
    page = open_context(**PHONE).new_page()
    page.goto(created["groups"][0]["join_url"])
    page.locator("#name").fill("Léa")
    page.locator("#join-form [type=submit]").click()
    connected(page)
    post(page, "Des navettes entre les gares et les sites")
    card_id = int(page.locator(".phone-card[data-card-id]").first.get_attribute("data-card-id"))
    assert facilitator.call("step:next", {})["ok"]
    expect(page.locator("#step-title")).to_have_text("Vote de la table")
    assert zoe.call("vote:cast", {"card_id": card_id, "delta": 1})["ok"]  # someone else's dot: not told
    page.locator(".vote-plus").first.click()
    row = page.locator(".phone-card[data-card-id] .vote-row").first
    expect(row).to_have_attribute("data-mine", "1")
    expect(row.locator(".vote-total")).to_have_text("à vous : 1")
    expect(page.locator("#vote-left")).to_have_text("Il vous reste 2 gommettes — totaux à la fin du vote")
    shot(page, "vote-step-hidden-totals")
    assert facilitator.call("step:next", {})["ok"]
    expect(row.locator(".vote-total")).to_have_text("2 gommettes")  # the vote is over: the totals


def test_the_console_switches_hidden_totals(live_server, open_context):
    created = live_server.create_workshop(groups=9, hide_vote_totals=True)
    for width, height in ((1366, 768), (1920, 1080)):
        console = open_context(viewport={"width": width, "height": height}).new_page()
        console.goto(created["facilitator_url"])
        connected(console)
        box = console.get_by_role("checkbox", name="Totaux cachés pendant le vote")
        expect(box).to_be_checked()  # as created
        shot(console, f"console-hidden-totals-{width}")
        box.uncheck()
        expect(box).to_be_enabled()
        expect(box).not_to_be_checked()
        console.reload()
        connected(console)
        expect(box).not_to_be_checked()  # the server kept it
        box.check()  # back as created, for the next size
        expect(box).to_be_enabled()
        expect(box).to_be_checked()


def test_the_referents_paper_card_keeps_a_long_paste_and_says_how_much_to_cut(live_server, open_context):
    created = live_server.create_workshop(groups=1)
    referent = open_context(**PHONE).new_page()
    referent.goto(created["groups"][0]["referent_url"])
    connected(referent)
    long_text = "Carte papier recopiée : " + "y" * 288  # 312 characters
    referent.locator("#card-text").fill(long_text)
    expect(referent.locator("#card-text")).to_have_value(long_text)  # nothing cut
    expect(referent.locator("#card-error")).to_have_text("312 / 280 — raccourcissez de 32 caractères")
    expect(referent.locator("#send-card")).to_be_disabled()
    referent.locator("#card-text").press("Enter")
    expect(referent.locator("#card-text")).to_have_value(long_text)
    referent.locator("#card-text").fill(long_text[:280])
    expect(referent.locator("#card-error")).to_be_hidden()
    expect(referent.locator("#send-card")).to_be_enabled()
    referent.locator("#card-text").press("Enter")
    expect(referent.locator("#card-text")).to_have_value("")
    expect(referent.locator("li[data-card-id]", has_text="Carte papier recopiée")).to_have_count(1)
