"""What keeps a 1,000-phone workshop fast (issue 6): a phone's join and a dot run a handful of SQL
statements that do not grow with the tables, the participants or the dots; a phone's snapshot carries its
own table, not every table; dots stay exact when many phones cast at once."""

import threading
from contextlib import contextmanager

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from facilitator import agenda, votes
from facilitator.access import Viewer, admit
from facilitator.cards import post_card
from facilitator.errors import DomainError
from facilitator.extensions import db
from facilitator.models import Participant, Vote, Workshop
from facilitator.workshops import find_workshop
from tests.conftest import new_client_id

# 15 at a table without cards; 2 more read its cards' authors and merged cards. The first newcomer at a
# table builds its snapshot (one statement more: the log's state, facilitator/newcomers.py); the next
# newcomers there reuse it while nothing but head counts changed.
JOIN_STATEMENTS_MAX = 17
NEXT_NEWCOMER_STATEMENTS_MAX = 8
VOTE_STATEMENTS_MAX = 8
CARD_STATEMENTS_MAX = 7


@contextmanager
def sql_statements():
    """The SQL statements the app runs inside the block (every session, every connection)."""
    seen = []

    def count(_connection, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def populate(code, phones, tables, cards_per_table=2):
    """Participants at every table, cards at every table, each with its author's dot; written directly.

    The first `tables * cards_per_table` participants post (and vote); the others have done nothing yet.
    Returns the viewers and the cards as (card id, group id).
    """
    with Session(db.engine, expire_on_commit=False) as session:
        workshop = find_workshop(session, code)
        viewers = [
            admit(session, workshop, "participant", group_number=i % tables + 1).viewer for i in range(phones)
        ]
        cards = []
        for index, viewer in enumerate(viewers[: tables * cards_per_table]):
            card, _ = post_card(
                session, workshop, viewer, client_id=new_client_id(), family="forces", text=f"Idée {index}"
            )
            votes.cast_vote(session, workshop, viewer, card_id=card.id, delta=1)
            cards.append((card.id, card.group_id))
    return viewers, cards


def join_and_count(socket_client, code, group):
    client = socket_client()
    with sql_statements() as seen:
        reply = client.emit("join", {"code": code, "role": "participant", "group": group}, callback=True)
    assert reply["ok"], reply
    return client, reply, seen


def test_a_phones_join_runs_the_same_few_statements_at_3_tables_or_100(app, make_workshop, socket_client):
    small, _ = make_workshop(groups=3)
    large, _ = make_workshop(groups=100)
    populate(small.code, phones=6, tables=3)
    populate(large.code, phones=300, tables=100)
    _, small_reply, small_sql = join_and_count(socket_client, small.code, 2)
    _, large_reply, large_sql = join_and_count(socket_client, large.code, 42)
    assert len(small_sql) == len(large_sql), (small_sql, large_sql)
    assert len(large_sql) <= JOIN_STATEMENTS_MAX, "\n".join(large_sql)
    # The same state either way: its table's two cards with their dot, its people.
    assert [len(r["snapshot"]["cards"]) for r in (small_reply, large_reply)] == [2, 2]
    assert large_reply["snapshot"]["participants"] == {"42": 4}
    counts = large_reply["snapshot"]["votes"]["counts"]["table"]
    assert sorted(counts.values()) == [1, 1]
    # The next newcomer at that table: the same state, its own head count, far fewer statements.
    _, next_reply, next_sql = join_and_count(socket_client, large.code, 42)
    assert len(next_sql) <= NEXT_NEWCOMER_STATEMENTS_MAX, "\n".join(next_sql)
    assert next_reply["snapshot"]["cards"] == large_reply["snapshot"]["cards"]
    assert next_reply["snapshot"]["participants"] == {"42": 5}
    assert next_reply["snapshot"]["seq"] == next_reply["seq"] > large_reply["seq"]
    # A phone coming back (its token) costs no more than a new one.
    back = socket_client()
    with sql_statements() as seen:
        reply = back.emit(
            "join",
            {
                "code": large.code,
                "role": "participant",
                "participant_token": large_reply["participant_token"],
            },
            callback=True,
        )
    assert reply["ok"] and reply["group"] == 42
    assert len(seen) <= JOIN_STATEMENTS_MAX, "\n".join(seen)


def test_a_referents_join_reads_its_own_table_only(app, make_workshop, socket_client):
    small, small_secrets = make_workshop(groups=3)
    large, large_secrets = make_workshop(groups=100)
    lengths = []
    for workshop, secrets, number in ((small, small_secrets, 2), (large, large_secrets, 77)):
        client = socket_client()
        payload = {"code": workshop.code, "role": "referent", "token": secrets.referent_tokens[number]}
        with sql_statements() as seen:
            reply = client.emit("join", payload, callback=True)
        assert reply["ok"] and reply["group"] == number
        assert reply["snapshot"]["workshop"]["groups"] == [{"number": number, "name": f"Table {number}"}]
        lengths.append(len(seen))
    assert lengths[0] == lengths[1]
    wrong = socket_client().emit(
        "join",
        {"code": large.code, "role": "referent", "token": large_secrets.referent_tokens[5], "group": 6},
        callback=True,
    )
    assert wrong["error"]["code"] == "bad_token"


def test_a_phones_snapshot_has_its_table_and_the_workshop_not_every_table(make_workshop, phone, joined):
    w, secrets = make_workshop(groups=100, title="Assises", group_names=[f"Salle {n}" for n in range(1, 101)])
    _, reply = phone(w.code, group=42, name="Léa")
    snapshot = reply["snapshot"]
    info = snapshot["workshop"]
    # What phone.js and the feature scripts read: the table's name, families and their labels, the agenda.
    assert info["groups"] == [{"number": 42, "name": "Salle 42"}]
    assert info["title"] == "Assises" and info["code"] == w.code
    assert info["families"] and set(info["family_labels"]) == {*info["families"], "transverse"}
    assert info["agenda"] and snapshot["agenda"]["steps"]
    assert snapshot["participants"] == {"42": 1}
    assert snapshot["ready"] == {"42": False} and snapshot["essentials"] == {"42": []}
    assert snapshot["votes"]["remaining"]["table"] == snapshot["votes"]["budget"]
    # The board (and the facilitator) still get every table.
    _, board = joined(w.code, "board", token=secrets.board_token)
    assert [g["number"] for g in board["snapshot"]["workshop"]["groups"]] == list(range(1, 101))


def test_a_dot_runs_the_same_few_statements_however_many_dots_and_tables(app, make_workshop):
    small, _ = make_workshop(groups=3)
    large, _ = make_workshop(groups=100)
    lengths = []
    for code, phones, tables in ((small.code, 9, 3), (large.code, 400, 100)):
        viewers, cards = populate(code, phones, tables, cards_per_table=3 if tables == 100 else 2)
        card_id, group_id = cards[-1]
        voter = next(v for v in reversed(viewers) if v.group_id == group_id)  # one who has not voted
        with Session(db.engine, expire_on_commit=False) as session:
            workshop = find_workshop(session, code)
            with sql_statements() as seen:
                reply = votes.cast_vote(
                    session, workshop, voter, card_id=card_id, delta=1, client_id=new_client_id()
                )
        assert reply["ok"] and reply["votes"] == 2 and reply["mine"] == {f"card:{card_id}": 1}, reply
        lengths.append(len(seen))
    assert lengths[0] == lengths[1] <= VOTE_STATEMENTS_MAX, lengths


def test_many_phones_casting_on_one_card_at_once_count_exactly(app, session, make_workshop, published):
    created, _ = make_workshop(groups=2, vote_budget=3)
    w = session.get(Workshop, created.id)
    group = w.group(1)
    people = []
    for n in range(12):
        participant = Participant(workshop_id=w.id, group_id=group.id, token_hash=f"h{n}", name=f"P{n}")
        session.add(participant)
        session.flush()
        people.append(Viewer(w.id, "participant", group.id, 1, participant.id))
    session.commit()
    card, _ = post_card(session, w, people[0], client_id=new_client_id(), family="forces", text="Idée")
    barrier = threading.Barrier(len(people))
    acks, errors = [], []

    def attempt(viewer):
        with app.app_context(), Session(db.engine, expire_on_commit=False) as own:
            workshop = own.get(Workshop, w.id)
            barrier.wait()
            try:
                acks.append(votes.cast_vote(own, workshop, viewer, card_id=card.id, delta=1))
            except DomainError as exc:  # pragma: no cover - the assertion below says which
                errors.append(exc.code)

    threads = [threading.Thread(target=attempt, args=(viewer,)) for viewer in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Each cast saw the total with its own dot, the casts one after the other: 1, 2, … 12, once each.
    assert sorted(ack["votes"] for ack in acks) == list(range(1, 13))
    broadcasts = sorted((m["seq"], m["votes"]) for m, _ in published if m["type"] == "vote:counts")
    assert [total for _seq, total in broadcasts] == list(range(1, 13))
    assert session.scalar(select(func.count(Vote.id)).where(Vote.card_id == card.id)) == 12
    assert all(ack["remaining"] == 2 and ack["mine"] == {f"card:{card.id}": 1} for ack in acks)


def test_a_resend_is_answered_even_when_a_new_cast_would_be_refused(session, make_workshop):
    created, _ = make_workshop(groups=1, vote_budget=2)
    w = session.get(Workshop, created.id)
    group = w.group(1)
    participant = Participant(workshop_id=w.id, group_id=group.id, token_hash="h", name="Léa")
    session.add(participant)
    session.commit()
    lea = Viewer(w.id, "participant", group.id, 1, participant.id)
    card, _ = post_card(session, w, lea, client_id=new_client_id(), family="forces", text="Idée")
    first = votes.cast_vote(session, w, lea, card_id=card.id, delta=1, client_id="dot-1")
    last = votes.cast_vote(session, w, lea, card_id=card.id, delta=1, client_id="dot-2")
    assert last["remaining"] == 0 and last["votes"] == 2
    # The ack of the last dot was lost: the phone sends it again, with no dot left.
    assert votes.cast_vote(session, w, lea, card_id=card.id, delta=1, client_id="dot-2") == last
    # Voting closed since: the first one's resend still gets its ack.
    agenda.set_locked(session, w, Viewer(w.id, "facilitator"), True)
    assert votes.cast_vote(session, w, lea, card_id=card.id, delta=1, client_id="dot-1") == first
    assert session.scalar(select(func.count(Vote.id)).where(Vote.card_id == card.id)) == 2


def test_a_boards_join_and_the_plenary_essentials_do_not_grow_with_the_tables(
    app, make_workshop, socket_client, phone
):
    """A board ranks every table and lists every table's essentials: a few queries, not a few per table."""
    from facilitator import essentials

    lengths = {"board": [], "essentials:list": []}
    for groups, phones in ((3, 12), (100, 400)):
        created, secrets = make_workshop(groups=groups)
        _, cards = populate(created.code, phones, groups, cards_per_table=2)
        with Session(db.engine, expire_on_commit=False) as session:
            workshop = find_workshop(session, created.code)
            facilitator = Viewer(workshop.id, "facilitator")
            by_table = {}
            for card_id, group_id in cards:
                by_table.setdefault(group_id, []).append(card_id)
            for table in workshop.groups:
                essentials.set_essentials(
                    session, workshop, facilitator, family="forces", card_ids=by_table[table.id][:1],
                    group_number=table.number,
                )  # fmt: skip
        board = socket_client()
        with sql_statements() as seen:
            reply = board.emit(
                "join", {"code": created.code, "role": "board", "token": secrets.board_token}, callback=True
            )
        assert reply["ok"]
        snapshot = reply["snapshot"]
        assert len(snapshot["essentials"]) == len(snapshot["ranking"]) == groups
        assert all(len(kept) == 1 and kept[0]["votes"] == 1 for kept in snapshot["essentials"].values())
        lengths["board"].append(len(seen))
        with sql_statements() as seen:
            listed = board.emit("essentials:list", {}, callback=True)
        assert listed["ok"] and len(listed["essentials"]) == groups
        lengths["essentials:list"].append(len(seen))
    assert lengths["board"][0] == lengths["board"][1], lengths
    assert lengths["essentials:list"][0] == lengths["essentials:list"][1], lengths


def test_a_card_runs_the_same_few_statements_at_3_tables_or_100(app, make_workshop, socket_client):
    lengths = []
    for groups, phones in ((3, 6), (100, 300)):
        created, _ = make_workshop(groups=groups)
        populate(created.code, phones, groups)
        client, _, _ = join_and_count(socket_client, created.code, groups)
        payload = {"client_id": new_client_id(), "family": "forces", "text": "Une idée de plus"}
        with sql_statements() as seen:
            reply = client.emit("card:add", payload, callback=True)
        assert reply["ok"] and reply["card"]["merged_from"] == [] and reply["card"]["group"] == groups
        lengths.append(len(seen))
    assert lengths[0] == lengths[1] <= CARD_STATEMENTS_MAX, lengths


def test_the_server_freezes_its_start_up_objects_and_spaces_collections_out():
    """`python wsgi.py` calls it once started: full collections paused 1,000 phones for 100-175 ms."""
    import gc

    from facilitator.config import PROJECT_ROOT
    from facilitator.runtime import THRESHOLDS, tune_garbage_collector

    assert "    tune_garbage_collector()" in (PROJECT_ROOT / "wsgi.py").read_text()
    before = gc.get_threshold()
    try:
        tune_garbage_collector()
        assert gc.get_threshold() == THRESHOLDS and gc.get_freeze_count() > 0
        assert THRESHOLDS[0] > before[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
