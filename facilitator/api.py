"""The JSON API of the public contract. Authorisation is a Bearer token, never a cookie."""

import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import ValidationError

from facilitator import tokens
from facilitator.database import STORAGE_LOG, storage_problem
from facilitator.errors import DomainError, error_body, from_exception
from facilitator.extensions import db
from facilitator.links import join_url, workshop_links
from facilitator.network import public_base_url
from facilitator.qr import qr_svg
from facilitator.ratelimits import rate_limits
from facilitator.schemas import (
    KitPayload,
    SynthesisMergePayload,
    SynthesisMovePayload,
    SynthesisProjectionPayload,
    SynthesisProposePayload,
    SynthesisRenamePayload,
    SynthesisSeedPayload,
    SynthesisSplitPayload,
    WorkshopCreatePayload,
    describe,
    parse,
)
from facilitator.textsafety import failure_outline
from facilitator.workshops import (
    create_workshop,
    delete_workshop,
    find_group,
    find_workshop,
    public_info,
)

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__, url_prefix="/api")


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError):
    return jsonify(from_exception(exc)), exc.status


@bp.errorhandler(404)
def not_found(_exc):
    return jsonify(error_body("not_found")), 404


@bp.app_errorhandler(405)
def method_not_allowed(exc):
    # Routing fails before the blueprint is known, so this is an app handler that keeps to /api/.
    if not request.path.startswith(f"{bp.url_prefix}/"):
        return exc
    response = jsonify(error_body("invalid_payload", problem="method not allowed"))
    response.headers["Allow"] = ", ".join(exc.valid_methods or ())
    return response, 405


@bp.errorhandler(413)
def too_large(_exc):
    return jsonify(error_body("invalid_payload", problem="payload too large")), 413


@bp.errorhandler(500)
def internal(exc):
    db.session.rollback()
    storage = storage_problem(getattr(exc, "original_exception", None))
    if storage:  # the disk is full or read-only: say so (503), retrying will not help
        log.error("%s %s refused: %s", request.method, request.path, STORAGE_LOG[storage])
        return jsonify(error_body(storage)), 503
    return jsonify(error_body("internal")), 500


def workshop_by_code(code):
    """`find_workshop` for a request anyone can send: an unknown code counts against the caller's
    address, as a failed join does (one budget, FACILITATOR_RATE_JOIN_FAILURES); past it the unknown
    code is refused with 429 `too_many_attempts`, while a right code is still served: a venue is
    one address (docs/security.md)."""
    try:
        return find_workshop(db.session, code)
    except DomainError as exc:
        if rate_limits.failed("join_failures", request.remote_addr or "unknown"):
            raise DomainError("too_many_attempts", status=429) from exc
        raise


def require_organiser():
    """Refuse with 401 unless the request carries the organiser key."""
    key = bearer_token()
    if not key or not tokens.token_matches(key, tokens.hash_token(current_app.config["ORGANISER_KEY"])):
        raise DomainError("unauthorised", status=401)


@bp.post("/workshops")
def create():
    """Create a workshop (organiser key) and return its links and tokens."""
    require_organiser()
    data = request.get_json(silent=True)
    try:
        payload = parse(WorkshopCreatePayload, data)
    except (ValidationError, ValueError) as exc:
        return jsonify(error_body("invalid_payload", problem=describe(exc))), 400
    workshop, secrets = create_workshop(db.session, **payload.model_dump())
    return jsonify(workshop_links(public_base_url(current_app.config), workshop, secrets)), 201


@bp.delete("/workshops/<code>")
def remove(code):
    """Delete a workshop and everything in it (organiser key); its live clients are told."""
    require_organiser()
    delete_workshop(db.session, workshop_by_code(code))
    return "", 204


@bp.get("/workshops/<code>")
def show(code):
    """Return what anyone holding the join code may know: title, question, families, tables."""
    return jsonify(public_info(workshop_by_code(code)))


@bp.get("/workshops/<code>/qr.svg")
def qr(code):
    """Return the join QR code (of one table with ?g=<n>) as SVG."""
    workshop = workshop_by_code(code)
    group = request.args.get("g", type=int)
    if group is not None:
        find_group(workshop, group)
    url = join_url(public_base_url(current_app.config), workshop.code, group)
    return Response(qr_svg(url), mimetype="image/svg+xml")


def opens_console(workshop, token) -> bool:
    """Whether `token` is this workshop's facilitator token, or a facilitator ticket of the organiser's
    dashboard (`access.console_credential`): the console calls the API with what it joined with."""
    from facilitator.access import console_credential

    try:
        console_credential(workshop, "facilitator", token, current_app.config["SECRET_KEY"])
    except DomainError:
        return False
    return True


