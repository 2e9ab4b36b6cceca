"""The collaborative Synthèse (issue 17): the room builds the cross-table themes of the compte rendu.

- `listing`: the synthesis as stored (themes, their cards, provenance, what each table attached), read
  by crossthemes.py (the machine's proposal and the facilitator's edits) and livesynthesis.py (the live
  `synthesis:changed`) alike, so that neither imports the other.
- `domain`: the référents' part (attach a table theme or a loose card to a cross-table theme, propose a
  new one) and the facilitator's themes seeded by hand; the référents' view of the synthesis.
- `handlers`: the Socket.IO events (`synthesis:*`), thin.

Kept light: importing the package imports none of its parts (crossthemes imports `listing` early).
"""
