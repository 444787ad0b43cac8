"""A device of library A with a valid key attacks library B through a real hub process.

Each attack is written the way a modified device would write it: straight into its own
event log (no domain checks), then pushed by the ordinary `kiosk sync`. The hub must
quarantine it with its reason, apply none of it, keep every other event flowing, and
keep answering OPAC pages while it happens.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import requests
from processes import enrol_code, free_port, make_district, ok, run, serve, stop

from kiosk.app import open_library
from kiosk.core import pins
from sync import auth, protocol

A, B = "TN-PHUTHO", "TN-ANLONG"


def kiosk(db: Path, *args: str):
    return run("--db", str(db), *args)


def sync_with(db: Path, *peers: str) -> list[dict]:
    args = ["sync", "--no-discovery", "--json"] + [a for p in peers for a in ("--peer", p)]
    return json.loads(kiosk(db, *args).stdout)


def hub_rows(db: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A hub with libraries A and B, one enrolled device each; B has a patron, a copy on
    loan and a title, all synced to the hub."""
    tmp = tmp_path_factory.mktemp("hostile")
    hub_db = tmp / "hub.db"
    make_district(hub_db, A)
    ok(run("--db", str(hub_db), "library", B, "Thư viện xã An Long", module="district"))
    port = free_port()
    proc = serve(hub_db, port)
    url = f"http://127.0.0.1:{port}"
    a_db, b_db = tmp / "a.db", tmp / "b.db"
    try:
        ok(kiosk(a_db, "enrol", "--server", url, "--code", enrol_code(hub_db, A), "--name", "a"))
        ok(kiosk(b_db, "enrol", "--server", url, "--code", enrol_code(hub_db, B), "--name", "b"))
        record = json.loads(ok(kiosk(b_db, "record", "add", "--title", "Đất rừng phương Nam",
                                     "--author", "Đoàn Giỏi", "--json")))["id"]
        ok(kiosk(b_db, "item", "add", record, "TC000001"))      # the same barcode as A's below
        ok(run("--db", str(b_db), "patron", "add", "Lê Thị Bé", "--card", "AL-0001"))
        lib_b = open_library(b_db)
        lib_b.patrons.set_pin("AL-0001", "2468")
        lib_b.store.close()
        ok(kiosk(b_db, "checkout", "AL-0001", "TC000001"))
        record_a = json.loads(ok(kiosk(a_db, "record", "add", "--title", "Quê nội",
                                       "--author", "Võ Quảng", "--json")))["id"]
        ok(kiosk(a_db, "item", "add", record_a, "TC000001"))
        assert all(r["ok"] for r in sync_with(b_db))
        assert all(r["ok"] for r in sync_with(a_db))
        yield {"url": url, "hub_db": hub_db, "a": a_db, "b": b_db, "tmp": tmp,
               "b_record": record}
    finally:
        stop(proc)


def b_ids(hub) -> dict:
    lib = open_library(hub["b"])
    try:
        s = lib.store
        return {"patron": s.scalar("SELECT id FROM patrons WHERE card_number = 'AL-0001'"),
                "item": s.scalar("SELECT id FROM items WHERE barcode = 'TC000001'"),
                "record": hub["b_record"]}
    finally:
        lib.store.close()


def forge(db: Path, type_: str, payload: dict, hlc: int | None = None) -> None:
    """Append an event to A's log as a modified device would: no checks, no fold."""
    lib = open_library(db)
    try:
        with lib.store.transaction():
            event = lib.log.append(type_, payload, lib.code)
            if hlc is not None:
                lib.store.execute("UPDATE events SET hlc = ? WHERE uuid = ?", (hlc, event.uuid))
    finally:
        lib.store.close()


class OpacWatch:
    """Polls the hub's OPAC from another thread; records the slowest answer."""

    def __init__(self, url: str):
        self.url, self.worst, self.failures = url, 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        for _ in range(600):
            if self._stop.is_set():
                return
            started = time.monotonic()
            try:
                ok_ = requests.get(self.url + "/tim?q=que+noi", timeout=5).status_code == 200
            except requests.RequestException:
                ok_ = False
            self.worst = max(self.worst, time.monotonic() - started)
            self.failures += not ok_
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)