def require_facilitator(workshop):
    """Refuse with 401 unless the request carries this workshop's facilitator token (or ticket) or the
    organiser key."""
    token = bearer_token()
    organiser_hash = tokens.hash_token(current_app.config["ORGANISER_KEY"])
    if not (opens_console(workshop, token) or tokens.token_matches(token, organiser_hash)):
        raise DomainError("unauthorised", status=401)


def kit_options():
    """Read the kit's options from the JSON body (an empty body keeps every default)."""
    from facilitator.kit import KitOptions

    data = request.get_json(silent=True) if request.get_data() else {}
    try:
        payload = parse(KitPayload, data)
    except (ValidationError, ValueError) as exc:
        raise DomainError("invalid_payload", problem=describe(exc)) from exc
    return KitOptions(**payload.model_dump()).validated()


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"  # the PDF carries référent links
    return response


@bp.post("/workshops/<code>/kit.pdf")
def kit_pdf(code):
    """Build the printable kit (facilitator token or organiser key). `?part=posters` changes nothing;
    `?part=referents[&table=<n>]` and the whole kit (no `part`) issue fresh référent links."""
    from facilitator.kit import build_kit, kit_filename

    workshop = workshop_by_code(code)
    require_facilitator(workshop)
    part = request.args.get("part", "all")
    table = request.args.get("table")
    if table is not None and not table.isdigit():
        raise DomainError("invalid_payload", problem="table must be a table number")
    table = int(table) if table is not None else None
    options = kit_options()
    pdf = build_kit(db.session, workshop, public_base_url(current_app.config), options, part, table)
    return _download(pdf, "application/pdf", kit_filename(workshop, "pdf", part, table))


@bp.post("/workshops/<code>/kit.pptx")
def kit_pptx(code):
    """Build the introduction slides (facilitator token or organiser key); changes nothing."""
    from facilitator.kit import kit_filename, render_slides

    workshop = workshop_by_code(code)
    require_facilitator(workshop)
    slides = render_slides(workshop, public_base_url(current_app.config), kit_options())
    return _download(
        slides,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        kit_filename(workshop, "pptx"),
    )


REPORT_FORMATS = ("json", "csv", "xlsx", "docx", "pdf", "pptx", "html")
REPORT_MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html; charset=utf-8",
}
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# One BLAS thread in the report subprocess: OpenBLAS's idle threads spin on both cores and stalled the
# live workshop for seconds (docs/reports.md, "Speed").
REPORT_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
REPORT_TIMEOUT = 300  # seconds


