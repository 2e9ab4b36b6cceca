"""Counts speak correct French: « 0 gommette », « 1 connecté », « 2 connectés » — every count message is
one ngettext message with both forms in the catalogs, and pages hand both forms and the language's
rule to their scripts (Live.plural)."""

import html
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.test_pages import page_data

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "facilitator" / "templates"


def catalog(locale):
    with open(ROOT / "facilitator" / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def test_french_catalog_says_zero_and_one_are_singular():
    text = (ROOT / "facilitator/translations/fr/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text


@pytest.mark.parametrize(
    ("singular", "one", "many"),
    [
        ("{n} connected", "{n} connecté", "{n} connectés"),
        ("{n} dot", "{n} gommette", "{n} gommettes"),
        ("{n} person connected", "{n} personne connectée", "{n} personnes connectées"),
        ("{n} essential", "{n} essentiel", "{n} essentiels"),
        ("You have {n} dot left", "Il vous reste {n} gommette", "Il vous reste {n} gommettes"),
    ],
)
def test_count_messages_have_both_french_forms(singular, one, many):
    message = catalog("fr").get(singular)
    assert message is not None and isinstance(message.id, tuple), f"{singular!r} is not a plural message"
    assert message.string == (one, many)


def test_every_plural_message_has_two_distinct_french_forms_where_english_has():
    for message in catalog("fr"):
        if not isinstance(message.id, tuple):
            continue
        assert all(message.string), message.id
        if message.id[0] != message.id[1]:
            assert message.string[0] != message.string[1], message.id


def test_no_template_hands_scripts_a_one_or_many_key_any_more():
    """The old pairs (`dots_one`/`dots_many` chosen with `n === 1`) said « 0 gommettes »."""
    for path in TEMPLATES.glob("*.html"):
        found = re.findall(r'"\w+_(?:one|many)"\s*:', path.read_text(encoding="utf-8"))
        assert not found, f"{path.name}: {found} — use plural_pair()"


@pytest.fixture
def workshop(make_workshop):
    created, _ = make_workshop(groups=2)
    return created


def data_strings(response, element_id):
    text = response.get_data(as_text=True)
    match = re.search(rf'id="{element_id}"[^>]*data-strings=\'([^\']*)\'', text, re.DOTALL)
    assert match, element_id
    return json.loads(html.unescape(match.group(1)))


def test_french_phone_page_gives_scripts_both_forms_and_the_rule(client, workshop):
    response = client.get(f"/j/{workshop.code}?g=1&lang=fr")
    assert page_data(response)["plural_singulars"] == [0, 1]
    votes = data_strings(response, "vote-budget")
    assert votes["dots"] == ["{n} gommette", "{n} gommettes"]
    assert votes["left"] == ["Il vous reste {n} gommette", "Il vous reste {n} gommettes"]


def test_english_pages_make_zero_plural(client, workshop):
    response = client.get(f"/b/{workshop.code}?lang=en")
    data = page_data(response)
    assert data["plural_singulars"] == [1]
    assert data["t"]["dots"] == ["{n} dot", "{n} dots"]


def test_french_board_says_one_connected(client, workshop):
    data = page_data(client.get(f"/f/{workshop.code}?lang=fr"))
    assert data["t"]["connected_n"] == ["{n} connecté", "{n} connectés"]
    assert data["plural_singulars"] == [0, 1]
