"""Socket.IO handlers: validate the payload, call one domain function, answer through the ack.

Rooms: `w<id>` every connection of a workshop; `w<id>:board` the boards, `w<id>:facilitator` the
facilitator (every table); `w<id>:g<group id>` the phones of one table, `w<id>:g<group id>:staff` its
référent. Phones are only ever in their table's room (and their own), so they never receive another
table's cards; neither they nor the boards receive the text of a card hidden by moderation (see
`core.publish`).

`core` holds the rooms, the publisher and the `on_event` decorator; each other module registers the
handlers of one feature when it is imported here.
"""

from facilitator import (
    livesynthesis,  # noqa: F401  (synthesis:changed, the `synthesis` snapshot part)
    presenter,  # noqa: F401  (board:changed, the `board` snapshot part)
)
from facilitator.plan import handlers as plan_handlers  # noqa: F401  (plan:*, the `plan` snapshot part)
from facilitator.realtime import (
    agenda,  # noqa: F401  (agenda, timer, reveal, lock)
    board,  # noqa: F401  (board:show, presenter control)
    moderation,  # noqa: F401  (card:edit|hide|restore|move|merge|delete, theme:*, group:ready)
    revocation,  # noqa: F401  (ending the connections of a deleted workshop or of renewed links)
    session,  # noqa: F401  (registers join, sync, card:add, disconnect)
    votes,  # noqa: F401  (vote:cast, essentials:set, essentials:from_votes)
)
from facilitator.realtime.core import connections, join_failures, publish, rooms_for  # noqa: F401
from facilitator.synthesis import handlers as synthesis_handlers  # noqa: F401  (synthesis:attach…)