@bp.get("/workshops/<code>/report.<fmt>")
def report(code, fmt):
    """The compte rendu in one format (facilitator token or organiser key).

    pandas and matplotlib never run in the server process: `python -m reports` builds the file in a
    subprocess, which the servers' monkey-patching makes cooperative (docs/decisions.md, "Reports"),
    at a lower CPU priority (`--nice`) so that the live workshop keeps the cores (docs/reports.md)."""
    if fmt not in REPORT_FORMATS:
        raise DomainError("not_found", status=404)
    language = request.args.get("lang")  # the document's language; default: the workshop's
    if language is not None and language not in ("fr", "en"):
        raise DomainError("invalid_payload", status=400, problem="lang must be fr or en")
    excel = fmt == "csv" and request.args.get("excel") in (
        "1",
        "true",
    )  # the spreadsheet's CSV (docs/reports.md)
    hidden = request.args.get("hidden")  # the annex's hidden cards; default: the workshop's report_hidden
    if hidden is not None and hidden not in ("marked", "omitted"):
        raise DomainError("invalid_payload", status=400, problem="hidden must be marked or omitted")
    workshop = workshop_by_code(code)
    token = bearer_token()
    if token and not opens_console(workshop, token):
        others = [workshop.board_token_hash] + [group.referent_token_hash for group in workshop.groups]
        if any(tokens.token_matches(token, other) for other in others):
            raise DomainError("forbidden", status=403)  # a real token of this workshop, not the facilitator's
    require_facilitator(workshop)
    db.session.close()  # release the connection while the file is built
    with tempfile.TemporaryDirectory(prefix="report-") as folder:
        env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
            **REPORT_THREADS,
        )
        try:
            done = subprocess.run(
                [sys.executable, "-m", "reports", workshop.code, "--format", fmt, "--output-dir", folder,
                 "--database", current_app.config["DATABASE_URL"], "--nice", str(current_app.config["REPORT_NICE"]),
                 *(["--language", language] if language else []), *(["--excel"] if excel else []),
                 *(["--hidden", hidden] if hidden else [])],
                cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=REPORT_TIMEOUT, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:  # its message is the command: the database URL, with its password
            current_app.logger.error("report %s took longer than %s s", fmt, REPORT_TIMEOUT)
            raise DomainError("internal", status=500) from None
        if done.returncode == 3:
            raise DomainError("unknown_workshop", status=404)
        if done.returncode != 0:  # the outline only: an exception's message can quote a card
            current_app.logger.error(
                "report %s failed (exit %s): %s", fmt, done.returncode, failure_outline(done.stderr)
            )
            raise DomainError("internal", status=500)
        path = Path(done.stdout.strip().splitlines()[-1])
        content = path.read_bytes()
    response = _download(content, REPORT_MEDIA_TYPES[fmt], path.name)
    return response


# --- Synthèse: the report's cross-table themes, edited by organisers (facilitator/crossthemes.py) ---------


def synthesis_editor(workshop):
    """The facilitator's Viewer for its token, ORGANISER for the organiser key; 403 for another token of
    this workshop (board, référent), 401 otherwise."""
    from facilitator.access import Viewer
    from facilitator.crossthemes import ORGANISER

    token = bearer_token()
    if opens_console(workshop, token):
        return Viewer(workshop_id=workshop.id, role="facilitator")
    if tokens.token_matches(token, tokens.hash_token(current_app.config["ORGANISER_KEY"])):
        return ORGANISER
    others = [workshop.board_token_hash] + [group.referent_token_hash for group in workshop.groups]
    if token and any(tokens.token_matches(token, other) for other in others):
        raise DomainError("forbidden", status=403)
    raise DomainError("unauthorised", status=401)


def synthesis_payload(schema):
    data = request.get_json(silent=True) if request.get_data() else {}
    try:
        return parse(schema, data)
    except (ValidationError, ValueError) as exc:
        raise DomainError("invalid_payload", problem=describe(exc)) from exc


def _synthesis_reply(listing: dict):
    response = jsonify({"ok": True, **listing})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/workshops/<code>/synthesis")
def synthesis_show(code):
    """The stored synthesis: themes with provenance and cards, and the cards in no theme."""
    from facilitator import crossthemes

    workshop = workshop_by_code(code)
    return _synthesis_reply(crossthemes.show(db.session, workshop, synthesis_editor(workshop)))


@bp.post("/workshops/<code>/synthesis/propose")
def synthesis_propose(code):
    """Compute themes from the current cards (in a subprocess) and store them; edited themes are kept
    unless `replace_edited`."""
    from facilitator import crossthemes

    workshop = workshop_by_code(code)
    editor = synthesis_editor(workshop)
    payload = synthesis_payload(SynthesisProposePayload)
    return _synthesis_reply(crossthemes.propose(db.session, workshop, editor, payload.replace_edited))


@bp.patch("/workshops/<code>/synthesis/themes/<int:theme_id>")
def synthesis_rename(code, theme_id):
    from facilitator import crossthemes

    workshop = workshop_by_code(code)
    editor = synthesis_editor(workshop)
    payload = synthesis_payload(SynthesisRenamePayload)
    return _synthesis_reply(crossthemes.rename(db.session, workshop, editor, theme_id, payload.title))


@bp.post("/workshops/<code>/synthesis/merge")
def synthesis_merge(code):
    from facilitator import crossthemes

    workshop = workshop_by_code(code)
    editor = synthesis_editor(workshop)
    payload = synthesis_payload(SynthesisMergePayload)
    return _synthesis_reply(
        crossthemes.merge(db.session, workshop, editor, payload.into, payload.source, payload.title)
    )


@bp.post("/workshops/<code>/synthesis/themes/<int:theme_id>/split")
def synthesis_split(code, theme_id):
    from facilitator import crossthemes

    workshop = workshop_by_code(code)
    editor = synthesis_editor(workshop)
    payload = synthesis_payload(SynthesisSplitPayload)
    return _synthesis_reply(
        crossthemes.split(db.session, workshop, editor, theme_id, payload.cards, payload.title)
    )


@bp.post("/workshops/<code>/synthesis/themes")
def synthesis_seed(code):
    """Add a cross-table theme by hand, empty, at the end (the référents attach their themes to it)."""
    from facilitator.synthesis import domain

    workshop = workshop_by_code(code)
    editor = synthesis_editor(workshop)
    payload = synthesis_payload(SynthesisSeedPayload)
    return _synthesis_reply(domain.seed_theme(db.session, workshop, editor, payload.title))


@bp.post("/workshops/<code>/synthesis/move")
def synthesis_move(code):
    from facilitator import crossthemes

    workshop = workshop_by_code(code)
    editor = synthesis_editor(workshop)
    payload = synthesis_payload(SynthesisMovePayload)
    return _synthesis_reply(crossthemes.move_card(db.session, workshop, editor, payload.card, payload.theme))


@bp.post("/workshops/<code>/synthesis/projection")
def synthesis_projection(code):
    """Show the synthesis on the boards (`{"projected": true}`) or stop (`false`)."""
    from facilitator import livesynthesis

    workshop = workshop_by_code(code)
    editor = synthesis_editor(workshop)
    payload = synthesis_payload(SynthesisProjectionPayload)
    return _synthesis_reply(livesynthesis.project(db.session, workshop, editor, payload.projected))
