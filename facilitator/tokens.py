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
