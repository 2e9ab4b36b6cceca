"""The organiser's pages: sign in with the organiser key, create a workshop, get its links."""

from datetime import UTC, timedelta

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import delete as delete_rows
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from facilitator import tokens
from facilitator.errors import DomainError
from facilitator.extensions import db
from facilitator.links import workshop_links
from facilitator.models import Card, OrganiserSession, Participant, Workshop, utcnow
from facilitator.network import public_base_url, reachable_by_phones
from facilitator.textsafety import clean_typed
from facilitator.workshops import create_workshop, delete_workshop, find_workshop, rotate_links

bp = Blueprint("organiser", __name__, url_prefix="/organiser")


class SignInForm(FlaskForm):
    key = PasswordField(_l("Organiser key"), validators=[DataRequired()])


def short_lines(_form, field):
    """Refuse a table name longer than the database keeps (80 characters)."""
    if any(len(line.strip()) > 80 for line in (field.data or "").splitlines()):
        raise ValidationError(_l("A table name has 80 characters at most."))


def shows_something(_form, field):
    """Refuse a title made only of invisible characters (zero-width spaces…): see textsafety.clean_typed."""
    if not clean_typed(field.data):
        raise ValidationError(_l("The title needs at least one visible character."))


class WorkshopForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), shows_something])
    question = TextAreaField(_l("Question"), validators=[Length(max=1000)])
    groups = IntegerField(_l("Number of tables"), default=9, validators=[NumberRange(min=1, max=100)])
    group_names = TextAreaField(
        _l("Table names (optional, one per line)"), validators=[Length(max=5000), short_lines]
    )
    template = SelectField(
        _l("Card families"),
        choices=[
            SelectChoice(
                "concertation", _l("Concertation: strengths, weaknesses, expectations, contributions")
            ),
            SelectChoice("swot", _l("SWOT: strengths, weaknesses, opportunities, threats")),
            SelectChoice("start-stop-continue", _l("Start, stop, continue")),
        ],
    )
    language = SelectField(
        _l("Language of the workshop"),
        choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")],
    )
    vote_budget = IntegerField(
        _l("Dots per participant"), default=5, validators=[NumberRange(min=0, max=100)]
    )
    essentials_per_family = IntegerField(
        _l("Essentials kept per family and table"), default=3, validators=[NumberRange(min=1, max=20)]
    )
    organisations = StringField(
        _l("Organisation types (comma-separated)"),
        default="OT, ADT, RT, CRTL, Autre",
        validators=[Length(max=500)],
    )
    anonymous = BooleanField(_l("Anonymous cards (no first names shown)"))
    hide_vote_totals = BooleanField(
        _l("Totals hidden during the vote (phones and the board see them when the vote ends)")
    )
    report_hidden = SelectField(
        _l("Hidden cards in the report's appendix"),
        choices=[
            SelectChoice("marked", _l("Listed, marked “hidden”")),
            SelectChoice("omitted", _l("Left out")),
        ],
        default="marked",
    )


class ConfirmForm(FlaskForm):
    """Only the CSRF token: for buttons that change something."""


class ConfirmedForm(FlaskForm):
    """The confirmation page's button: the CSRF token and `confirmed`, which only that page sends, so a
    button of the list (or an old bookmark of it) leads to the confirmation instead of acting."""

    confirmed = HiddenField(validators=[InputRequired()])


def workshop_status(workshop, cards: int) -> str:
    """'not_started', 'running' or 'ended', as the organiser's list says it: an agenda started, or
    cards posted in free mode, is a workshop under way; "Terminer le déroulé" ends it."""
    if workshop.step_status == "ended":
        return "ended"
    if workshop.step_position is not None or cards:
        return "running"
    return "not_started"


