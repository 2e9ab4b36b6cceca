"""Admitting people to a workshop in a role: tokens, tables, names. A refusal changes nothing."""

import pytest
from sqlalchemy import select

from facilitator.access import ParticipantLimits, admit
from facilitator.errors import DomainError
from facilitator.models import Participant
from facilitator.workshops import find_workshop


@pytest.fixture
def workshop(session, make_workshop):
    """A three-table workshop loaded in the test session, with its secrets as `.secrets`."""
    created, secrets = make_workshop(groups=3)
    loaded = find_workshop(session, created.code)
    loaded.secrets = secrets
    return loaded


@pytest.mark.parametrize("role", ["facilitator", "board"])
def test_facilitator_token_admits_facilitator_and_board(session, workshop, role):
    admission = admit(session, workshop, role, token=workshop.secrets.facilitator_token)
    assert admission.viewer.role == role
    assert admission.viewer.sees_every_table
    assert admission.viewer.group_id is None
    assert admission.participant_token is None


def test_board_token_admits_the_board(session, workshop):
    admission = admit(session, workshop, "board", token=workshop.secrets.board_token)
    assert admission.viewer.role == "board"
    assert admission.viewer.sees_every_table


def test_board_token_does_not_admit_the_facilitator(session, workshop):
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, "facilitator", token=workshop.secrets.board_token)
    assert refused.value.code == "bad_token"


@pytest.mark.parametrize("number", [1, 2, 3])
def test_referent_token_admits_its_own_table(session, workshop, number):
    token = workshop.secrets.referent_tokens[number]
    admission = admit(session, workshop, "referent", token=token)
    assert admission.viewer.group_number == number
    assert not admission.viewer.sees_every_table
    assert (
        admit(session, workshop, "referent", token=token, group_number=number).viewer.group_number == number
    )


def test_referent_token_does_not_admit_another_table(session, workshop):
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, "referent", token=workshop.secrets.referent_tokens[1], group_number=2)
    assert refused.value.code == "bad_token"


@pytest.mark.parametrize("role", ["facilitator", "board"])
def test_referent_token_does_not_admit_the_boards(session, workshop, role):
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, role, token=workshop.secrets.referent_tokens[1])
    assert refused.value.code == "bad_token"


@pytest.mark.parametrize("role", ["facilitator", "board", "referent"])
@pytest.mark.parametrize("token", [None, "", "wrong", "x" * 200], ids=["none", "empty", "wrong", "long"])
def test_wrong_tokens_are_refused(session, workshop, count_rows, role, token):
    before = count_rows()
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, role, token=token)
    assert refused.value.code == "bad_token"
    assert refused.value.status == 403
    assert count_rows() == before


@pytest.mark.parametrize("role", ["facilitator", "board", "referent"])
def test_tokens_of_another_workshop_are_refused(session, workshop, make_workshop, role):
    _, other = make_workshop()
    token = other.referent_tokens[1] if role == "referent" else other.facilitator_token
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, role, token=token)
    assert refused.value.code == "bad_token"


def test_unknown_role_is_refused(session, workshop):
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, "admin", token=workshop.secrets.facilitator_token)
    assert refused.value.code == "invalid_payload"


def test_participant_joins_a_table_and_gets_a_token(session, workshop, published):
    admission = admit(session, workshop, "participant", group_number=2, name="Léa", organisation="OT")
    viewer = admission.viewer
    assert viewer.role == "participant" and viewer.group_number == 2
    assert admission.participant_token
    participant = session.get(Participant, viewer.participant_id)
    assert (participant.name, participant.organisation, participant.group.number) == ("Léa", "OT", 2)
    assert participant.token_hash != admission.participant_token
    assert [message["type"] for message, _ in published] == ["participants:count"]
    assert published[0][0]["participants"] == 1 and published[0][0]["group"] == 2


def test_participant_rejoining_with_its_token_is_the_same_participant(session, workshop, count_rows):
    first = admit(session, workshop, "participant", group_number=2, name="Léa")
    before = count_rows()
    again = admit(session, workshop, "participant", participant_token=first.participant_token)
    assert again.viewer.participant_id == first.viewer.participant_id
    assert again.viewer.group_number == 2
    assert again.participant_token == first.participant_token
    assert count_rows() == before
    assert session.get(Participant, first.viewer.participant_id).name == "Léa"


