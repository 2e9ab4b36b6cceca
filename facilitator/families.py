"""Card families per template. Keys are stable identifiers; labels are translated in `i18n.py`."""

TEMPLATES = {
    "concertation": ["forces", "faiblesses", "attentes", "contributions"],
    "swot": ["forces", "faiblesses", "opportunites", "menaces"],
    "start-stop-continue": ["start", "stop", "continue"],
}

DEFAULT_TEMPLATE = "concertation"

# Okabe-Ito palette: distinguishable with every common colour-vision deficiency, and the same
# colour for a family on the board, the phones, the printed cards and the report charts.
COLOURS = {
    "forces": "#009E73",
    "faiblesses": "#D55E00",
    "attentes": "#0072B2",
    "contributions": "#E69F00",
    "opportunites": "#56B4E9",
    "menaces": "#CC79A7",
    "start": "#009E73",
    "stop": "#D55E00",
    "continue": "#0072B2",
    "transverse": "#6B6B6B",
}

# A theme whose cards span several families may be filed under none of them: « Transverse ». Not a
# family of cards (nobody posts in it); a filing for themes, shown after the families wherever themes
# are listed by family (essentials, rankings, the compte rendu).
TRANSVERSE = "transverse"

DEFAULT_ORGANISATIONS = ["OT", "ADT", "RT", "CRTL", "Autre"]

# The families' names in documents built without Flask (the preparation kit, the compte rendu): the
# same words as the pages, whose labels go through Flask-Babel (i18n.FAMILY_LABELS and the catalogs).
LABELS = {
    "fr": {
        "forces": "Forces",
        "faiblesses": "Faiblesses",
        "attentes": "Attentes",
        "contributions": "Contributions",
        "opportunites": "Opportunités",
        "menaces": "Menaces",
        "start": "Commencer",
        "stop": "Arrêter",
        "continue": "Continuer",
        TRANSVERSE: "Transverse",
    },
    "en": {
        "forces": "Strengths",
        "faiblesses": "Weaknesses",
        "attentes": "Expectations",
        "contributions": "Contributions",
        "opportunites": "Opportunities",
        "menaces": "Threats",
        "start": "Start",
        "stop": "Stop",
        "continue": "Continue",
        TRANSVERSE: "Cross-cutting",
    },
}


def families_for(template: str) -> list[str]:
    """Return the family keys of a template (the caller has checked that it exists)."""
    return list(TEMPLATES[template])


def theme_filings(families) -> list[str]:
    """Where a theme may be filed: a family of the workshop, or « Transverse » after them."""
    return [*families, TRANSVERSE]
