"""Posting cards: idempotent on the client's id, the rules on family and text, who may post where."""

import pytest
from sqlalchemy import select

from facilitator.access import Viewer, admit
from facilitator.cards import post_card
from facilitator.errors import DomainError
from facilitator.models import Card, Event
from facilitator.workshops import find_workshop
from tests.conftest import new_client_id


@pytest.fixture
def workshop(session, make_workshop):
    created, secrets = make_workshop(groups=3)
    loaded = find_workshop(session, created.code)
    loaded.secrets = secrets
    return loaded


@pytest.fixture
def participant(session, workshop):
    """Return a factory of participants admitted at a table; each is a Viewer."""

    def factory(group=1, **fields):
        return admit(session, workshop, "participant", group_number=group, **fields).viewer

    return factory


def post(session, workshop, viewer, text="Des équipes fidèles", family="forces", client_id=None, **extra):
    return post_card(
        session, workshop, viewer, client_id=client_id or new_client_id(), family=family, text=text, **extra
    )


def test_participant_posts_a_card_at_its_table(session, workshop, participant, published):
    viewer = participant(group=2, name="Léa", organisation="OT")
    published.clear()
    card, created = post(session, workshop, viewer, text="Des équipes fidèles", family="attentes")
    assert created
    stored = session.get(Card, card.id)
    assert (stored.text, stored.family, stored.group.number) == ("Des équipes fidèles", "attentes", 2)
    assert stored.source == "phone" and stored.status == "visible"
    assert stored.participant_id == viewer.participant_id
    shown = card.to_dict()
    assert shown["author"] == "Léa" and shown["organisation"] == "OT" and shown["group"] == 2
    assert "client_id" not in shown
    [(message, audience)] = published
    assert message["type"] == "card:added" and message["card"]["id"] == card.id
    assert message["seq"] == card.seq == message["card"]["seq"]
    assert audience.group_id == stored.group_id


def test_anonymous_workshop_hides_names(session, make_workshop):
    created, _ = make_workshop(anonymous=True)
    workshop = find_workshop(session, created.code)
    viewer = admit(session, workshop, "participant", group_number=1, name="Léa", organisation="OT").viewer
    card, _ = post(session, workshop, viewer)
    assert card.to_dict(anonymous=True)["author"] is None
    event = session.scalar(select(Event).where(Event.type == "card:added"))
    assert event.payload["card"]["author"] is None and event.payload["card"]["organisation"] is None


def test_same_client_id_twice_stores_one_card_and_answers_the_same(session, workshop, participant, published):
    viewer = participant()
    published.clear()
    client_id = new_client_id()
    first, created = post(session, workshop, viewer, client_id=client_id, text="Une fois")
    again, created_again = post(session, workshop, viewer, client_id=client_id, text="Une fois")
    assert created and not created_again
    assert again.id == first.id and again.seq == first.seq
    assert session.scalar(select(Card.id).where(Card.client_id == client_id)) == first.id
    assert len(session.scalars(select(Card)).all()) == 1
    assert len(session.scalars(select(Event).where(Event.type == "card:added")).all()) == 1
    assert len(published) == 1


def test_resend_with_other_text_answers_the_stored_card(session, workshop, participant):
    viewer = participant()
    client_id = new_client_id()
    first, _ = post(session, workshop, viewer, client_id=client_id, text="Premier envoi")
    again, created = post(
        session, workshop, viewer, client_id=client_id, text="Autre texte", family="menaces"
    )
    assert not created
    assert again.id == first.id and again.text == "Premier envoi"


def test_same_client_id_from_someone_else_is_a_conflict(session, workshop, participant, count_rows):
    author, other = participant(), participant()
    client_id = new_client_id()
    post(session, workshop, author, client_id=client_id, text="À moi")
    before = count_rows()
    with pytest.raises(DomainError) as refused:
        post(session, workshop, other, client_id=client_id, text="À moi")
    assert refused.value.code == "client_id_conflict"
    assert count_rows() == before


def test_referent_cannot_take_over_a_participant_client_id(session, workshop, participant):
    author = participant(group=1)
    client_id = new_client_id()
    post(session, workshop, author, client_id=client_id)
    referent = admit(session, workshop, "referent", token=workshop.secrets.referent_tokens[1]).viewer
    with pytest.raises(DomainError) as refused:
        post(session, workshop, referent, client_id=client_id)
    assert refused.value.code == "client_id_conflict"


def test_client_ids_are_per_workshop(session, workshop, make_workshop, participant):
    client_id = new_client_id()
    post(session, workshop, participant(), client_id=client_id)
    created, _ = make_workshop()
    other = find_workshop(session, created.code)
    viewer = admit(session, other, "participant", group_number=1).viewer
    card, was_created = post(session, other, viewer, client_id=client_id)
    assert was_created and card.workshop_id == other.id


@pytest.mark.parametrize("family", ["opportunites", "FORCES", "", "forces ", "<script>"])
def test_unknown_family_is_refused(session, workshop, participant, count_rows, family):
    viewer = participant()
    before = count_rows()
    with pytest.raises(DomainError) as refused:
        post(session, workshop, viewer, family=family)
    assert refused.value.code == "unknown_family"
    assert count_rows() == before


@pytest.mark.parametrize("text", ["", " ", "   \n\t  ", "\x00\x07", "\u200b"])
def test_empty_text_is_refused(session, workshop, participant, count_rows, text):
    viewer = participant()
    before = count_rows()
    with pytest.raises(DomainError) as refused:
        post(session, workshop, viewer, text=text)
    assert refused.value.code == "empty_text"
    assert count_rows() == before


