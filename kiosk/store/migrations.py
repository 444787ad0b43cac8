"""The schema, as numbered forward-only migrations (the one place it lives).

Each migration runs in its own transaction and is recorded in ``schema_migrations``.
Never edit a migration that has shipped: add a new one. A database written by a newer
version of the code is refused (a rolled-back SD image must not corrupt it).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from kiosk.store.db import Store


class DatabaseTooNew(RuntimeError):
    """The database was written by a newer version of the software."""


def _run(store: "Store", script: str) -> None:
    """Run a multi-statement script inside the current transaction.

    ``executescript`` would commit first, breaking the migration's atomicity.
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            store.conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement!r}")


def _m001_base(store: "Store") -> None:
    _run(store, 
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        -- The append-only log: circulation events and record versions alike.
        CREATE TABLE events (
            origin_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            uuid TEXT NOT NULL UNIQUE,
            hlc INTEGER NOT NULL,
            wall_time TEXT NOT NULL,
            library_id TEXT NOT NULL,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (origin_id, seq)
        );
        CREATE INDEX events_order ON events (hlc, origin_id, seq);
        CREATE INDEX events_type_time ON events (type, wall_time);

        CREATE TABLE libraries (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'commune',
            commune TEXT,
            address TEXT,
            opening_hours TEXT
        );

        CREATE TABLE records (
            rid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            subtitle TEXT,
            authors TEXT NOT NULL DEFAULT '[]',
            publisher TEXT,
            place TEXT,
            year INTEGER,
            edition TEXT,
            language TEXT,
            subjects TEXT NOT NULL DEFAULT '[]',
            ddc TEXT,
            isbn13 TEXT,
            series TEXT,
            physical TEXT,
            notes TEXT,
            cover TEXT,
            control_number TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX records_isbn13 ON records (isbn13);
        CREATE INDEX records_control ON records (control_number);
        CREATE INDEX records_created ON records (created_at);

        CREATE TABLE attachments (
            id TEXT PRIMARY KEY,
            record_id TEXT NOT NULL REFERENCES records (id),
            kind TEXT NOT NULL,
            uri TEXT NOT NULL,
            label TEXT
        );
        CREATE INDEX attachments_record ON attachments (record_id);

        CREATE TABLE items (
            id TEXT PRIMARY KEY,
            barcode TEXT NOT NULL UNIQUE,
            record_id TEXT NOT NULL REFERENCES records (id),
            library_id TEXT NOT NULL,
            location TEXT,
            call_number TEXT,
            item_type TEXT NOT NULL DEFAULT 'book',
            status TEXT NOT NULL DEFAULT 'available',
            price INTEGER,
            created_at TEXT NOT NULL
        );
        CREATE INDEX items_record ON items (record_id);

        CREATE TABLE patrons (
            id TEXT PRIMARY KEY,
            card_number TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            category TEXT NOT NULL,
            birth_year INTEGER,
            phone TEXT,
            commune TEXT,
            address TEXT,
            home_library TEXT NOT NULL,
            expires_on TEXT NOT NULL,
            pin_hash TEXT,
            blocked_reason TEXT,
            created_at TEXT NOT NULL
        );

        CREATE TABLE policies (
            patron_category TEXT NOT NULL,
            item_type TEXT NOT NULL,
            loan_days INTEGER NOT NULL,
            max_loans INTEGER NOT NULL,
            max_renewals INTEGER NOT NULL,
            PRIMARY KEY (patron_category, item_type)
        );

        CREATE TABLE closed_days (date TEXT PRIMARY KEY, reason TEXT);

        -- Derived from the event log by the fold; never replicated.
        CREATE TABLE loans (
            id TEXT PRIMARY KEY,
            item_id TEXT NOT NULL,
            patron_id TEXT NOT NULL,
            library_id TEXT NOT NULL,
            checked_out_at TEXT NOT NULL,
            due_date TEXT NOT NULL,
            renewals INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX loans_item ON loans (item_id);
        CREATE INDEX loans_patron ON loans (patron_id);

        CREATE TABLE holds (
            id TEXT PRIMARY KEY,
            record_id TEXT NOT NULL,
            patron_id TEXT NOT NULL,
            pickup_library TEXT NOT NULL,
            status TEXT NOT NULL,
            placed_hlc INTEGER NOT NULL,
            item_id TEXT,
            trapped_at TEXT,
            pickup_expires TEXT,
            closed_at TEXT
        );
        CREATE INDEX holds_record ON holds (record_id, status, placed_hlc);
        CREATE INDEX holds_patron ON holds (patron_id, status);
        CREATE INDEX holds_item ON holds (item_id, status);

        CREATE TABLE conflicts (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            item_id TEXT,
            patron_id TEXT,
            event_uuids TEXT NOT NULL,
            detected_hlc INTEGER NOT NULL,
            resolution TEXT
        );
        """
    )


def _m002_search(store: "Store") -> None:
    """Vietnamese full-text search: original (NFC, canonical tones) and folded columns."""
    from kiosk.store.m002_index import index_records

    _run(store, 
        """
        CREATE VIRTUAL TABLE records_fts USING fts5 (
            title, authors, series, publisher, subjects,
            title_f, authors_f, series_f, publisher_f, subjects_f,
            tokenize = 'unicode61 remove_diacritics 0',
            prefix = '1 2 3'
        );
        """
    )
    index_records(store)


def _m003_requests_and_visits(store: "Store") -> None:
    _run(store, 
        """
        CREATE TABLE requests (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            patron_id TEXT NOT NULL,
            record_id TEXT NOT NULL,
            item_id TEXT,
            library_id TEXT NOT NULL,
            details TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX requests_patron ON requests (patron_id);
        CREATE TABLE import_progress (
            source TEXT PRIMARY KEY,
            position INTEGER NOT NULL,
            imported INTEGER NOT NULL,
            skipped INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        );
        """
    )


def _m004_sync(store: "Store") -> None:
    """Field versions for concurrent record edits, peers, enrolment and devices."""
    _run(store, """
        CREATE TABLE record_versions (
            tbl TEXT NOT NULL,
            record_id TEXT NOT NULL,
            field TEXT NOT NULL,
            hlc INTEGER NOT NULL,
            origin_id TEXT NOT NULL,
            event_uuid TEXT NOT NULL,
            PRIMARY KEY (tbl, record_id, field)
        );
        CREATE TABLE record_conflicts (
            id TEXT PRIMARY KEY,
            tbl TEXT NOT NULL,
            record_id TEXT NOT NULL,
            field TEXT NOT NULL,
            winner_uuid TEXT NOT NULL,
            loser_uuid TEXT NOT NULL,
            loser_value TEXT,
            resolved INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE sync_peers (
            peer TEXT PRIMARY KEY,
            device_id TEXT,
            library_id TEXT,
            last_attempt TEXT,
            last_success TEXT,
            last_error TEXT,
            events_received INTEGER NOT NULL DEFAULT 0,
            events_sent INTEGER NOT NULL DEFAULT 0,
            peer_vector TEXT NOT NULL DEFAULT '{}',
            clock_flag TEXT
        );
        CREATE TABLE devices (
            device_id TEXT PRIMARY KEY,
            library_id TEXT NOT NULL,
            name TEXT,
            key TEXT NOT NULL,
            enrolled_at TEXT NOT NULL,
            last_seen TEXT,
            app_version TEXT,
            status TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE enrolment_codes (
            code_hash TEXT PRIMARY KEY,
            library_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_by TEXT
        );
        CREATE TABLE sync_rejections (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            device_id TEXT,
            reason TEXT NOT NULL
        );
    """)


def _m005_trust(store: "Store") -> None:
    """Trust model: record owners, barcodes unique per library, device registry, quarantine.

    Devices and their public keys are replicated rows of their library (revocation is
    data that syncs); quarantine, pairing codes and the clock floor are this node's own.
    """
    _run(store, """
        CREATE TABLE items_new (
            id TEXT PRIMARY KEY,
            barcode TEXT NOT NULL,
            record_id TEXT NOT NULL REFERENCES records (id),
            library_id TEXT NOT NULL,
            location TEXT,
            call_number TEXT,
            item_type TEXT NOT NULL DEFAULT 'book',
            status TEXT NOT NULL DEFAULT 'available',
            price INTEGER,
            created_at TEXT NOT NULL,
            UNIQUE (library_id, barcode)
        );
        INSERT INTO items_new SELECT id, barcode, record_id, library_id, location, call_number,
            item_type, status, price, created_at FROM items;
        DROP TABLE items;
        ALTER TABLE items_new RENAME TO items;
        CREATE INDEX items_record ON items (record_id);
        CREATE INDEX items_barcode ON items (barcode);

        ALTER TABLE records ADD COLUMN library_id TEXT;
        CREATE TEMP TABLE record_creators AS
            SELECT json_extract(payload, '$.id') AS id, library_id, MIN(hlc) AS first
            FROM events WHERE type = 'record.put' AND json_extract(payload, '$.table') = 'records'
            GROUP BY json_extract(payload, '$.id');
        CREATE INDEX temp.record_creators_id ON record_creators (id);
        UPDATE records SET library_id = (SELECT c.library_id FROM record_creators c
            WHERE c.id = records.id);
        DROP TABLE temp.record_creators;

        ALTER TABLE record_versions ADD COLUMN vstamp INTEGER;
        UPDATE record_versions SET vstamp = hlc;

        CREATE TABLE device_registry (
            id TEXT PRIMARY KEY,
            library_id TEXT NOT NULL,
            public_key TEXT NOT NULL,
            name TEXT,
            role TEXT,
            registered_at TEXT,
            registered_by TEXT,
            revoked_at TEXT,
            revoked_by TEXT,
            revoked_hlc INTEGER
        );
        CREATE TABLE device_origins (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL,
            library_id TEXT NOT NULL
        );
        CREATE INDEX device_origins_device ON device_origins (device_id);

        CREATE TABLE quarantine (
            origin_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            uuid TEXT NOT NULL,
            library_id TEXT NOT NULL,
            type TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL,
            at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            settled_at TEXT,
            settled_by TEXT,
            PRIMARY KEY (origin_id, seq)
        );
        CREATE INDEX quarantine_open ON quarantine (status);

        CREATE TABLE pairing_codes (
            code_hash TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            used_by TEXT
        );
        -- The version vector, kept as events are stored instead of grouped from the log.
        CREATE TABLE origin_tops (origin_id TEXT PRIMARY KEY, seq INTEGER NOT NULL,
                                  library_id TEXT NOT NULL);
        INSERT INTO origin_tops (origin_id, seq, library_id)
            SELECT origin_id, MAX(seq), (SELECT library_id FROM events f
                WHERE f.origin_id = e.origin_id AND f.seq = 1) FROM events e GROUP BY origin_id;
        CREATE TRIGGER events_top AFTER INSERT ON events BEGIN
            INSERT INTO origin_tops (origin_id, seq, library_id)
                VALUES (new.origin_id, new.seq, new.library_id)
                ON CONFLICT (origin_id) DO UPDATE SET seq = MAX(seq, excluded.seq);
        END;
        CREATE TRIGGER events_untop AFTER DELETE ON events BEGIN
            DELETE FROM origin_tops WHERE origin_id = old.origin_id
                AND NOT EXISTS (SELECT 1 FROM events WHERE origin_id = old.origin_id);
            UPDATE origin_tops SET seq = (SELECT MAX(seq) FROM events WHERE origin_id = old.origin_id)
                WHERE origin_id = old.origin_id;
        END;
        -- Origins found holding two different histories (a cloned card, a copied restore).
        CREATE TABLE forks (
            id INTEGER PRIMARY KEY,
            origin_id TEXT NOT NULL,
            from_seq INTEGER NOT NULL,
            moved_to TEXT,
            moved INTEGER NOT NULL,
            own INTEGER NOT NULL,
            at TEXT NOT NULL
        );
        ALTER TABLE sync_peers ADD COLUMN clock_offset_s REAL;
        ALTER TABLE sync_peers ADD COLUMN refused_by_peer INTEGER NOT NULL DEFAULT 0;
    """)


def _m006_search_vocabulary(store: "Store") -> None:
    """The catalogue's vocabulary (Telex/VNI reading, "did you mean") and folded titles.

    Filled by ``kiosk.core.search_index.ensure_vocabulary`` on first use, not here: a
    migration never runs live domain code.
    """
    _run(store, """
        CREATE TABLE search_vocab (
            word TEXT NOT NULL,
            form TEXT NOT NULL,
            freq INTEGER NOT NULL,
            PRIMARY KEY (word, form)
        ) WITHOUT ROWID;
        CREATE TABLE search_titles (rid INTEGER PRIMARY KEY, title TEXT NOT NULL);
        CREATE INDEX search_titles_title ON search_titles (title);
        INSERT INTO meta (key, value) SELECT 'search_vocabulary_filled', '1'
            WHERE NOT EXISTS (SELECT 1 FROM records);
    """)


def _m007_sync_floors_and_progress(store: "Store") -> None:
    """This node's bootstrap floors and the progress of its running transfers.

    Both are node-local (never replicated, never in a bootstrap file). Before this
    migration sync code made them on first use, so they may already exist.
    """
    _run(store, """
        CREATE TABLE IF NOT EXISTS sync_floors (
            origin_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            library_id TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS sync_progress (
            peer TEXT NOT NULL,
            direction TEXT NOT NULL,
            started REAL NOT NULL,
            updated REAL NOT NULL,
            events INTEGER NOT NULL DEFAULT 0,
            bytes INTEGER NOT NULL DEFAULT 0,
            events_left INTEGER,
            finished REAL,
            PRIMARY KEY (peer, direction)
        );
    """)


def _m008_shelf_order(store: "Store") -> None:
    """Records by DDC number: the shelf browser reads a class as an index range."""
    _run(store, "CREATE INDEX IF NOT EXISTS records_ddc ON records (ddc, id);")


def _m009_search_words(store: "Store") -> None:
    """The search index's columns as words joined by single spaces, in one segment."""
    from kiosk.store.m009_index import space_index

    space_index(store)


# Per record and library: every copy, those on the shelf (no loan, no hold waiting for its
# patron), on loan, and waiting on the hold shelf.
_LOANED = "EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id)"
_TRAPPED = "EXISTS (SELECT 1 FROM holds h WHERE h.item_id = i.id AND h.status = 'trapped')"
_COPY_COUNTS = ("i.record_id, i.library_id, COUNT(*), "
                f"SUM(i.status = 'available' AND NOT {_LOANED} AND NOT {_TRAPPED}), "
                f"SUM({_LOANED}), SUM(NOT {_LOANED} AND {_TRAPPED})")
_COUNTED = "record_copies (record_id, library_id, total, available, on_loan, held)"


def _recount(record: str, library: str) -> str:
    """Statements that set ``record_copies`` for one (record, library) from the tables
    (``record`` and ``library`` are SQL expressions; NULL sets nothing)."""
    return f"""
            DELETE FROM record_copies WHERE record_id = {record} AND library_id = {library};
            INSERT INTO {_COUNTED}
            SELECT {_COPY_COUNTS} FROM items i
            WHERE i.record_id = {record} AND i.library_id = {library}
            GROUP BY i.record_id, i.library_id;"""


def _of_item(item: str) -> tuple[str, str]:
    return (f"(SELECT record_id FROM items WHERE id = {item})",
            f"(SELECT library_id FROM items WHERE id = {item})")


def _m010_copy_counts(store: "Store") -> None:
    """Each record's copies counted per library, kept by triggers on items, loans and holds.

    Search shows the copies of every hit on every keystroke: reading one row per hit
    instead of joining its items, loans and holds is a tenth of a search. Whatever writes
    the tables (the fold, sync, a bootstrap, the hub's refold), the triggers count the
    record's copies again from them, so the counts cannot drift. A later migration that
    rebuilds one of the three tables must create its triggers again.
    """
    triggers = {
        "items_counted_insert": ("AFTER INSERT ON items", [("NEW.record_id", "NEW.library_id")]),
        "items_counted_delete": ("AFTER DELETE ON items", [("OLD.record_id", "OLD.library_id")]),
        "items_counted_update": ("AFTER UPDATE OF id, record_id, library_id, status ON items",
                                 [("OLD.record_id", "OLD.library_id"),
                                  ("NEW.record_id", "NEW.library_id")]),
        "loans_counted_insert": ("AFTER INSERT ON loans", [_of_item("NEW.item_id")]),
        "loans_counted_delete": ("AFTER DELETE ON loans", [_of_item("OLD.item_id")]),
        "loans_counted_update": ("AFTER UPDATE OF item_id ON loans",
                                 [_of_item("OLD.item_id"), _of_item("NEW.item_id")]),
        "holds_counted_insert": ("AFTER INSERT ON holds", [_of_item("NEW.item_id")]),
        "holds_counted_delete": ("AFTER DELETE ON holds", [_of_item("OLD.item_id")]),
        "holds_counted_update": ("AFTER UPDATE OF item_id, status ON holds",
                                 [_of_item("OLD.item_id"), _of_item("NEW.item_id")]),
    }
    _run(store, f"""
        CREATE TABLE record_copies (
            record_id TEXT NOT NULL,
            library_id TEXT NOT NULL,
            total INTEGER NOT NULL,
            available INTEGER NOT NULL,
            on_loan INTEGER NOT NULL,
            held INTEGER NOT NULL,
            PRIMARY KEY (record_id, library_id)
        ) WITHOUT ROWID;
        INSERT INTO {_COUNTED}
            SELECT {_COPY_COUNTS} FROM items i GROUP BY i.record_id, i.library_id;
    """)
    for name, (when, pairs) in triggers.items():
        body = "".join(_recount(record, library) for record, library in pairs)
        _run(store, f"CREATE TRIGGER {name} {when} BEGIN{body}\n        END;")


Migration = tuple[int, str, Callable[["Store"], None]]

MIGRATIONS: list[Migration] = [
    (1, "base schema: event log, catalogue, patrons, policy, derived circulation", _m001_base),
    (2, "Vietnamese full-text search index", _m002_search),
    (3, "requests and resumable imports", _m003_requests_and_visits),
    (4, "sync: record field versions, peers, devices and enrolment", _m004_sync),
    (5, "trust model: owners, per-library barcodes, device registry, quarantine", _m005_trust),
    (6, "search vocabulary and folded titles", _m006_search_vocabulary),
    (7, "sync: bootstrap floors and transfer progress (node-local)", _m007_sync_floors_and_progress),
    (8, "records by DDC number, for the shelf browser", _m008_shelf_order),
    (9, "search index as spaced words, merged into one segment", _m009_search_words),
    (10, "copies per record and library, kept by triggers, for search", _m010_copy_counts),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def current_version(store: "Store | sqlite3.Connection") -> int:
    exists = store.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    return store.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]


def behind(path: str) -> bool:
    """The database at ``path`` exists and opening it will run migrations (only read: the
    file is neither created nor changed; False when it cannot be read at all)."""
    try:
        conn = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return current_version(conn) < SCHEMA_VERSION
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def check_not_newer(store: "Store") -> None:
    version = current_version(store)
    if version > SCHEMA_VERSION:
        raise DatabaseTooNew(
            f"database {store.path} has schema version {version}, this software knows "
            f"{SCHEMA_VERSION}: install the newer version or restore a backup"
        )


def upgrade(store: "Store", target: int | None = None) -> list[int]:
    """Apply every pending migration up to ``target`` (default: all). Returns those applied.

    Several processes may open a new file at once (the kiosk window, the sync daemon and a
    technician's CLI at first boot): each migration runs under the write lock
    (``BEGIN IMMEDIATE``) and the version is read again inside it, so the first process
    applies a step and the others find it done. A database already current costs no lock.
    """
    check_not_newer(store)
    target = SCHEMA_VERSION if target is None else target
    if current_version(store) >= target:
        return []
    with store.transaction():
        check_not_newer(store)
        store.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    applied = []
    for version, name, migrate in MIGRATIONS:
        if version > target:
            continue
        with store.transaction():
            if version <= current_version(store):
                continue
            migrate(store)
            store.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) "
                "VALUES (?, ?, datetime('now'))",
                (version, name),
            )
        applied.append(version)
    return applied
