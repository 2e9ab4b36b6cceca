"""Idempotent requests: the reply given to a `client_id` is kept, so a resend (an outbox after a lost ack)
gets it again and changes nothing. Used by moderation, votes and the plan; imports no domain module."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitator.events import commit_and_publish
from facilitator.models import ClientRequest, Workshop


def stored_reply(session, workshop: Workshop, client_id: str | None) -> dict | None:
    """The reply given to an earlier request with this `client_id`, or None."""
    if not client_id:
        return None
    request = session.scalar(
        select(ClientRequest).where(
            ClientRequest.workshop_id == workshop.id, ClientRequest.client_id == client_id
        )
    )
    return dict(request.reply) if request is not None else None


def finish(session, workshop: Workshop, client_id: str | None, events: list, reply: dict) -> dict:
    """Keep the reply under `client_id`, commit, publish the events; a concurrent twin gets the first reply."""
    if client_id:
        session.add(ClientRequest(workshop_id=workshop.id, client_id=client_id, reply=reply))
    try:
        commit_and_publish(session, events)
    except IntegrityError:
        session.rollback()
        earlier = stored_reply(session, workshop, client_id)
        if earlier is None:
            raise
        return earlier
    return reply
