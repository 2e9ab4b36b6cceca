"""The compte rendu's words in the workshop's language ("fr", the default, or "en"): one dict per
language, with each language's typography (French: narrow no-break space before « : ; ! ? % »,
« quotes », ’; English: "quotes", no space before a colon). No Flask: the report runs in a subprocess
without an app (the UI's catalogs in facilitator/translations are for the pages).

`words(language)` gives a `Wording`: `w("key", n=…)` for a sentence, `w.plural(n, "card")`,
`w.date(iso)`, `w.number(n)`, `w.family(key)`, `w.provenance(tables, total)`…
"""

import textwrap
from datetime import datetime
from functools import cache

from facilitator.families import LABELS

LANGUAGES = ("fr", "en")
DEFAULT = "fr"
NNBSP = "\u202f"  # narrow no-break space: before « : ; ! ? % » and between thousands in French
CORE_LANGUAGE = {"fr": "fr-FR", "en": "en-GB"}  # documents' core properties

MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}  # fmt: skip


PLURALS = {  # noun → (one, many)
    "fr": {
        "card": ("carte", "cartes"),
        "dot": ("gommette", "gommettes"),
        "table": ("table", "tables"),
        "person": ("personne", "personnes"),
        "other_card": ("autre carte", "autres cartes"),
        "other_theme": ("autre thème", "autres thèmes"),
        "other_essential": ("autre essentiel", "autres essentiels"),
        "theme": ("thème commun", "thèmes communs"),
        "table_theme": ("thème", "thèmes"),
        "paper_dot": ("gommette posée", "gommettes posées"),
        "paperless": ("participant sans téléphone", "participants sans téléphone"),
        "commitment": ("engagement", "engagements"),
        "participant": ("participant", "participants"),
    },
    "en": {
        "card": ("card", "cards"),
        "dot": ("dot", "dots"),
        "table": ("table", "tables"),
        "person": ("person", "people"),
        "other_card": ("other card", "other cards"),
        "other_theme": ("other theme", "other themes"),
        "other_essential": ("other essential", "other essentials"),
        "theme": ("shared theme", "shared themes"),
        "table_theme": ("theme", "themes"),
        "paper_dot": ("dot cast", "dots cast"),
        "paperless": ("participant without a phone", "participants without a phone"),
        "commitment": ("commitment", "commitments"),
        "participant": ("participant", "participants"),
    },
}

