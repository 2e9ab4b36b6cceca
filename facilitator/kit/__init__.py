"""The preparation kit: what the organiser prints and projects before the workshop.

    build_kit(session, workshop, base_url, options)  -> PDF bytes (issues fresh référent links)
    render_kit_pdf(workshop, base_url, referent_tokens, options) -> PDF bytes (no database change)
    render_slides(workshop, base_url, options)        -> PPTX bytes

The PDF holds, in this order: a QR poster per table (A4, A3 or both), the "règles du jeu" poster,
a "fiche référent facilitateur" per table, then the paper cards of each family. No Flask here: the
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

__all__ = ["KitOptions", "build_kit", "render_kit_pdf", "render_slides", "kit_filename"]

A3_SCALE = 2**0.5  # A3 is A4 scaled by √2: posters are drawn once, at A4, and scaled


def kit_filename(workshop, extension: str) -> str:
    return f"kit-{workshop.code}.{extension}"


def build_kit(session, workshop, base_url: str, options: KitOptions | None = None) -> bytes:
    """Build the kit's PDF with fresh référent links for every table, then store their hashes.

    The référent tokens are kept only as hashes, so the sheets can only carry new ones: the référent
    links handed out before stop working, and the référent consoles opened with them end (the same
    renewal as the organiser's "Nouveaux liens", for the référents only; run outside the server, the
    consoles end at their next action: `access.still_admitted`). The hashes are stored only once the
    PDF is built, so a failed build changes nothing.
    """
    options = (options or KitOptions()).validated()
    fresh = {group.number: tokens.new_token() for group in workshop.groups}
    pdf = render_kit_pdf(workshop, base_url, fresh, options)
    for group in workshop.groups:
        group.referent_token_hash = tokens.hash_token(fresh[group.number])
    renewed = Revocation(workshop.id, "links_renewed", group_ids=tuple(g.id for g in workshop.groups))
    commit_and_publish(session, [], revocations=[renewed])
    return pdf


def render_kit_pdf(
    workshop, base_url: str, referent_tokens: dict, options: KitOptions | None = None
) -> bytes:
    """Return the kit's PDF; `referent_tokens` maps each table number to its référent token."""
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
    for pagesize, scale in sizes:
        for group in workshop.groups:
            _page(canvas, pagesize, scale, draw_table_poster, workshop, group, base_url, texts, reachable)
    for pagesize, scale in sizes:
        _page(
            canvas, pagesize, scale, draw_rules_poster, workshop, options.rule_lines(workshop.language), texts
        )
    for group in workshop.groups:
        _page(
            canvas, A4, 1.0, draw_referent_sheet, workshop, group, base_url,
            referent_tokens[group.number], texts, options, reachable,
        )  # fmt: skip
    for family in workshop.families:
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


def write_kit_files(session, workshop, base_url: str, pdf_path, slides_path=None, options=None) -> list[str]:
    """Write the kit's PDF (fresh référent links) and, if asked, the slides; return what to tell."""
    from pathlib import Path

    texts = texts_for(workshop.language)
    pdf = build_kit(session, workshop, base_url, options)
    Path(pdf_path).write_bytes(pdf)
    said = [f"{texts['kit_title']} : {pdf_path}" if workshop.language == "fr" else f"Kit: {pdf_path}"]
    if slides_path:
        Path(slides_path).write_bytes(render_slides(workshop, base_url, options))
        said.append(
            f"Diapositives : {slides_path}" if workshop.language == "fr" else f"Slides: {slides_path}"
        )
    said.append(
        "Les liens référents précédents ne marchent plus : ceux des fiches les remplacent."
        if workshop.language == "fr"
        else "The previous référent links no longer work: the sheets' links replace them."
    )
    if not reachable_by_phones(base_url):
        said.append(texts["unreachable_title"] + " — " + texts["unreachable"].format(url=base_url))
    return said
