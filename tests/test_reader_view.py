"""What phones and boards may read of a message, live and replayed (`events.reader_view`): every event
type that carries a card's text loses it once the card is hidden, merged, deleted or still sealed,
but for its author; a replay (`sync {"since": 0}`) reduces older messages by the cards as they are NOW."""

import pytest

from facilitator.access import Viewer, admit
from facilitator.cards import post_card
from facilitator.essentials import set_essentials
from facilitator.events import CardsNow, events_since, made_of, mentioned_cards, reader_view
from facilitator.moderation import delete_card, set_card_hidden
from facilitator.workshops import find_workshop
from tests.conftest import new_client_id

SECRET = "Le directeur est un incompétent notoire"


def card(id_, status="visible", **extra):
    return {"id": id_, "group": 1, "family": "forces", "text": f"texte {id_}", "status": status, **extra}


HIDDEN_SINCE = CardsNow(status={2: "hidden", 3: "merged", 4: "deleted"}, sealed=frozenset({5}))


@pytest.mark.parametrize("type_", ["card:added", "card:updated"])
def test_a_card_message_loses_the_text_of_a_card_hidden_since(type_):
    message = {"type": type_, "seq": 3, "card": card(2), "merged": [card(3, "merged", merged_into=2)]}
    view = reader_view(message, HIDDEN_SINCE)
    assert view["card"] == {"id": 2, "group": 1, "status": "hidden"}
    assert view["merged"] == [{"id": 3, "group": 1, "status": "merged", "merged_into": 2}]
    assert "texte" not in str(view)
    assert reader_view(message, CardsNow(own=frozenset({2}), status={2: "hidden"}))["card"] == card(2)
    live = {"type": type_, "seq": 3, "card": card(2)}
    assert reader_view(live) is live  # live: the message is as recent as the card


def test_a_reveal_loses_the_text_of_a_card_hidden_since():
    message = {"type": "cards:revealed", "seq": 4, "group": 1, "cards": [card(1), card(2)], "counts": {}}
    view = reader_view(message, HIDDEN_SINCE)
    assert view["cards"] == [card(1), {"id": 2, "group": 1, "status": "hidden"}]


def test_essentials_lose_the_cards_no_longer_readable_but_the_authors_own():
    entries = [{"group": 1, "family": "forces", "card_id": i, "theme_id": None, "text": f"texte {i}"}
               for i in (1, 2, 3, 4, 5)]  # fmt: skip
    theme = {"group": 1, "family": "forces", "card_id": None, "theme_id": 9, "text": "Un titre"}
    message = {"type": "essentials:changed", "seq": 5, "group": 1, "essentials": [*entries, theme]}
    view = reader_view(message, HIDDEN_SINCE)
    assert [e["card_id"] for e in view["essentials"]] == [1, None]
    mine = CardsNow(own=frozenset({2}), status={2: "hidden"})
    assert [e["card_id"] for e in reader_view(message, mine)["essentials"]] == [1, 2, 3, 4, 5, None]
    assert reader_view(message) is message
    assert mentioned_cards(message) == [1, 2, 3, 4, 5, None]


def synthesis_message(title="Le directeur est un incompétent", projected=True, **theme):
    return {
        "type": "synthesis:changed", "seq": 7, "change": "propose", "projected": projected,
        "synthesis": {
            "proposed": True, "total_tables": 3, "language": "fr", "unassigned": [8],
            "themes": [{"id": 1, "title": title, "edited": False, "tables": [1, 2], "count": 2,
                        "cards": [2, 6], "title_from": [2],
                        "examples": [{"id": 2, "group": 1, "family": "forces", "text": SECRET},
                                     {"id": 6, "group": 2, "family": "forces", "text": "Bon accueil"}],
                        **theme}],
        },
    }  # fmt: skip