_ = NNBSP
TEXT = {
    "fr": {
        # outline (DOCX, PDF, HTML)
        "report_title": "Compte rendu — {title}",
        "workshop_of": "Atelier du {date}",
        "context": "Contexte et question",
        "no_question": "Aucune question n’a été posée.",
        "participation": "Participation",
        "by_family": "Synthèse par famille",
        "top_line": "{text} — table {group}, {dots}",
        "tied": f"… et {{rest}} à égalité ({{dots}}){_}: voir l’annexe.",
        "family_empty": "Aucune carte n’a été postée dans cette famille.",
        "transverse_intro": "Thèmes que leur table a classés hors des familles, parce qu’ils les traversent.",
        "transverse_line": "{title} ({cards})",
        "main_themes": "Principaux thèmes",
        "representative": "Cartes représentatives",
        "table_card": f"Table {{group}}{_}: {{text}}",
        "cross": "Thèmes communs à plusieurs tables",
        "cross_intro": f"Regroupements proposés automatiquement, à relire{_}: les cartes qui disent la même "
        "chose à des tables différentes (au plus {limit} par thème, toutes en annexe).",
        "theme_card": f"Table {{group}} ({{family}}){_}: {{text}}",
        "no_cross": "Aucun thème n’a été soulevé par plusieurs tables.",
        "cross_intro_room": f"Les thèmes construits par la salle à partir de la proposition de la machine{_}: "
        "les cartes qui disent la même chose à des tables différentes (au plus {limit} par thème, toutes en "
        "annexe). Chaque thème dit d’où il vient.",
        "history_machine": "proposé par la machine, non revu",
        "history_machine_kept": "proposé par la machine, gardé",
        "history_machine_renamed": "proposé par la machine, renommé",
        "history_machine_regrouped": "proposé par la machine, cartes regroupées autrement",
        "history_machine_both": "proposé par la machine, renommé et cartes regroupées autrement",
        "history_table": "proposé par la table {n}",
        "history_hand": "ajouté par l’animation",
        "essentials": "Les essentiels de chaque table",
        "no_essential": "Cette table n’a pas retenu d’essentiel.",
        "essential_theme": "thème {title}",
        "essential_line": f"{{family}}{_}: {{what}} ({{dots}})",
        # the plenary vote: the whole room's dots on every table's essentials
        "dots_split": "{dots} ({table} à la table, {plenary} en plénière)",
        "dots_of_which": "{dots}, dont {plenary} en plénière",
        "dots_all_plenary": "{dots}, en plénière",
        "plenary": "Priorités de la plénière",
        "plenary_intro": f"Le vote de toute la salle sur les essentiels des tables{_}: {{dots}}, {{people}}.",
        "plenary_line": "{rank}. {what} — table {group} ({family}), {dots}{tie}",
        "tie": ", ex\u00a0æquo",  # no-break space: never « ex » at a line's end
        "plenary_more": f"… et {{rest}}{_}: voir les essentiels de chaque table.",
        "commitments": "Engagements",
        "commitment_line": "{text} — table {group}",
        "no_commitment": "Aucun engagement n’a été noté.",
        "timeline": "Déroulé",
        "no_card": "Aucune carte n’a été postée.",
        "appendix": f"Annexe{_}: toutes les cartes, table par table",
        "no_card_here": "Aucune carte à cette table.",
        "annex_header": ("Famille", "Carte", "Gommettes"),
        "annex_plenary": "Dont en plénière",
        "annex_hidden": "{text} (masquée)",  # a hidden card in the annex: never in the body (issue 16)
        "annex_sealed": "{text} (non révélée)",
        "appendix_omitted": f"Annexe{_}: les cartes, table par table (sans les cartes masquées)",
        "more_cards": "… et {rest} ({where})",
        "appendix_short": "annexe",
        "appendix_of_report": "annexe du compte rendu",
        "no_dots_family": "Aucune gommette n’a été posée sur les cartes de cette famille.",
        "no_dots": "Aucune gommette n’a été posée pendant l’atelier.",
        "produced_by": "Document produit par Facilitator",
        "page": "page {n}",
        # participation
        "p_participants": "Participants",
        "p_participants_value": "{n}, répartis en {tables}",
        "p_cards": "Cartes",
        "p_cards_value": "{n} ({phone} au téléphone, {paper} sur papier)",
        "p_posted": "Ont posté au moins une carte",
        "p_per_person": "Cartes par personne",
        "p_per_person_value": "{n} en moyenne",
        "p_dots": "Gommettes posées",
        "p_dots_split": "{n} ({table} à la table, {plenary} en plénière)",
        "p_dots_paper": "dont {dots} sur papier par les référents pour {people}",
        # slides
        "slides_cover": "Conclusions de l’atelier du {date}",
        "slides_title": "Conclusions — {title}",
        "slide_top": "{family} — les plus votées",
        "slide_digest": "{family} — ce qui ressort",
        "slide_no_dots": "{cards}, aucune gommette.",
        "slide_no_cards": "Aucune carte.",
        "slide_more_themes": "… et {rest} dans le compte rendu",
        "slide_no_cross": "Aucun thème commun à plusieurs tables.",
        "slide_participation_note": "{posted} ont posté au moins une carte ({share}) · {phone} au téléphone, {paper} sur papier",
        "slide_next": "Prochaines étapes",
        "next_report": "Le compte rendu",
        "next_report_text": f"{{cards}}, {{themes}}, {{dots}}{_}: tout est dans le compte rendu, table par table.",
        "next_priorities": "Porter les priorités",
        "next_no_priority": "Les essentiels de chaque table sont dans le compte rendu.",
        "next_commitments": "Tenir les engagements",
        "next_commitments_text": f"{{commitments}} pris pendant l’atelier{_}:",
        "next_no_commitment": "Chacun peut encore dire ce qu’il apportera.",
        "slide_thanks": f"Merci à toutes et à tous{_}!",
        # charts: titles on the slides, in the images, and their text for a screen reader
        "slide_chart": {
            "cartes-par-table": "Cartes par table",
            "tables-familles": "Tables × familles",
            "plus-votees": "Les plus votées",
            "priorites-pleniere": "Priorités de la plénière",
            "deroule": "Déroulé de l’atelier",
        },
        "chart_alt": {
            "cartes-par-table": f"Graphique{_}: cartes par table et par famille",
            "tables-familles": f"Graphique{_}: cartes par table et par famille, en carte de chaleur",
            "plus-votees": f"Graphique{_}: les cartes et thèmes les plus votés, avec leurs gommettes",
            "priorites-pleniere": f"Graphique{_}: les essentiels classés par les gommettes de la plénière, "
            "avec celles de la table",
            "deroule": f"Graphique{_}: cartes postées minute par minute",
        },
        "chart": "Graphique",
        "c_cards": "Cartes",
        "c_table": "Table",
        "c_per_table": "Cartes par table et par famille",
        "c_heatmap": f"Cartes{_}: tables × familles",
        "c_dots": "Gommettes",
        "c_most_voted": f"Les plus votées{_}: cartes et thèmes",
        "most_voted": "Les plus votées",
        "most_voted_intro": "Cartes et thèmes des tables ensemble, classés par gommettes.",
        "most_voted_paper": "Toutes les gommettes y comptent, {paper}.",
        "slide_paper_note": "{dots} sur papier par les référents pour {people}",
        "most_voted_intro_plenary": "Cartes et thèmes des tables ensemble, classés par gommettes (à la table et en plénière).",
        "most_voted_line": "{rank}. {what} — {table} ({family}), {dots}{tie}",
        "most_voted_more": f"… et {{rest}} à égalité ({{dots}}){_}: voir les essentiels de chaque table et l’annexe.",
        "c_plenary": "Priorités de la plénière",
        "c_in_plenary": "En plénière",
        "c_at_table": "À la table",
        "c_time": "Heure (Paris)",
        "c_per_minute": "Cartes par minute",
        "c_timeline": f"Déroulé{_}: cartes postées au fil de l’atelier",
        # spreadsheets
        "csv_header": (
            "table",
            "nom_table",
            "famille",
            "texte",
            "votes",
            "auteur",
            "organisation",
            "source",
            "statut",
            "fusionnees",
            "cree_le",
            "votes_table",
            "votes_pleniere",
        ),  # fmt: skip
        "excel_header": (
            "Table",
            "Nom de la table",
            "Famille",
            "Texte",
            "Gommettes",
            "Dont à la table",
            "Dont en plénière",
            "Auteur",
            "Organisation",
            "Saisie",
            "Statut",
            "Cartes fusionnées",
            "Postée le ({zone})",
        ),  # fmt: skip
        "excel_values": {
            "phone": "téléphone",
            "paper": "papier",
            "visible": "visible",
            "hidden": "masquée",
            "referent": "le référent",
            "vote": "le vote",
            "table": "à la table",
            "plenary": "en plénière",
            "tie": "ex æquo",
            "by_phone": "au téléphone",
            "by_paper": "sur papier (par le référent)",
        },  # fmt: skip
        "x_dots_paper": "Dont gommettes sur papier",
        "x_people_paper": "Participants sans téléphone",
        "x_summary": "Synthèse",
        "x_workshop": "Atelier",
        "x_question": "Question",
        "x_participants": "Participants",
        "x_cards": "Cartes",
        "x_dots": "Gommettes",
        "x_dots_table": "Gommettes à la table",
        "x_dots_plenary": "Gommettes en plénière",
        "x_at_table": "À la table",
        "x_in_plenary": "En plénière",
        "x_table": "Table",
        "x_name": "Nom",
        "x_total": "Total",
        "x_top": "Les plus votées",
        "x_family": "Famille",
        "x_essentials": "Essentiels",
        "x_essentials_header": (
            "Table",
            "Famille",
            "Ordre",
            "Texte",
            "Gommettes",
            "Retenu par",
            "Sur",
            "Dont à la table",
            "Dont en plénière",
        ),  # fmt: skip
        "x_plenary": "Plénière",
        "x_plenary_header": (
            "Rang",
            "Ex æquo",
            "Texte",
            "Table",
            "Famille",
            "Gommettes en plénière",
            "Gommettes à la table",
            "Gommettes",
            "Sur",
        ),  # fmt: skip
        "x_votes": "Votes",
        "x_votes_header": ("Gommette", "Sur", "Texte", "Étape", "Saisie", "Posée le ({zone})"),  # fmt: skip
        "x_on_card": "carte",
        "x_on_theme": "thème",
        "file_prefix": "compte-rendu",
        "other_remarks": "Autres remarques",
    },
    "en": {
        "report_title": "Report — {title}",
        "workshop_of": "Workshop of {date}",
        "context": "Context and question",
        "no_question": "No question was asked.",
        "participation": "Participation",
        "by_family": "Summary by family",
        "top_line": "{text} — table {group}, {dots}",
        "tied": "… and {rest} tied ({dots}): see the appendix.",
        "family_empty": "No card was posted in this family.",
        "transverse_intro": "Themes their table filed under none of the families, because they cut across them.",
        "transverse_line": "{title} ({cards})",
        "main_themes": "Main themes",
        "representative": "Representative cards",
        "table_card": "Table {group}: {text}",
        "cross": "Cross-table themes",
        "cross_intro": "Groupings proposed automatically, to be reviewed: the cards that say the same thing "
        "at different tables (at most {limit} per theme, all in the appendix).",
        "theme_card": "Table {group} ({family}): {text}",
        "no_cross": "No theme was raised by several tables.",
        "cross_intro_room": "The themes the room built from the machine's proposal: the cards that say the "
        "same thing at different tables (at most {limit} per theme, all in the appendix). Each theme says "
        "where it comes from.",
        "history_machine": "proposed by the machine, not reviewed",
        "history_machine_kept": "proposed by the machine, kept",
        "history_machine_renamed": "proposed by the machine, renamed",
        "history_machine_regrouped": "proposed by the machine, cards regrouped",
        "history_machine_both": "proposed by the machine, renamed and cards regrouped",
        "history_table": "proposed by table {n}",
        "history_hand": "added by the facilitators",
        "essentials": "Each table's essentials",
        "no_essential": "This table chose no essential.",
        "essential_theme": "theme {title}",
        "essential_line": "{family}: {what} ({dots})",
        "dots_split": "{dots} ({table} at the table, {plenary} in plenary)",
        "dots_of_which": "{dots}, {plenary} of them in plenary",
        "dots_all_plenary": "{dots}, all in plenary",
        "plenary": "Plenary priorities",
        "plenary_intro": "The whole room's vote on the tables' essentials: {dots}, {people}.",
        "plenary_line": "{rank}. {what} — table {group} ({family}), {dots}{tie}",
        "tie": ", tied",
        "plenary_more": "… and {rest}: see each table's essentials.",
        "commitments": "Commitments",
        "commitment_line": "{text} — table {group}",
        "no_commitment": "No commitment was noted.",
        "timeline": "Timeline",
        "no_card": "No card was posted.",
        "appendix": "Appendix: every card, table by table",
        "no_card_here": "No card at this table.",
        "annex_header": ("Family", "Card", "Dots"),
        "annex_plenary": "Of which in plenary",
        "annex_hidden": "{text} (hidden)",
        "annex_sealed": "{text} (not revealed)",
        "appendix_omitted": "Appendix: the cards, table by table (hidden cards left out)",
        "more_cards": "… and {rest} ({where})",
        "appendix_short": "appendix",
        "appendix_of_report": "the report's appendix",
        "no_dots_family": "No dot was placed on this family's cards.",
        "no_dots": "No dot was placed during the workshop.",
        "produced_by": "Document produced by Facilitator",
        "page": "page {n}",
        "p_participants": "Participants",
        "p_participants_value": "{n}, in {tables}",
        "p_cards": "Cards",
        "p_cards_value": "{n} ({phone} by phone, {paper} on paper)",
        "p_posted": "Posted at least one card",
        "p_per_person": "Cards per person",
        "p_per_person_value": "{n} on average",
        "p_dots": "Dots placed",
        "p_dots_split": "{n} ({table} at the table, {plenary} in plenary)",
        "p_dots_paper": "of which {dots} on paper by the table facilitators for {people}",
        "slides_cover": "Conclusions of the workshop of {date}",
        "slides_title": "Conclusions — {title}",
        "slide_top": "{family} — most voted",
        "slide_digest": "{family} — what stands out",
        "slide_no_dots": "{cards}, no dots.",
        "slide_no_cards": "No cards.",
        "slide_more_themes": "… and {rest} in the report",
        "slide_no_cross": "No theme shared by several tables.",
        "slide_participation_note": "{posted} posted at least one card ({share}) · {phone} by phone, {paper} on paper",
        "slide_next": "Next steps",
        "next_report": "The report",
        "next_report_text": "{cards}, {themes}, {dots}: all in the report, table by table.",
        "next_priorities": "Carry the priorities",
        "next_no_priority": "Each table's essentials are in the report.",
        "next_commitments": "Keep the commitments",
        "next_commitments_text": "{commitments} made during the workshop:",
        "next_no_commitment": "Everyone can still say what they will contribute.",
        "slide_thanks": "Thank you all!",
        "slide_chart": {
            "cartes-par-table": "Cards per table",
            "tables-familles": "Tables × families",
            "plus-votees": "Most voted",
            "priorites-pleniere": "Plenary priorities",
            "deroule": "Workshop timeline",
        },
        "chart_alt": {
            "cartes-par-table": "Chart: cards per table and family",
            "tables-familles": "Chart: cards per table and family, as a heat map",
            "plus-votees": "Chart: the most voted cards and themes, with their dots",
            "priorites-pleniere": "Chart: the essentials ranked by the plenary's dots, with the table's",
            "deroule": "Chart: cards posted minute by minute",
        },
        "chart": "Chart",
        "c_cards": "Cards",
        "c_table": "Table",
        "c_per_table": "Cards per table and family",
        "c_heatmap": "Cards: tables × families",
        "c_dots": "Dots",
        "c_most_voted": "Most voted: cards and themes",
        "most_voted": "Most voted",
        "most_voted_intro": "The tables' cards and themes together, ranked by dots.",
        "most_voted_paper": "Every dot counts here, {paper}.",
        "slide_paper_note": "{dots} on paper by the table facilitators for {people}",
        "most_voted_intro_plenary": "The tables' cards and themes together, ranked by dots (at the table and in plenary).",
        "most_voted_line": "{rank}. {what} — {table} ({family}), {dots}{tie}",
        "most_voted_more": "… and {rest} tied ({dots}): see each table's essentials and the appendix.",
        "c_plenary": "Plenary priorities",
        "c_in_plenary": "In plenary",
        "c_at_table": "At the table",
        "c_time": "Time (Paris)",
        "c_per_minute": "Cards per minute",
        "c_timeline": "Timeline: cards posted during the workshop",
        "csv_header": (
            "table",
            "table_name",
            "family",
            "text",
            "votes",
            "author",
            "organisation",
            "source",
            "status",
            "merged",
            "created_at",
            "votes_table",
            "votes_plenary",
        ),  # fmt: skip
        "excel_header": (
            "Table",
            "Table name",
            "Family",
            "Text",
            "Dots",
            "At the table",
            "In plenary",
            "Author",
            "Organisation",
            "Entered on",
            "Status",
            "Merged cards",
            "Posted at ({zone})",
        ),  # fmt: skip
        "excel_values": {
            "phone": "phone",
            "paper": "paper",
            "visible": "visible",
            "hidden": "hidden",
            "referent": "the table facilitator",
            "vote": "the vote",
            "table": "at the table",
            "plenary": "in plenary",
            "tie": "tied",
            "by_phone": "by phone",
            "by_paper": "on paper (by the table facilitator)",
        },  # fmt: skip
        "x_dots_paper": "Of which dots on paper",
        "x_people_paper": "Participants without a phone",
        "x_summary": "Summary",
        "x_workshop": "Workshop",
        "x_question": "Question",
        "x_participants": "Participants",
        "x_cards": "Cards",
        "x_dots": "Dots",
        "x_dots_table": "Dots at the table",
        "x_dots_plenary": "Dots in plenary",
        "x_at_table": "At the table",
        "x_in_plenary": "In plenary",
        "x_table": "Table",
        "x_name": "Name",
        "x_total": "Total",
        "x_top": "Most voted",
        "x_family": "Family",
        "x_essentials": "Essentials",
        "x_essentials_header": (
            "Table",
            "Family",
            "Order",
            "Text",
            "Dots",
            "Kept by",
            "On",
            "At the table",
            "In plenary",
        ),  # fmt: skip
        "x_plenary": "Plenary",
        "x_plenary_header": (
            "Rank",
            "Tied",
            "Text",
            "Table",
            "Family",
            "Dots in plenary",
            "Dots at the table",
            "Dots",
            "On",
        ),  # fmt: skip
        "x_votes": "Dots",
        "x_votes_header": ("Dot", "On", "Text", "Stage", "Entered", "Cast at ({zone})"),  # fmt: skip
        "x_on_card": "card",
        "x_on_theme": "theme",
        "file_prefix": "report",
        "other_remarks": "Other remarks",
    },
}

