"""The agenda in real browsers: the facilitator starts it, the board, a phone and a référent console
follow each step with the countdown; the phone's closed families are disabled; a silent step keeps a
card off the board until the facilitator reveals it. Screenshots at phone and projector sizes."""

import re

import pytest
from phones import connected
from test_browser import PHONE, PROJECTOR, SCREENSHOTS

LAPTOP = {"viewport": {"width": 1366, "height": 768}}

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SECRET = "Notre accueil est trop dispersé entre les OT"


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"agenda-{name}.png"), full_page=name.startswith(("phone", "referent"))
    )


def test_facilitator_runs_the_agenda_and_reveals_a_silent_step(live_server, open_context):
    created = live_server.create_workshop(groups=2)
    facilitator = open_context(**PROJECTOR).new_page()
    facilitator.goto(created["facilitator_url"])
    connected(facilitator)
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"])
    connected(board)
    phone = open_context(**PHONE).new_page()
    phone.goto(created["groups"][0]["join_url"])
    phone.locator("#name").fill("Léa")
    phone.locator("#join-form [type=submit]").click()
    connected(phone)
    referent = open_context(**PHONE).new_page()
    referent.goto(created["groups"][0]["referent_url"])
    connected(referent)

    # Free mode: every family open.
    expect(board.locator("#step-title")).to_have_text(re.compile("Mode libre"))
    assert phone.locator("input[name=family]:disabled").count() == 0
    expect(board.locator("[data-agenda]:visible")).to_have_count(0)  # the board has no controls

    # Before the start the facilitator edits the agenda: rename the welcome, add a last step.
    facilitator.get_by_text("Modifier le déroulé").click()
    first = facilitator.locator(".agenda-step").first
    first.get_by_label("Titre de l’étape").fill("Accueil des offices de tourisme")
    facilitator.get_by_role("button", name="Ajouter une étape").click()
    facilitator.locator(".agenda-step").last.get_by_label("Titre de l’étape").fill("Pot de l’amitié")
    shot(facilitator, "facilitator-editor")
    facilitator.get_by_role("button", name="Enregistrer le déroulé").click()
    expect(facilitator.locator("#agenda-saved")).to_have_text("Déroulé enregistré")

    facilitator.get_by_role("button", name="Démarrer le déroulé").click()
    expect(facilitator.locator("#agenda-editor")).to_be_visible()  # the future steps stay editable
    for page in (board, phone, referent, facilitator):
        expect(page.locator("#step-title")).to_have_text("Accueil des offices de tourisme")
        expect(page.locator("#step-countdown")).to_have_text(re.compile(r"^1[45]:\d\d$"))
    # The welcome opens no family: nothing can be posted.
    expect(phone.locator("input[name=family]:disabled")).to_have_count(4)
    expect(phone.locator("#send-card")).to_be_disabled()
    expect(phone.locator("#step-note")).to_have_text(re.compile("Pas de carte"))
    shot(phone, "phone-welcome")
    shot(board, "board-welcome")

    facilitator.get_by_role("button", name="Étape suivante").click()
    for page in (board, phone, referent):
        expect(page.locator("#step-title")).to_have_text("Forces et faiblesses")
        expect(page.locator("#step-number")).to_have_text(re.compile("Étape 2 sur 8"))
    expect(phone.locator("#step-countdown")).to_have_text(re.compile(r"^2[45]:\d\d$"))
    for closed in ("attentes", "contributions"):
        expect(phone.locator(f"input[name=family][value={closed}]")).to_be_disabled()
        expect(phone.locator(f".family-choice.family-{closed} .closed-tag")).to_have_text("fermé")
    expect(phone.locator("input[name=family][value=forces]")).to_be_checked()
    expect(phone.locator("input[name=family][value=faiblesses]")).to_be_enabled()
    expect(referent.locator("input[name=family][value=attentes]")).to_be_disabled()

    # A silent step: the phone keeps its card; the board and the référent see a count, not the text.
    phone.locator("#card-text").fill(SECRET)
    phone.locator("#send-card").click()
    expect(phone.locator("#cards li[data-card-id] .card-text", has_text=SECRET)).to_be_visible()
    expect(phone.locator("#cards li[data-card-id] .card-state.sealed")).to_have_text(
        re.compile("Cachée aux autres")
    )
    expect(board.locator("#step-sealed")).to_have_text(re.compile("1 carte cachée jusqu’à la révélation"))
    expect(board.locator(".sealed-badge:visible")).to_have_count(1)
    expect(referent.locator("#step-sealed")).to_have_text(re.compile("1 carte cachée"))
    expect(facilitator.locator("#step-sealed")).to_have_text(re.compile("1 carte cachée"))
    for page in (board, referent, facilitator):
        assert SECRET not in page.content()
    shot(phone, "phone-silent-step")
    shot(board, "board-silent-step")
    shot(facilitator, "facilitator-silent-step")
    shot(referent, "referent-silent-step")

    facilitator.get_by_label("Révéler à").select_option(label="Table 2")
    facilitator.get_by_role("button", name="Révéler les cartes").click()
    expect(facilitator.get_by_role("button", name="Révéler les cartes")).to_be_enabled()  # answered
    expect(facilitator.locator("#agenda-error")).to_be_hidden()
    expect(board.locator("#step-sealed")).to_have_text(re.compile("1 carte cachée"))  # table 1 still hidden
    assert SECRET not in board.content()
    facilitator.get_by_label("Révéler à").select_option(label="Toutes les tables")
    facilitator.get_by_role("button", name="Révéler les cartes").click()
    expect(board.locator('[data-cards-family="forces"] .card-text')).to_have_text([SECRET])
    expect(referent.locator("#cards .card-text", has_text=SECRET)).to_be_visible()
    expect(board.locator("#step-sealed")).to_be_hidden()
    expect(phone.locator("#cards .card-state.sealed")).to_have_count(0)
    shot(board, "board-revealed")

    # Pause, +5 min, the phone follows at once; lock closes the phone's form.
    facilitator.get_by_role("button", name="Pause").click()
    expect(phone.locator("#step-status")).to_have_text("En pause")
    facilitator.get_by_role("button", name="+5 min").click()
    expect(phone.locator("#step-countdown")).to_have_text(re.compile(r"^(29|30):\d\d$"))
    facilitator.get_by_role("button", name="Verrouiller").click()
    expect(phone.locator("#send-card")).to_be_disabled()
    expect(phone.locator("#step-note")).to_have_text("Verrouillé par l’animateur")
    shot(phone, "phone-locked")

    # A reload lands in the same step, with the same clock.
    phone.reload()
    connected(phone)
    expect(phone.locator("#step-title")).to_have_text("Forces et faiblesses")
    expect(phone.locator("#step-status")).to_have_text("En pause")
    expect(phone.locator("#send-card")).to_be_disabled()


