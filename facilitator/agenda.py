"""The agenda: the steps of a workshop, with the ready-made 2-hour run sheets of each template.

Each step says which families are open for posting, whether cards stay hidden until the facilitator
reveals them, whether voting is open (at the tables or in plenary) and how long it lasts.
"""

from facilitator.models import Step

# (kind, French title, English title, minutes, open families, hidden until reveal, voting)
RUN_SHEETS = {
    "concertation": [
        ("accueil", "Accueil et règles du jeu", "Welcome and rules of the game", 15, [], False, "off"),
        (
            "forces-faiblesses",
            "Forces et faiblesses",
            "Strengths and weaknesses",
            25,
            ["forces", "faiblesses"],
            True,
            "off",
        ),
        (
            "attentes-contributions",
            "Attentes et contributions",
            "Expectations and contributions",
            25,
            ["attentes", "contributions"],
            False,
            "off",
        ),
        ("essentiel", "Sélectionner l’essentiel", "Select what matters most", 20, [], False, "table"),
        ("pleniere", "Restitution en plénière", "Plenary feedback", 25, [], False, "plenary"),
        ("conclusion", "Conclusion", "Conclusion", 10, [], False, "off"),
    ],
    "swot": [
        ("accueil", "Accueil et règles du jeu", "Welcome and rules of the game", 15, [], False, "off"),
        (
            "forces-faiblesses",
            "Forces et faiblesses",
            "Strengths and weaknesses",
            25,
            ["forces", "faiblesses"],
            True,
            "off",
        ),
        (
            "opportunites-menaces",
            "Opportunités et menaces",
            "Opportunities and threats",
            25,
            ["opportunites", "menaces"],
            False,
            "off",
        ),
        ("essentiel", "Sélectionner l’essentiel", "Select what matters most", 20, [], False, "table"),
        ("pleniere", "Restitution en plénière", "Plenary feedback", 25, [], False, "plenary"),
        ("conclusion", "Conclusion", "Conclusion", 10, [], False, "off"),
    ],
    "start-stop-continue": [
        ("accueil", "Accueil et règles du jeu", "Welcome and rules of the game", 15, [], False, "off"),
        (
            "start-stop-continue",
            "Commencer, arrêter, continuer",
            "Start, stop, continue",
            45,
            ["start", "stop", "continue"],
            True,
            "off",
        ),
        ("essentiel", "Sélectionner l’essentiel", "Select what matters most", 20, [], False, "table"),
        ("pleniere", "Restitution en plénière", "Plenary feedback", 30, [], False, "plenary"),
        ("conclusion", "Conclusion", "Conclusion", 10, [], False, "off"),
    ],
}


def default_steps(template: str, language: str) -> list[Step]:
    """Return new Step rows for the template's ready-made run sheet, titled in the workshop's language."""
    steps = []
    for position, (kind, title_fr, title_en, minutes, families, hidden, voting) in enumerate(
        RUN_SHEETS[template]
    ):
        steps.append(
            Step(
                position=position,
                kind=kind,
                title=title_fr if language == "fr" else title_en,
                duration=minutes * 60,
                open_families=list(families),
                hidden_until_reveal=hidden,
                voting=voting,
                revealed=False,
            )
        )
    return steps


def step_to_dict(step: Step) -> dict:
    return {
        "position": step.position,
        "kind": step.kind,
        "title": step.title,
        "duration": step.duration,
        "open_families": list(step.open_families),
        "hidden_until_reveal": step.hidden_until_reveal,
        "voting": step.voting,
        "revealed": step.revealed,
    }