def test_another_librarys_rows_are_quarantined_at_the_hub_and_nothing_foreign_is_applied(hub):
    ids = b_ids(hub)
    before = hub_rows(hub["hub_db"], "SELECT name, pin_hash FROM patrons WHERE id = ?",
                      (ids["patron"],))
    attacks = [
        ("record.put", {"table": "patrons", "id": ids["patron"],
                        "fields": {"name": "Kẻ gian", "pin_hash": pins.hash_pin("0000")}}),
        ("record.put", {"table": "items", "id": ids["item"], "fields": {"status": "withdrawn"}}),
        ("record.put", {"table": "records", "id": ids["record"], "fields": {"title": "Bị sửa"}}),
        ("record.put", {"table": "libraries", "id": B, "fields": {"name": "Thư viện giả"}}),
        ("loan.checkin", {"item_id": ids["item"]}),
    ]
    for type_, payload in attacks:
        forge(hub["a"], type_, payload)
    lib_a = open_library(hub["a"])
    lib_a.catalogue.add_record({"title": "Tuổi thơ dữ dội", "authors": ["Phùng Quán"]})
    lib_a.store.close()

    with OpacWatch(hub["url"]) as watch:
        results = sync_with(hub["a"])
    assert all(r["ok"] for r in results)
    assert watch.failures == 0 and watch.worst < 1.0

    assert hub_rows(hub["hub_db"], "SELECT name, pin_hash FROM patrons WHERE id = ?",
                    (ids["patron"],)) == before
    assert hub_rows(hub["hub_db"], "SELECT status FROM items WHERE id = ?", (ids["item"],)) == \
        [("available",)]
    assert hub_rows(hub["hub_db"], "SELECT title FROM records WHERE id = ?", (ids["record"],)) == \
        [("Đất rừng phương Nam",)]
    assert hub_rows(hub["hub_db"], "SELECT name FROM libraries WHERE code = ?", (B,)) == \
        [("Thư viện xã An Long",)]
    assert hub_rows(hub["hub_db"], "SELECT COUNT(*) FROM loans WHERE item_id = ?",
                    (ids["item"],)) == [(1,)]
    held = hub_rows(hub["hub_db"], "SELECT reason, library_id FROM quarantine WHERE status = 'open'")
    assert held.count(("foreign_row", A)) >= len(attacks)
    from district import dashboard

    rows = {r["code"]: r for r in dashboard.summary(open_library(hub["hub_db"]))["rows"]}
    assert rows[A]["quarantined"] >= len(attacks) and rows[B]["quarantined"] == 0
    # The honest event of the same batch went through.
    assert hub_rows(hub["hub_db"], "SELECT COUNT(*) FROM records WHERE title = 'Tuổi thơ dữ dội'") \
        == [(1,)]
    # The device is told, and B's own devices never see A's forgeries.
    status = json.loads(ok(kiosk(hub["a"], "sync-status", "--json")))
    hub_peer = [p for p in status["peers"] if p["peer"] == hub["url"]][0]
    assert hub_peer["refused_by_peer"] >= len(attacks)
    assert all(r["ok"] for r in sync_with(hub["b"]))
    lib_b = open_library(hub["b"])
    assert lib_b.store.scalar("SELECT name FROM patrons WHERE card_number = 'AL-0001'") == "Lê Thị Bé"
    assert lib_b.patrons.authenticate("AL-0001", "2468")["card_number"] == "AL-0001"
    lib_b.store.close()


def test_barcodes_may_repeat_across_libraries_and_a_clash_within_one_never_wedges_it(hub):
    both = hub_rows(hub["hub_db"], "SELECT library_id FROM items WHERE barcode = 'TC000001' "
                                   "ORDER BY library_id")
    assert both == [(B,), (A,)] or sorted(both) == [(B,), (A,)]
    lib_a = open_library(hub["a"])
    record = lib_a.catalogue.add_record({"title": "Bỉ vỏ", "authors": ["Nguyên Hồng"]})
    lib_a.store.close()
    # A modified device creates a second copy with a barcode A already uses, and a row
    # missing a required field; then an honest copy.
    forge(hub["a"], "record.put", {"table": "items", "id": "f" * 32, "fields": {
        "barcode": "TC000001", "record_id": record, "library_id": A, "created_at": "2026-12-01"}})
    forge(hub["a"], "record.put", {"table": "patrons", "id": "e" * 32, "fields": {"name": "X"}})
    lib_a = open_library(hub["a"])
    lib_a.catalogue.add_item(record, "TC000777")
    lib_a.store.close()
    assert all(r["ok"] for r in sync_with(hub["a"]))
    assert hub_rows(hub["hub_db"], "SELECT COUNT(*) FROM items WHERE barcode = 'TC000777'") == [(1,)]
    reasons = dict(hub_rows(hub["hub_db"], "SELECT uuid, reason FROM quarantine"))
    assert list(reasons.values()).count("constraint") >= 2
    listing = ok(run("--db", str(hub["hub_db"]), "quarantine", "list"))
    assert "Không áp dụng được" in listing
    # Nothing is stuck: the next round has nothing left to send.
    again = sync_with(hub["a"])
    assert all(r["ok"] for r in again) and all(r["pushed"] == 0 for r in again)


