"""The action plan's rules (facilitator/plan/domain.py): who may create, edit, drop, merge and order actions
and axes, who may volunteer and leave an e-mail, what is validated, and what each audience hears."""

import pytest
from sqlalchemy import func, select

from facilitator.access import Viewer
from facilitator.cards import post_card
from facilitator.errors import DomainError
from facilitator.events import SCREEN_EVENTS, events_since
from facilitator.models import (
    ClientRequest,
    Participant,
    PlanAction,
    PlanActionCard,
    PlanAxis,
    PlanEngagement,
    ReportTheme,
    Workshop,
)
from facilitator.moderation import set_card_hidden
from facilitator.plan import domain as plan
from facilitator.workshops import workshop_snapshot
from tests.conftest import new_client_id


@pytest.fixture
def w(session, make_workshop):
    workshop, _ = make_workshop(groups=2)
    return session.get(Workshop, workshop.id)


def phone(session, w, number=1, name="Léa"):
    group = w.group(number)
    participant = Participant(workshop_id=w.id, group_id=group.id, token_hash=new_client_id(), name=name)
    session.add(participant)
    session.commit()
    return Viewer(w.id, "participant", group.id, group.number, participant.id)


def referent(w, number=1):
    return Viewer(w.id, "referent", w.group(number).id, number)


def facilitator(w):
    return Viewer(w.id, "facilitator")


def board(w):
    return Viewer(w.id, "board")


def card(session, w, viewer, text="Former les professionnels au numérique", family="contributions"):
    return post_card(session, w, viewer, client_id=new_client_id(), family=family, text=text)[0]


