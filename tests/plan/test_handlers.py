"""The action plan over Socket.IO: each event's refusals as acks, and who receives what (a phone hears
its own table's actions only, never the whole plan; the screens hear the whole plan)."""

import pytest

from facilitator.extensions import db
from facilitator.models import ReportTheme
from tests.conftest import new_client_id, received


@pytest.fixture
def room(make_workshop, joined, phone):
    w, secrets = make_workshop(groups=2)
    fac, _ = joined(w.code, "facilitator", token=secrets.facilitator_token)
    board, _ = joined(w.code, "board", token=secrets.board_token)
    ref1, _ = joined(w.code, "referent", token=secrets.referent_tokens[1])
    ref2, _ = joined(w.code, "referent", token=secrets.referent_tokens[2])
    lea, _ = phone(w.code, group=1, name="Léa")
    zoe, _ = phone(w.code, group=2, name="Zoé")
    card = lea.emit(
        "card:add",
        {"client_id": new_client_id(), "family": "contributions", "text": "Former au numérique"},
        callback=True,
    )["card"]
    for client in (fac, board, ref1, ref2, lea, zoe):
        client.get_received()
    return {
        "w": w,
        "fac": fac,
        "board": board,
        "ref1": ref1,
        "ref2": ref2,
        "lea": lea,
        "zoe": zoe,
        "card": card,
    }


def error(reply):
    assert not reply["ok"], reply
    return reply["error"]["code"]


def save(client, **fields):
    return client.emit("plan:action_save", {"title": "Former au numérique", **fields}, callback=True)


def test_a_referents_action_reaches_its_table_and_the_screens_only(room):
    reply = save(room["ref1"], owner="CRTL", due="2027-03", card_ids=[room["card"]["id"]])
    assert reply["ok"] and reply["action"]["cards"] == [room["card"]["id"]]
    table = received(room["lea"], "plan:table")
    assert [a["title"] for a in table[-1]["actions"]] == ["Former au numérique"]
    lea_names = {p["name"] for p in room["lea"].get_received()}
    assert "plan:changed" not in lea_names
    assert received(room["zoe"], "plan:table") == [] and received(room["ref2"], "plan:table") == []
    whole = received(room["fac"], "plan:changed")
    assert [a["owner"] for a in whole[-1]["plan"]["actions"]] == ["CRTL"]
    assert received(room["board"], "plan:changed")


def test_payloads_are_validated(room):
    assert error(room["ref1"].emit("plan:action_save", {"owner": "CRTL"}, callback=True)) == "invalid_payload"
    assert error(save(room["ref1"], card_ids=["1"])) == "invalid_payload"
    assert error(save(room["ref1"], client_id="not a valid id!")) == "invalid_payload"
    assert (
        error(room["ref1"].emit("plan:action_merge", {"keep": 1, "actions": []}, callback=True))
        == "invalid_payload"
    )
    assert error(room["fac"].emit("plan:contacts", {"allowed": "yes"}, callback=True)) == "invalid_payload"
    assert error(room["lea"].emit("plan:volunteer", {"action_id": 0}, callback=True)) == "invalid_payload"


def test_action_refusals(room):
    assert error(save(room["ref1"], title="  ")) == "empty_action_title"
    assert error(save(room["ref1"], due="2027-13")) == "invalid_due"
    assert error(save(room["ref1"], owner="x" * 500)) == "plan_field_too_long"
    assert error(save(room["ref1"], group=2)) == "plan_other_table"
    assert error(save(room["ref2"], card_ids=[room["card"]["id"]])) == "not_your_table"
    assert error(save(room["ref1"], card_ids=[999999])) == "unknown_card"
    assert error(save(room["fac"], group=2, card_ids=[room["card"]["id"]])) == "mixed_tables"
    assert error(save(room["lea"])) == "forbidden"
    assert error(save(room["board"])) == "forbidden"
    action = save(room["ref1"])["action"]
    assert error(save(room["ref2"], action_id=action["id"])) == "plan_other_table"
    assert error(save(room["ref1"], action_id=999999)) == "unknown_action"
    assert (
        error(room["ref2"].emit("plan:action_drop", {"action_id": action["id"]}, callback=True))
        == "plan_other_table"
    )
    dropped = room["ref1"].emit("plan:action_drop", {"action_id": action["id"]}, callback=True)
    assert dropped["ok"] and dropped["action"]["status"] == "dropped"
    other = save(room["ref1"], title="Autre")["action"]
    merge = {"keep": action["id"], "actions": [other["id"]]}
    assert error(room["ref1"].emit("plan:action_merge", merge, callback=True)) == "action_dropped"
    assert room["ref1"].emit("plan:action_restore", {"action_id": action["id"]}, callback=True)["ok"]
    merged = room["ref1"].emit("plan:action_merge", merge, callback=True)
    assert merged["ok"] and merged["action"]["tables"] == [1]
    assert error(save(room["ref1"], action_id=other["id"])) == "action_merged"
    assert (
        error(room["ref1"].emit("plan:order", {"actions": [action["id"]], "axis": 1}, callback=True))
        == "forbidden"
    )
    assert room["ref1"].emit("plan:order", {"actions": [action["id"]]}, callback=True)["ok"]


