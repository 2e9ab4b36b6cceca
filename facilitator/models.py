"""SQLAlchemy 2.0 models: workshop → tables (groups) → participants → cards, and the event log."""

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow():
    return datetime.now(UTC)


def isoformat(moment: datetime) -> str:
    """Return an ISO 8601 UTC timestamp; SQLite drops the zone, so put it back."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# SQLite hands out the largest id in use plus one: deleting the newest workshop would give its id, its
# tables' and its participants' to the next one, and rooms and clients name things by id. AUTOINCREMENT
# keeps ids growing (migration 0005); PostgreSQL's sequences never reuse an id anyway.
NEVER_REUSED = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True)}


class Series(Base):
    """A series of workshops asking the same question (« Journées des OGD 2027 », one per département).
    It holds no workshop data: deleting it leaves its workshops as they are (`Workshop.series_id`)."""

    __tablename__ = "series"
    __table_args__ = (NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Workshop(Base):
    __tablename__ = "workshops"
    __table_args__ = (NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="fr")
    template: Mapped[str] = mapped_column(String(40), default="concertation")
    families: Mapped[list] = mapped_column(JSON)
    organisations: Mapped[list] = mapped_column(JSON)
    vote_budget: Mapped[int] = mapped_column(Integer, default=5)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    facilitator_token_hash: Mapped[str] = mapped_column(String(64))
    board_token_hash: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    essentials_per_family: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    family_budgets: Mapped[dict | None] = mapped_column(JSON, default=None)
    # The compte rendu's annex: hidden cards listed "marked" (« masquée ») or "omitted"; never in its body.
    report_hidden: Mapped[str] = mapped_column(String(16), default="marked", server_default="marked")
    # « Totaux cachés pendant le vote »: while the table vote runs, phones and boards get no table
    # totals (only each phone its own dots); the référents and the facilitator still see them.
    hide_vote_totals: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The action plan: may a volunteer leave an e-mail for the follow-up (with consent)? Off by default.
    plan_contacts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A series of workshops (issue 15): a thin grouping, the workshop keeps its own report and deletion.
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="SET NULL"), default=None, index=True
    )
    # Made from a previous workshop (« Créer à partir de… »): same agenda, tables, families and rules.
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="SET NULL"), default=None
    )
    # The agenda's run state. `step_position` None: free mode (every family open, voting open).
    step_position: Mapped[int | None] = mapped_column(Integer, default=None)
    step_status: Mapped[str] = mapped_column(String(16), default="free", server_default="free")
    step_started_at: Mapped[datetime | None] = mapped_column(default=None)
    step_deadline: Mapped[datetime | None] = mapped_column(default=None)
    step_remaining: Mapped[int | None] = mapped_column(Integer, default=None)

    groups: Mapped[list["Group"]] = relationship(
        back_populates="workshop", order_by="Group.number", cascade="all, delete-orphan"
    )
    steps: Mapped[list["Step"]] = relationship(
        back_populates="workshop", order_by="Step.position", cascade="all, delete-orphan"
    )

    def group(self, number):
        """Return this workshop's table with that number, or None."""
        return next((g for g in self.groups if g.number == number), None)


