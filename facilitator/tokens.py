"""Secrets handed to people: random, stored only as hashes, compared in constant time."""

import hashlib
import hmac
import secrets

# No 0/O, 1/I/L: a join code is read aloud and typed on phones.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 8


def new_token() -> str:
    """Return a fresh URL-safe token of 192 random bits."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str | None, token_hash: str) -> bool:
    if not token or not isinstance(token, str):
        return False
    return hmac.compare_digest(hash_token(token), token_hash)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(code: str) -> str:
    """Accept what people type: lower case, spaces and dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


# --- Tickets: the organiser reopens a console without new links (docs/security.md) ------------------
TICKET_SALT = "facilitator.console-ticket"
TICKET_LIFETIME = 12 * 3600  # seconds: a working day, then the organiser page mints another


def _binding(credential_hash: str) -> str:
    # A digest of the stored hash, not the hash itself: the ticket's payload is readable (signed only).
    return hashlib.sha256(f"ticket:{credential_hash}".encode()).hexdigest()[:16]


def _serializer(secret_key: str):
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(secret_key, salt=TICKET_SALT)


def issue_ticket(secret_key: str, workshop_id: int, role: str, credential_hash: str) -> str:
    """Return a signed ticket that opens this workshop in `role` while `credential_hash` (the role's
    token hash) is unchanged and for TICKET_LIFETIME: new links end it, as they end the old tokens."""
    return _serializer(secret_key).dumps([workshop_id, role, _binding(credential_hash)])


def ticket_state(
    ticket, secret_key: str, workshop_id: int, role: str, credential_hash: str, max_age=TICKET_LIFETIME
) -> str:
    """Return "valid", "expired" (a right ticket past its lifetime) or "invalid"."""
    from itsdangerous import BadSignature, SignatureExpired

    if not isinstance(ticket, str) or "." not in ticket or not secret_key:
        return "invalid"  # tokens (token_urlsafe) never hold a dot; tickets always do
    expected = [workshop_id, role, _binding(credential_hash)]
    serializer = _serializer(secret_key)
    try:
        return "valid" if serializer.loads(ticket, max_age=max_age) == expected else "invalid"
    except SignatureExpired:
        signed, payload = serializer.loads_unsafe(ticket)
        return "expired" if signed and payload == expected else "invalid"
    except BadSignature:
        return "invalid"
