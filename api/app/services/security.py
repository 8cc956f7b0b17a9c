"""Passwords, tokens and pseudonyms."""

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.config import get_settings

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def phone_key(phone: str) -> str:
    """A stable pseudonym for a phone number, for logs and rate limits (never the number itself)."""
    salt = get_settings().log_salt.get_secret_value().encode()
    return hmac.new(salt, phone.encode(), hashlib.sha256).hexdigest()[:16]


def new_pairing_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


def csrf_token(session_token: str) -> str:
    """The CSRF token of a cookie session (pages' forms and the JSON API both check it)."""
    # Derived from the HttpOnly session cookie, which another site can neither read nor guess.
    return hashlib.sha256(f"csrf:{session_token}".encode()).hexdigest()
