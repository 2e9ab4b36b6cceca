"""Translations: every message of the sources is translated in French, the compiled catalogs match
their sources, and pages and socket errors speak French by default and English on request.

When a test here fails after a string was added or changed: run `scripts/translations.sh`,
translate what it lists in facilitator/translations/fr/LC_MESSAGES/messages.po, run it again.
"""

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from facilitator.extensions import socketio

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "facilitator" / "translations"
LOCALES = ("fr", "en")
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "plural_pair": (1, 2)}
FIX = "run scripts/translations.sh, translate in fr/LC_MESSAGES/messages.po, run it again"


def catalog(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def source_messages():
    """Return {(msgid, context): "file:line"} for every message the sources mark today."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault((msgid, context), f"{filename}:{lineno}")
    return found


def _tuple(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def is_translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(strings)


def test_babel_map_finds_python_and_template_messages():
    found = {msgid for msgid, _context in source_messages()}
    assert "No workshop has this code. Check the code on the poster." in found  # errors.py no-op _l
    assert "Strengths" in found  # i18n.py lazy_gettext as _l
    assert "Organiser key" in found  # organiser.py form label
    assert "Join the workshop" in found  # participant.html


@pytest.mark.parametrize("locale", LOCALES)
def test_every_source_message_is_translated(locale):
    messages = catalog(locale)
    problems = []
    for (msgid, context), where in sorted(source_messages().items()):
        message = messages.get(msgid, context=context)
        if message is None:
            problems.append(f"missing: {msgid!r} ({where})")
        elif not is_translated(message):
            problems.append(f"{'fuzzy' if message.fuzzy else 'untranslated'}: {msgid!r} ({where})")
    assert not problems, f"{locale} catalog is behind the sources ({FIX}):\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_are_kept(locale):
    """`%(name)s` placeholders match the msgid, and no stray `%` breaks Jinja's formatting."""
    messages = catalog(locale)
    errors = [f"{message.id!r}: {error}" for message, errs in messages.check() for error in errs]
    assert not errors, errors
    for message in messages:
        for string in message.string if isinstance(message.string, tuple) else (message.string,):
            stray = re.sub(r"%\(\w+\)[sd]|%%", "", string or "")
            assert "%" not in stray, f"{message.id!r}: stray % in {string!r}"


def test_french_typography():
    """A non-breaking space before : ; ? ! and the real ellipsis, never three dots."""
    for message in catalog("fr"):
        if not message.id:
            continue
        for string in message.string if isinstance(message.string, tuple) else (message.string,):
            assert not re.search(r"[^\u00a0\u202f][;?!]|[^\u00a0\u202f]:(\s|$)", string), (
                f"{message.id!r}: put a non-breaking space before the punctuation in {string!r}"
            )
            assert "..." not in string, f"{message.id!r}: use … in {string!r}"
            assert '"' not in string, f"{message.id!r}: use « » quotes in {string!r}"


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalog_matches_its_source(locale):
    """The committed .mo holds exactly what compiling the .po gives (someone forgot to compile)."""
    source = catalog(locale)
    compiled = io.BytesIO()
    write_mo(compiled, source)
    compiled.seek(0)
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo", "rb") as f:
        committed = read_mo(f)

    def entries(messages):
        return {(_tuple(message.id), _tuple(message.string)) for message in messages if message.id}

    expected = entries(read_mo(compiled))
    assert expected, "the catalog compiles to nothing"
    assert entries(committed) == expected, f"{locale}/LC_MESSAGES/messages.mo is stale: {FIX}"


def test_phone_page_is_french_by_default(client, make_workshop):
    workshop, _secrets = make_workshop()
    page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Rejoindre" in page
    assert "Join the workshop" not in page


def test_phone_page_in_english_with_lang_parameter_then_cookie(client, make_workshop):
    workshop, _secrets = make_workshop()
    response = client.get(f"/j/{workshop.code}?lang=en")
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Join the workshop" in page and "Rejoindre" not in page
    assert client.get_cookie("lang").value == "en"

    remembered = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert '<html lang="en">' in remembered and "Rejoindre" not in remembered

    back = client.get(f"/j/{workshop.code}?lang=fr").get_data(as_text=True)
    assert "Rejoindre" in back
    assert client.get_cookie("lang").value == "fr"


def test_phone_page_follows_the_browser_language(client, make_workshop):
    workshop, _secrets = make_workshop()
    english = client.get(f"/j/{workshop.code}", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Join the workshop" in english.get_data(as_text=True)
    assert client.get_cookie("lang") is None  # only an explicit choice is remembered
    french = client.get(f"/j/{workshop.code}", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert "Rejoindre" in french.get_data(as_text=True)
    german = client.get(f"/j/{workshop.code}", headers={"Accept-Language": "de"})
    assert "Rejoindre" in german.get_data(as_text=True)


def test_family_labels_and_form_labels_are_translated(client, make_workshop):
    workshop, _secrets = make_workshop()
    page = client.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert "Forces" in page and "Faiblesses" in page and "Ce qui fonctionne bien aujourd’hui" in page
    assert "Clé organisateur" in client.get("/organiser").get_data(as_text=True)
    assert "Organiser key" in client.get("/organiser?lang=en").get_data(as_text=True)


def test_socket_error_is_french_by_default(socket_client):
    reply = socket_client().emit("join", {"code": "ZZZZ2222", "role": "participant"}, callback=True)
    assert reply["ok"] is False and reply["error"]["code"] == "unknown_workshop"
    assert reply["error"]["message"] == "Aucun atelier ne porte ce code. Vérifiez le code sur l’affiche."


def test_socket_error_is_english_with_accept_language(socket_client):
    reply = socket_client(**{"Accept-Language": "en"}).emit(
        "join", {"code": "ZZZZ2222", "role": "participant"}, callback=True
    )
    assert reply["error"]["code"] == "unknown_workshop"
    assert reply["error"]["message"] == "No workshop has this code. Check the code on the poster."


def test_socket_error_is_english_with_lang_query(app):
    test_client = socketio.test_client(app, query_string="lang=en")
    try:
        reply = test_client.emit("join", {"code": "ZZZZ2222", "role": "participant"}, callback=True)
        assert reply["error"]["message"] == "No workshop has this code. Check the code on the poster."
    finally:
        test_client.disconnect()


def test_socket_error_with_a_value_is_formatted_in_french(phone, make_workshop):
    workshop, _secrets = make_workshop()
    sock, _reply = phone(workshop.code, group=1)
    ack = sock.emit(
        "card:add", {"client_id": "long-1", "family": "forces", "text": "x" * 1000}, callback=True
    )
    assert ack["error"]["code"] == "text_too_long"
    assert ack["error"]["message"] == "La carte est trop longue\u00a0: 280 caractères au maximum."
