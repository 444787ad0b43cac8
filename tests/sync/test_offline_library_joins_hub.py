"""A library that stood up offline joins the hub later, losing and duplicating nothing;
revocation travels by sync and what a revoked device wrote afterwards is never relayed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from processes import enrol_code, free_port, make_district, ok, run, serve, serve_module, stop

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from replication import transfer
from sync import identity, replica
from sync.joining import found_library


def kiosk(db: Path, *args: str):
    return run("--db", str(db), *args)


def events(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT uuid, origin_id, seq FROM events ORDER BY uuid").fetchall()
    finally:
        conn.close()


def test_an_offline_library_enrols_and_the_hub_gets_its_history_once(tmp_path):
    counter, kiosk_db, hub_db = tmp_path / "counter.db", tmp_path / "kiosk.db", tmp_path / "hub.db"
    ok(kiosk(counter, "init", "--library", "TN-PHUTHO", "--name", "Thư viện xã Phú Thọ"))
    record = json.loads(ok(kiosk(counter, "record", "add", "--title", "Tắt đèn",
                                 "--author", "Ngô Tất Tố", "--json")))["id"]
    ok(kiosk(counter, "item", "add", record, "PT000001"))
    ok(kiosk(counter, "patron", "add", "Trần Văn An", "--card", "PT-1"))
    lan = free_port()
    server = serve_module(["kiosk", "--db", str(counter), "serve-sync", "--no-advertise"], lan)
    try:
        code = json.loads(ok(kiosk(counter, "pair-code", "--json")))["code"]
        ok(kiosk(kiosk_db, "pair", "--peer", f"http://127.0.0.1:{lan}", "--code", code))
        ok(kiosk(kiosk_db, "checkout", "PT-1", "PT000001"))          # offline, on the kiosk
        ok(kiosk(kiosk_db, "sync", "--no-discovery"))
    finally:
        stop(server)
    offline = events(counter)     # the counter holds the library's whole history
    assert {e[0] for e in events(kiosk_db)} - {e[0] for e in offline} == set()
    assert json.loads(ok(kiosk(counter, "loans", "--json")))[0]["barcode"] == "PT000001"

    make_district(hub_db)
    port = free_port()
    hub = serve(hub_db, port)
    url = f"http://127.0.0.1:{port}"
    try:
        joined = ok(kiosk(counter, "enrol", "--server", url, "--code", enrol_code(hub_db)))
        assert "Đã đăng ký" in joined
        ok(kiosk(counter, "sync", "--no-discovery"))
        at_hub = {e for e in events(hub_db) if e[0] in {o[0] for o in offline}}
        assert at_hub == set(offline)                                  # all of it, once
        assert len(events(hub_db)) == len({e[0] for e in events(hub_db)})
        # The kiosk was paired offline: the hub learnt its key from the library's registry,
        # so it syncs with the hub directly, with its own key.
        done = json.loads(kiosk(kiosk_db, "sync", "--no-discovery", "--peer", url, "--json").stdout)
        assert [r["ok"] for r in done if r["peer"] == url] == [True]   # (the counter is off now)
        assert json.loads(ok(kiosk(counter, "loans", "--json")))[0]["barcode"] == "PT000001"
        assert len(json.loads(ok(kiosk(counter, "patron", "list", "--json")))) == 1
    finally:
        stop(hub)


def test_what_a_revoked_device_writes_afterwards_is_quarantined_and_never_relayed(tmp_path):
    counter = open_library(tmp_path / "counter.db", FixedClock("2026-11-20T09:00:00"))
    found_library(counter, "TN-PHUTHO", "Thư viện xã Phú Thọ")
    stolen = open_library(tmp_path / "stolen.db", FixedClock("2026-11-20T09:00:00"))
    transfer(counter, stolen)
    device, public = identity.make_keys(stolen.store)
    identity.register(counter, device, public, name="kiosk", role="kiosk")
    stolen.store.set_meta("library_code", "TN-PHUTHO")
    transfer(counter, stolen)
    identity.register_origin(stolen)
    stolen.patrons.add("Trước khi mất", "adult", card_number="C1")
    transfer(stolen, counter)
    assert identity.revoke(counter, device, "thủ thư")
    stolen.clock.advance(minutes=10)
    stolen.patrons.add("Sau khi mất", "adult", card_number="C2")
    transfer(stolen, counter)                   # e.g. a bundle or a node that had not heard
    assert counter.store.scalar("SELECT COUNT(*) FROM patrons WHERE card_number = 'C1'") == 1
    assert counter.store.scalar("SELECT COUNT(*) FROM patrons WHERE card_number = 'C2'") == 0
    assert counter.store.scalar("SELECT reason FROM quarantine") == "revoked_device"
    hub = open_library(tmp_path / "hub.db", FixedClock("2026-11-20T09:00:00"))
    found_library(hub, "TN-PHUTHO", "Thư viện xã Phú Thọ")
    transfer(counter, hub)
    relayed = {e.uuid for e in replica.events_since(counter.store, {})[0]}
    assert hub.store.scalar("SELECT COUNT(*) FROM patrons WHERE card_number = 'C2'") == 0
    written_after = stolen.store.scalar(
        "SELECT uuid FROM events WHERE type = 'record.put' AND payload LIKE '%Sau khi m%'")
    assert written_after not in relayed
