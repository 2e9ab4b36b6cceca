"""The pages people open: home (type a code), the phone page, the board, the facilitator and
référent consoles. Each page is a shell; the live state comes over Socket.IO."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale

from facilitator.api import workshop_by_code
from facilitator.errors import DomainError, error_body
from facilitator.i18n import family_labels, plural_singulars
from facilitator.kit.texts import default_rules
from facilitator.links import join_url
from facilitator.network import public_base_url, reachable_by_phones
from facilitator.qr import qr_svg
from facilitator.tokens import normalise_join_code
from facilitator.workshops import public_info

bp = Blueprint("pages", __name__)


def _workshop_or_404(code):
    """The workshop of a page's code; an unknown code counts as a wrong guess (`api.workshop_by_code`)."""
    try:
        return workshop_by_code(code)
    except DomainError as exc:
        # Past the guessing budget the same page answers, with 429: a wrong code is still wrong.
        abort(Response(render_template("not_found.html"), status=exc.status))


def _page_context(workshop, role, group=None):
    base = public_base_url(current_app.config)
    info = public_info(workshop)
    info["family_labels"] = family_labels(workshop.families)
    return {
        "workshop": workshop,
        "info": info,
        "role": role,
        "group": group,
        "base_url": base,
        "reachable": reachable_by_phones(base),
        "join_url": join_url(base, workshop.code),
        "language": str(get_locale()),
        "plural_singulars": plural_singulars(),
        "text_limit": current_app.config["CARD_TEXT_MAX"],
        "websocket_only": current_app.config["WEBSOCKET_ONLY"],
        "name_limit": current_app.config["NAME_MAX"],
        "service_worker": url_for("pages.phone_service_worker") if role == "participant" else None,
    }


@bp.get("/")
def home():
    """Let someone type the join code read on a poster or a slide."""
    code = request.args.get("code", "")
    if code:
        return redirect(url_for("pages.participant", code=normalise_join_code(code)))
    return render_template("home.html")


# Four cards in the family colours: the icon of the browser tab (and no 404 for /favicon.ico).
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#1f4e9c"/>'
    '<rect x="5" y="5" width="10" height="10" rx="2" fill="#009E73"/>'
    '<rect x="17" y="5" width="10" height="10" rx="2" fill="#D55E00"/>'
    '<rect x="5" y="17" width="10" height="10" rx="2" fill="#56B4E9"/>'
    '<rect x="17" y="17" width="10" height="10" rx="2" fill="#E69F00"/></svg>'
)


@bp.get("/favicon.ico")
def favicon():
    """Serve the tab icon (browsers ask for /favicon.ico on every site)."""
    response = Response(FAVICON, mimetype="image/svg+xml")
    response.cache_control.max_age = 86400
    response.cache_control.public = True
    return response


@bp.get("/healthz")
def healthz():
    return {"ok": True}


@bp.get("/j/sw.js")
def phone_service_worker():
    """Serve the phone pages' service worker (scope /j/): a reload without network shows the page.

    Served from /j/ (not /static/) so that its scope is the phone pages and nothing else; never
    cached by the browser's HTTP cache, so a new version takes over at the next visit."""
    response = current_app.send_static_file("js/phone_sw.js")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/j/"
    return response


@bp.get("/j/<code>")
def participant(code):
    """The participant's phone page; ?g=<n> goes straight to table n."""
    workshop = _workshop_or_404(code)
    if workshop.code != code:
        kept = {key: request.args[key] for key in ("g", "lang") if key in request.args}
        return redirect(url_for("pages.participant", code=workshop.code, **kept))
    group = request.args.get("g", type=int)
    if group is not None and workshop.group(group) is None:
        group = None
    return render_template("participant.html", **_page_context(workshop, "participant", group))


@bp.get("/b/<code>")
def board(code):
    """The projected board: QR code, one column per family, cards arriving live."""
    workshop = _workshop_or_404(code)
    context = _page_context(workshop, "board")
    return render_template("board.html", qr=qr_svg(context["join_url"]), **context)


@bp.get("/f/<code>")
def facilitator(code):
    """The facilitator's console: the board plus the tables at a glance and the links."""
    workshop = _workshop_or_404(code)
    context = _page_context(workshop, "facilitator")
    rules = default_rules(workshop.language)
    return render_template("board.html", qr=qr_svg(context["join_url"]), kit_rules=rules, **context)


@bp.get("/f/<code>/synthese")
def synthesis(code):
    """The synthesis editor: the report's cross-table themes (rename, merge, split, move a card).

    The page is a shell: synthesis.js reads and edits through /api/workshops/<code>/synthesis with the
    facilitator token the console keeps in localStorage (or `#t=` in the URL)."""
    workshop = _workshop_or_404(code)
    return render_template("synthesis.html", **_page_context(workshop, "facilitator"))


@bp.get("/r/<code>/<int:number>")
def referent(code, number):
    """The référent's console for one table (the token is in the URL fragment)."""
    workshop = _workshop_or_404(code)
    if workshop.group(number) is None:
        abort(404)
    return render_template("referent.html", **_page_context(workshop, "referent", number))


@bp.app_errorhandler(404)
def page_not_found(_exc):
    if request.path.startswith("/api/"):
        return jsonify(error_body("not_found")), 404
    return render_template("not_found.html"), 404
