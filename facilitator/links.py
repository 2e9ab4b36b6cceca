"""The URLs handed out for a workshop. Tokens travel in the fragment (#t=…): browsers never send
fragments to the server, so they stay out of access logs and Referer headers."""

from facilitator.workshops import WorkshopSecrets


def join_url(base: str, code: str, group: int | None = None) -> str:
    return f"{base}/j/{code}" + (f"?g={group}" if group is not None else "")


def board_url(base: str, code: str, token: str) -> str:
    return f"{base}/b/{code}#t={token}"


def facilitator_url(base: str, code: str, token: str) -> str:
    return f"{base}/f/{code}#t={token}"


def referent_url(base: str, code: str, group: int, token: str) -> str:
    return f"{base}/r/{code}/{group}#t={token}"


def workshop_links(base: str, workshop, secrets: WorkshopSecrets) -> dict:
    """Return the creation answer of the public contract (plus the board token)."""
    code = workshop.code
    return {
        "code": code,
        "join_url": join_url(base, code),
        "board_url": board_url(base, code, secrets.board_token),
        "board_token": secrets.board_token,
        "facilitator_url": facilitator_url(base, code, secrets.facilitator_token),
        "facilitator_token": secrets.facilitator_token,
        "groups": [
            {
                "number": group.number,
                "name": group.name,
                "join_url": join_url(base, code, group.number),
                "referent_url": referent_url(base, code, group.number, secrets.referent_tokens[group.number]),
                "referent_token": secrets.referent_tokens[group.number],
            }
            for group in workshop.groups
        ],
    }
