"""`kiosk sync --daemon --peer URL` syncs with that peer (a real `serve-sync` on loopback),
not only with the configured and discovered ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import enrol_code, free_port, make_district, ok, run, serve, serve_module, stop


@pytest.fixture
def counter_and_kiosk(tmp_path):
    """Two enrolled devices of one library; the counter serves sync on loopback."""
    district_db = tmp_path / "district.db"
    make_district(district_db)
    codes = [enrol_code(district_db) for _ in range(2)]
    district_port, counter_port = free_port(), free_port()
    procs = [serve(district_db, district_port)]
    district = f"http://127.0.0.1:{district_port}"
    counter, kiosk = tmp_path / "counter.db", tmp_path / "kiosk.db"
    try:
        ok(run("--db", str(counter), "enrol", "--server", district, "--code", codes[0],
               "--name", "quay"))
        ok(run("--db", str(kiosk), "enrol", "--server", district, "--code", codes[1],
               "--name", "kiosk"))
        procs.append(serve_module(["kiosk", "--db", str(counter), "serve-sync", "--no-advertise"],
                                  counter_port))
        yield counter, kiosk, f"http://127.0.0.1:{counter_port}"
    finally:
        for proc in procs:
            stop(proc)


def start_daemon(db: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    env.pop("KIOSK_DB", None)
    return subprocess.Popen([sys.executable, "-m", "kiosk", "--db", str(db), "sync", "--daemon",
                             "--no-discovery", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)


def titles(db: Path, query: str) -> list[str]:
    return [hit["title"] for hit in json.loads(ok(run("--db", str(db), "search", query, "--json")))]


def test_the_sync_daemon_should_sync_with_a_peer_given_on_the_command_line(counter_and_kiosk):
    counter, kiosk, counter_url = counter_and_kiosk
    record = json.loads(ok(run("--db", str(counter), "record", "add", "--title", "Sông Tiền",
                               "--author", "Nguyễn Văn Bổng", "--json")))["id"]
    ok(run("--db", str(counter), "item", "add", record, "PT000001"))
    assert titles(kiosk, "song tien") == []       # only the counter has it, not the district

    daemon = start_daemon(kiosk, "--peer", counter_url, "--interval", "1")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and titles(kiosk, "song tien") != ["Sông Tiền"]:
            assert daemon.poll() is None, daemon.stderr.read()
            time.sleep(0.5)
        assert titles(kiosk, "song tien") == ["Sông Tiền"]
    finally:
        stop(daemon)
    status = json.loads(ok(run("--db", str(kiosk), "sync-status", "--json")))
    reached = {p["peer"]: p["last_success"] for p in status["peers"]}
    assert reached.get(counter_url), status["peers"]
