"""Creating workshops and finding them by the code people type: the domain, without a server."""

import re

import pytest
from sqlalchemy import select

from facilitator import tokens
from facilitator.errors import DomainError
from facilitator.models import Group, Workshop
from facilitator.workshops import create_workshop, find_group, find_workshop, rotate_links, workshop_snapshot


@pytest.mark.parametrize("groups", [1, 9, 100])
def test_create_workshop_makes_numbered_tables(session, groups):
    workshop, secrets = create_workshop(session, title="Atelier", groups=groups)
    stored = session.scalars(select(Group).where(Group.workshop_id == workshop.id).order_by(Group.number))
    numbers = [group.number for group in stored]
    assert numbers == list(range(1, groups + 1))
    assert sorted(secrets.referent_tokens) == numbers
    assert len(set(secrets.referent_tokens.values())) == groups


@pytest.mark.parametrize("groups", [0, -1, 101, 1000])
def test_create_workshop_refuses_table_counts_out_of_range(session, groups):
    with pytest.raises(DomainError) as refused:
        create_workshop(session, title="Atelier", groups=groups)
    assert refused.value.code == "invalid_payload"
    assert session.scalar(select(Workshop.id)) is None


def test_table_names_are_kept_and_blank_ones_get_a_default(session):
    workshop, _ = create_workshop(
        session, title="Atelier", groups=4, group_names=["  Littoral  ", "", "Montagne"]
    )
    assert [group.name for group in workshop.groups] == ["Littoral", "Table 2", "Montagne", "Table 4"]


def test_extra_table_names_are_ignored(session):
    workshop, _ = create_workshop(session, title="Atelier", groups=1, group_names=["Un", "Deux"])
    assert [group.name for group in workshop.groups] == ["Un"]


@pytest.mark.parametrize(
    ("template", "families"),
    [
        ("concertation", ["forces", "faiblesses", "attentes", "contributions"]),
        ("swot", ["forces", "faiblesses", "opportunites", "menaces"]),
        ("start-stop-continue", ["start", "stop", "continue"]),
    ],
)
def test_templates_give_their_families(session, template, families):
    workshop, _ = create_workshop(session, title="Atelier", template=template)
    assert session.get(Workshop, workshop.id).families == families


def test_default_template_is_concertation(session):
    workshop, _ = create_workshop(session, title="Atelier")
    assert workshop.families == ["forces", "faiblesses", "attentes", "contributions"]


def test_unknown_template_is_refused_and_creates_nothing(session):
    with pytest.raises(DomainError) as refused:
        create_workshop(session, title="Atelier", template="kanban")
    assert refused.value.code == "invalid_payload"
    assert session.scalar(select(Workshop.id)) is None


def test_default_organisations(session):
    workshop, _ = create_workshop(session, title="Atelier")
    assert workshop.organisations == ["OT", "ADT", "RT", "CRTL", "Autre"]


def test_custom_organisations(session):
    workshop, _ = create_workshop(session, title="Atelier", organisations=["Mairie", "Hôtel"])
    assert workshop.organisations == ["Mairie", "Hôtel"]


def test_join_codes_are_eight_unambiguous_characters_and_unique(session):
    codes = [create_workshop(session, title=f"Atelier {n}")[0].code for n in range(40)]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", code), code
        assert not set(code) & set("01OIL")


def test_tokens_are_only_stored_hashed(session):
    workshop, secrets = create_workshop(session, title="Atelier", groups=3)
    stored = session.get(Workshop, workshop.id)
    columns = [stored.facilitator_token_hash, stored.board_token_hash] + [
        group.referent_token_hash for group in stored.groups
    ]
    plain = [secrets.facilitator_token, secrets.board_token, *secrets.referent_tokens.values()]
    assert len(set(plain)) == len(plain)
    for token in plain:
        assert len(token) >= 32
        assert token not in columns
        assert tokens.hash_token(token) in columns
    # Nowhere in the database file either.
    raw = session.connection().exec_driver_sql("SELECT * FROM workshops JOIN groups").fetchall()
    dump = repr(raw)
    for token in plain:
        assert token not in dump


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: code.lower(),
        lambda code: f"  {code[:4]} {code[4:]}  ",
        lambda code: f"{code[:4]}-{code[4:]}".lower(),
        lambda code: "-".join(code),
    ],
    ids=["exact", "lower", "spaces", "dash-lower", "dashes"],
)
def test_find_workshop_tolerates_how_people_type_the_code(session, make_workshop, typed):
    workshop, _ = make_workshop()
    assert find_workshop(session, typed(workshop.code)).id == workshop.id


@pytest.mark.parametrize("code", ["", "   ", "ZZZZZZZZ", "ABC", None, 12345678, "../../etc", "Ω" * 70])
def test_find_workshop_refuses_unknown_codes(session, make_workshop, code):
    make_workshop()
    with pytest.raises(DomainError) as refused:
        find_workshop(session, code)
    assert refused.value.code == "unknown_workshop"
    assert refused.value.status == 404


def test_find_group(session, make_workshop):
    workshop, _ = make_workshop(groups=2)
    workshop = find_workshop(session, workshop.code)
    assert find_group(workshop, 2).number == 2
    for number in (0, 3, "2", None, True):
        with pytest.raises(DomainError) as refused:
            find_group(workshop, number)
        assert refused.value.code == "unknown_group"


def test_snapshot_of_a_new_workshop(session, make_workshop):
    workshop, _ = make_workshop(groups=2, title="Assises")
    workshop = find_workshop(session, workshop.code)
    snapshot = workshop_snapshot(session, workshop, None)
    assert snapshot["seq"] == 0
    assert snapshot["cards"] == []
    assert snapshot["participants"] == {"1": 0, "2": 0}
    assert snapshot["workshop"]["title"] == "Assises"
    assert [g["number"] for g in snapshot["workshop"]["groups"]] == [1, 2]
    table = workshop_snapshot(session, workshop, workshop.group(2))
    assert table["participants"] == {"2": 0}


def test_rotating_links_invalidates_the_old_tokens(session, make_workshop):
    workshop, old = make_workshop(groups=2)
    workshop = find_workshop(session, workshop.code)
    new = rotate_links(session, workshop)
    stored = session.get(Workshop, workshop.id)
    assert not tokens.token_matches(old.facilitator_token, stored.facilitator_token_hash)
    assert tokens.token_matches(new.facilitator_token, stored.facilitator_token_hash)
    assert not tokens.token_matches(old.referent_tokens[1], stored.groups[0].referent_token_hash)
    assert tokens.token_matches(new.referent_tokens[1], stored.groups[0].referent_token_hash)