class Group(Base):
    """A table of the workshop (the contract calls them groups)."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("workshop_id", "number"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(80))
    referent_token_hash: Mapped[str] = mapped_column(String(64), index=True)
    ready: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    workshop: Mapped[Workshop] = relationship(back_populates="groups")

    def to_dict(self):
        return {"number": self.number, "name": self.name}


class Step(Base):
    """A step of the agenda: which families are open, whether cards stay hidden until reveal, voting."""

    __tablename__ = "steps"
    __table_args__ = (UniqueConstraint("workshop_id", "position"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    duration: Mapped[int] = mapped_column(Integer)  # seconds
    open_families: Mapped[list] = mapped_column(JSON)
    hidden_until_reveal: Mapped[bool] = mapped_column(Boolean, default=False)
    voting: Mapped[str] = mapped_column(String(16), default="off")  # off | table | plenary
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)

    workshop: Mapped[Workshop] = relationship(back_populates="steps")


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("workshop_id", "token_hash"),
        Index("ix_participants_workshop_group", "workshop_id", "group_id"),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(80))
    organisation: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A person without a phone, created by the référent, who casts their dots for them (no token works).
    paper: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    group: Mapped[Group] = relationship()


class Card(Base):
    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("workshop_id", "client_id"),
        Index("ix_cards_workshop_group", "workshop_id", "group_id"),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    client_id: Mapped[str] = mapped_column(String(64))
    family: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="phone")
    status: Mapped[str] = mapped_column(String(16), default="visible")  # visible | hidden | merged | deleted
    sealed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # until reveal
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="SET NULL"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="SET NULL"))
    seq: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)

    group: Mapped[Group] = relationship()
    participant: Mapped[Participant | None] = relationship()
    # The duplicates merged into this card (moderation), kept for provenance.
    merged_cards: Mapped[list["Card"]] = relationship(
        foreign_keys=[merged_into_id], order_by="Card.seq", viewonly=True, lazy="selectin"
    )

    def to_dict(self, anonymous=False, *, author=None, group_number=None):
        """Return the card as every client sees it; the client id stays with its author.

        `author` (name, organisation) and `group_number`: what the caller knows already of a card it just
        made (its participant's and its table's rows are then not read)."""
        if author is None and self.participant is not None:
            author = (self.participant.name, self.participant.organisation)
        name, organisation = (None, None) if anonymous or author is None else author
        return {
            "id": self.id,
            "family": self.family,
            "text": self.text,
            "group": self.group.number if group_number is None else group_number,
            "author": name,
            "organisation": organisation,
            "source": self.source,
            "status": self.status,
            "sealed": bool(self.sealed),  # hidden until reveal: only its author ever receives it
            "seq": self.seq,
            "created_at": isoformat(self.created_at),
            "theme": self.theme_id,
            "merged_into": self.merged_into_id,
            "merged_from": [
                {
                    "id": merged.id,
                    "text": merged.text,
                    "author": None if anonymous or merged.participant is None else merged.participant.name,
                    "group": merged.group.number,
                }
                for merged in self.merged_cards
            ],
            "updated_at": isoformat(self.updated_at) if self.updated_at else None,
        }


class CardMerge(Base):
    """One merge of duplicates into a card, with what it changed: `card:unmerge` puts it all back.

    `undo`: {"cards": [{"id", "status", "theme", "merged_into"}] (the merged cards as they were),
    "repointed": [{"id", "merged_into"}] (cards merged earlier into one of them), "votes": {card id:
    [vote ids]}, "essentials": {card id: [essential ids]}} — the rows the merge moved to the kept card."""

    __tablename__ = "card_merges"
    __table_args__ = (NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    kept_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    undo: Mapped[dict] = mapped_column(JSON)
    undone: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Theme(Base):
    """A titled group of cards at one table."""

    __tablename__ = "themes"
    __table_args__ = (NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The family it is filed under, chosen by the référent; None: its earliest visible card's.
    family: Mapped[str | None] = mapped_column(String(40), default=None)


class ReportTheme(Base):
    """A theme of the cross-table synthesis (the compte rendu), as proposed then edited by organisers.

    Not the tables' own themes (`Theme`): these group counted cards of every table for the report.
    `edited` marks a theme an organiser renamed, merged or split: a new proposal keeps it."""

    __tablename__ = "report_themes"
    __table_args__ = (NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    edited: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Where it comes from (facilitator/synthesis/listing.ORIGINS): "machine" (the proposal, its title
    # kept in `machine_title`), "facilitator" (by hand), "table" (a référent, `proposed_by` its number).
    origin: Mapped[str] = mapped_column(String(16), default="machine", server_default="machine")
    proposed_by: Mapped[int | None] = mapped_column(Integer, default=None)
    machine_title: Mapped[str | None] = mapped_column(String(200), default=None)
    # Whether persons changed its cards (merge, split, move, a table attaching its theme).
    regrouped: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ReportThemeCard(Base):
    """A card's place in the synthesis: each card of a workshop is in at most one report theme."""

    __tablename__ = "report_theme_cards"
    __table_args__ = (UniqueConstraint("workshop_id", "card_id"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("report_themes.id", ondelete="CASCADE"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))


class Vote(Base):
    """One dot a participant put on a card or a theme; taking a dot back deletes its row."""

    __tablename__ = "votes"
    __table_args__ = (Index("ix_votes_workshop_participant", "workshop_id", "participant_id"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16), default="table")  # table | plenary
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Essential(Base):
    """What a table kept: a card or a theme, in a family, in order."""

    __tablename__ = "essentials"
    __table_args__ = (Index("ix_essentials_workshop_group", "workshop_id", "group_id"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    family: Mapped[str] = mapped_column(String(40))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(16), default="referent")  # referent | vote
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClientRequest(Base):
    """Client ids of acknowledged requests other than cards (edits, votes): a resend is answered, not redone."""

    __tablename__ = "client_requests"
    __table_args__ = (UniqueConstraint("workshop_id", "client_id"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    reply: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """One change of a workshop, in order: the replay log behind `sync` and the report timeline."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("workshop_id", "seq"),
        # The last change a phone's snapshot shows (facilitator/newcomers.py): head counts left out.
        Index(
            "ix_events_state",
            "workshop_id",
            "seq",
            sqlite_where=text("type != 'participants:count'"),
            postgresql_where=text("type != 'participants:count'"),
        ),
        NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    # An event only this participant may see (their own card while it is sealed until reveal).
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrganiserSession(Base):
    """A browser signed in on the organiser pages. Its session cookie carries a random token, only
    the hash is kept here: signing out deletes the row, so a copy of the cookie opens nothing after.
    `key_hash`: the organiser key it signed in with (a new key signs every browser out)."""

    __tablename__ = "organiser_sessions"
    __table_args__ = (NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanAxis(Base):
    """An axis of the action plan (« Axe 1 : Développer l'offre »), made in plenary by the facilitator,
    often from a theme of the cross-table synthesis (`report_theme_id`, kept as provenance only)."""

    __tablename__ = "plan_axes"
    __table_args__ = (NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    report_theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("report_themes.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanAction(Base):
    """An action of the plan: built at a table (`group_id`) by its référent, or in plenary by the
    facilitator (`group_id` None). `merged_into_id`: a duplicate folded into another action in plenary
    (its tables and cards count for the kept one: « portée par 4 tables »). `status`: active | dropped.
    `due`: an ISO month "2027-03" or day "2027-03-15", or None."""

    __tablename__ = "plan_actions"
    __table_args__ = (Index("ix_plan_actions_workshop_group", "workshop_id", "group_id"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), default=None)
    axis_id: Mapped[int | None] = mapped_column(ForeignKey("plan_axes.id", ondelete="SET NULL"), default=None)
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(120), default="")
    partners: Mapped[str] = mapped_column(String(300), default="")
    due: Mapped[str | None] = mapped_column(String(10), default=None)
    first_step: Mapped[str] = mapped_column(Text, default="")
    indicator: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_actions.id", ondelete="SET NULL"), default=None
    )
    # Carried over from the action of a previous workshop of the series (its history stays there).
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_actions.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanActionCard(Base):
    """Provenance: a card (an essential, a contribution…) an action comes from."""

    __tablename__ = "plan_action_cards"
    __table_args__ = (UniqueConstraint("action_id", "card_id"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))


class PlanEngagement(Base):
    """« Je m'engage »: a participant volunteers for an action. `email` only when the workshop asks for
    contacts (`Workshop.plan_contacts`) and the person consented (`consented_at`); never otherwise."""

    __tablename__ = "plan_engagements"
    __table_args__ = (UniqueConstraint("action_id", "participant_id"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    consented_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FollowupLink(Base):
    """A personal follow-up link to one action, for its porteur or a consenting volunteer (issue 15).
    Only the token's hash is kept (`tokens.token_hash`); `revoked_at` ends it. Deleting the workshop
    deletes it (CASCADE), so its links stop working with it."""

    __tablename__ = "followup_links"
    __table_args__ = (NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    holder: Mapped[str] = mapped_column(String(16), default="porteur")  # porteur | volunteer
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_engagements.id", ondelete="CASCADE"), default=None
    )
    name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class ActionUpdate(Base):
    """One update of an action's follow-up: a history, never overwritten; the latest one is its status.
    `status`: todo (« à lancer ») | doing (« en cours ») | done (« fait ») | abandoned (« abandonné »).
    `on_date`: the date the person gives (ISO day), `link_id`: who wrote it (None: the organiser)."""

    __tablename__ = "plan_action_updates"
    __table_args__ = (Index("ix_plan_action_updates_action", "action_id", "id"), NEVER_REUSED)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id", ondelete="CASCADE"))
    link_id: Mapped[int | None] = mapped_column(
        ForeignKey("followup_links.id", ondelete="SET NULL"), default=None
    )
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    on_date: Mapped[str | None] = mapped_column(String(10), default=None)
    author: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