def test_a_far_future_stamp_is_kept_aside_and_checkouts_go_on_everywhere(hub):
    lib_a = open_library(hub["a"])
    record = lib_a.catalogue.add_record({"title": "Cánh đồng bất tận", "authors": ["Nguyễn Ngọc Tư"]})
    lib_a.store.close()
    forge(hub["a"], "record.put", {"table": "records", "id": record,
                                   "fields": {"title": "Mãi mãi thắng"}}, hlc=(1 << 63) - 1)
    assert all(r["ok"] for r in sync_with(hub["a"]))
    assert hub_rows(hub["hub_db"], "SELECT title FROM records WHERE id = ?", (record,)) == \
        [("Cánh đồng bất tận",)]
    assert ("far_future",) in hub_rows(hub["hub_db"], "SELECT reason FROM quarantine")
    # The hub's own clock did not move: its next write is stamped now, not in 2^63.
    ok(run("--db", str(hub["hub_db"]), "library", "TN-PHUDUC", "Thư viện xã Phú Đức",
           module="district"))
    newest = hub_rows(hub["hub_db"], "SELECT MAX(hlc) FROM events WHERE hlc < ?", ((1 << 62),))
    assert newest[0][0] < (int((time.time() + 3600) * 1000) << 16)
    ok(run("--db", str(hub["b"]), "checkin", "TC000001"))
    assert all(r["ok"] for r in sync_with(hub["b"]))


def test_a_captured_request_cannot_be_replayed(hub):
    lib = open_library(hub["a"])
    device, key = lib.store.get_meta("device_id"), lib.store.get_meta("device_private_key")
    lib.store.close()
    now = requests.get(hub["url"] + protocol.HELLO, timeout=5).json()["time"]
    body = protocol.encode({"vector": {}, "limit": 1})
    headers = {"Content-Encoding": "gzip",
               **auth.sign_headers(key, device, "POST", protocol.PULL, body, now)}
    first = requests.post(hub["url"] + protocol.PULL, data=body, headers=headers, timeout=10)
    again = requests.post(hub["url"] + protocol.PULL, data=body, headers=headers, timeout=10)
    stale = {"Content-Encoding": "gzip",
             **auth.sign_headers(key, device, "POST", protocol.PULL, body, now - 3600)}
    late = requests.post(hub["url"] + protocol.PULL, data=body, headers=stale, timeout=10)
    assert first.status_code == 200
    assert again.status_code == 401 and "replayed" in again.json()["error"]
    assert late.status_code == 401 and "window" in late.json()["error"]


def test_an_enrolled_device_holds_no_hub_secret(hub):
    hub_meta = dict(hub_rows(hub["hub_db"], "SELECT key, value FROM meta"))
    assert "hub_private_key" in hub_meta
    conn = sqlite3.connect(hub["a"])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert not {k for k in meta if k in ("web_secret", "hub_private_key") or
                k.startswith(("library_key", "origin_id:"))}
    assert not any(t.startswith("district_") for t in tables)
    for secret in [v for k, v in hub_meta.items() if "secret" in k or "private" in k]:
        assert secret not in dump
    # Only this library's devices' public keys, and no hub table rows.
    assert {r[0] for r in hub_rows(hub["a"], "SELECT DISTINCT library_id FROM device_registry")} == {A}
    assert hub_rows(hub["a"], "SELECT COUNT(*) FROM devices") == [(0,)]
    assert hub_rows(hub["a"], "SELECT COUNT(*) FROM patrons WHERE home_library != ?", (A,)) == [(0,)]


def test_a_revoked_kiosk_is_refused_by_the_counter_once_the_revocation_syncs(hub):
    counter, rogue = hub["tmp"] / "counter-b.db", hub["tmp"] / "rogue-b.db"
    ok(kiosk(counter, "enrol", "--server", hub["url"], "--code", enrol_code(hub["hub_db"], B),
             "--name", "quầy An Long"))
    ok(kiosk(rogue, "enrol", "--server", hub["url"], "--code", enrol_code(hub["hub_db"], B),
             "--name", "kiosk An Long"))
    port = free_port()
    from processes import serve_module

    server = serve_module(["kiosk", "--db", str(counter), "serve-sync", "--no-advertise"], port)
    counter_url = f"http://127.0.0.1:{port}"
    try:
        assert all(r["ok"] for r in sync_with(rogue, counter_url))
        rogue_id = open_library(rogue).store.get_meta("device_id")
        ok(run("--db", str(counter), "registry", "list"))
        ok(run("--db", str(hub["hub_db"]), "registry", "revoke", rogue_id, "--by", "quantri"))
        assert all(r["ok"] for r in sync_with(counter))            # the counter learns it
        ok(run("--db", str(rogue), "patron", "add", "Người lạ", "--card", "AL-9999"))
        refused = sync_with(rogue, counter_url)
        at_counter = [r for r in refused if r["peer"] == counter_url][0]
        assert not at_counter["ok"] and "thu hồi" in " ".join(at_counter["errors"])
        assert hub_rows(counter, "SELECT COUNT(*) FROM patrons WHERE card_number = 'AL-9999'") \
            == [(0,)]
        assert hub_rows(hub["hub_db"], "SELECT COUNT(*) FROM patrons WHERE card_number = "
                                       "'AL-9999'") == [(0,)]
    finally:
        stop(server)
