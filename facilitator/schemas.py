"""Payload validation for socket events and the JSON API: wrong types and missing fields stop here.

Limits that people meet (card length, name length) are checked by the domain, with their own error
codes; the bounds here only stop absurd payloads before any work is done. Every text a person typed
is a `Typed` or `TypedLines` field: it leaves validation as `textsafety.clean_typed` makes it (no
control, format or bidi character, NFC); a required one that shows nothing is refused here.
"""

from functools import partial
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
)

from facilitator.textsafety import clean_typed

CLIENT_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
HUGE = 20_000


def _required(text: str) -> str:
    if not text:
        raise ValueError("nothing visible is left once invisible characters are removed")
    return text


# Optional or refused by the domain with its own code when empty (`empty_text`, `empty_title`…).
Typed = Annotated[StrictStr, AfterValidator(clean_typed)]
TypedLines = Annotated[StrictStr, AfterValidator(partial(clean_typed, multiline=True))]


class Payload(BaseModel):
    model_config = ConfigDict(extra="ignore")


class JoinPayload(Payload):
    code: StrictStr = Field(max_length=64)
    role: Literal["participant", "referent", "facilitator", "board"]
    token: StrictStr | None = Field(default=None, max_length=200)
    group: StrictInt | None = Field(default=None, ge=1, le=10_000)
    name: Typed | None = Field(default=None, max_length=HUGE)
    organisation: Typed | None = Field(default=None, max_length=HUGE)
    participant_token: StrictStr | None = Field(default=None, max_length=200)
    language: Literal["fr", "en"] | None = None
    since: StrictInt | None = Field(default=None, ge=0)


class CardAddPayload(Payload):
    client_id: StrictStr = Field(pattern=CLIENT_ID_PATTERN)
    family: StrictStr = Field(max_length=64)
    text: TypedLines = Field(max_length=HUGE)
    group: StrictInt | None = Field(default=None, ge=1, le=10_000)


class SyncPayload(Payload):
    since: StrictInt = Field(ge=0)


# Trimmed before the length checks: a title of spaces is no title. Table names fit their column;
# organisation types fit the limit a phone may send back when it picks one (NAME_MAX).
Title = Annotated[
    StrictStr,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(clean_typed),
    AfterValidator(_required),
]
GroupName = Annotated[
    StrictStr, StringConstraints(strip_whitespace=True, max_length=80), AfterValidator(clean_typed)
]
Organisation = Annotated[
    StrictStr,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    AfterValidator(clean_typed),
    AfterValidator(_required),
]


class WorkshopCreatePayload(Payload):
    title: Title
    question: TypedLines = Field(default="", max_length=1000)
    groups: StrictInt = Field(default=1, ge=1, le=100)
    group_names: list[GroupName] | None = Field(default=None, max_length=100)
    template: Literal["concertation", "swot", "start-stop-continue"] = "concertation"
    language: Literal["fr", "en"] = "fr"
    vote_budget: StrictInt = Field(default=5, ge=0, le=100)
    family_budgets: dict[StrictStr, Annotated[StrictInt, Field(ge=0, le=100)]] | None = Field(
        default=None, max_length=10
    )
    essentials_per_family: StrictInt = Field(default=3, ge=1, le=20)
    organisations: list[Organisation] | None = Field(default=None, min_length=1, max_length=20)
    anonymous: StrictBool = False
    # The compte rendu's annex: hidden cards listed « masquée » (marked) or left out (omitted).
    report_hidden: Literal["marked", "omitted"] = "marked"
    # « Totaux cachés pendant le vote »: phones and boards see no table totals while the table vote runs.
    hide_vote_totals: StrictBool = False


def parse(schema: type[Payload], data):
    """Validate `data` against `schema`; raise ValidationError with a readable first problem."""
    if not isinstance(data, dict):
        raise ValueError("the payload must be a JSON object")
    return schema.model_validate(data)


