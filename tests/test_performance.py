"""What keeps a 1,000-phone workshop fast: a card reads its own table, not every table (issue 6)."""

from sqlalchemy import event
from sqlalchemy.orm import Session

from facilitator.access import admit
from facilitator.cards import post_card
from facilitator.extensions import db
from facilitator.models import Group
from facilitator.workshops import find_workshop
from tests.conftest import new_client_id


def test_posting_a_card_at_a_100_table_workshop_loads_one_table(app, make_workshop):
    created, _ = make_workshop(groups=100)
    with Session(db.engine, expire_on_commit=False) as joining:
        viewer = admit(joining, find_workshop(joining, created.code), "participant", group_number=42).viewer
        joining.commit()
    rows = []
    with Session(db.engine, expire_on_commit=False) as posting:

        @event.listens_for(posting, "loaded_as_persistent")
        def count(_session, instance):
            if isinstance(instance, Group):
                rows.append(instance.number)

        workshop = find_workshop(posting, created.code)
        card, created_now = post_card(
            posting, workshop, viewer, client_id=new_client_id(), family="forces", text="Des idées"
        )
    assert created_now and card.group.number == 42
    assert rows == [42]
