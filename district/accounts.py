"""District web accounts: who may log in, with which role, and the route guard.

Three roles: the district administrator (everything), a librarian (one library, read
and edit its own record) and an inspector (reads everything, changes nothing).
Accounts live in the hub's own tables (``district/schema.py``), never replicated:
devices have no business with district passwords. Wrong passwords never lock an
account (anyone could lock the administrator out that way); guessing is slowed by the
web layer's throttle (``district/web/throttle.py``) instead. A login is split so that
the scrypt check runs outside the database lock: :func:`login_candidate` reads,
:func:`check_password` derives, :func:`finish_login` records.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import HTTPException, Request

from district import audit, schema
from district.web import sessions
from kiosk.core import fold
from kiosk.core.errors import LibraryError
from kiosk.core.library import Library

ADMIN, LIBRARIAN, INSPECTOR = "admin", "librarian", "inspector"
ROLES = {ADMIN: "Quản trị viên huyện", LIBRARIAN: "Thủ thư", INSPECTOR: "Thanh tra (chỉ xem)"}

MIN_PASSWORD = 8
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")

# scrypt with twice the work of patron PINs and a longer salt: staff passwords guard
# every library's records, and a login is rare enough to afford ~0.1 s.
N, R, P, SALT_BYTES, KEY_BYTES = 2**15, 8, 1, 32, 64
_MAXMEM = 128 * R * N * 2


class LoginRefused(Exception):
    """Wrong name or password; the message is for the user."""


class LoginRequired(HTTPException):
    def __init__(self) -> None:
        super().__init__(303, "Cần đăng nhập", headers={"Location": "/quan-tri/dang-nhap"})


class Forbidden(HTTPException):
    def __init__(self, detail: str = "Tài khoản của bạn không có quyền làm việc này") -> None:
        super().__init__(403, detail)


@dataclass(frozen=True)
class User:
    username: str
    role: str
    library_code: str | None

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    def sees(self, library_code: str) -> bool:
        return self.role != LIBRARIAN or library_code == self.library_code


def ensure_schema(library: Library) -> None:
    """Bring the hub's own tables up to date (``district/schema.py``)."""
    schema.migrate(library.store)
    # The fold caches each table's columns; forget them so record.put keeps lat/lon/contact.
    fold._columns_cache.pop((id(library.store), "libraries"), None)


def hash_password(password: str) -> str:
    salt = os.urandom(SALT_BYTES)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=KEY_BYTES,
                            maxmem=_MAXMEM)
    return "$".join(["scrypt", str(N), str(R), str(P), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n),
                                r=int(r), p=int(p), dklen=len(expected),
                                maxmem=128 * int(r) * int(n) * 2)
    except (ValueError, TypeError):
        return False
    return scheme == "scrypt" and hmac.compare_digest(actual, expected)


def create_user(library: Library, username: str, password: str, role: str,
                library_code: str | None = None, *, actor: str = "cli") -> User:
    """Create an account; a librarian must name an existing library, others none."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise LibraryError("invalid_input", detail="tên đăng nhập: 2–40 chữ thường, số, '.', '_', '-'")
    if role not in ROLES:
        raise LibraryError("invalid_input", detail=f"vai trò phải là một trong {', '.join(ROLES)}")
    _check_password(password)
    if (role == LIBRARIAN) != (library_code is not None):
        raise LibraryError("invalid_input", detail="chỉ tài khoản thủ thư gắn với một thư viện")
    store = library.store
    if library_code is not None and store.one(
            "SELECT 1 FROM libraries WHERE code = ?", (library_code,)) is None:
        raise LibraryError("invalid_input", detail=f"huyện chưa có thư viện {library_code}")
    if store.one("SELECT 1 FROM district_users WHERE username = ?", (username,)):
        raise LibraryError("duplicate", detail=f"đã có tài khoản {username}")
    hashed = hash_password(password)
    with store.transaction():
        store.execute(
            "INSERT INTO district_users (username, password_hash, role, library_code, created_at) "
            "VALUES (?, ?, ?, ?, ?)", (username, hashed, role, library_code, library.now_iso()))
        audit.record(library, actor, "user.created", username,
                     ROLES[role] + (f" — {library_code}" if library_code else ""))
    return User(username, role, library_code)


def get_user(library: Library, username: str) -> User | None:
    row = library.store.one(
        "SELECT username, role, library_code FROM district_users WHERE username = ?", (username,))
    return User(row["username"], row["role"], row["library_code"]) if row else None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise LibraryError("invalid_input", detail=f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự")


@functools.cache
def _dummy_hash() -> str:
    """What an unknown name is checked against: the same scrypt work as a real account."""
    return hash_password(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Candidate:
    """One login attempt's account as read before the password check (maybe none)."""

    username: str
    password_hash: str
    exists: bool
    throttle_epoch: int