def refused(code, fn, *args, **kwargs):
    with pytest.raises(DomainError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value.code
    return info.value


def new_action(session, w, viewer, title="Former au numérique", **fields):
    return plan.save_action(session, w, viewer, title=title, **fields)["action"]


def count(session, model):
    return session.scalar(select(func.count(model.id)))


# --- Actions at a table ---------------------------------------------------------------------------------


def test_a_referent_builds_an_action_from_a_card_and_its_table_hears_it(session, w, published):
    lea = phone(session, w)
    source = card(session, w, lea)
    published.clear()
    reply = plan.save_action(
        session,
        w,
        referent(w),
        title="Former les professionnels au numérique",
        owner="CRTL",
        partners="ADT du Gard, CCI",
        due="2027-03",
        first_step="Lister les offices de tourisme",
        indicator="20 structures formées",
        card_ids=[source.id],
    )
    action = reply["action"]
    assert reply["ok"] and action["group"] == 1 and action["owner"] == "CRTL" and action["due"] == "2027-03"
    assert action["cards"] == [source.id] and action["tables"] == [1] and action["status"] == "active"
    assert reply["plan"]["group"] == 1 and [a["id"] for a in reply["plan"]["actions"]] == [action["id"]]
    (table_message, table_audience), (screen_message, screen_audience) = published
    assert table_message["type"] == "plan:table" and table_audience.group_id == w.group(1).id
    assert [a["title"] for a in table_message["actions"]] == ["Former les professionnels au numérique"]
    assert screen_message["type"] == "plan:changed" and "plan:changed" in SCREEN_EVENTS
    assert [a["id"] for a in screen_message["plan"]["actions"]] == [action["id"]]


def test_a_referent_works_on_their_own_table_only(session, w):
    other = card(session, w, phone(session, w, 2))
    refused("plan_other_table", plan.save_action, session, w, referent(w), title="X", group_number=2)
    refused("not_your_table", plan.save_action, session, w, referent(w), title="X", card_ids=[other.id])
    theirs = new_action(session, w, referent(w, 2))
    for call in (
        lambda: plan.save_action(session, w, referent(w), action_id=theirs["id"], title="Y"),
        lambda: plan.set_dropped(session, w, referent(w), theirs["id"], True),
        lambda: plan.merge_actions(session, w, referent(w), theirs["id"], [theirs["id"] + 1]),
        lambda: plan.order_actions(session, w, referent(w), [theirs["id"]]),
    ):
        refused("plan_other_table", call)
    assert session.get(PlanAction, theirs["id"]).title == "Former au numérique"


def test_participants_and_boards_do_not_make_actions_or_axes(session, w):
    for viewer in (phone(session, w), board(w), Viewer(w.id + 99, "facilitator")):
        refused("forbidden", plan.save_action, session, w, viewer, title="X")
    refused("forbidden", plan.save_axis, session, w, referent(w), title="Axe")
    refused("forbidden", plan.propose_axes, session, w, referent(w))
    refused("forbidden", plan.set_contacts, session, w, referent(w), True)
    assert count(session, PlanAction) == 0 and count(session, PlanAxis) == 0


def test_fields_are_validated(session, w):
    viewer = referent(w)
    refused("empty_action_title", plan.save_action, session, w, viewer, title=" \u200b ")
    refused("plan_field_too_long", plan.save_action, session, w, viewer, title="x" * 201)
    error = refused("plan_field_too_long", plan.save_action, session, w, viewer, title="X", owner="o" * 121)
    assert error.details == {"field": "owner", "limit": 120}
    refused("plan_field_too_long", plan.save_action, session, w, viewer, title="X", partners="p" * 301)
    refused("plan_field_too_long", plan.save_action, session, w, viewer, title="X", indicator="i" * 1001)
    for due in ("2027-13", "2027-02-30", "mars 2027", "27-03", "1999-01", "2027-3"):
        refused("invalid_due", plan.save_action, session, w, viewer, title="X", due=due)
    assert count(session, PlanAction) == 0
    assert new_action(session, w, viewer, due="2027-02-28")["due"] == "2027-02-28"
    assert new_action(session, w, viewer, due="")["due"] is None


def test_cards_must_be_readable_cards_of_the_workshop_and_of_the_actions_table(session, w, make_workshop):
    lea = phone(session, w)
    hidden = card(session, w, lea, "Masquée")
    set_card_hidden(session, w, referent(w), hidden.id, True)
    elsewhere, _ = make_workshop(groups=1)
    stranger = card(
        session,
        session.get(Workshop, elsewhere.id),
        Viewer(elsewhere.id, "referent", elsewhere.groups[0].id, 1),
    )
    for card_ids in ([hidden.id], [stranger.id], [123456], ["1"]):
        refused("unknown_card", plan.save_action, session, w, referent(w), title="X", card_ids=card_ids)
    # The facilitator makes a table's action from that table's cards; a plenary action from any table's.
    at_two = card(session, w, phone(session, w, 2))
    refused(
        "mixed_tables",
        plan.save_action,
        session,
        w,
        facilitator(w),
        title="X",
        group_number=1,
        card_ids=[at_two.id],
    )
    both = new_action(session, w, facilitator(w), card_ids=[at_two.id, card(session, w, lea).id])
    assert both["group"] is None and len(both["cards"]) == 2


def test_editing_replaces_the_fields_and_keeps_or_replaces_the_cards(session, w):
    lea = phone(session, w)
    first, second = card(session, w, lea, "Un"), card(session, w, lea, "Deux")
    action = new_action(session, w, referent(w), card_ids=[first.id])
    edited = plan.save_action(session, w, referent(w), action_id=action["id"], title="Nouveau", owner="ADT")
    assert edited["action"]["title"] == "Nouveau" and edited["action"]["cards"] == [first.id]
    edited = plan.save_action(
        session, w, referent(w), action_id=action["id"], title="N", card_ids=[second.id]
    )
    assert edited["action"]["cards"] == [second.id] and count(session, PlanActionCard) == 1
    refused("unknown_action", plan.save_action, session, w, referent(w), action_id=999, title="X")


def test_drop_restore_and_merge_with_provenance(session, w):
    a = new_action(session, w, referent(w), "Former au numérique")
    b = new_action(session, w, referent(w, 2), "Former les pros au numérique")
    c = new_action(session, w, referent(w, 2), "Doublon")
    dropped = plan.set_dropped(session, w, referent(w, 2), c["id"], True)["action"]
    assert dropped["status"] == "dropped"
    refused("action_dropped", plan.merge_actions, session, w, facilitator(w), c["id"], [a["id"]])
    assert plan.set_dropped(session, w, referent(w, 2), c["id"], False)["action"]["status"] == "active"
    refused("invalid_payload", plan.merge_actions, session, w, facilitator(w), a["id"], [a["id"]])
    kept = plan.merge_actions(session, w, facilitator(w), a["id"], [b["id"], c["id"]])["action"]
    assert kept["tables"] == [1, 2]  # « portée par 2 tables »
    assert session.get(PlanAction, b["id"]).merged_into_id == a["id"]
    refused("action_merged", plan.save_action, session, w, facilitator(w), action_id=b["id"], title="X")
    refused("action_merged", plan.merge_actions, session, w, facilitator(w), b["id"], [c["id"]])
    # Merging the kept action into another carries its merged ones along (one level, no chains).
    d = new_action(session, w, facilitator(w), "Plénière")
    plan.merge_actions(session, w, facilitator(w), d["id"], [a["id"]])
    assert {session.get(PlanAction, i).merged_into_id for i in (a["id"], b["id"], c["id"])} == {d["id"]}
    restored = plan.set_dropped(session, w, facilitator(w), b["id"], False)["action"]
    assert restored["merged_into"] is None and restored["status"] == "active"


def test_a_referent_merges_within_their_table(session, w):
    a, b = new_action(session, w, referent(w), "A"), new_action(session, w, referent(w), "B")
    other = new_action(session, w, referent(w, 2), "C")
    refused("plan_other_table", plan.merge_actions, session, w, referent(w), a["id"], [other["id"]])
    assert plan.merge_actions(session, w, referent(w), a["id"], [b["id"]])["action"]["tables"] == [1]


def test_a_table_holds_a_bounded_number_of_actions(session, w, monkeypatch):
    monkeypatch.setattr(plan, "MAX_TABLE_ACTIONS", 2)
    new_action(session, w, referent(w))
    new_action(session, w, referent(w))
    assert refused("plan_full", new_action, session, w, referent(w)).details == {"limit": 2}
    new_action(session, w, referent(w, 2))


def test_a_resend_with_the_same_client_id_is_answered_not_redone(session, w, published):
    first = plan.save_action(session, w, referent(w), title="Une fois", client_id="abc")
    published.clear()
    again = plan.save_action(session, w, referent(w), title="Une fois", client_id="abc")
    assert again == first and count(session, PlanAction) == 1 and published == []
    assert session.scalar(select(func.count(ClientRequest.id))) == 1


# --- Axes and the plenary ---------------------------------------------------------------------------------


def test_the_facilitator_makes_axes_moves_and_orders_actions(session, w, published):
    a = new_action(session, w, referent(w), "A")
    b = new_action(session, w, referent(w, 2), "B")
    axis = plan.save_axis(session, w, facilitator(w), title="Axe 1 : Développer l'offre")["plan"]["axes"][0]
    second = plan.save_axis(session, w, facilitator(w), title="Axe 2")["plan"]["axes"][1]
    published.clear()
    whole = plan.order_actions(session, w, facilitator(w), [b["id"], a["id"]], axis_id=axis["id"])["plan"]
    assert [(x["id"], x["axis"], x["position"]) for x in whole["actions"]] == [
        (b["id"], axis["id"], 0),
        (a["id"], axis["id"], 1),
    ]
    # Both tables hear their own action's change; the screens hear the whole plan.
    assert [m["type"] for m, _ in published] == ["plan:table", "plan:table", "plan:changed"]
    moved = plan.move_action(session, w, facilitator(w), a["id"], second["id"])["action"]
    assert moved["axis"] == second["id"]
    renamed = plan.save_axis(session, w, facilitator(w), axis_id=axis["id"], title="Axe 1 : Qualifier")
    assert renamed["plan"]["axes"][0]["title"] == "Axe 1 : Qualifier"
    ordered = plan.order_axes(session, w, facilitator(w), [second["id"]])["plan"]["axes"]
    assert [x["id"] for x in ordered] == [second["id"], axis["id"]]
    plan.delete_axis(session, w, facilitator(w), second["id"])
    assert session.get(PlanAction, a["id"]).axis_id is None and count(session, PlanAxis) == 1
    refused("unknown_axis", plan.move_action, session, w, facilitator(w), a["id"], second["id"])
    refused("empty_axis_title", plan.save_axis, session, w, facilitator(w), title="")
    refused("forbidden", plan.order_actions, session, w, referent(w), [a["id"]], axis_id=axis["id"])
    refused("forbidden", plan.move_action, session, w, referent(w), a["id"], None)


def test_axes_are_proposed_from_the_synthesis_themes_once(session, w):
    refused("no_synthesis_themes", plan.propose_axes, session, w, facilitator(w))
    for position, title in enumerate(["Former les professionnels", "Mieux se coordonner"]):
        session.add(ReportTheme(workshop_id=w.id, title=title, position=position))
    session.commit()
    axes = plan.propose_axes(session, w, facilitator(w))["plan"]["axes"]
    assert [a["title"] for a in axes] == ["Former les professionnels", "Mieux se coordonner"]
    assert all(a["report_theme"] for a in axes)
    plan.save_axis(session, w, facilitator(w), axis_id=axes[0]["id"], title="Axe 1 : Former")
    again = plan.propose_axes(session, w, facilitator(w))["plan"]["axes"]
    assert [a["title"] for a in again] == ["Axe 1 : Former", "Mieux se coordonner"]


# --- Engagements ------------------------------------------------------------------------------------------


def test_a_participant_volunteers_and_withdraws_at_their_table(session, w, published):
    lea = phone(session, w)
    action = new_action(session, w, referent(w))
    published.clear()
    reply = plan.volunteer(session, w, lea, action["id"])
    assert reply["action"]["volunteers"] == [
        {"participant": lea.participant_id, "name": "Léa", "contact": False}
    ]
    assert reply["plan"]["me"] == lea.participant_id
    assert [m["type"] for m, _ in published] == ["plan:table", "plan:changed"]
    again = plan.volunteer(session, w, lea, action["id"])
    assert len(again["action"]["volunteers"]) == 1 and count(session, PlanEngagement) == 1
    assert plan.withdraw(session, w, lea, action["id"])["action"]["volunteers"] == []
    assert plan.withdraw(session, w, lea, action["id"])["ok"] and count(session, PlanEngagement) == 0


def test_volunteering_is_for_participants_on_their_tables_active_actions(session, w):
    lea = phone(session, w)
    other = new_action(session, w, referent(w, 2))
    plenary = new_action(session, w, facilitator(w))
    refused("plan_other_table", plan.volunteer, session, w, lea, other["id"])
    refused("plan_other_table", plan.volunteer, session, w, lea, plenary["id"])
    refused("unknown_action", plan.volunteer, session, w, lea, 999)
    for viewer in (referent(w), facilitator(w), board(w)):
        refused("forbidden", plan.volunteer, session, w, viewer, other["id"])
    mine = new_action(session, w, referent(w))
    plan.set_dropped(session, w, referent(w), mine["id"], True)
    refused("action_dropped", plan.volunteer, session, w, lea, mine["id"])
    plan.set_dropped(session, w, referent(w), mine["id"], False)
    kept = new_action(session, w, referent(w), "Gardée")
    plan.merge_actions(session, w, referent(w), kept["id"], [mine["id"]])
    refused("action_merged", plan.volunteer, session, w, lea, mine["id"])
    w.locked = True
    session.commit()
    refused("locked", plan.volunteer, session, w, lea, kept["id"])
    assert count(session, PlanEngagement) == 0


def test_an_email_only_when_the_workshop_allows_it_and_with_consent(session, w):
    lea = phone(session, w)
    action = new_action(session, w, referent(w))
    refused(
        "contacts_off", plan.volunteer, session, w, lea, action["id"], email="lea@example.org", consent=True
    )
    plan.set_contacts(session, w, facilitator(w), True)
    refused("consent_required", plan.volunteer, session, w, lea, action["id"], email="lea@example.org")
    refused("invalid_email", plan.volunteer, session, w, lea, action["id"], email="léa at home", consent=True)
    assert count(session, PlanEngagement) == 0
    reply = plan.volunteer(session, w, lea, action["id"], email=" lea@example.org ", consent=True)
    engagement = session.scalar(select(PlanEngagement))
    assert engagement.email == "lea@example.org" and engagement.consented_at is not None
    # The e-mail never travels: only that one was left.
    assert reply["action"]["volunteers"][0]["contact"] is True
    assert "lea@example.org" not in str(reply) and "lea@example.org" not in str(plan.whole_plan(session, w))
    plan.withdraw(session, w, lea, action["id"])
    assert count(session, PlanEngagement) == 0


def test_anonymous_workshops_show_no_volunteer_names(session, w):
    w.anonymous = True
    session.commit()
    lea = phone(session, w)
    action = new_action(session, w, referent(w))
    assert plan.volunteer(session, w, lea, action["id"])["action"]["volunteers"][0]["name"] is None


# --- What each audience reads -----------------------------------------------------------------------------


def test_phones_read_their_tables_actions_only_live_and_replayed(session, w):
    lea = phone(session, w)
    new_action(session, w, referent(w), "À la table 1")
    new_action(session, w, referent(w, 2), "À la table 2")
    new_action(session, w, facilitator(w), "En plénière")
    replayed = events_since(session, w, 0, w.group(1).id, 500, participant_id=lea.participant_id)
    titles = [a["title"] for m in replayed if m["type"].startswith("plan:") for a in m.get("actions", [])]
    assert titles == ["À la table 1"] and all(m["type"] != "plan:changed" for m in replayed)
    screens = [m for m in events_since(session, w, 0, None, 500) if m["type"] == "plan:changed"]
    assert [a["title"] for a in screens[-1]["plan"]["actions"]] == [
        "À la table 1",
        "À la table 2",
        "En plénière",
    ]


def test_the_snapshot_gives_each_viewer_its_part(session, w):
    from facilitator import agenda

    lea = phone(session, w)
    new_action(session, w, referent(w), "À la table 1")
    new_action(session, w, referent(w, 2), "À la table 2")
    whole = workshop_snapshot(session, w, None, facilitator(w))["plan"]
    assert len(whole["actions"]) == 2 and whole["axes"] == [] and whole["contacts"] is False
    table = workshop_snapshot(session, w, w.group(1), referent(w))["plan"]
    assert [a["title"] for a in table["actions"]] == ["À la table 1"]
    # A phone reads its table's actions during the « Plan d'action » step only.
    before = workshop_snapshot(session, w, w.group(1), lea)["plan"]
    assert before["actions"] == [] and before["me"] == lea.participant_id
    position = next(s.position for s in w.steps if s.kind == plan.STEP_KIND)
    agenda.start(session, w, facilitator(w))
    agenda.goto(session, w, facilitator(w), position)
    during = workshop_snapshot(session, w, w.group(1), lea)["plan"]
    assert [a["title"] for a in during["actions"]] == ["À la table 1"]


def test_any_agenda_may_have_a_plan_step(session, w):
    from facilitator import agenda

    steps = [
        {"title": "Idées", "minutes": 10, "open_families": ["forces"]},
        {"title": "Plan", "minutes": 5, "kind": "plan"},
    ]
    agenda.update_agenda(session, w, facilitator(w), steps)
    agenda.start(session, w, facilitator(w))
    assert not plan.in_plan_step(w)
    agenda.next_step(session, w, facilitator(w))
    assert plan.in_plan_step(w)


def test_deleting_the_workshop_deletes_the_plan_and_the_emails(session, w):
    from facilitator.workshops import delete_workshop

    lea = phone(session, w)
    plan.set_contacts(session, w, facilitator(w), True)
    action = new_action(session, w, referent(w), card_ids=[card(session, w, lea).id])
    plan.save_axis(session, w, facilitator(w), title="Axe")
    plan.volunteer(session, w, lea, action["id"], email="lea@example.org", consent=True)
    delete_workshop(session, w)
    for model in (PlanAction, PlanActionCard, PlanAxis, PlanEngagement):
        assert count(session, model) == 0, model


def test_a_plan_holds_a_bounded_number_of_axes(session, w, monkeypatch):
    monkeypatch.setattr(plan, "MAX_AXES", 1)
    plan.save_axis(session, w, facilitator(w), title="Axe 1")
    assert refused("plan_axes_full", plan.save_axis, session, w, facilitator(w), title="Axe 2").details == {
        "limit": 1
    }
    session.add(ReportTheme(workshop_id=w.id, title="Un thème", position=0))
    session.commit()
    assert len(plan.propose_axes(session, w, facilitator(w))["plan"]["axes"]) == 1  # none past the bound
