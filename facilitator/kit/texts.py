"""The words of the printed kit, in the workshop's language (French first).

The kit is built offline too (no Flask, no request locale), so its texts live here, like the titles of
the ready-made run sheets in `agenda.py`, rather than in the web app's catalogs.
"""

import re

from facilitator.families import LABELS

FAMILY_HINTS = {
    "fr": {
        "forces": "Ce qui fonctionne bien aujourd’hui",
        "faiblesses": "Ce qui nous freine",
        "attentes": "Ce que j’attends du réseau",
        "contributions": "Ce que je peux apporter",
        "opportunites": "Ce qui pourrait nous aider",
        "menaces": "Ce qui pourrait nous nuire",
        "start": "Ce que nous devrions commencer à faire",
        "stop": "Ce que nous devrions arrêter de faire",
        "continue": "Ce que nous devrions continuer à faire",
    },
    "en": {
        "forces": "What works well today",
        "faiblesses": "What holds us back",
        "attentes": "What I expect from the network",
        "contributions": "What I can bring",
        "opportunites": "What could help us",
        "menaces": "What could harm us",
        "start": "What we should start doing",
        "stop": "What we should stop doing",
        "continue": "What we should keep doing",
    },
}

DEFAULT_RULES = {
    "fr": """Une idée par carte.
Des phrases courtes : quelques mots suffisent.
Bienveillance : on discute des idées, jamais des personnes.
Chacun s’exprime : tout le monde écrit, la parole circule.
Le référent de la table garde le temps et anime les échanges.
Pas de téléphone ? Écrivez sur une carte papier : le référent la saisit.
Toutes les cartes sont lues : l’essentiel de chaque table est présenté en plénière, puis repris dans le compte rendu.""",
    "en": """One idea per card.
Short sentences: a few words are enough.
Kindness: we discuss ideas, never people.
Everyone speaks: everyone writes, everyone is heard.
The table's référent keeps time and leads the discussion.
No phone? Write on a paper card: the référent types it in.
Every card is read: each table's essentials are presented in plenary, then kept in the workshop report.""",
}

