"""Languages: French first, English available; picked by ?lang=, then a cookie, then the browser."""

from flask import current_app, request
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l

from facilitator.families import TRANSVERSE, theme_filings

LANGUAGES = ("fr", "en")
LANGUAGE_COOKIE = "lang"

FAMILY_LABELS = {
    "forces": _l("Strengths"),
    "faiblesses": _l("Weaknesses"),
    "attentes": _l("Expectations"),
    "contributions": _l("Contributions"),
    "opportunites": _l("Opportunities"),
    "menaces": _l("Threats"),
    "start": _l("Start"),
    "stop": _l("Stop"),
    "continue": _l("Continue"),
    TRANSVERSE: _l("Cross-cutting"),
}

FAMILY_HINTS = {
    "forces": _l("What works well today"),
    "faiblesses": _l("What holds us back"),
    "attentes": _l("What I expect from the network"),
    "contributions": _l("What I can bring"),
    "opportunites": _l("What could help us"),
    "menaces": _l("What could harm us"),
    "start": _l("What we should start doing"),
    "stop": _l("What we should stop doing"),
    "continue": _l("What we should keep doing"),
}


def select_locale():
    """Pick the language of this request (page or socket handshake)."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(LANGUAGES, default=LANGUAGES[0])


def remember_language(response):
    """Keep a language chosen with ?lang= for the next pages."""
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != asked:
        response.set_cookie(
            LANGUAGE_COOKIE,
            asked,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            # Same rule as the session cookie: Secure when the public address is https.
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    return response


def family_labels(families) -> dict:
    """{key: {"label", "hint"}} of the workshop's families, and of « Transverse » (a theme's filing)."""
    families = theme_filings(families)
    return {
        key: {"label": str(FAMILY_LABELS.get(key, key)), "hint": str(FAMILY_HINTS.get(key, ""))}
        for key in families
    }


def plural_pair(singular: str, plural: str) -> list[str]:
    """Return [the form for one, the form for many] of a count message, in the page's language.

    Pages give the pair to their scripts (page data), which pick a form with `Live.plural` and the
    numbers `plural_singulars` lists. Extracted as an ngettext message (keyword `plural_pair:1,2`), so
    the catalogs hold both forms under one msgid. Both languages have two forms: one (index 0),
    many (index 1); 1 and 2 pick them.
    """
    translations = get_translations()
    return [translations.ngettext(singular, plural, 1), translations.ngettext(singular, plural, 2)]


def plural_singulars() -> list[int]:
    """Return the counts below 2 that take the singular in this language: [0, 1] in French
    (« 0 carte », Plural-Forms `plural=(n > 1)`), [1] in English; every larger count takes the plural."""
    rule = getattr(get_translations(), "plural", None)
    if rule is None:
        return [1]
    return [n for n in (0, 1) if rule(n) == 0]
