"""Domain refusals, and how they reach people: a JSON error or a socket ack, in their language.

The domain raises `DomainError` without knowing about Flask; the message is translated only when an
error is turned into a reply, so `reports/` and plain scripts can import the domain.
"""

import json
import logging

log = logging.getLogger(__name__)


def _l(message):
    """Mark a message for extraction by pybabel; it is translated in `error_message`."""
    return message


class DomainError(Exception):
    """A refused request: nothing was changed. `code` is stable; the message is for people."""

    def __init__(self, code: str, status: int = 400, **details):
        super().__init__(code)
        self.code = code
        self.status = status
        self.details = details


MESSAGES = {
    "invalid_payload": _l("The request is malformed: %(problem)s."),
    "unknown_workshop": _l("No workshop has this code. Check the code on the poster."),
    "too_many_attempts": _l("Too many wrong codes. Wait a minute, then try again."),
    "bad_token": _l("This link is not valid for this workshop. Ask the facilitator for a new one."),
    "unknown_group": _l("This table does not exist in this workshop."),
    "group_required": _l("Choose your table first."),
    "not_joined": _l("Join the workshop first."),
    "forbidden": _l("You are not allowed to do this."),
    "ticket_expired": _l("This opening link has expired. Open the console again from the organiser page."),
    "unknown_family": _l("This card family does not exist in this workshop."),
    "empty_text": _l("The card is empty."),
    "text_too_long": _l("The card is too long: %(limit)s characters at most."),
    "name_too_long": _l("The name is too long: %(limit)s characters at most."),
    "unknown_organisation": _l("Choose an organisation type from the list."),
    "client_id_conflict": _l("This card identifier is already used by someone else."),
    "rate_limited": _l("You are sending too fast. Wait %(retry_after)s seconds, then try again."),
    # How many people may join (access.ParticipantLimits)
    "table_busy": _l(
        "Many people are joining this table right now. Wait %(retry_after)s seconds, then try again."
    ),
    "table_full": _l("This table is full (%(limit)s people). Choose another table, or ask the facilitator."),
    "workshop_full": _l("This workshop is full (%(limit)s people). Ask the facilitator."),
    "unknown_event": _l("This action does not exist: %(event)s."),
    "unauthorised": _l("A valid key is required."),
    "not_found": _l("Not found."),
    "internal": _l("Something went wrong on the server. Try again."),
    # The storage refuses writes (database.storage_problem): not a bug, and retrying will not help.
    "storage_full": _l("The server can no longer save anything: its disk is full. Tell the facilitator."),
    "storage_unavailable": _l(
        "The server can no longer save anything: its storage is read-only or unavailable. Tell the facilitator."
    ),
    "locked": _l("The workshop is locked by the facilitator: nothing can be posted for now."),
    "family_closed": _l("This family is closed in this step. Open now: %(open)s."),
    "posting_closed": _l("No card family is open in this step: listen to the facilitator."),
    "step_closed": _l("Time is up for this step: posting is closed until the facilitator goes on."),
    "agenda_started": _l("The agenda has already started: it can no longer be edited."),
    "step_fixed": _l(
        "Step %(position)s (“%(title)s”) is under way or over: it can no longer change. "
        "Only the steps after the current one can be added, removed or moved."
    ),
    "agenda_not_started": _l("The agenda has not started yet."),
    "agenda_ended": _l("The agenda is already over."),
    "not_running": _l("The step clock is not running."),
    "not_paused": _l("The step clock is not paused."),
    "no_next_step": _l("This is the last step: end the agenda instead."),
    "unknown_step": _l("This step does not exist in the agenda."),
    # Voting and essentials (votes.py, essentials.py)
    "voting_closed": _l("Voting is closed for now: listen to the facilitator."),
    "no_dots_left": _l("You have used all your dots (%(budget)s)."),
    "no_family_dots_left": _l("You have used all your dots for this family (%(budget)s)."),
    "no_dot_here": _l("You have no dot here to take back."),
    "unknown_target": _l("This card cannot be chosen here."),
    "essentials_full": _l("At most %(limit)s essentials per family."),
    "card_in_theme": _l("This card is in a theme: put your dot on the theme."),
    "unknown_paper_participant": _l("This person without a phone is not at your table (any more)."),
    # Moderation and themes (moderation.py, themes.py)
    "unknown_card": _l("This card does not exist (any more)."),
    "not_your_table": _l("This card belongs to another table."),
    "card_sealed": _l("This card is hidden until the reveal: it cannot be changed yet."),
    "card_merged": _l("This card was merged into another one."),
    "editing_closed": _l("This card can no longer be changed: its step is over."),
    "merge_too_few": _l("Choose at least two cards to merge."),
    "nothing_to_unmerge": _l("This card has no merge left to undo."),
    "mixed_tables": _l("These cards are not all at the same table."),
    "unknown_theme": _l("This theme does not exist (any more)."),
    "empty_title": _l("The theme needs a title."),
    "title_too_long": _l("The title is too long: %(limit)s characters at most."),
    # Synthèse: the report's cross-table themes edited by organisers (crossthemes.py)
    "unknown_report_theme": _l("This theme of the synthesis does not exist (any more). Reload the page."),
    "merge_same_theme": _l("Choose two different themes to merge."),
    "card_not_in_theme": _l("This card is not in this theme (any more). Reload the page."),
    "split_all_cards": _l("Leave at least one card in the theme: to change its title, rename it."),
    "synthesis_failed": _l("The themes could not be computed. Try again in a moment."),
    "synthesis_busy": _l("The themes were being changed at the same time. Reload the page, then try again."),
    "synthesis_empty": _l("There is no theme to show yet: propose the themes first."),
    # The action plan (facilitator/plan/domain.py)
    "unknown_action": _l("This action does not exist (any more)."),
    "unknown_axis": _l("This axis does not exist (any more)."),
    "plan_other_table": _l("This action belongs to another table."),
    "empty_action_title": _l("The action needs a title."),
    "empty_axis_title": _l("The axis needs a title."),
    "plan_field_too_long": _l("This field is too long: %(limit)s characters at most."),
    "invalid_due": _l("Give the deadline as a month (2027-03) or a date (2027-03-15)."),
    "plan_full": _l("There are already %(limit)s actions here: drop or merge some first."),
    "plan_axes_full": _l("There are already %(limit)s axes: merge or delete some first."),
    "action_merged": _l("This action was merged into another one: restore it first."),
    "action_dropped": _l("This action was dropped: restore it first."),
    "no_synthesis_themes": _l(
        "There is no synthesis theme yet: propose the synthesis first, or type the axes."
    ),
    "contacts_off": _l("This workshop does not collect e-mail addresses."),
    "consent_required": _l("Tick the box to agree that your e-mail is kept for the follow-up."),
    "invalid_email": _l("This e-mail address does not look right."),
    # The collaborative Synthèse (facilitator/synthesis/domain.py)
    "synthesis_closed": _l(
        "The common themes are built during the Synthèse step: wait for the facilitator to open it."
    ),
    "theme_without_cards": _l("This theme of your table has no card to attach."),
}