def test_axis_refusals_and_the_plenary(room, app):
    assert error(room["ref1"].emit("plan:axis_save", {"title": "Axe"}, callback=True)) == "forbidden"
    assert error(room["fac"].emit("plan:axis_save", {"title": ""}, callback=True)) == "empty_axis_title"
    assert (
        error(room["fac"].emit("plan:axis_save", {"axis_id": 999, "title": "X"}, callback=True))
        == "unknown_axis"
    )
    assert error(room["fac"].emit("plan:axis_delete", {"axis_id": 999}, callback=True)) == "unknown_axis"
    assert error(room["fac"].emit("plan:axes_propose", {}, callback=True)) == "no_synthesis_themes"
    with app.app_context():
        db.session.add(ReportTheme(workshop_id=room["w"].id, title="Former les professionnels", position=0))
        db.session.commit()
    axes = room["fac"].emit("plan:axes_propose", {}, callback=True)["plan"]["axes"]
    assert [a["title"] for a in axes] == ["Former les professionnels"]
    one = save(room["ref1"])["action"]
    two = save(room["ref2"], title="Former les pros au numérique")["action"]
    room["lea"].get_received()
    moved = room["fac"].emit(
        "plan:action_move", {"action_id": one["id"], "axis": axes[0]["id"]}, callback=True
    )
    assert moved["ok"] and moved["action"]["axis"] == axes[0]["id"]
    merged = room["fac"].emit("plan:action_merge", {"keep": one["id"], "actions": [two["id"]]}, callback=True)
    assert merged["action"]["tables"] == [1, 2]  # « portée par 2 tables »
    # Each table hears of its own action; table 1's phone never gets table 2's action.
    titles = {a["title"] for m in received(room["lea"], "plan:table") for a in m["actions"]}
    assert titles == {"Former au numérique"}
    assert error(room["fac"].emit("plan:axes_order", {"axes": [999]}, callback=True)) == "unknown_axis"
    assert room["fac"].emit("plan:axis_delete", {"axis_id": axes[0]["id"]}, callback=True)["ok"]


def test_volunteering_refusals_and_the_email_with_consent(room):
    action = save(room["ref1"])["action"]
    other = save(room["ref2"], title="À la table 2")["action"]
    volunteer = {"action_id": action["id"]}
    assert error(room["zoe"].emit("plan:volunteer", volunteer, callback=True)) == "plan_other_table"
    assert error(room["ref1"].emit("plan:volunteer", volunteer, callback=True)) == "forbidden"
    assert error(room["lea"].emit("plan:volunteer", {"action_id": 999999}, callback=True)) == "unknown_action"
    with_email = {**volunteer, "email": "lea@example.org", "consent": True}
    assert error(room["lea"].emit("plan:volunteer", with_email, callback=True)) == "contacts_off"
    assert error(room["ref1"].emit("plan:contacts", {"allowed": True}, callback=True)) == "forbidden"
    assert room["fac"].emit("plan:contacts", {"allowed": True}, callback=True)["contacts"] is True
    assert received(room["lea"], "plan:settings")[-1]["contacts"] is True
    no_consent = {**volunteer, "email": "lea@example.org"}
    assert error(room["lea"].emit("plan:volunteer", no_consent, callback=True)) == "consent_required"
    bad = {**with_email, "email": "pas une adresse"}
    assert error(room["lea"].emit("plan:volunteer", bad, callback=True)) == "invalid_email"
    reply = room["lea"].emit("plan:volunteer", with_email, callback=True)
    assert reply["ok"] and reply["action"]["volunteers"][0]["name"] == "Léa"
    # The référent sees who volunteered; the e-mail goes to nobody.
    seen = received(room["ref1"], "plan:table")[-1]["actions"][0]["volunteers"]
    assert seen == [{"participant": reply["plan"]["me"], "name": "Léa", "contact": True}]
    assert "lea@example.org" not in str(room["fac"].get_received()) + str(room["board"].get_received())
    assert room["lea"].emit("plan:withdraw", volunteer, callback=True)["action"]["volunteers"] == []
    assert room["zoe"].emit("plan:volunteer", {"action_id": other["id"]}, callback=True)["ok"]


