"""Server-side web sessions, the hub's web secret, CSRF and known-device tokens.

The session cookie holds a random token; the hub keeps only its SHA-256, so a copy of
the database does not log anyone in, and logout deletes the row: a stolen cookie is
dead from then on. A visitor who is not logged in still gets a random token in the same
cookie (with no row behind it), so every form, the login form and the OPAC's hold form
included, carries a CSRF token bound to that browser without a database write per
visitor. The CSRF token is an HMAC of the cookie's token under the hub's web secret,
which lives in ``district_secrets`` (hub-only, see ``district/schema.py``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

from kiosk.core.library import Library

COOKIE = "district_session"
DEVICE_COOKIE = "district_device"
LIFETIME = dt.timedelta(hours=8)
DEVICE_LIFETIME = dt.timedelta(days=180)
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def looks_like_token(value: str | None) -> bool:
    return bool(value) and 40 <= len(value) <= 64 and value.replace("-", "").replace(
        "_", "").isalnum()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def web_secret(library: Library) -> bytes:
    """The hub's key for CSRF and known-device tokens, made on first use."""
    store = library.store
    row = store.one("SELECT value FROM district_secrets WHERE name = 'web'")
    if row is None:
        with store.transaction():
            store.execute("INSERT OR IGNORE INTO district_secrets (name, value) VALUES ('web', ?)",
                          (secrets.token_urlsafe(32),))
        row = store.one("SELECT value FROM district_secrets WHERE name = 'web'")
    return row["value"].encode()


def _mac(secret: bytes, purpose: str, value: str) -> str:
    digest = hmac.new(secret, f"{purpose}|{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def csrf_token(secret: bytes, cookie_token: str) -> str:
    return _mac(secret, "csrf", cookie_token)


def csrf_matches(secret: bytes, cookie_token: str, offered: str | None) -> bool:
    return bool(offered) and hmac.compare_digest(csrf_token(secret, cookie_token), offered)


def device_token(secret: bytes, username: str) -> str:
    """A "this browser has logged in as ``username``" token, for the login throttle."""
    nonce = secrets.token_urlsafe(12)
    return f"{nonce}.{_mac(secret, 'device:' + username, nonce)}"


def device_key(secret: bytes, username: str, value: str | None) -> str | None:
    """The device's nonce if ``value`` is a known-device token for ``username``."""
    nonce, _, mac = (value or "").partition(".")
    if not nonce or not mac or len(value) > 120:
        return None
    return nonce if hmac.compare_digest(_mac(secret, "device:" + username, nonce), mac) else None


def start(library: Library, username: str) -> str:
    """A new session for ``username``; returns the cookie's token (never stored)."""
    token = new_token()
    now = library.clock.now()
    with library.store.transaction():
        library.store.execute("DELETE FROM district_sessions WHERE expires_at <= ?",
                              (now.isoformat(timespec="seconds"),))
        library.store.execute(
            "INSERT INTO district_sessions (token_hash, username, created_at, expires_at) "
            "VALUES (?, ?, ?, ?)", (_hash(token), username, now.isoformat(timespec="seconds"),
                                    (now + LIFETIME).isoformat(timespec="seconds")))
    return token


def username_of(library: Library, token: str | None) -> str | None:
    if not looks_like_token(token):
        return None
    row = library.store.one(
        "SELECT username FROM district_sessions WHERE token_hash = ? AND expires_at > ?",
        (_hash(token), library.clock.now().isoformat(timespec="seconds")))
    return row["username"] if row else None


def end(library: Library, token: str) -> None:
    with library.store.transaction():
        library.store.execute("DELETE FROM district_sessions WHERE token_hash = ?",
                              (_hash(token),))


def end_all(library: Library, username: str) -> int:
    """Log ``username`` out everywhere (after a password change or removal)."""
    with library.store.transaction():
        return library.store.execute("DELETE FROM district_sessions WHERE username = ?",
                                     (username,)).rowcount