# The action plan (issue 14: reports/plan.py), kept apart so that its words read together.
PLURALS["fr"].update(
    {"action": ("action", "actions"), "axis": ("axe", "axes"), "volunteer": ("volontaire", "volontaires")}
)
PLURALS["en"].update(
    {"action": ("action", "actions"), "axis": ("axis", "axes"), "volunteer": ("volunteer", "volunteers")}
)
TEXT["fr"].update(
    {
        "plan": "Plan d’action",
        "plan_intro": f"{{actions}} en {{axes}}, construites aux tables puis rangées en plénière{_}; "
        "{volunteers} pour les porter.",
        "plan_intro_no_axis": f"{{actions}}, pas encore rangées sous des axes{_}; {{volunteers}} pour les porter.",
        "plan_axis": f"Axe {{n}}{_}: {{title}}",
        "plan_no_axis": "Sans axe",
        "plan_header": ("Action", "Porteur, partenaires, volontaires", "Échéance", "Indicateur", "Origine"),
        "plan_first_step": f"Première étape{_}: {{text}}",
        "plan_partners": f"Partenaires{_}: {{text}}",
        "plan_volunteers_named": f"{{volunteers}}{_}: {{names}}",
        "plan_no_owner": "Porteur à désigner",
        "plan_no_due": "À fixer",
        "plan_plenary": "proposée en plénière",
        "plan_one_table": "portée par une table",
        "plan_tables": "portée par {n} tables",
        "plan_more": "{title} (suite)",
        "plan_with": "{owner} avec {partners}",
        "x_plan": "Plan d’action",
        "x_plan_header": (
            "Axe",
            "Action",
            "Porteur",
            "Partenaires",
            "Échéance",
            "Date d’échéance",
            "Première étape",
            "Indicateur",
            "Origine",
            "Tables",
            "Cartes d’origine",
            "Volontaires",
            "Noms des volontaires",
        ),  # fmt: skip
    }
)
TEXT["en"].update(
    {
        "plan": "Action plan",
        "plan_intro": "{actions} under {axes}, built at the tables then arranged in plenary; "
        "{volunteers} to carry them.",
        "plan_intro_no_axis": "{actions}, not yet under axes; {volunteers} to carry them.",
        "plan_axis": "Axis {n}: {title}",
        "plan_no_axis": "No axis",
        "plan_header": ("Action", "Owner, partners, volunteers", "Due", "Indicator", "Origin"),
        "plan_first_step": "First step: {text}",
        "plan_partners": "Partners: {text}",
        "plan_volunteers_named": "{volunteers}: {names}",
        "plan_no_owner": "Owner to be named",
        "plan_no_due": "To be set",
        "plan_plenary": "proposed in plenary",
        "plan_one_table": "carried by one table",
        "plan_tables": "carried by {n} tables",
        "plan_more": "{title} (continued)",
        "plan_with": "{owner} with {partners}",
        "x_plan": "Action plan",
        "x_plan_header": (
            "Axis",
            "Action",
            "Owner",
            "Partners",
            "Due",
            "Due date",
            "First step",
            "Indicator",
            "Origin",
            "Tables",
            "Origin cards",
            "Volunteers",
            "Volunteer names",
        ),  # fmt: skip
    }
)
del _


