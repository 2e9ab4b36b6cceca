"""Dot voting and each table's essentials: `vote:cast`, `essentials:set`, `essentials:from_votes`.

`vote:cast` comes from a participant's phone; the boards and the table (everyone, in plenary) receive
`vote:counts`. `essentials:set` and `essentials:from_votes` come from the référent of the table or the
facilitator; the boards and the table (everyone, in plenary) receive `essentials:changed`.
"""

from flask import current_app

from facilitator import essentials, votes
from facilitator.extensions import db
from facilitator.realtime.core import current_viewer, current_workshop, on_event
from facilitator.schemas import (
    EmptyPayload,
    EssentialsFromVotesPayload,
    EssentialsSetPayload,
    PaperParticipantPayload,
    VoteCastPayload,
)


@on_event("vote:cast", VoteCastPayload)
def on_vote_cast(payload: VoteCastPayload):
    """A participant puts a dot on a card or theme (delta 1) or takes one back (-1)."""
    viewer = current_viewer()
    return votes.cast_vote(
        db.session,
        current_workshop(viewer),
        viewer,
        card_id=payload.card_id,
        theme_id=payload.theme_id,
        delta=payload.delta,
        client_id=payload.client_id,
        paper_participant=payload.paper_participant,
    )


@on_event("vote:mine", EmptyPayload)
def on_vote_mine(_payload):
    """A phone's own dots (or a référent's paper participants), read again after a change moved dots."""
    viewer = current_viewer()
    return votes.my_votes(db.session, current_workshop(viewer), viewer)


@on_event("participant:add_paper", PaperParticipantPayload)
def on_participant_add_paper(payload: PaperParticipantPayload):
    """The référent adds a person without a phone to its table, whose dots it will cast."""
    viewer = current_viewer()
    return votes.add_paper_participant(
        db.session,
        current_workshop(viewer),
        viewer,
        payload.name,
        group_number=payload.group,
        client_id=payload.client_id,
        name_limit=current_app.config["NAME_MAX"],
    )


@on_event("essentials:set", EssentialsSetPayload)
def on_essentials_set(payload: EssentialsSetPayload):
    """The référent (or the facilitator, naming the table) sets a family's essentials, in order."""
    viewer = current_viewer()
    kept = essentials.set_essentials(
        db.session,
        current_workshop(viewer),
        viewer,
        family=payload.family,
        card_ids=payload.card_ids,
        theme_ids=payload.theme_ids,
        targets=payload.targets,
        group_number=payload.group,
    )
    return {"ok": True, "essentials": kept}


@on_event("essentials:from_votes", EssentialsFromVotesPayload)
def on_essentials_from_votes(payload: EssentialsFromVotesPayload):
    """Keep the table's most voted cards as its essentials (one family, or every family)."""
    viewer = current_viewer()
    result = essentials.essentials_from_votes(
        db.session, current_workshop(viewer), viewer, family=payload.family, group_number=payload.group
    )
    return {"ok": True, **result}


@on_event("essentials:list", EmptyPayload)
def on_essentials_list(_payload):
    """Every table's essentials and their plenary counts (phones: while the plenary vote is open)."""
    viewer = current_viewer()
    return {"ok": True, **essentials.plenary_essentials(db.session, current_workshop(viewer), viewer)}
