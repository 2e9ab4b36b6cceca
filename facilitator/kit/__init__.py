"""The preparation kit: what the organiser prints and projects before the workshop.

    build_kit(session, workshop, base_url, options, part, table) -> PDF bytes
    render_kit_pdf(workshop, base_url, referent_tokens, options, part) -> PDF bytes (no database change)
    render_slides(workshop, base_url, options)        -> PPTX bytes

The whole kit (`part` "all") holds, in this order: a QR poster per table (A4, A3 or both), the
"règles du jeu" poster, a "fiche référent facilitateur" per table, then the paper cards of each
family. `part` "posters" is everything but the sheets and changes nothing, so a poster can be
reprinted on the day; "referents" is only the sheets (of every table, or of `table`) and re-issues
those tables' référent links: the sheets carry the only copy of the new tokens. No Flask here: the
kit is built the same way by the HTTP route, `flask --app wsgi kit` and `python -m facilitator.kit`.
"""

import io

from facilitator import tokens
from facilitator.events import Revocation, commit_and_publish
from facilitator.kit.drawing import register_fonts
from facilitator.kit.options import KitOptions
from facilitator.kit.paper_cards import draw_card_page
from facilitator.kit.posters import draw_table_poster
from facilitator.kit.referent_sheets import draw_referent_sheet
from facilitator.kit.rules import draw_rules_poster
from facilitator.kit.texts import texts_for
from facilitator.network import reachable_by_phones

__all__ = ["KIT_PARTS", "KitOptions", "build_kit", "render_kit_pdf", "render_slides", "kit_filename"]

KIT_PARTS = ("all", "posters", "referents")

A3_SCALE = 2**0.5  # A3 is A4 scaled by √2: posters are drawn once, at A4, and scaled


def kit_filename(workshop, extension: str, part: str = "all", table: int | None = None) -> str:
    if part == "posters":
        return f"kit-{workshop.code}-posters.{extension}"
    if part == "referents":
        return f"kit-{workshop.code}-referents{f'-table-{table}' if table else ''}.{extension}"
    return f"kit-{workshop.code}.{extension}"


def kit_groups(workshop, part: str = "all", table: int | None = None) -> list:
    """Return the tables whose référent sheets (and links) this part re-issues, or refuse the request.

    `table` only makes sense with "referents"; an unknown table is `unknown_group`, as elsewhere."""
    from facilitator.errors import DomainError

    if part not in KIT_PARTS:
        raise DomainError("invalid_payload", problem="part must be all, posters or referents")
    if table is not None and part != "referents":
        raise DomainError("invalid_payload", problem="table goes with part=referents")
    if part == "posters":
        return []
    if table is None:
        return list(workshop.groups)
    chosen = [group for group in workshop.groups if group.number == table]
    if not chosen:
        raise DomainError("unknown_group", status=404)
    return chosen


def build_kit(
    session, workshop, base_url: str, options: KitOptions | None = None, part: str = "all", table=None
) -> bytes:
    """Build the kit's PDF; when it holds référent sheets, with fresh links for their tables.

    The référent tokens are kept only as hashes, so the sheets can only carry new ones: the référent
    links of those tables handed out before stop working, and the référent consoles opened with them
    end (the same renewal as the organiser's "Nouveaux liens", for these référents only; run outside
    the server, the consoles end at their next action: `access.still_admitted`). The hashes are
    stored only once the PDF is built, so a failed build changes nothing. "posters" changes nothing.
    """
    options = (options or KitOptions()).validated()
    groups = kit_groups(workshop, part, table)
    fresh = {group.number: tokens.new_token() for group in groups}
    pdf = render_kit_pdf(workshop, base_url, fresh, options, part)
    if not groups:
        return pdf
    for group in groups:
        group.referent_token_hash = tokens.hash_token(fresh[group.number])
    renewed = Revocation(workshop.id, "links_renewed", group_ids=tuple(g.id for g in groups))
    commit_and_publish(session, [], revocations=[renewed])
    return pdf


def render_kit_pdf(
    workshop, base_url: str, referent_tokens: dict, options: KitOptions | None = None, part: str = "all"
) -> bytes:
    """Return the kit's PDF; `referent_tokens` maps each table number whose sheet is printed to its
    référent token (every table for "all"); "posters" prints no sheet, "referents" only the sheets."""
    from reportlab.lib.pagesizes import A3, A4
    from reportlab.pdfgen.canvas import Canvas

    options = (options or KitOptions()).validated()
    register_fonts()
    texts = texts_for(workshop.language)
    reachable = reachable_by_phones(base_url)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{texts['kit_title']} — {workshop.title}")
    canvas.setAuthor("Facilitator")
    canvas.setSubject(workshop.question or workshop.title)

    sizes = {"a4": [(A4, 1.0)], "a3": [(A3, A3_SCALE)], "both": [(A4, 1.0), (A3, A3_SCALE)]}[options.posters]
    posters = part != "referents"
    for pagesize, scale in sizes if posters else []:
        for group in workshop.groups:
            _page(canvas, pagesize, scale, draw_table_poster, workshop, group, base_url, texts, reachable)
    for pagesize, scale in sizes if posters else []:
        _page(
            canvas, pagesize, scale, draw_rules_poster, workshop, options.rule_lines(workshop.language), texts
        )
    for group in workshop.groups if part != "posters" else []:
        if group.number not in referent_tokens:
            continue
        _page(
            canvas, A4, 1.0, draw_referent_sheet, workshop, group, base_url,
            referent_tokens[group.number], texts, options, reachable,
        )  # fmt: skip
    for family in workshop.families if posters else []:
        for _ in range(options.card_pages):
            _page(canvas, A4, 1.0, draw_card_page, workshop, family, texts)
    canvas.save()
    return buffer.getvalue()


def _page(canvas, pagesize, scale, draw, *args):
    canvas.setPageSize(pagesize)
    canvas.saveState()
    canvas.scale(scale, scale)
    draw(canvas, *args)
    canvas.restoreState()
    canvas.showPage()


def render_slides(workshop, base_url: str, options: KitOptions | None = None) -> bytes:
    """Return the introduction slides (PPTX): question, how to join, agenda, families, rules."""
    from facilitator.kit.slides import build_presentation

    options = (options or KitOptions()).validated()
    return build_presentation(workshop, base_url, texts_for(workshop.language), options)


def write_kit_files(
    session, workshop, base_url: str, pdf_path, slides_path=None, options=None, part="all", table=None
) -> list[str]:
    """Write the kit's PDF (fresh référent links unless "posters") and, if asked, the slides; return
    what to tell."""
    from pathlib import Path

    texts = texts_for(workshop.language)
    pdf = build_kit(session, workshop, base_url, options, part, table)
    Path(pdf_path).write_bytes(pdf)
    said = [f"{texts['kit_title']} : {pdf_path}" if workshop.language == "fr" else f"Kit: {pdf_path}"]
    if slides_path:
        Path(slides_path).write_bytes(render_slides(workshop, base_url, options))
        said.append(
            f"Diapositives : {slides_path}" if workshop.language == "fr" else f"Slides: {slides_path}"
        )
    if part == "posters":
        said.append(
            "Les liens référents n’ont pas changé."
            if workshop.language == "fr"
            else "The référent links have not changed."
        )
    else:
        said.append(
            "Les liens référents précédents ne marchent plus : ceux des fiches les remplacent."
            if workshop.language == "fr"
            else "The previous référent links no longer work: the sheets' links replace them."
        )
    if not reachable_by_phones(base_url):
        said.append(texts["unreachable_title"] + " — " + texts["unreachable"].format(url=base_url))
    return said