def test_the_synthesis_loses_examples_and_a_title_made_of_a_card_hidden_since():
    message = synthesis_message()
    view = reader_view(message, HIDDEN_SINCE)
    (theme,) = view["synthesis"]["themes"]
    assert theme["title"] == "Thème 1" and theme["count"] == 2
    assert [e["id"] for e in theme["examples"]] == [6]
    assert "directeur" not in str(view) and "cards" not in theme and "title_from" not in theme
    assert mentioned_cards(message) == [2, 6, 2]
    # Live: the summary says the title is withheld (recorded while the card was hidden already).
    live = reader_view(synthesis_message(title_withheld=True))
    assert live["synthesis"]["themes"][0]["title"] == "Thème 1"
    english = synthesis_message(title_withheld=True)
    english["synthesis"]["language"] = "en"
    assert reader_view(english)["synthesis"]["themes"][0]["title"] == "Theme 1"
    # A title not made of a hidden card stays; a synthesis not projected carries nothing.
    typed = reader_view(synthesis_message(title="Accueil", title_from=[]), HIDDEN_SINCE)
    assert typed["synthesis"]["themes"][0]["title"] == "Accueil"
    assert "synthesis" not in reader_view(synthesis_message(projected=False), HIDDEN_SINCE)


@pytest.mark.parametrize(
    "message",
    [
        {"type": "theme:created", "seq": 1, "theme": {"id": 1, "title": "T", "group": 1, "cards": [2]}},
        {"type": "vote:counts", "seq": 2, "group": 1, "target": "c2", "card_id": 2, "votes": 3},
        {"type": "card:sealed", "seq": 3, "group": 1, "family": "forces", "counts": {"forces": 2}},
        {"type": "group:ready", "seq": 4, "group": 1, "ready": True},
        {"type": "participants:count", "seq": 5, "group": 1, "participants": 4},
        {"type": "step:changed", "seq": 6, "agenda": {"position": 1}},
    ],
)
def test_messages_without_card_text_pass_as_they_are(message):
    assert reader_view(message, HIDDEN_SINCE) is message


def test_a_title_is_made_of_a_card_when_its_words_begin_the_card():
    assert made_of("Directeur est un incompétent", "Le directeur est un incompétent notoire") is False
    assert made_of("Le directeur est un incompétent", SECRET)
    assert made_of("Navettes le soir", "Des navettes le soir.")
    assert made_of("Nul", "nul !")
    assert not made_of("Transport", "Transport scolaire trop cher")  # one typed word: the organisers'
    assert not made_of("", SECRET) and not made_of("Accueil", "Bon accueil")


# --- The log itself: `sync {"since": 0}` as a phone and a board --------------------------------------


@pytest.fixture
def workshop(session, make_workshop):
    created, secrets = make_workshop(groups=2)
    loaded = find_workshop(session, created.code)
    loaded.secrets = secrets
    return loaded


def test_a_card_made_essential_then_hidden_is_in_no_replay(session, workshop):
    author = admit(session, workshop, "participant", group_number=1).viewer
    neighbour = admit(session, workshop, "participant", group_number=1).viewer
    posted, _ = post_card(session, workshop, author, client_id=new_client_id(), family="forces", text=SECRET)
    referent = Viewer(workshop_id=workshop.id, role="referent", group_id=author.group_id, group_number=1)
    set_essentials(session, workshop, referent, family="forces", card_ids=[posted.id])
    set_card_hidden(session, workshop, referent, posted.id, True)
    for group_id, participant_id in ((author.group_id, neighbour.participant_id), (None, None)):
        replay = events_since(session, workshop, 0, group_id, 500, participant_id=participant_id, reduce=True)
        assert "essentials:changed" in [m["type"] for m in replay]
        assert SECRET not in str(replay)
    mine = events_since(session, workshop, 0, author.group_id, 500, participant_id=author.participant_id)
    assert SECRET in str(mine)  # its author still reads their own card
    staff = events_since(session, workshop, 0, None, 500)
    assert SECRET in str(staff)


def test_a_deleted_essential_leaves_the_essentials(session, workshop):
    referent = Viewer(workshop_id=workshop.id, role="referent", group_id=workshop.group(1).id, group_number=1)
    paper, _ = post_card(session, workshop, referent, client_id=new_client_id(), family="forces", text=SECRET)
    set_essentials(session, workshop, referent, family="forces", card_ids=[paper.id])
    delete_card(session, workshop, referent, paper.id)
    from facilitator.essentials import essentials_of

    assert essentials_of(session, workshop, workshop.group(1)) == []
    board = events_since(session, workshop, 0, None, 500, reduce=True)
    assert SECRET not in str(board)