def shortened(text: str, width: int, placeholder: str = "…") -> str:
    """`text` on one line in at most `width` characters, cut after a word when it can. textwrap.shorten
    alone drops a word longer than the width whole: a card of one 300-letter word was shown « … »."""
    line = " ".join(text.split())
    if len(line) <= width:
        return line
    cut = textwrap.shorten(line, width, placeholder=placeholder)
    if len(cut) >= width // 2:
        return cut
    return line[: width - len(placeholder)].rstrip() + placeholder


def normalise(language) -> str:
    """ "en", "en-GB", "EN" → "en"; anything unknown or empty → French."""
    code = str(language or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT


class Wording:
    def __init__(self, language):
        self.language = normalise(language)
        self.text = TEXT[self.language]
        self.core_language = CORE_LANGUAGE[self.language]

    def __call__(self, key: str, **values):
        text = self.text[key]
        return text.format(**values) if values else text

    def date(self, iso: str) -> str:
        """« 1er novembre 2026 » / "1 November 2026"."""
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        day = "1er" if moment.day == 1 and self.language == "fr" else str(moment.day)
        return f"{day} {MONTHS[self.language][moment.month - 1]} {moment.year}"

    def number(self, value) -> str:
        text = f"{int(value):,}"
        return text.replace(",", NNBSP) if self.language == "fr" else text

    def decimal(self, value) -> str:
        return str(value).replace(".", ",") if self.language == "fr" else str(value)

    def percent(self, share: float) -> str:
        return f"{round(share * 100)}{NNBSP if self.language == 'fr' else ''}%"

    def quoted(self, text: str) -> str:
        return f"«{NNBSP}{text}{NNBSP}»" if self.language == "fr" else f"\u201c{text}\u201d"

    def colon(self, label: str) -> str:
        """`Participants :` with French's narrow no-break space; `Participants:` in English."""
        return f"{label}{NNBSP}:" if self.language == "fr" else f"{label}:"

    def plural(self, n: int, noun: str) -> str:
        one, many = PLURALS[self.language][noun]
        singular = n in (0, 1) if self.language == "fr" else n == 1
        return f"{self.number(n)} {one if singular else many}"

    def dots(self, total: int, table: int = 0, plenary: int = 0, within: bool = False) -> str:
        """A card's dots, with the split when some were cast in plenary: « 22 gommettes (7 à la table, 15
        en plénière) »; `within` a parenthesis already: « 22 gommettes, dont 15 en plénière »; all in
        plenary: « 3 gommettes, en plénière »; without plenary dots: « 7 gommettes »."""
        dots = self.plural(total, "dot")
        if not plenary:
            return dots
        if plenary == total:  # « 3 gommettes, en plénière » rather than « (0 à la table, 3 en plénière) »
            return self("dots_all_plenary", dots=dots)
        if within:
            return self("dots_of_which", dots=dots, plenary=self.number(plenary))
        return self("dots_split", dots=dots, table=self.number(table), plenary=self.number(plenary))

    def family(self, family: str) -> str:
        """The pages' name of a family (facilitator/families.py)."""
        return LABELS[self.language].get(family, family.capitalize())

    def history(self, theme: dict) -> str | None:
        """Where a theme of the room's synthesis comes from and what persons did with it: « proposé par
        la machine, renommé », « proposé par la table 3 »; None for an automatic synthesis (no `origin`)."""
        origin = theme.get("origin")
        if origin is None:
            return None
        if origin == "table":
            return self("history_table", n=theme.get("proposed_by") or "?")
        if origin == "facilitator":
            return self("history_hand")
        if origin == "auto":  # cards no person placed, clustered when the report was made
            return self("history_machine")
        renamed, regrouped = theme.get("renamed"), theme.get("regrouped")
        key = {(True, True): "both", (True, False): "renamed", (False, True): "regrouped"}.get(
            (bool(renamed), bool(regrouped)), "kept"
        )
        return self(f"history_machine_{key}")

    def provenance(self, tables: int, total: int) -> str:
        """« soulevé par 6 tables sur 9 » / "raised by 6 of 9 tables"."""
        if self.language == "en":
            return f"raised by {tables} of {total} table{'' if total == 1 else 's'}"
        return f"soulevé par {tables} table{'s' if tables > 1 else ''} sur {total}"


@cache
def words(language=DEFAULT) -> Wording:
    return Wording(language)
