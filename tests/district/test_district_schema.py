"""The hub's own migrations: an old hub upgrades in place, a newer one is refused."""

from __future__ import annotations

import pytest

from district import accounts, schema
from district.app import create_app
from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.node import init_library
from sync import enrolment

PASSWORD = "mat-khau-huyen-2026"


@pytest.fixture
def hub(tmp_path):
    lib = open_library(tmp_path / "district.db", FixedClock("2026-11-20T09:00:00"))
    init_library(lib, "TAMNONG", "Huyện Tam Nông", kind="district")
    lib.store.set_meta("role", enrolment.DISTRICT_ROLE)
    yield lib
    lib.store.close()


def test_a_hub_from_before_the_ledger_keeps_its_accounts_and_loses_its_meta_secret(hub):
    """As the hub left it before 2026-12: tables made at start-up, the web secret in
    ``meta`` (which devices' snapshots came from), an account locked by failures."""
    old_hash = accounts.hash_password(PASSWORD)
    with hub.store.transaction():
        hub.store.execute("""CREATE TABLE district_users (username TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('admin',
            'librarian', 'inspector')), library_code TEXT, created_at TEXT NOT NULL,
            failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TEXT)""")
        hub.store.execute("CREATE TABLE district_audit (id INTEGER PRIMARY KEY, at TEXT NOT "
                          "NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT, detail TEXT)")
        hub.store.execute("INSERT INTO district_users VALUES ('admin', ?, 'admin', NULL, "
                          "'2026-01-01T00:00:00', 5, '2099-01-01T00:00:00')", (old_hash,))
        hub.store.execute("INSERT INTO district_audit (at, actor, action) VALUES "
                          "('2026-01-01T00:00:00', 'admin', 'login')")
    hub.store.set_meta("web_secret", "bi-mat-cu")

    accounts.ensure_schema(hub)

    assert schema.applied(hub.store) == [name for name, _ in schema.MIGRATIONS]
    assert hub.store.get_meta("web_secret") is None
    assert accounts.authenticate(hub, "admin", PASSWORD).role == accounts.ADMIN
    assert hub.store.scalar("SELECT COUNT(*) FROM district_audit") == 2  # kept + this login
    assert hub.store.scalar("SELECT locked_until FROM district_users") is None
    create_app(hub.store.path, hub)
    secret = hub.store.scalar("SELECT value FROM district_secrets WHERE name = 'web'")
    assert secret and secret != "bi-mat-cu"


def test_migrating_twice_does_nothing_the_second_time(hub):
    assert schema.migrate(hub.store) == [name for name, _ in schema.MIGRATIONS]
    assert schema.migrate(hub.store) == []


def test_a_database_from_a_newer_release_is_refused(hub):
    accounts.ensure_schema(hub)
    hub.store.execute("INSERT INTO district_schema_migrations (name) VALUES ('0099_tuong_lai')")
    with pytest.raises(schema.NewerSchema, match="0099_tuong_lai"):
        create_app(hub.store.path, hub)