TEXTS = {
    "fr": {
        "table": "Table",
        "code": "Code",
        "scan_title": "Scannez pour rejoindre la table {n}",
        "steps_title": "Rejoindre en 3 étapes",
        "steps": [
            "Ouvrez l’appareil photo de votre téléphone et visez le QR code.",
            "Touchez le lien qui s’affiche : la page de la table s’ouvre, sans application ni compte.",
            "Écrivez vos idées, une par carte, et envoyez-les.",
        ],
        "no_qr": "Sans QR code, tapez cette adresse dans le navigateur du téléphone :",
        "join_code": "Code de l’atelier : {code}",
        "unreachable_title": "Attention : les téléphones ne peuvent pas ouvrir ces liens",
        "unreachable": (
            "Ils pointent vers {url}, c’est-à-dire cet ordinateur seulement. Reliez l’ordinateur au réseau "
            "du lieu et relancez le serveur, ou définissez PUBLIC_URL avec une adresse que les téléphones "
            "peuvent ouvrir, puis générez le kit à nouveau."
        ),
        "rules_title": "Règles du jeu",
        "sheet_title": "Fiche référent facilitateur",
        "role_title": "Votre rôle",
        "role": [
            "Vous accueillez votre table, présentez les règles du jeu et aidez chacun à rejoindre l’atelier.",
            "Vous gardez le temps de chaque étape et veillez à ce que tout le monde s’exprime.",
            "Vous saisissez les cartes papier et préparez l’essentiel de la table pour la plénière.",
        ],
        "agenda_title": "Déroulé",
        "minutes": "{m} min",
        "moderate_title": "Animer la table",
        "moderate": [
            "Ouvrez votre console avec le QR code ci-dessous (téléphone ou tablette) : les cartes de la "
            "table y arrivent en direct.",
            "Relisez les cartes au fil de l’eau : corrigez une faute, regroupez les idées proches, masquez "
            "une carte hors sujet. Jamais de jugement sur le fond.",
            "Relancez les personnes silencieuses : « Et vous, qu’en pensez-vous ? »",
            "À l’étape « Sélectionner l’essentiel », la table choisit ce qu’elle garde ; vous le présentez "
            "en plénière.",
        ],
        "paper_title": "Saisir les cartes papier",
        "paper": [
            "Distribuez les cartes papier à ceux qui n’ont pas de téléphone : la couleur indique la famille.",
            "Dans votre console, choisissez la même famille et recopiez le texte tel qu’il est écrit.",
            "Barrez chaque carte saisie et gardez-les pour l’équipe d’organisation.",
        ],
        "console_title": "Votre console (table {n})",
        "console_note": "Ce lien est personnel : il ouvre la console de la table {n}. Ne le partagez pas.",
        "contact": "Contact de l’animateur : {contact}",
        "contact_blank": "Contact de l’animateur : ______________________________",
        "card_table": "Table n°",
        "card_footer": "Une idée par carte · écrivez lisiblement",
        "slide_join_title": "Rejoindre l’atelier",
        "slide_agenda_title": "Déroulé",
        "slide_families_title": "Quatre familles de cartes",
        "slide_families_title_n": "{n} familles de cartes",
        "slide_join_steps": [
            "Scannez le QR code de votre table (ou celui-ci)",
            "Choisissez votre table",
            "Écrivez une idée par carte et envoyez",
        ],
        "slide_url": "ou ouvrez {url}",
        "kit_title": "Kit de préparation",
    },
    "en": {
        "table": "Table",
        "code": "Code",
        "scan_title": "Scan to join table {n}",
        "steps_title": "Join in 3 steps",
        "steps": [
            "Open your phone's camera and point it at the QR code.",
            "Tap the link that appears: the table's page opens, no app, no account.",
            "Write your ideas, one per card, and send them.",
        ],
        "no_qr": "No QR code? Type this address in the phone's browser:",
        "join_code": "Workshop code: {code}",
        "unreachable_title": "Warning: phones cannot open these links",
        "unreachable": (
            "They point to {url}, which is this computer only. Connect the computer to the venue network "
            "and restart the server, or set PUBLIC_URL to an address phones can open, then build the kit "
            "again."
        ),
        "rules_title": "Rules of the game",
        "sheet_title": "Table facilitator sheet",
        "role_title": "Your role",
        "role": [
            "You welcome your table, present the rules of the game and help everyone join the workshop.",
            "You keep time for each step and make sure everyone speaks.",
            "You type in the paper cards and prepare your table's essentials for the plenary.",
        ],
        "agenda_title": "Agenda",
        "minutes": "{m} min",
        "moderate_title": "Leading the table",
        "moderate": [
            "Open your console with the QR code below (phone or tablet): the table's cards arrive live.",
            "Read the cards as they come: fix a typo, group close ideas, hide an off-topic card. Never "
            "judge the substance.",
            "Invite quiet people to speak: \u201cWhat do you think?\u201d",
            "At the \u201cSelect what matters most\u201d step, the table chooses what it keeps; you present "
            "it in plenary.",
        ],
        "paper_title": "Typing in paper cards",
        "paper": [
            "Hand paper cards to people without a phone: the colour tells the family.",
            "In your console, choose the same family and copy the text as written.",
            "Cross out each card once typed and keep them for the organisers.",
        ],
        "console_title": "Your console (table {n})",
        "console_note": "This link is personal: it opens table {n}'s console. Do not share it.",
        "contact": "Facilitator's contact: {contact}",
        "contact_blank": "Facilitator's contact: ______________________________",
        "card_table": "Table no.",
        "card_footer": "One idea per card · write legibly",
        "slide_join_title": "Join the workshop",
        "slide_agenda_title": "Agenda",
        "slide_families_title": "Four families of cards",
        "slide_families_title_n": "{n} families of cards",
        "slide_join_steps": [
            "Scan your table's QR code (or this one)",
            "Choose your table",
            "Write one idea per card and send it",
        ],
        "slide_url": "or open {url}",
        "kit_title": "Preparation kit",
    },
}


def french_spacing(text: str) -> str:
    """Put the non-breaking spaces of French typography before : ; ? ! » and after «."""
    return re.sub(r" ([:;?!»])", "\u00a0\\1", text.replace("« ", "«\u00a0"))


TEXTS["fr"] = {
    key: [french_spacing(item) for item in value] if isinstance(value, list) else french_spacing(value)
    for key, value in TEXTS["fr"].items()
}
DEFAULT_RULES["fr"] = french_spacing(DEFAULT_RULES["fr"])


def texts_for(language: str) -> dict:
    return TEXTS.get(language, TEXTS["fr"])


def family_label(family: str, language: str) -> str:
    return LABELS.get(language, LABELS["fr"]).get(family, family)


def family_hint(family: str, language: str) -> str:
    return FAMILY_HINTS.get(language, FAMILY_HINTS["fr"]).get(family, "")


def default_rules(language: str) -> str:
    return DEFAULT_RULES.get(language, DEFAULT_RULES["fr"])