def test_text_of_280_characters_is_accepted_and_281_refused(session, workshop, participant, count_rows):
    viewer = participant()
    card, _ = post(session, workshop, viewer, text="é" * 280)
    assert len(card.text) == 280
    before = count_rows()
    with pytest.raises(DomainError) as refused:
        post(session, workshop, viewer, text="é" * 281)
    assert refused.value.code == "text_too_long"
    assert refused.value.details == {"limit": 280}
    assert count_rows() == before


def test_the_limit_counts_the_stored_text_not_the_surrounding_spaces(session, workshop, participant):
    card, _ = post(session, workshop, participant(), text="  " + "a" * 280 + "  \n")
    assert card.text == "a" * 280


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Bonjour\x00 le\x07 monde\x1b", "Bonjour le monde"),
        ("  Ligne 1  \r\n  Ligne 2  ", "Ligne 1\nLigne 2"),
        ("Cafe\u0301", "Café"),
        ("👍 Super", "👍 Super"),
        ("Équipe 👩\u200d💻 soudée", "Équipe 👩\u200d💻 soudée"),
    ],
    ids=["control", "lines", "nfc", "emoji", "zwj-emoji"],
)
def test_text_is_tidied(session, workshop, participant, typed, stored):
    card, _ = post(session, workshop, participant(), text=typed)
    assert session.get(Card, card.id).text == stored


@pytest.mark.parametrize(
    "text",
    [
        "<img src=x onerror=alert(1)>",
        "<script>alert('x')</script>",
        "a < b && c > d",
        "&lt;déjà échappé&gt;",
    ],
)
def test_html_is_kept_as_literal_text(session, workshop, participant, text):
    card, _ = post(session, workshop, participant(), text=text)
    assert session.get(Card, card.id).text == text
    assert card.to_dict()["text"] == text


def test_board_cannot_post(session, workshop, count_rows):
    board = admit(session, workshop, "board", token=workshop.secrets.board_token).viewer
    before = count_rows()
    with pytest.raises(DomainError) as refused:
        post(session, workshop, board)
    assert refused.value.code == "forbidden"
    assert refused.value.status == 403
    assert count_rows() == before


def test_referent_cards_are_paper_cards_of_its_table(session, workshop):
    referent = admit(session, workshop, "referent", token=workshop.secrets.referent_tokens[2]).viewer
    card, _ = post(session, workshop, referent, group_number=3)
    assert card.source == "paper"
    assert card.group.number == 2, "a référent types cards for its own table only"
    assert card.participant_id is None
    assert card.to_dict()["author"] is None


def test_referent_resend_is_idempotent(session, workshop):
    referent = admit(session, workshop, "referent", token=workshop.secrets.referent_tokens[2]).viewer
    client_id = new_client_id()
    first, _ = post(session, workshop, referent, client_id=client_id)
    again, created = post(session, workshop, referent, client_id=client_id)
    assert again.id == first.id and not created


def test_facilitator_types_paper_cards_for_a_chosen_table(session, workshop, count_rows):
    facilitator = admit(session, workshop, "facilitator", token=workshop.secrets.facilitator_token).viewer
    card, _ = post(session, workshop, facilitator, group_number=3)
    assert card.source == "paper" and card.group.number == 3
    before = count_rows()
    for number, code in ((None, "group_required"), (4, "unknown_group")):
        with pytest.raises(DomainError) as refused:
            post(session, workshop, facilitator, group_number=number)
        assert refused.value.code == code
    assert count_rows() == before


def test_viewer_of_another_workshop_cannot_post_here(session, workshop, make_workshop):
    """A viewer admitted elsewhere whose table id is not one of this workshop's tables is refused."""
    created, _ = make_workshop()
    other = find_workshop(session, created.code)
    stranger = admit(session, other, "participant", group_number=1).viewer
    with pytest.raises(DomainError) as refused:
        post(session, workshop, stranger)
    assert refused.value.code == "forbidden"
    assert session.scalars(select(Card).where(Card.workshop_id == workshop.id)).all() == []


def test_cards_get_increasing_sequence_numbers(session, workshop, participant):
    viewer = participant()
    seqs = [post(session, workshop, viewer, text=f"Carte {n}")[0].seq for n in range(5)]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5


def test_viewer_dataclass_roles():
    assert Viewer(1, "board").sees_every_table
    assert Viewer(1, "facilitator").sees_every_table
    assert not Viewer(1, "referent", 1, 1).sees_every_table
    assert not Viewer(1, "participant", 1, 1, 1).sees_every_table


def test_concurrent_resend_answers_the_stored_card(session, workshop, participant, published, monkeypatch):
    """A resend (two racing, or one after a lost ack) hits the unique constraint: it answers the stored
    card, announces nothing, and the card is looked up only then, not before every new card."""
    from facilitator import cards

    viewer = participant()
    client_id = new_client_id()
    real_existing = cards._existing
    calls = []

    def counted_lookup(*args):
        calls.append(args)
        return real_existing(*args)

    monkeypatch.setattr(cards, "_existing", counted_lookup)
    first, _ = post(session, workshop, viewer, client_id=client_id, text="Course")
    assert calls == [], "a new card is not looked up"
    published.clear()
    again, created = post(session, workshop, viewer, client_id=client_id, text="Course")
    assert len(calls) == 1, "the unique constraint was hit and the card looked up then"
    assert not created and again.id == first.id
    assert published == []
    assert len(session.scalars(select(Card)).all()) == 1
    assert session.scalar(select(Event.seq).order_by(Event.seq.desc())) == first.seq
