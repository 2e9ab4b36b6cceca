"""Who is looking: a joined connection's workshop, role and table (`access.admit` makes them).

Its own module, importing nothing of the app, so that every domain module (agenda, votes…) may name
it without importing `access`, which imports `workshops`, which imports `agenda` (no import cycle).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Viewer:
    """A joined connection: its workshop, role, and table (None for facilitator and board)."""

    workshop_id: int
    role: str
    group_id: int | None = None
    group_number: int | None = None
    participant_id: int | None = None
    # The hash of the token it was admitted with (facilitator, board, référent): when that token is
    # replaced ("Nouveaux liens", the kit's fresh référent links) the connection ends.
    credential: str | None = field(default=None, repr=False, compare=False)
    # A participant's name and organisation as its join stored them: what its cards show as author,
    # without reading its row again for every card.
    author: tuple[str | None, str | None] | None = field(default=None, repr=False, compare=False)

    @property
    def sees_every_table(self) -> bool:
        return self.role in ("facilitator", "board")