def test_participant_rejoining_from_a_new_session_is_the_same_participant(app, workshop, session):
    """The token is stored (hashed) in the database, so a restarted server still knows the phone."""
    from facilitator.extensions import db

    first = admit(session, workshop, "participant", group_number=3)
    db.session.remove()
    fresh = find_workshop(db.session, workshop.code)
    again = admit(db.session, fresh, "participant", group_number=3, participant_token=first.participant_token)
    assert again.viewer.participant_id == first.viewer.participant_id


def test_unknown_participant_token_makes_a_new_participant(session, workshop):
    admission = admit(session, workshop, "participant", group_number=1, participant_token="forgotten")
    assert admission.participant_token != "forgotten"
    assert session.scalar(select(Participant.id).where(Participant.id == admission.viewer.participant_id))


def test_participant_token_of_another_workshop_is_not_that_participant(session, workshop, make_workshop):
    other, _ = make_workshop()
    other = find_workshop(session, other.code)
    elsewhere = admit(session, other, "participant", group_number=1)
    here = admit(
        session, workshop, "participant", group_number=1, participant_token=elsewhere.participant_token
    )
    assert here.viewer.participant_id != elsewhere.viewer.participant_id
    assert here.viewer.workshop_id == workshop.id


def test_rejoin_keeps_the_name_unless_a_new_one_is_given(session, workshop):
    first = admit(session, workshop, "participant", group_number=1, name="Léa", organisation="ADT")
    admit(session, workshop, "participant", participant_token=first.participant_token, name="Léa M.")
    participant = session.get(Participant, first.viewer.participant_id)
    assert (participant.name, participant.organisation) == ("Léa M.", "ADT")


def test_participant_moving_table_updates_both_counts(session, workshop, published):
    first = admit(session, workshop, "participant", group_number=1)
    published.clear()
    moved = admit(session, workshop, "participant", group_number=2, participant_token=first.participant_token)
    assert moved.viewer.group_number == 2
    counts = {message["group"]: message["participants"] for message, _ in published}
    assert counts == {1: 0, 2: 1}


def test_multi_table_workshop_requires_a_table(session, workshop, count_rows):
    before = count_rows()
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, "participant", name="Léa")
    assert refused.value.code == "group_required"
    assert count_rows() == before


def test_single_table_workshop_needs_no_table(session, make_workshop):
    created, _ = make_workshop(groups=1)
    workshop = find_workshop(session, created.code)
    assert admit(session, workshop, "participant").viewer.group_number == 1


@pytest.mark.parametrize("number", [0, 4, 99])
def test_unknown_table_is_refused(session, workshop, count_rows, number):
    before = count_rows()
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, "participant", group_number=number)
    assert refused.value.code == "unknown_group"
    assert count_rows() == before


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("Léa", "Léa"),
        ("  Jean   Pierre ", "Jean Pierre"),
        ("x" * 40, "x" * 40),
        ("", None),
        ("   ", None),
        ("Zoé\x00\x07", "Zoé"),
    ],
)
def test_names_are_tidied(session, workshop, name, stored):
    admission = admit(session, workshop, "participant", group_number=1, name=name)
    assert session.get(Participant, admission.viewer.participant_id).name == stored


@pytest.mark.parametrize("name", ["x" * 41, "é" * 100, "a " * 30])
def test_name_too_long_is_refused(session, workshop, count_rows, name):
    before = count_rows()
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, "participant", group_number=1, name=name)
    assert refused.value.code == "name_too_long"
    assert refused.value.details["limit"] == 40
    assert count_rows() == before


@pytest.mark.parametrize("organisation", ["Mairie", "ot", "OT2", "<b>OT</b>"])
def test_unknown_organisation_is_refused(session, workshop, count_rows, organisation):
    before = count_rows()
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, "participant", group_number=1, organisation=organisation)
    assert refused.value.code == "unknown_organisation"
    assert count_rows() == before


