"""The tied-stamp divergence as a librarian saw it, through real `kiosk` processes.

Two devices of a library that never saw a hub pair on the LAN; after a full sync both
clocks stand a few minutes behind the newest shared stamp (a Pi back from a power cut
without an RTC), so each lends the same copy with *the same* stamp. Before the ordering
fix node a said the copy was with patron 1, node b with patron 2, forever, even after a
librarian resolved the conflict.
"""

from __future__ import annotations

import glob
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from processes import free_port, ok, serve_module, stop

FAKETIME_LIBS = "/usr/lib/*/faketime/libfaketime.so.1"


def kiosk(db: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None):
    environment = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml", **(env or {})}
    environment.pop("KIOSK_DB", None)
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", str(db), *args],
                          capture_output=True, text=True, env=environment, timeout=120,
                          input=stdin)


@pytest.fixture
def behind() -> dict[str, str]:
    found = sorted(glob.glob(FAKETIME_LIBS))
    assert found, "libfaketime is missing: install Debian's `faketime` package (dev.sh does)"
    return {"LD_PRELOAD": found[0], "FAKETIME": "-3m"}


def loans(db: Path) -> list[tuple[str, str]]:
    return sorted((r["barcode"], r["card_number"]) for r in
                  json.loads(ok(kiosk(db, "loans", "--json"))))


def test_two_paired_devices_lending_with_equal_stamps_agree_and_show_the_same_conflict(
        tmp_path, behind):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    ok(kiosk(a, "init", "--library", "TN-TRAMCHIM", "--name", "Thư viện thị trấn Tràm Chim"))
    record = json.loads(ok(kiosk(a, "record", "add", "--title", "Đất phương Nam",
                                 "--author", "Đoàn Giỏi", "--json")))["id"]
    ok(kiosk(a, "item", "add", record, "TC000001"))
    for name, card in (("Trần Văn An", "TC-1"), ("Lê Thị Bé", "TC-2")):
        ok(kiosk(a, "patron", "add", name, "--card", card))
    port = free_port()
    server = serve_module(["kiosk", "--db", str(a), "serve-sync", "--no-advertise"], port)
    url = f"http://127.0.0.1:{port}"
    try:
        code = json.loads(ok(kiosk(a, "pair-code", "--json")))["code"]
        ok(kiosk(b, "pair", "--peer", url, "--code", code, "--name", "kiosk"))
        ok(kiosk(b, "sync", "--no-discovery"))
        ok(kiosk(b, "sync", "--no-discovery"))    # both now hold the same newest stamp
        ok(kiosk(a, "checkout", "TC-1", "TC000001", env=behind))
        ok(kiosk(b, "checkout", "TC-2", "TC000001", env=behind))
        stamps = [sqlite3.connect(db).execute(
            "SELECT hlc FROM events WHERE type = 'loan.checkout'").fetchone()[0] for db in (a, b)]
        assert stamps[0] == stamps[1]                 # the tie this test is about
        ok(kiosk(b, "sync", "--no-discovery"))
        ok(kiosk(b, "sync", "--no-discovery"))

        assert loans(a) == loans(b)
        at_a = json.loads(ok(kiosk(a, "conflicts", "--json")))
        at_b = json.loads(ok(kiosk(b, "conflicts", "--json")))
        assert [(c["id"], c["kind"], c["patron_id"], c["event_uuids"]) for c in at_a] == \
            [(c["id"], c["kind"], c["patron_id"], c["event_uuids"]) for c in at_b]
        assert [c["kind"] for c in at_a] == ["double_checkout"]
        ok(kiosk(a, "conflicts", "--resolve", at_a[0]["id"], "--action", "keep_second"))
        ok(kiosk(b, "sync", "--no-discovery"))
        assert json.loads(ok(kiosk(a, "conflicts", "--json"))) == \
            json.loads(ok(kiosk(b, "conflicts", "--json"))) == []
        assert loans(a) == loans(b)
    finally:
        stop(server)