def workshop_counts(store) -> dict:
    """Return {workshop id: (cards, participants)}: the cards on the board (neither deleted nor merged
    into another) and the people who joined, in two grouped queries for the whole list."""
    cards = dict(
        store.execute(
            select(Card.workshop_id, func.count())
            .where(Card.status.in_(("visible", "hidden")))
            .group_by(Card.workshop_id)
        ).all()
    )
    people = dict(
        store.execute(select(Participant.workshop_id, func.count()).group_by(Participant.workshop_id)).all()
    )
    return {key: (cards.get(key, 0), people.get(key, 0)) for key in set(cards) | set(people)}


def open_organiser_session(store, key_hash: str, lifetime: timedelta) -> str:
    """Keep a new signed-in browser (and forget those past `lifetime`); return its cookie's token."""
    token = tokens.new_token()
    store.execute(delete_rows(OrganiserSession).where(OrganiserSession.created_at < utcnow() - lifetime))
    store.add(OrganiserSession(token_hash=tokens.hash_token(token), key_hash=key_hash))
    store.commit()
    return token


def organiser_session_open(store, token, key_hash: str, lifetime: timedelta) -> bool:
    """Whether this cookie token belongs to a browser still signed in with the current key."""
    if not isinstance(token, str) or not token:
        return False
    row = store.scalar(
        select(OrganiserSession).where(OrganiserSession.token_hash == tokens.hash_token(token))
    )
    if row is None or not tokens.token_matches(token, row.token_hash) or row.key_hash != key_hash:
        return False
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return created >= utcnow() - lifetime


def close_organiser_session(store, token):
    """Sign this browser out: its cookie, or any copy of it, opens nothing any more."""
    if isinstance(token, str) and token:
        store.execute(
            delete_rows(OrganiserSession).where(OrganiserSession.token_hash == tokens.hash_token(token))
        )
        store.commit()


def organiser_key_hash() -> str:
    return tokens.hash_token(current_app.config["ORGANISER_KEY"])


def signed_in() -> bool:
    return organiser_session_open(
        db.session, session.get("organiser"), organiser_key_hash(), current_app.permanent_session_lifetime
    )


def workshop_or_404(code) -> Workshop:
    """The workshop of an organiser's button: an unknown code (deleted meanwhile) is a 404 page."""
    try:
        return find_workshop(db.session, code)
    except DomainError:
        abort(404)


