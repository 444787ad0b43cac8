"""Sync through a lossy, resetting line (bench/lossy_proxy.py): it completes with nothing
lost or duplicated, and the progress a technician sees is in the store as it runs."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

from bench.lossy_proxy import LinkProfile, LossyProxy
from kiosk.app import open_library
from kiosk.cli import main
from kiosk.core.clock import FixedClock
from sync import auth, joining, pairing, progress
from sync.client import PeerClient
from sync.server import SyncServer
from sync.service import SyncService


def a_busy_counter(path, records=250):
    lib = open_library(path, FixedClock("2026-11-20T09:00:00"))
    joining.found_library(lib, "TN-PHUTHO", "Thư viện xã Phú Thọ", device_name="quầy")
    with lib.transaction():
        for n in range(records):
            record = lib.catalogue.add_record({"title": f"Sách {n} về ruộng lúa",
                                               "authors": [f"Tác giả {n % 13}"]})
            lib.catalogue.add_item(record, f"PT{n:05d}")
    return lib


def a_new_device(path, counter):
    device = open_library(path)
    device.store.set_meta("library_code", "TN-PHUTHO")
    private, public = auth.new_keypair()
    code, _ = pairing.issue_code(counter)
    reply = pairing.pair_device(counter, code, public, "kiosk", "kiosk")
    device.store.set_meta("device_id", reply["device_id"])
    device.store.set_meta("device_private_key", private)
    return device


def test_a_sync_through_loss_reordering_and_resets_loses_and_duplicates_nothing(tmp_path):
    counter = a_busy_counter(tmp_path / "counter.db")
    kiosk = a_new_device(tmp_path / "kiosk.db", counter)
    server = SyncServer(SyncService(counter), "127.0.0.1", 0)
    server.start()
    line = LinkProfile(rate=400_000, rtt=0.04, loss=0.05, reorder=0.05,
                       reset_after=(6_000, 9_000, 7_000), seed=5)
    try:
        with LossyProxy(("127.0.0.1", server.port), line) as proxy:
            result = PeerClient(kiosk, proxy.url, batch=100, backoff=0.05).round()
    finally:
        server.stop()
    assert result.ok, result.errors
    assert proxy.resets == 3 and proxy.lost > 0
    uuids = "SELECT uuid FROM events WHERE library_id = 'TN-PHUTHO' ORDER BY uuid"
    held = [r[0] for r in kiosk.store.all(uuids)]
    assert held == [r[0] for r in counter.store.all(uuids)][:len(held)]
    assert set(r[0] for r in counter.store.all(uuids)) <= set(held)
    assert len(held) == len(set(held))
    assert kiosk.catalogue.count() == counter.catalogue.count() == 250

    [pulled] = [p for p in progress.current(kiosk.store) if p["direction"] == "pull"]
    assert pulled["events"] == result.pulled and pulled["bytes"] > 20_000
    assert not pulled["running"]


def test_sync_status_shows_a_transfer_while_it_runs(tmp_path, capsys):
    counter = a_busy_counter(tmp_path / "counter.db", records=5)
    kiosk = a_new_device(tmp_path / "kiosk.db", counter)
    progress.begin(kiosk.store, "http://quay.local:8470", "pull", now=1000.0)
    progress.advance(kiosk.store, "http://quay.local:8470", "pull", 1500, 96 * 1024, 4500,
                     now=1060.0)
    [entry] = progress.current(kiosk.store, now=1061.0)
    assert entry["eta_s"] == 180
    assert progress.describe(entry) == ("đang nhận http://quay.local:8470: 1.500 sự kiện, 96 KB, "
                                        "còn 4.500 sự kiện; còn khoảng 3 phút")
    import time

    progress.advance(kiosk.store, "http://quay.local:8470", "pull", 0, 96 * 1024, 4500,
                     now=time.time())
    kiosk.store.close()
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--db", str(tmp_path / "kiosk.db"), "sync-status"]) == 0
    assert "đang nhận http://quay.local:8470: 1.500 sự kiện" in out.getvalue()
