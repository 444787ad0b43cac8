"""District web accounts: who may log in, with which role, and the route guard.

Three roles: the district administrator (everything), a librarian (one library, read
and edit its own record) and an inspector (reads everything, changes nothing).
Accounts live in district-only tables created at start-up (never replicated: devices
have no business with district passwords). Repeated wrong passwords lock an account
for a while, so a password cannot be guessed over a slow link either.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import HTTPException, Request

from district import audit
from kiosk.core import fold
from kiosk.core.errors import LibraryError
from kiosk.core.library import Library

ADMIN, LIBRARIAN, INSPECTOR = "admin", "librarian", "inspector"
ROLES = {ADMIN: "Quản trị viên huyện", LIBRARIAN: "Thủ thư", INSPECTOR: "Thanh tra (chỉ xem)"}

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD = 8
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")

# scrypt with twice the work of patron PINs and a longer salt: staff passwords guard
# every library's records, and a login is rare enough to afford ~0.1 s.
N, R, P, SALT_BYTES, KEY_BYTES = 2**15, 8, 1, 32, 64
_MAXMEM = 128 * R * N * 2

USERS_SCHEMA = """
CREATE TABLE IF NOT EXISTS district_users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'librarian', 'inspector')),
    library_code TEXT,
    created_at TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
)
"""
REVOKED_SCHEMA = """
CREATE TABLE IF NOT EXISTS district_revoked_devices (
    device_id TEXT PRIMARY KEY,
    revoked_at TEXT NOT NULL,
    revoked_by TEXT NOT NULL
)
"""
LIBRARY_COLUMNS = {"lat": "REAL", "lon": "REAL", "contact": "TEXT"}


class LoginRefused(Exception):
    """Wrong name or password, or a locked account; the message is for the user."""


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
    """Create the district-only tables and the libraries' map and contact columns."""
    store = library.store
    with store.transaction():
        for script in (USERS_SCHEMA, REVOKED_SCHEMA, audit.SCHEMA):
            store.execute(script)
        present = {row["name"] for row in store.all("PRAGMA table_info(libraries)")}
        for column, kind in LIBRARY_COLUMNS.items():
            if column not in present:
                store.execute(f"ALTER TABLE libraries ADD COLUMN {column} {kind}")
    # The fold caches each table's columns; forget them so record.put keeps lat/lon/contact.
    fold._columns_cache.pop((id(store), "libraries"), None)


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
    if len(password) < MIN_PASSWORD:
        raise LibraryError("invalid_input", detail=f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự")
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


def authenticate(library: Library, username: str, password: str) -> User:
    """Check a login, counting failures and locking the account after too many."""
    username = username.strip().lower()
    store = library.store
    now = library.clock.now()
    row = store.one("SELECT * FROM district_users WHERE username = ?", (username,))
    if row is None:
        hash_password(password)  # same work as a real check: no user-name probing by timing
        audit.record(library, username or "?", "login.failed", detail="tài khoản không tồn tại")
        raise LoginRefused("Tên đăng nhập hoặc mật khẩu không đúng.")
    if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
        audit.record(library, username, "login.failed", detail="tài khoản đang bị khóa")
        raise LoginRefused(_locked_message(row["locked_until"]))
    if not verify_password(password, row["password_hash"]):
        _count_failure(library, username, row["failed_logins"] + 1, now)
    with store.transaction():
        store.execute("UPDATE district_users SET failed_logins = 0, locked_until = NULL "
                      "WHERE username = ?", (username,))
        audit.record(library, username, "login")
    return User(row["username"], row["role"], row["library_code"])


def _count_failure(library: Library, username: str, failures: int, now: dt.datetime) -> None:
    locked_until = (now + LOCKOUT).isoformat(timespec="seconds") if failures >= MAX_FAILURES else None
    with library.store.transaction():
        library.store.execute(
            "UPDATE district_users SET failed_logins = ?, locked_until = ? WHERE username = ?",
            (0 if locked_until else failures, locked_until, username))
        audit.record(library, username, "login.failed", detail=f"sai mật khẩu lần {failures}")
        if locked_until:
            audit.record(library, username, "login.locked", detail=f"đến {locked_until}")
    if locked_until:
        raise LoginRefused(_locked_message(locked_until))
    raise LoginRefused("Tên đăng nhập hoặc mật khẩu không đúng.")


def _locked_message(until: str) -> str:
    return (f"Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. "
            f"Thử lại sau {until[11:16]}.")


def require(*roles: str) -> Callable[[Request], User]:
    """A route dependency: the logged-in user, if their role is one of ``roles``."""
    allowed = set(roles or ROLES)

    def dependency(request: Request) -> User:
        username = request.session.get("user")
        if not username:
            raise LoginRequired()
        district = request.app.state.district
        with district.db() as library:
            user = get_user(library, username)
        if user is None:
            request.session.clear()
            raise LoginRequired()
        if user.role not in allowed:
            raise Forbidden()
        return user

    return dependency