@bp.after_request
def never_cached(response):
    """Organiser pages show links with their tokens (and the workshops): never kept by a browser or
    a proxy, never shown again by the Back button after sign-out."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("", methods=["GET", "POST"])
def index():
    """Sign in, then create workshops and see the ones on this server."""
    if not signed_in():
        form = SignInForm()
        error = None
        if form.validate_on_submit():
            expected = organiser_key_hash()
            if tokens.token_matches(form.key.data.strip(), expected):
                lifetime = current_app.permanent_session_lifetime
                session["organiser"] = open_organiser_session(db.session, expected, lifetime)
                session.permanent = True
                return redirect(url_for("organiser.index"))
            error = _l("This key is not the organiser key printed when the server started.")
        return render_template("organiser_signin.html", form=form, error=error), 401 if error else 200
    return organiser_page(WorkshopForm())


def organiser_page(form):
    """Render the organiser page: the creation form and the workshops on this server."""
    workshops = db.session.scalars(select(Workshop).order_by(Workshop.created_at.desc())).all()
    counts = workshop_counts(db.session)
    rows = []
    for workshop in workshops:
        cards, people = counts.get(workshop.id, (0, 0))
        rows.append(
            {
                "workshop": workshop,
                "cards": cards,
                "people": people,
                "status": workshop_status(workshop, cards),
            }
        )
    base = public_base_url(current_app.config)
    return render_template(
        "organiser.html",
        form=form,
        workshops=rows,
        base_url=base,
        reachable=reachable_by_phones(base),
        confirm=ConfirmForm(),
    )


def links_page(workshop, secrets):
    """Render the links of a workshop, shown once: the tokens are not kept in clear."""
    base = public_base_url(current_app.config)
    return render_template(
        "workshop_links.html",
        workshop=workshop,
        links=workshop_links(base, workshop, secrets),
        reachable=reachable_by_phones(base),
        base_url=base,
    )


@bp.post("/workshops")
def create():
    """Create a workshop from the form and show its links once."""
    if not signed_in():
        return redirect(url_for("organiser.index"))
    form = WorkshopForm()
    if not form.validate_on_submit():
        return organiser_page(form), 400
    organisations = [o.strip() for o in (form.organisations.data or "").split(",") if o.strip()]
    workshop, secrets = create_workshop(
        db.session,
        title=form.title.data.strip(),
        question=(form.question.data or "").strip(),
        groups=form.groups.data,
        group_names=[line.strip() for line in (form.group_names.data or "").splitlines()],
        template=form.template.data,
        language=form.language.data,
        vote_budget=form.vote_budget.data,
        essentials_per_family=form.essentials_per_family.data,
        organisations=organisations[:20] or None,
        anonymous=form.anonymous.data,
        report_hidden=form.report_hidden.data,
        hide_vote_totals=form.hide_vote_totals.data,
    )
    return links_page(workshop, secrets)


def confirm_page(workshop, action: str):
    """The confirmation step of "Nouveaux liens" and "Supprimer": what will stop working, one button."""
    cards, people = workshop_counts(db.session).get(workshop.id, (0, 0))
    return render_template(
        "organiser_confirm.html",
        workshop=workshop,
        action=action,
        cards=cards,
        people=people,
        confirmed=ConfirmedForm(),
    )


@bp.route("/workshops/<code>/links", methods=["GET", "POST"])
def new_links(code):
    """Issue new facilitator, board and référent links (the old ones stop working), once the
    organiser confirmed on the page a GET (or a POST without `confirmed`) shows."""
    if not signed_in():
        return redirect(url_for("organiser.index"))
    workshop = workshop_or_404(code)
    if ConfirmedForm().validate_on_submit():
        return links_page(workshop, rotate_links(db.session, workshop))
    if request.method == "POST":  # the one-click button of before, or a form without `confirmed`
        return redirect(url_for("organiser.new_links", code=workshop.code), code=303)
    return confirm_page(workshop, "links")


OPENED = {"console": ("pages.facilitator", "facilitator"), "board": ("pages.board", "board")}


@bp.get("/workshops/<code>/open/<page>")
def open_page(code, page):
    """Open the facilitator console or the board of a workshop without issuing new links: redirect to
    the page with a fresh ticket in the fragment (`tokens.issue_ticket`; docs/security.md)."""
    if not signed_in():
        return redirect(url_for("organiser.index"))
    if page not in OPENED:
        abort(404)
    workshop = workshop_or_404(code)
    endpoint, role = OPENED[page]
    credential = workshop.facilitator_token_hash if role == "facilitator" else workshop.board_token_hash
    ticket = tokens.issue_ticket(current_app.config["SECRET_KEY"], workshop.id, role, credential)
    return redirect(f"{url_for(endpoint, code=workshop.code)}#t={ticket}", code=303)


@bp.route("/workshops/<code>/delete", methods=["GET", "POST"])
def delete(code):
    """Delete a workshop and everything in it, once the organiser confirmed (as `new_links`)."""
    if not signed_in():
        return redirect(url_for("organiser.index"))
    workshop = workshop_or_404(code)
    if ConfirmedForm().validate_on_submit():
        delete_workshop(db.session, workshop)
        return redirect(url_for("organiser.index"))
    if request.method == "POST":
        return redirect(url_for("organiser.delete", code=workshop.code), code=303)
    return confirm_page(workshop, "delete")


@bp.post("/signout")
def signout():
    """Sign out: the session ends on the server, not only in this browser's cookie."""
    close_organiser_session(db.session, session.pop("organiser", None))
    return redirect(url_for("pages.home"))