def error_message(code: str, details: dict | None = None) -> str:
    from flask_babel import gettext

    message = MESSAGES.get(code) or MESSAGES["internal"]
    text = gettext(message)
    try:
        return text % (details or {})
    except (KeyError, TypeError, ValueError):
        return text


def error_body(code: str, **details) -> dict:
    """Return the `{"ok": false, "error": {...}}` shape shared by acks and the JSON API."""
    error = {"code": code, "message": error_message(code, details)}
    if details:
        error["details"] = details
    return {"ok": False, "error": error}


def from_exception(exc: DomainError) -> dict:
    return error_body(exc.code, **exc.details)


# Said in both languages: no request context (and so no language) is left when this is sent.
CRASH_BODY = json.dumps(
    {
        "ok": False,
        "error": {
            "code": "internal",
            "message": "Erreur du serveur, réessayez. / Something went wrong on the server. Try again.",
        },
    }
).encode()


def answer_crashes(wsgi_app):
    """Wrap the outermost WSGI app: an exception no layer answered becomes a 500 of the error shape.

    Engine.IO raises on a polling POST to a session that just closed; eventlet.wsgi would then send the
    Python traceback, file paths included, as the body (its `debug` default). The traceback goes to
    the log, never to the client. A WebSocket (already upgraded) is left to the server to close.
    """

    def guarded(environ, start_response):
        started = []

        def start(status, headers, exc_info=None):
            started.append(status)
            return start_response(status, headers, exc_info)

        try:
            return wsgi_app(environ, start)
        except Exception:
            if started or environ.get("HTTP_UPGRADE", "").lower() == "websocket":
                raise
            log.exception("%s %s failed", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            headers = [("Content-Type", "application/json"), ("Content-Length", str(len(CRASH_BODY)))]
            start_response("500 Internal Server Error", headers)
            return [CRASH_BODY]

    return guarded