@pytest.mark.parametrize("organisation", ["OT", "ADT", "RT", "CRTL", "Autre", " CRTL "])
def test_listed_organisations_are_accepted(session, workshop, organisation):
    admission = admit(session, workshop, "participant", group_number=1, organisation=organisation)
    assert session.get(Participant, admission.viewer.participant_id).organisation == organisation.strip()


def test_an_organisation_typed_with_extra_spaces_can_be_chosen(session, make_workshop):
    created, _ = make_workshop(organisations=["Office  de   tourisme ", "ADT"])
    workshop = find_workshop(session, created.code)
    offered = workshop.organisations[0]  # what the phone page lists and sends back
    admission = admit(session, workshop, "participant", group_number=1, organisation=offered)
    assert session.get(Participant, admission.viewer.participant_id).organisation == "Office de tourisme"


def test_an_anonymous_workshop_stores_no_name_nor_organisation(session, make_workshop):
    """A tampered phone may send a name to an anonymous workshop: it is never stored."""
    created, _ = make_workshop(anonymous=True)
    workshop = find_workshop(session, created.code)
    admission = admit(session, workshop, "participant", group_number=1, name="Léa", organisation="OT")
    again = admit(
        session,
        workshop,
        "participant",
        participant_token=admission.participant_token,
        name="Léa Martin",
        organisation="ADT",
    )
    assert again.viewer.participant_id == admission.viewer.participant_id
    stored = session.get(Participant, admission.viewer.participant_id)
    assert (stored.name, stored.organisation) == (None, None)


def participants_at(session, workshop, number):
    group = workshop.group(number)
    return len(session.scalars(select(Participant).where(Participant.group_id == group.id)).all())


def test_a_connection_joining_again_without_its_token_is_the_same_participant(session, workshop):
    first = admit(session, workshop, "participant", group_number=1)
    for token in (None, "a token nobody has"):
        again = admit(
            session,
            workshop,
            "participant",
            group_number=1,
            participant_token=token,
            own_token=first.participant_token,
        )
        assert again.viewer.participant_id == first.viewer.participant_id
        assert again.participant_token == first.participant_token
    assert participants_at(session, workshop, 1) == 1


def test_a_table_and_a_workshop_hold_at_most_their_caps(session, workshop):
    limits = ParticipantLimits(workshop=4, table=2)
    for _ in range(2):
        admit(session, workshop, "participant", group_number=1, limits=limits)
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, "participant", group_number=1, limits=limits)
    assert (refused.value.code, refused.value.details) == ("table_full", {"limit": 2})
    assert participants_at(session, workshop, 1) == 2, "the refusal changed nothing"
    admit(session, workshop, "participant", group_number=2, limits=limits)
    returning = admit(session, workshop, "participant", group_number=3, limits=limits)
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, "participant", group_number=3, limits=limits)
    assert (refused.value.code, refused.value.details) == ("workshop_full", {"limit": 4})
    # People already in come back, even to a full table or workshop.
    token = returning.participant_token
    assert (
        admit(session, workshop, "participant", participant_token=token, limits=limits).viewer.group_number
        == 3
    )


def test_the_table_cap_of_a_one_table_workshop_is_the_workshops(session, make_workshop):
    created, _ = make_workshop(groups=1)
    workshop = find_workshop(session, created.code)
    limits = ParticipantLimits(workshop=5, table=2)
    for _ in range(5):
        admit(session, workshop, "participant", limits=limits)
    with pytest.raises(DomainError) as refused:
        admit(session, workshop, "participant", limits=limits)
    assert refused.value.code == "workshop_full"


def test_only_newcomers_pass_the_newcomer_check(session, workshop):
    seen = []
    limits = ParticipantLimits(newcomer=lambda group: seen.append(group.number))
    first = admit(session, workshop, "participant", group_number=2, limits=limits)
    admit(session, workshop, "participant", participant_token=first.participant_token, limits=limits)
    assert seen == [2]

    def refuse(_group):
        raise DomainError("table_busy", status=429, retry_after=3)

    with pytest.raises(DomainError):
        admit(session, workshop, "participant", group_number=2, limits=ParticipantLimits(newcomer=refuse))
    assert participants_at(session, workshop, 2) == 1
