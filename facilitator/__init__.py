"""Facilitator: live collective-intelligence workshops.

`create_app` imports Flask lazily so that `reports/` and scripts can import the domain modules
(`facilitator.models`, `facilitator.cards`, …) without pulling in the web stack.
"""


def create_app(config=None):
    """Build the Flask app from a `Config` (environment variables when None)."""
    from facilitator.app import build_app

    return build_app(config)