def normalise(username: str) -> str:
    return username.strip().lower()


def login_candidate(library: Library, username: str) -> Candidate:
    """Read the account (cheap; call under the database lock)."""
    username = normalise(username)
    row = library.store.one(
        "SELECT password_hash, throttle_epoch FROM district_users WHERE username = ?",
        (username,))
    if row is None:
        return Candidate(username, _dummy_hash(), False, 0)
    return Candidate(username, row["password_hash"], True, row["throttle_epoch"])


def check_password(candidate: Candidate, password: str) -> bool:
    """The scrypt check (slow by design; call outside the database lock, off the event
    loop). An unknown name costs the same work, so timing does not tell names apart."""
    return verify_password(password, candidate.password_hash) and candidate.exists


def finish_login(library: Library, candidate: Candidate, ok: bool) -> User:
    """Record the attempt; the user on success, :class:`LoginRefused` otherwise."""
    store, username = library.store, candidate.username
    user = get_user(library, username) if ok else None
    if user is None:
        with store.transaction():
            if candidate.exists and get_user(library, username) is not None:
                store.execute("UPDATE district_users SET failed_logins = failed_logins + 1 "
                              "WHERE username = ?", (username,))
                failures = store.scalar(
                    "SELECT failed_logins FROM district_users WHERE username = ?", (username,))
                detail = f"sai mật khẩu lần {failures}"
            else:
                detail = "tài khoản không tồn tại"
            audit.record(library, username or "?", "login.failed", detail=detail)
        raise LoginRefused("Tên đăng nhập hoặc mật khẩu không đúng.")
    with store.transaction():
        store.execute("UPDATE district_users SET failed_logins = 0 WHERE username = ?",
                      (username,))
        audit.record(library, username, "login")
    return user


def authenticate(library: Library, username: str, password: str) -> User:
    """Check a login in one call (scripts and tests; the web route splits it up)."""
    candidate = login_candidate(library, username)
    return finish_login(library, candidate, check_password(candidate, password))


# Account management (``district user ...``)


def _existing(library: Library, username: str) -> User:
    user = get_user(library, normalise(username))
    if user is None:
        raise LibraryError("invalid_input", detail=f"không có tài khoản {normalise(username)}")
    return user


def set_password(library: Library, username: str, password: str, *, actor: str = "cli") -> int:
    """Change a password; every session of the account ends. Returns how many ended."""
    user = _existing(library, username)
    _check_password(password)
    hashed = hash_password(password)
    with library.store.transaction():
        library.store.execute(
            "UPDATE district_users SET password_hash = ?, failed_logins = 0 WHERE username = ?",
            (hashed, user.username))
        ended = sessions.end_all(library, user.username)
        audit.record(library, actor, "user.password_changed", user.username,
                     f"{ended} phiên đăng nhập đã kết thúc")
    return ended


def unlock(library: Library, username: str, *, actor: str = "cli") -> None:
    """Clear the account's failure count and start its login throttle afresh."""
    user = _existing(library, username)
    with library.store.transaction():
        library.store.execute(
            "UPDATE district_users SET failed_logins = 0, locked_until = NULL, "
            "throttle_epoch = throttle_epoch + 1 WHERE username = ?", (user.username,))
        audit.record(library, actor, "user.unlocked", user.username)


def remove(library: Library, username: str, *, actor: str = "cli") -> None:
    """Delete an account and its sessions; the last administrator cannot be removed."""
    user = _existing(library, username)
    store = library.store
    with store.transaction():
        if user.role == ADMIN and store.scalar(
                "SELECT COUNT(*) FROM district_users WHERE role = 'admin'") <= 1:
            raise LibraryError("invalid_input",
                               detail=f"{user.username} là quản trị viên cuối cùng: tạo quản "
                                      "trị viên khác trước khi xóa")
        sessions.end_all(library, user.username)
        store.execute("DELETE FROM district_users WHERE username = ?", (user.username,))
        audit.record(library, actor, "user.removed", user.username, ROLES[user.role])


def require(*roles: str) -> Callable[[Request], User]:
    """A route dependency: the logged-in user, if their role is one of ``roles``."""
    allowed = set(roles or ROLES)

    def dependency(request: Request) -> User:
        web = getattr(request.state, "web", None)
        if web is None:
            raise LoginRequired()
        district = request.app.state.district
        with district.read() as library:
            username = sessions.username_of(library, web.token)
            user = get_user(library, username) if username else None
        if user is None:
            raise LoginRequired()
        if user.role not in allowed:
            raise Forbidden()
        return user

    return dependency
