"""The facilitator console at 1366×768, 1920×1080 and 360×740 with 9 tables (issue 16, small ones):
nothing scrolls sideways, the kit and report buttons are reachable, each column shows several cards,
and the tables at a glance show whole table names and counts labelled in words, not colour alone."""

import pytest
from harness import ROOT

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
FAMILIES = ("forces", "faiblesses", "attentes", "contributions")
LONG_NAME = "Hébergement, thermalisme et bien-être en Occitanie"
SIZES = ((1366, 768, "laptop"), (1920, 1080, "full-hd"), (360, 740, "phone"))


def cards_in_view(page, family) -> int:
    """How many of a column's cards its scrolling box shows whole."""
    return page.evaluate(
        """(family) => {
        const list = document.querySelector(`[data-cards-family="${family}"]`);
        const box = list.getBoundingClientRect();
        return [...list.querySelectorAll("[data-card-id]")].filter((card) => {
          const r = card.getBoundingClientRect();
          return r.height > 0 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        }).length;
      }""",
        family,
    )


def test_the_console_fits_a_laptop_a_full_hd_screen_and_a_phone(live_server, open_context, connect):
    names = [LONG_NAME] + [f"Table {n}" for n in range(2, 10)]
    created = live_server.create_workshop(groups=9, group_names=names)
    for number in range(1, 10):
        phone = connect(live_server, f"table {number}")
        phone.join(code=created["code"], role="participant", group=number, name=f"Camille {number}")
        for index in range(8):
            family = FAMILIES[index % 4] if index < 4 else "forces"
            assert phone.post(family, f"Idée {index} de la table {number}, assez longue pour deux lignes")[
                "ok"
            ]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height, name in SIZES:
        page = open_context(viewport={"width": width, "height": height}).new_page()
        page.goto(created["facilitator_url"])
        expect(page.locator("#total-cards")).to_have_text("72")
        page.screenshot(path=str(SCREENSHOTS / f"console-{name}.png"))
        page.screenshot(path=str(SCREENSHOTS / f"console-{name}-full.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing sideways

        tile = page.locator('[data-glance-group="1"]')
        glance_name = tile.locator(".glance-name")
        expect(glance_name).to_have_text(LONG_NAME)
        assert glance_name.evaluate("(n) => n.scrollWidth <= n.clientWidth + 1")  # wrapped, not cut
        forces = tile.locator(".glance-family.family-forces")
        expect(forces).to_have_text("Forces 5")  # the family in words beside its count
        expect(tile.locator(".glance-family.family-attentes")).to_have_text("Attentes 1")
        label = forces.locator(".glance-family-label").bounding_box()
        assert label["width"] > 30 and label["height"] > 10  # written out on screen, not for readers only

        for button in (
            page.get_by_role("button", name="Affiches et cartes papier (PDF)"),
            page.get_by_role("button", name="Document PDF"),
        ):
            button.scroll_into_view_if_needed()
            box = button.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
            assert box["height"] >= 44

        page.get_by_text("Options du kit").click()  # the kit options fit too, with 44 px fields
        for label in ("Heure de début de la première étape", "Règles du jeu (une par ligne)", "Affiches"):
            field = page.get_by_label(label, exact=True)
            field.scroll_into_view_if_needed()
            box = field.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 44, (
                name,
                label,
                box,
            )
        page.screenshot(path=str(SCREENSHOTS / f"console-{name}-kit-options.png"))

        page.locator("#columns").scroll_into_view_if_needed()
        seen = cards_in_view(page, "forces")
        assert seen >= (3 if height >= 740 and width > 900 else 2), (name, seen)
        page.screenshot(path=str(SCREENSHOTS / f"console-{name}-columns.png"))