def test_a_phone_lists_its_tables_actions_and_the_facilitator_the_whole_plan(room):
    save(room["ref1"], title="Table 1")
    save(room["ref2"], title="Table 2")
    mine = room["lea"].emit("plan:list", {}, callback=True)["plan"]
    assert [a["title"] for a in mine["actions"]] == ["Table 1"] and mine["me"]
    whole = room["fac"].emit("plan:list", {}, callback=True)["plan"]
    assert [a["title"] for a in whole["actions"]] == ["Table 1", "Table 2"]


def test_plan_writes_count_in_the_card_budget(room):
    from facilitator.ratelimits import rate_limits

    rate_limits.configure("memory://", {"cards": "3/minute"})  # the next test's app configures its own
    codes = [save(room["ref1"], title=f"Action {i}").get("error", {}).get("code") for i in range(4)]
    assert codes == [None, None, None, "rate_limited"]


PLAN_EVENTS = [
    "plan:list", "plan:action_save", "plan:action_drop", "plan:action_restore", "plan:action_merge",
    "plan:action_move", "plan:order", "plan:axis_save", "plan:axis_delete", "plan:axes_order",
    "plan:axes_propose", "plan:contacts", "plan:volunteer", "plan:withdraw",
]  # fmt: skip


def test_every_plan_event_answers_junk_and_a_refusal_changes_nothing(room, app):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from sqlalchemy import func, select

    from facilitator.models import Event, PlanAction, PlanAxis, PlanEngagement

    def rows():
        with app.app_context():
            return tuple(
                db.session.scalar(select(func.count()).select_from(m))
                for m in (PlanAction, PlanAxis, PlanEngagement, Event)
            )

    value = (
        st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.text(max_size=60)
        | st.lists(st.integers(min_value=-2, max_value=5), max_size=4)
    )  # fmt: skip
    keys = [
        "action_id",
        "axis_id",
        "axis",
        "keep",
        "actions",
        "axes",
        "title",
        "due",
        "email",
        "consent",
        "allowed",
        "group",
        "card_ids",
    ]
    payloads = st.dictionaries(st.sampled_from(keys), value, max_size=5) | value
    clients = [room[name] for name in ("lea", "ref1", "fac", "board")]

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(event=st.sampled_from(PLAN_EVENTS), payload=payloads, who=st.integers(min_value=0, max_value=3))
    def check(event, payload, who):
        before = rows()
        reply = clients[who].emit(event, payload, callback=True)
        assert isinstance(reply, dict) and isinstance(reply.get("ok"), bool), reply
        if not reply["ok"]:
            assert reply["error"]["code"] and reply["error"]["message"]
            assert reply["error"]["code"] != "internal", (event, payload, reply)
            assert rows() == before, (event, payload, reply)

    check()


def test_a_phone_cannot_volunteer_for_a_dropped_action_or_while_the_workshop_is_locked(room):
    action = save(room["ref1"])["action"]
    assert room["ref1"].emit("plan:action_drop", {"action_id": action["id"]}, callback=True)["ok"]
    assert (
        error(room["lea"].emit("plan:volunteer", {"action_id": action["id"]}, callback=True))
        == "action_dropped"
    )
    assert room["ref1"].emit("plan:action_restore", {"action_id": action["id"]}, callback=True)["ok"]
    assert room["fac"].emit("workshop:lock", {"locked": True}, callback=True)["ok"]
    assert error(room["lea"].emit("plan:volunteer", {"action_id": action["id"]}, callback=True)) == "locked"
