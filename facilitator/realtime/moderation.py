"""Moderation and themes: the référent's console (its own table) and the facilitator (every table).

Each handler calls one domain function of `moderation` or `themes` and answers with its reply; the
change is broadcast once (`card:updated`, `theme:created|updated|dissolved`, `group:ready`) to the
boards and the card's table. Participants may only edit and delete their own cards; boards nothing.
"""

from flask import current_app

from facilitator import moderation, themes
from facilitator.extensions import db
from facilitator.realtime.core import current_viewer, current_workshop, on_event
from facilitator.schemas import (
    CardEditPayload,
    CardMergePayload,
    CardMovePayload,
    CardPayload,
    GroupReadyPayload,
    ThemeCardsPayload,
    ThemeCreatePayload,
    ThemeFamilyPayload,
    ThemePayload,
    ThemeRenamePayload,
)


def _context():
    viewer = current_viewer()
    return current_workshop(viewer), viewer


@on_event("card:edit", CardEditPayload)
def on_card_edit(payload: CardEditPayload):
    """Change a card's text (author while its family is open, référent of its table, facilitator)."""
    workshop, viewer = _context()
    return moderation.edit_card(
        db.session,
        workshop,
        viewer,
        payload.card_id,
        payload.text,
        client_id=payload.client_id,
        text_limit=current_app.config["CARD_TEXT_MAX"],
    )


@on_event("card:hide", CardPayload)
def on_card_hide(payload: CardPayload):
    workshop, viewer = _context()
    return moderation.set_card_hidden(
        db.session, workshop, viewer, payload.card_id, True, client_id=payload.client_id
    )


@on_event("card:restore", CardPayload)
def on_card_restore(payload: CardPayload):
    workshop, viewer = _context()
    return moderation.set_card_hidden(
        db.session, workshop, viewer, payload.card_id, False, client_id=payload.client_id
    )


@on_event("card:move", CardMovePayload)
def on_card_move(payload: CardMovePayload):
    workshop, viewer = _context()
    return moderation.move_card(
        db.session, workshop, viewer, payload.card_id, payload.family, client_id=payload.client_id
    )


@on_event("card:merge", CardMergePayload)
def on_card_merge(payload: CardMergePayload):
    """Merge duplicates into `keep`: its text stays, the others are listed in its `merged_from`."""
    workshop, viewer = _context()
    return moderation.merge_cards(
        db.session, workshop, viewer, payload.keep, payload.cards, client_id=payload.client_id
    )


@on_event("card:unmerge", CardPayload)
def on_card_unmerge(payload: CardPayload):
    """Undo the last merge into `card_id`: the merged cards come back with their dots and essentials."""
    workshop, viewer = _context()
    return moderation.unmerge_card(db.session, workshop, viewer, payload.card_id, client_id=payload.client_id)


@on_event("card:delete", CardPayload)
def on_card_delete(payload: CardPayload):
    workshop, viewer = _context()
    return moderation.delete_card(db.session, workshop, viewer, payload.card_id, client_id=payload.client_id)


@on_event("theme:create", ThemeCreatePayload)
def on_theme_create(payload: ThemeCreatePayload):
    workshop, viewer = _context()
    return themes.create_theme(
        db.session,
        workshop,
        viewer,
        payload.title,
        payload.cards,
        group_number=payload.group,
        client_id=payload.client_id,
    )


@on_event("theme:rename", ThemeRenamePayload)
def on_theme_rename(payload: ThemeRenamePayload):
    workshop, viewer = _context()
    return themes.rename_theme(
        db.session, workshop, viewer, payload.theme_id, payload.title, client_id=payload.client_id
    )


@on_event("theme:add_cards", ThemeCardsPayload)
def on_theme_add_cards(payload: ThemeCardsPayload):
    workshop, viewer = _context()
    return themes.add_theme_cards(
        db.session, workshop, viewer, payload.theme_id, payload.cards, client_id=payload.client_id
    )


@on_event("theme:remove_cards", ThemeCardsPayload)
def on_theme_remove_cards(payload: ThemeCardsPayload):
    workshop, viewer = _context()
    return themes.remove_theme_cards(
        db.session, workshop, viewer, payload.theme_id, payload.cards, client_id=payload.client_id
    )


@on_event("theme:set_family", ThemeFamilyPayload)
def on_theme_set_family(payload: ThemeFamilyPayload):
    """File a theme under a family of the workshop (null: its earliest card's)."""
    workshop, viewer = _context()
    return themes.set_theme_family(
        db.session, workshop, viewer, payload.theme_id, payload.family, client_id=payload.client_id
    )


@on_event("theme:dissolve", ThemePayload)
def on_theme_dissolve(payload: ThemePayload):
    workshop, viewer = _context()
    return themes.dissolve_theme(db.session, workshop, viewer, payload.theme_id, client_id=payload.client_id)


@on_event("group:ready", GroupReadyPayload)
def on_group_ready(payload: GroupReadyPayload):
    """The référent tells the facilitator its table is ready (or not any more)."""
    workshop, viewer = _context()
    return moderation.set_group_ready(
        db.session, workshop, viewer, payload.ready, group_number=payload.group, client_id=payload.client_id
    )
