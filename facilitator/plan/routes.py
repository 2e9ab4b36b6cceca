"""The action plan's files over HTTP (docs/protocol.md): `plan.ics` (one event per échéance),
`plan.csv` (a task tool's import) and `plan-contacts.csv` (the volunteers who left an e-mail with
their consent, a file of its own, never in a document meant to be shared). Whoever may download the
compte rendu may download these (the facilitator's token or the organiser key); a référent or board
token of the workshop is refused (403). Small files, built in the server process (no pandas)."""

import csv
import io
import re
import unicodedata

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from facilitator import tokens
from facilitator.api import bearer_token, require_facilitator, workshop_by_code
from facilitator.errors import DomainError, error_body, from_exception
from facilitator.extensions import db
from facilitator.models import Participant, PlanAction, PlanEngagement
from facilitator.plan.exports import csv_text, ics, language_of, load, printable
from facilitator.textsafety import spreadsheet_safe

bp = Blueprint("plan_api", __name__, url_prefix="/api")
EXCEL_DELIMITER = {"fr": ";", "en": ","}
PREFIX = {"fr": "plan-d-action", "en": "action-plan"}
CONTACTS_PREFIX = {"fr": "contacts-plan-d-action", "en": "action-plan-contacts"}
CONTACTS_HEADER = {
    "fr": ("Action", "Prénom", "E-mail", "Consentement le"),
    "en": ("Action", "First name", "E-mail", "Consented on"),
}


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError):
    return jsonify(from_exception(exc)), exc.status


@bp.errorhandler(404)
def not_found(_exc):
    return jsonify(error_body("not_found")), 404


def readable_workshop(code):
    """The workshop, for the report's readers only: the same rule as `GET …/report.<fmt>`."""
    workshop = workshop_by_code(code)
    token = bearer_token()
    if token and not tokens.token_matches(token, workshop.facilitator_token_hash):
        others = [workshop.board_token_hash] + [group.referent_token_hash for group in workshop.groups]
        if any(tokens.token_matches(token, other) for other in others):
            raise DomainError("forbidden", status=403)
    require_facilitator(workshop)
    return workshop


def chosen_language(workshop) -> str:
    language = request.args.get("lang")
    if language is not None and language not in ("fr", "en"):
        raise DomainError("invalid_payload", status=400, problem="lang must be fr or en")
    return language_of(language or workshop.language)


def filename(workshop, prefix, ext) -> str:
    """`plan-d-action-assises-du-thermalisme-2026-11-23.ics`, as the compte rendu's names."""
    title = unicodedata.normalize("NFKD", workshop.title or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "atelier"
    return f"{prefix}-{slug}-{workshop.created_at:%Y-%m-%d}.{ext}"


def download(content, mimetype, name) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def table_names(workshop) -> dict:
    return {group.number: printable(group.name) or f"Table {group.number}" for group in workshop.groups}


@bp.get("/workshops/<code>/plan.ics")
def plan_ics(code):
    """The plan's échéances as a calendar: one all-day event per action with an échéance."""
    workshop = readable_workshop(code)
    language = chosen_language(workshop)
    plan = load(db.session, workshop)
    content = ics(
        plan, code=workshop.code, title=printable(workshop.title), table_names=table_names(workshop),
        language=language,
    )  # fmt: skip
    return download(content, "text/calendar; charset=utf-8", filename(workshop, PREFIX[language], "ics"))


@bp.get("/workshops/<code>/plan.csv")
def plan_csv(code):
    """The plan's actions as a task tool imports them; `?excel=1`: « ; » for a French spreadsheet."""
    workshop = readable_workshop(code)
    language = chosen_language(workshop)
    excel = request.args.get("excel") in ("1", "true")
    plan = load(db.session, workshop)
    content = csv_text(
        plan, table_names(workshop), language, delimiter=EXCEL_DELIMITER[language] if excel else ","
    )
    return download(
        content.encode("utf-8"), "text/csv; charset=utf-8", filename(workshop, PREFIX[language], "csv")
    )


@bp.get("/workshops/<code>/plan-contacts.csv")
def plan_contacts(code):
    """The volunteers who left an e-mail for the follow-up with their consent, one row an engagement
    (only when the workshop asked for contacts, `plan_contacts`); the header alone otherwise."""
    workshop = readable_workshop(code)
    language = chosen_language(workshop)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=EXCEL_DELIMITER[language], lineterminator="\r\n")
    writer.writerow(CONTACTS_HEADER[language])
    if workshop.plan_contacts:
        rows = db.session.execute(
            select(PlanAction.title, Participant.name, PlanEngagement.email, PlanEngagement.consented_at)
            .join(PlanAction, PlanAction.id == PlanEngagement.action_id)
            .join(Participant, Participant.id == PlanEngagement.participant_id)
            .where(
                PlanEngagement.workshop_id == workshop.id,
                PlanEngagement.email.is_not(None),
                PlanEngagement.consented_at.is_not(None),
                PlanAction.status == "active",
            )
            .order_by(PlanAction.position, PlanAction.id, PlanEngagement.id)
        )
        for title, name, email, consented in rows:
            shown = "" if workshop.anonymous else printable(name or "")
            writer.writerow(
                [spreadsheet_safe(v) for v in (printable(title), shown, email, f"{consented:%Y-%m-%d}")]
            )
    name = filename(workshop, CONTACTS_PREFIX[language], "csv")
    return download(out.getvalue().encode("utf-8"), "text/csv; charset=utf-8", name)