def describe(exc: Exception) -> str:
    """Say in one line what is wrong with a payload, for the error message."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "payload"
        return f"{where}: {first.get('msg', 'invalid')}"
    return str(exc)


# --- Agenda and timer (realtime/agenda.py) --------------------------------------------------------------


class StepPayload(Payload):
    title: Typed = Field(max_length=HUGE)
    minutes: StrictInt = Field(ge=1, le=480)
    open_families: list[StrictStr] = Field(default_factory=list, max_length=20)
    hidden_until_reveal: StrictBool = False
    voting: Literal["off", "table", "plenary"] = "off"
    kind: StrictStr | None = Field(default=None, max_length=40)


class AgendaUpdatePayload(Payload):
    steps: list[StepPayload] = Field(min_length=1, max_length=30)


class EmptyPayload(Payload):
    pass


class StepExtendPayload(Payload):
    minutes: StrictInt = Field(ge=1, le=60)


class StepGotoPayload(Payload):
    position: StrictInt = Field(ge=0, le=1000)


class CardsRevealPayload(Payload):
    step: StrictInt | None = Field(default=None, ge=0, le=1000)
    group: StrictInt | None = Field(default=None, ge=1, le=10_000)


class WorkshopLockPayload(Payload):
    locked: StrictBool


class HideTotalsPayload(Payload):
    hidden: StrictBool


class KitPayload(Payload):
    """Options of the preparation kit (`POST /api/workshops/<code>/kit.pdf|pptx`); every field optional."""

    rules: TypedLines | None = Field(default=None, max_length=3000)
    start: StrictStr = Field(default="", max_length=20)
    posters: Literal["a4", "a3", "both"] = "a4"
    contact: Typed = Field(default="", max_length=200)
    card_pages: StrictInt = Field(default=1, ge=0, le=20)


# --- Voting and essentials (realtime/votes.py) ----------------------------------------------------------

Id = Annotated[StrictInt, Field(ge=1, le=2**62)]


def _one_dot(delta: int) -> int:
    if delta not in (1, -1):
        raise ValueError("delta is 1 or -1")
    return delta


class VoteCastPayload(Payload):
    card_id: Id | None = None
    theme_id: Id | None = None
    delta: Annotated[StrictInt, AfterValidator(_one_dot)]  # strict: `true` is not +1
    client_id: StrictStr | None = Field(default=None, pattern=CLIENT_ID_PATTERN)
    paper_participant: Id | None = None  # the référent casts for a person without a phone


class EssentialsSetPayload(Payload):
    family: StrictStr = Field(max_length=64)
    card_ids: list[Id] | None = Field(default=None, max_length=50)
    theme_ids: list[Id] | None = Field(default=None, max_length=50)
    # Cards and themes mixed, in order: ["card:12", "theme:3", …] (issue 16).
    targets: list[Annotated[StrictStr, Field(pattern=r"^(card|theme):[1-9][0-9]{0,17}$")]] | None = Field(
        default=None, max_length=50
    )
    group: StrictInt | None = Field(default=None, ge=1, le=10_000)


class EssentialsFromVotesPayload(Payload):
    family: StrictStr | None = Field(default=None, max_length=64)
    group: StrictInt | None = Field(default=None, ge=1, le=10_000)


# --- Moderation and themes (realtime/moderation.py) --------------------------------------------------

OptionalClientId = Annotated[StrictStr | None, Field(default=None, pattern=CLIENT_ID_PATTERN)]
CardIds = Annotated[list[Annotated[StrictInt, Field(ge=1, le=2**62)]], Field(max_length=50)]


class CardPayload(Payload):
    card_id: StrictInt = Field(ge=1, le=2**62)
    client_id: OptionalClientId = None


class CardEditPayload(CardPayload):
    text: TypedLines = Field(max_length=HUGE)


class CardMovePayload(CardPayload):
    family: StrictStr = Field(max_length=64)


class CardMergePayload(Payload):
    keep: StrictInt = Field(ge=1, le=2**62)
    cards: CardIds = Field(min_length=1)
    client_id: OptionalClientId = None


class ThemeCreatePayload(Payload):
    title: Typed = Field(max_length=HUGE)
    cards: CardIds = Field(default_factory=list)
    group: StrictInt | None = Field(default=None, ge=1, le=10_000)
    client_id: OptionalClientId = None


class ThemePayload(Payload):
    theme_id: StrictInt = Field(ge=1, le=2**62)
    client_id: OptionalClientId = None


class ThemeRenamePayload(ThemePayload):
    title: Typed = Field(max_length=HUGE)


class ThemeCardsPayload(ThemePayload):
    cards: CardIds = Field(min_length=1)


class GroupReadyPayload(Payload):
    ready: StrictBool
    group: StrictInt | None = Field(default=None, ge=1, le=10_000)
    client_id: OptionalClientId = None


# --- Synthèse: organisers edit the report's cross-table themes (api.py, crossthemes.py) -------------------


class SynthesisProposePayload(Payload):
    replace_edited: StrictBool = False


class SynthesisRenamePayload(Payload):
    title: Typed = Field(max_length=HUGE)


class SynthesisMergePayload(Payload):
    into: Id
    source: Id = Field(alias="from")
    title: Typed | None = Field(default=None, max_length=HUGE)


class SynthesisSplitPayload(Payload):
    cards: list[Id] = Field(min_length=1, max_length=5000)
    title: Typed = Field(max_length=HUGE)


class SynthesisMovePayload(Payload):
    card: Id
    theme: Id


class SynthesisProjectionPayload(Payload):
    projected: StrictBool


# --- The collaborative Synthèse (facilitator/synthesis/handlers.py) --------------------------------------


class SynthesisAttachPayload(Payload):
    """`synthesis:attach`: a table theme or a loose card into cross-table theme `theme` (null: none)."""

    theme: Id | None
    table_theme: Id | None = None
    card: Id | None = None


class SynthesisProposeThemePayload(Payload):
    title: Typed = Field(max_length=HUGE)
    table_theme: Id | None = None
    card: Id | None = None
    client_id: OptionalClientId = None


class SynthesisSeedPayload(Payload):
    title: Typed = Field(max_length=HUGE)


class SynthesisReorderPayload(Payload):
    themes: list[Id] = Field(min_length=1, max_length=5000)


class BoardShowPayload(Payload):
    """`board:show`: the view the facilitator puts on the boards (presenter.py), and for the one-table
    views (`table`, `present`) the table's number (default: the first table)."""

    view: Literal["all", "table", "plenary", "present", "synthesis", "plan", "welcome", "closing"]
    table: StrictInt | None = Field(default=None, ge=1, le=10_000)


class PaperParticipantPayload(Payload):
    name: Typed | None = Field(default=None, max_length=HUGE)
    group: StrictInt | None = Field(default=None, ge=1, le=10_000)
    client_id: OptionalClientId = None


class ThemeFamilyPayload(Payload):
    theme_id: Id
    family: StrictStr | None = Field(max_length=64)
    client_id: OptionalClientId = None
