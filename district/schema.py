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


def _province_hub(store: Store) -> None:
    """The hub after the 2025 reform (issue 12).

    - ``union_keys`` (made at start-up before) now lives here.
    - ``district_oai_records`` / ``district_oai_sets``: when the hub *received* each
      record's latest change (the OAI-PMH datestamp), a sequence for resumption, and
      whether it is deleted (gone, or every copy withdrawn), per record and per library
      set; ``district_marks`` remembers how far the event log was read.
    - ``district_units`` (province, communes and wards, imported from a CSV the operator
      keeps) and ``district_clusters`` (former districts, optional); a library names
      its commune by code in the hub's own ``libraries.commune_code`` column.
    - ``district_closed_months``: the figures of a month once it is closed, so a later
      withdrawal or late sync never rewrites a month already reported.
    """
    store.execute("CREATE TABLE IF NOT EXISTS union_keys (record_id TEXT PRIMARY KEY, "
                  "work_key TEXT NOT NULL)")
    store.execute("CREATE INDEX IF NOT EXISTS union_keys_work ON union_keys (work_key)")
    store.execute("CREATE INDEX IF NOT EXISTS union_items_created ON items (created_at)")
    store.execute("CREATE INDEX IF NOT EXISTS district_items_library ON items "
                  "(library_id, status)")
    store.execute("""
        CREATE TABLE district_marks (name TEXT PRIMARY KEY, value INTEGER NOT NULL)""")
    store.execute("""
        CREATE TABLE district_oai_records (
            record_id TEXT PRIMARY KEY,
            stamp TEXT NOT NULL,
            seq INTEGER NOT NULL UNIQUE,
            deleted INTEGER NOT NULL DEFAULT 0
        )""")
    store.execute("CREATE INDEX district_oai_records_stamp ON district_oai_records (stamp, seq)")
    store.execute("""
        CREATE TABLE district_oai_sets (
            set_spec TEXT NOT NULL,
            record_id TEXT NOT NULL,
            stamp TEXT NOT NULL,
            seq INTEGER NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (set_spec, record_id)
        )""")
    store.execute("CREATE INDEX district_oai_sets_stamp ON district_oai_sets "
                  "(set_spec, stamp, seq)")
    store.execute("CREATE INDEX district_oai_sets_record ON district_oai_sets (record_id)")
    store.execute("""
        CREATE TABLE district_clusters (code TEXT PRIMARY KEY, name TEXT NOT NULL)""")
    store.execute("""
        CREATE TABLE district_units (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            level TEXT NOT NULL CHECK (level IN ('province', 'commune', 'ward', 'special')),
            province_code TEXT,
            cluster_code TEXT REFERENCES district_clusters (code),
            imported_at TEXT NOT NULL
        )""")
    store.execute("CREATE INDEX district_units_province ON district_units (province_code)")
    present = {row["name"] for row in store.all("PRAGMA table_info(libraries)")}
    if "commune_code" not in present:
        store.execute("ALTER TABLE libraries ADD COLUMN commune_code TEXT")
    store.execute("""
        CREATE TABLE district_closed_months (
            month TEXT NOT NULL,
            library_id TEXT NOT NULL,
            metric TEXT NOT NULL,
            value INTEGER NOT NULL,
            PRIMARY KEY (month, library_id, metric)
        )""")
    store.execute("""
        CREATE TABLE district_month_closings (
            month TEXT PRIMARY KEY,
            closed_at TEXT NOT NULL,
            closed_by TEXT NOT NULL
        )""")


# The rows of derived circulation state an event reads or writes, by key: a copy
# (``i:``), a loan (``l:``, the checkout's uuid), a hold (``h:``), a request (``r:``).
_KEYS = ("'i:' || json_extract({p}, '$.item_id')", "'h:' || json_extract({p}, '$.hold_id')",
         "'r:' || json_extract({p}, '$.request_id')", "'l:' || json_extract({p}, '$.loan_id')",
         "CASE WHEN {t} = 'loan.checkout' THEN 'l:' || {u} END")
_STATEFUL = "{t} NOT LIKE 'record.%' AND {t} != 'visit'"


def _keys_of(payload: str, type_: str, uuid: str) -> list[str]:
    return [k.format(p=payload, t=type_, u=uuid) for k in _KEYS]


def _circulation_partitions(store: Store) -> None:
    """Which libraries' circulation touches the same rows, for the per-library refold
    (``district/refold.py``).

    ``district_circulation_keys`` holds each key a library's circulation events touch;
    ``district_circulation_links`` each pair of libraries that share one (a device that
    lent another library's copy before the hub knew whose it was, a hub-wide ``*``
    event). A trigger keeps both as events are stored, whichever path stores them.
    ``district_events_library`` finds one library's events without reading the log.
    """
    store.execute("CREATE INDEX district_events_library ON events (library_id, type)")
    store.execute("""
        CREATE TABLE district_circulation_keys (
            key TEXT NOT NULL,
            library_id TEXT NOT NULL,
            PRIMARY KEY (key, library_id)
        ) WITHOUT ROWID""")
    store.execute("""
        CREATE TABLE district_circulation_links (
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            PRIMARY KEY (a, b)
        ) WITHOUT ROWID""")
    new = " UNION ALL ".join(f"SELECT {k} AS k" for k in
                             _keys_of("NEW.payload", "NEW.type", "NEW.uuid"))
    shared = (f"FROM district_circulation_keys c WHERE c.key IN (SELECT k FROM ({new})) "
              "AND c.library_id != NEW.library_id")
    store.execute(f"""
        CREATE TRIGGER district_circulation_keys_in AFTER INSERT ON events
        WHEN {_STATEFUL.format(t="NEW.type")}
        BEGIN
            INSERT OR IGNORE INTO district_circulation_links (a, b)
                SELECT NEW.library_id, c.library_id {shared};
            INSERT OR IGNORE INTO district_circulation_links (a, b)
                SELECT c.library_id, NEW.library_id {shared};
            INSERT OR IGNORE INTO district_circulation_keys (key, library_id)
                SELECT k, NEW.library_id FROM ({new}) WHERE k IS NOT NULL;
        END""")
    old = " UNION ALL ".join(
        f"SELECT {k} AS k, library_id FROM events WHERE {_STATEFUL.format(t='type')}"
        for k in _keys_of("payload", "type", "uuid"))
    store.execute(f"INSERT OR IGNORE INTO district_circulation_keys (key, library_id) "
                  f"SELECT k, library_id FROM ({old}) WHERE k IS NOT NULL")
    store.execute("INSERT OR IGNORE INTO district_circulation_links (a, b) "
                  "SELECT x.library_id, y.library_id FROM district_circulation_keys x "
                  "JOIN district_circulation_keys y ON x.key = y.key "
                  "AND x.library_id != y.library_id")


MIGRATIONS: list[tuple[str, Callable[[Store], None]]] = [
    ("0001_accounts_devices_audit", _accounts_devices_audit),
    ("0002_web_sessions", _web_sessions),
    ("0003_province_hub", _province_hub),
    ("0004_circulation_partitions", _circulation_partitions),
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