def test_facilitator_goes_back_jumps_edits_the_future_steps_and_confirms_the_end(live_server, open_context):
    """Issue 16, point 12, with the console at 1366×768: previous and go-to move the board's step, a step
    added while running appears, the current and past steps are fixed, the end needs a confirmation."""
    created = live_server.create_workshop(groups=2)
    facilitator = open_context(**LAPTOP).new_page()
    facilitator.goto(created["facilitator_url"])
    connected(facilitator)
    board = open_context(**PROJECTOR).new_page()
    board.goto(created["board_url"])
    connected(board)
    controls = facilitator.locator("#agenda-controls")

    facilitator.get_by_role("button", name="Démarrer le déroulé").click()
    expect(controls.get_by_role("button", name="Étape précédente")).to_be_hidden()  # nothing before
    for _ in range(2):
        facilitator.get_by_role("button", name="Étape suivante").click()
    expect(board.locator("#step-number")).to_have_text(re.compile("Étape 3 sur 7"))
    facilitator.get_by_role("button", name="Étape précédente").click()
    expect(board.locator("#step-title")).to_have_text("Forces et faiblesses")
    expect(board.locator("#step-number")).to_have_text(re.compile("Étape 2 sur 7"))
    facilitator.get_by_label("Aller à l’étape").select_option(label="Étape 4 · Sélectionner l’essentiel")
    facilitator.get_by_role("button", name="Aller à cette étape").click()
    expect(board.locator("#step-title")).to_have_text("Sélectionner l’essentiel")

    # While it runs: steps 1-4 are fixed, the three after can move and a new one is added at the end.
    facilitator.get_by_text("Modifier le déroulé").click()
    expect(facilitator.locator(".agenda-step.is-fixed")).to_have_count(4)
    expect(facilitator.locator(".agenda-step.is-fixed").last).to_contain_text("En cours")
    future = facilitator.locator(".agenda-step:not(.is-fixed)")
    expect(future).to_have_count(3)
    expect(future.first.get_by_role("button", name="Monter")).to_have_count(0)  # not above the current
    facilitator.get_by_role("button", name="Ajouter une étape").click()
    future.last.get_by_label("Titre de l’étape").fill("Pot de l’amitié")
    future.first.get_by_role("button", name="Descendre").click()  # the plenary after the plan…
    future.nth(1).get_by_role("button", name="Descendre").click()  # …and after the conclusion
    facilitator.locator("#agenda-steps").evaluate("list => { list.scrollTop = 0; }")
    facilitator.locator("#agenda-editor").screenshot(
        path=str(SCREENSHOTS / "agenda-console-1366-editor-running.png")
    )
    facilitator.get_by_role("button", name="Enregistrer le déroulé").click()
    expect(facilitator.locator("#agenda-saved")).to_have_text("Déroulé enregistré")
    expect(facilitator.locator("#agenda-error")).to_be_hidden()
    expect(board.locator("#step-number")).to_have_text(re.compile("Étape 4 sur 8"))
    expect(board.locator("#step-title")).to_have_text("Sélectionner l’essentiel")  # the run goes on
    options = facilitator.locator("#agenda-goto-step option")
    expect(options).to_have_count(8)
    expect(options.nth(4)).to_have_text("Étape 5 · Plan d’action")
    expect(options.nth(5)).to_have_text("Étape 6 · Conclusion")
    expect(options.nth(7)).to_have_text("Étape 8 · Pot de l’amitié")
    facilitator.get_by_text("Modifier le déroulé").click()

    # The end is apart from the pause, and asks first: Annuler, Échap and the timeout end nothing.
    end = facilitator.get_by_role("button", name="Terminer le déroulé")
    pause = facilitator.get_by_role("button", name="Pause")
    assert end.evaluate("b => getComputedStyle(b).color") != pause.evaluate("b => getComputedStyle(b).color")
    end_box, pause_box = end.bounding_box(), pause.bounding_box()
    assert end_box["x"] > pause_box["x"] + pause_box["width"] + 100 or end_box["y"] > pause_box["y"]
    shot(facilitator, "console-1366-controls")
    end.click()
    confirm = facilitator.get_by_role("button", name="Confirmer la fin ?")
    expect(confirm).to_be_focused()
    shot(facilitator, "console-1366-confirm-end")
    facilitator.get_by_role("button", name="Annuler").click()
    expect(confirm).to_be_hidden()
    expect(end).to_be_visible()
    end.focus()
    facilitator.keyboard.press("Enter")
    expect(confirm).to_be_focused()
    facilitator.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    expect(end).to_be_focused()
    expect(board.locator("#step-status")).not_to_have_text("Atelier terminé")
    facilitator.keyboard.press("Enter")
    facilitator.keyboard.press("Enter")  # the keyboard confirms
    expect(board.locator("#step-status")).to_have_text("Atelier terminé")
    expect(end).to_be_hidden()
    expect(confirm).to_be_hidden()
