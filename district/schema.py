"""The hub's own schema: tables that belong to the district server alone.

Accounts, web sessions, the audit log, the web secret and the revocation list are the
hub's business and never part of the replicated schema (``kiosk/store/migrations.py``):
no device has any use for them and no snapshot may carry them. They get their own
ordered, named migrations, each applied in one transaction and recorded in
``district_schema_migrations``, never edited once applied. A database that records a
migration this code does not know was written by a newer release: it is refused
rather than run with a schema the code does not understand (a rolled-back image).
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.store.db import Store

LEDGER = """
CREATE TABLE IF NOT EXISTS district_schema_migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
)
"""


class NewerSchema(RuntimeError):
    """The database was upgraded by a newer district release than this one."""


def _accounts_devices_audit(store: Store) -> None:
    """The tables hubs created at start-up before this ledger existed (kept as they were)."""
    store.execute("""
        CREATE TABLE IF NOT EXISTS district_users (
            username TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'librarian', 'inspector')),
            library_code TEXT,
            created_at TEXT NOT NULL,
            failed_logins INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT
        )""")
    store.execute("""
        CREATE TABLE IF NOT EXISTS district_revoked_devices (
            device_id TEXT PRIMARY KEY,
            revoked_at TEXT NOT NULL,
            revoked_by TEXT NOT NULL
        )""")
    store.execute("""
        CREATE TABLE IF NOT EXISTS district_audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT,
            detail TEXT
        )""")
    present = {row["name"] for row in store.all("PRAGMA table_info(libraries)")}
    for column, kind in (("lat", "REAL"), ("lon", "REAL"), ("contact", "TEXT")):
        if column not in present:
            store.execute(f"ALTER TABLE libraries ADD COLUMN {column} {kind}")


def _web_sessions(store: Store) -> None:
    """Server-side sessions (only a hash of the cookie's token is kept), the web secret out
    of the replicated ``meta`` table, and a throttle epoch that ``district user unlock``
    bumps. Accounts are no longer locked, so ``locked_until`` is cleared."""
    store.execute("""
        CREATE TABLE district_sessions (
            token_hash TEXT PRIMARY KEY,
            username TEXT NOT NULL REFERENCES district_users (username) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )""")
    store.execute("CREATE INDEX district_sessions_by_user ON district_sessions (username)")
    store.execute("CREATE TABLE district_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    store.execute("ALTER TABLE district_users ADD COLUMN throttle_epoch INTEGER NOT NULL DEFAULT 0")
    store.execute("UPDATE district_users SET locked_until = NULL")
    store.execute("DELETE FROM meta WHERE key = 'web_secret'")


MIGRATIONS: list[tuple[str, Callable[[Store], None]]] = [
    ("0001_accounts_devices_audit", _accounts_devices_audit),
    ("0002_web_sessions", _web_sessions),
]


def applied(store: Store) -> list[str]:
    store.execute(LEDGER)
    return [row["name"] for row in
            store.all("SELECT name FROM district_schema_migrations ORDER BY name")]


def migrate(store: Store) -> list[str]:
    """Apply the migrations this database lacks, in order; return their names."""
    done = set(applied(store))
    unknown = done - {name for name, _ in MIGRATIONS}
    if unknown:
        raise NewerSchema(f"{store.path} has district migrations this release does not know "
                          f"({', '.join(sorted(unknown))}): run a newer release")
    ran = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        with store.transaction():
            step(store)
            store.execute("INSERT INTO district_schema_migrations (name) VALUES (?)", (name,))
        ran.append(name)
    return ran
