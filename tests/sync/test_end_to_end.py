"""District server, counter and kiosk as separate processes on loopback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from processes import free_port, ok, serve_module

from kiosk.app import open_library
from sync import auth, protocol


def run(*args: str, db: Path | None = None, module: str = "kiosk") -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    env.pop("KIOSK_DB", None)
    cmd = [sys.executable, "-m", module] + (["--db", str(db)] if db else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def site(tmp_path):
    """A district with one library, an enrolled counter serving the LAN, an enrolled kiosk."""
    district_db = tmp_path / "district.db"
    ok(run("--db", str(district_db), "init", module="district"))
    ok(run("--db", str(district_db), "library", "TN-PHUTHO", "Thư viện xã Phú Thọ", module="district"))
    codes = [ok(run("--db", str(district_db), "enrol-code", "--library", "TN-PHUTHO",
                    module="district")).strip() for _ in range(2)]
    district_port, counter_port = free_port(), free_port()
    procs = [serve_module(["district", "--db", str(district_db), "serve"], district_port)]
    district = f"http://127.0.0.1:{district_port}"
    counter, kiosk = tmp_path / "counter.db", tmp_path / "kiosk.db"
    try:
        ok(run("enrol", "--server", district, "--code", codes[0], "--name", "quay", db=counter))
        ok(run("enrol", "--server", district, "--code", codes[1], "--name", "kiosk", db=kiosk))
        procs.append(serve_module(["kiosk", "--db", str(counter), "serve-sync", "--no-advertise"],
                                  counter_port))
        yield {"district": district, "district_db": district_db, "counter": counter,
               "kiosk": kiosk, "counter_url": f"http://127.0.0.1:{counter_port}", "tmp": tmp_path}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def kiosk_sync(site, db: Path, *peers: str) -> dict:
    args = ["sync", "--no-discovery", "--json"] + [a for p in peers for a in ("--peer", p)]
    return json.loads(ok(run(*args, db=db)))


def test_offline_double_loan_is_one_conflict_everywhere_and_its_resolution_travels(site):
    counter, kiosk = site["counter"], site["kiosk"]
    record = json.loads(ok(run("record", "add", "--title", "Truyện Kiều", "--author", "Nguyễn Du",
                               "--json", db=counter)))["id"]
    ok(run("item", "add", record, "PT000001", db=counter))
    for name, card in (("Trần Văn An", "C1"), ("Lê Thị Bé", "C2")):
        ok(run("patron", "add", name, "--card", card, db=counter))
    assert all(r["ok"] for r in kiosk_sync(site, counter))          # counter -> district
    assert all(r["ok"] for r in kiosk_sync(site, kiosk, site["counter_url"]))
    assert json.loads(ok(run("search", "truyen kieu", "--json", db=kiosk)))[0]["available"] == 1

    ok(run("checkout", "C1", "PT000001", db=kiosk))                  # both offline
    ok(run("checkout", "C2", "PT000001", db=counter))
    kiosk_sync(site, kiosk, site["counter_url"])
    kiosk_sync(site, counter)
    kiosk_sync(site, kiosk)

    at_kiosk = json.loads(ok(run("conflicts", "--json", db=kiosk)))
    at_counter = json.loads(ok(run("conflicts", "--json", db=counter)))
    at_district = open_library(site["district_db"]).conflicts.list()
    assert [c["id"] for c in at_kiosk] == [c["id"] for c in at_counter] == \
        [c["id"] for c in at_district]
    assert [c["kind"] for c in at_kiosk] == ["double_checkout"]

    later_patron = at_counter[0]["events"][1]["payload"]["patron_id"]
    later_card = open_library(counter).patrons.by_id(later_patron)["card_number"]
    ok(run("conflicts", "--resolve", at_counter[0]["id"], "--action", "keep_second",
           "--note", "Bé đang cầm sách", db=counter))
    kiosk_sync(site, kiosk, site["counter_url"])
    kiosk_sync(site, counter)
    assert json.loads(ok(run("conflicts", "--json", db=kiosk))) == []
    assert open_library(site["district_db"]).conflicts.list() == []
    loans = json.loads(ok(run("loans", "--json", db=kiosk)))
    assert [(l["barcode"], l["card_number"]) for l in loans] == [("PT000001", later_card)]
    kiosk_sync(site, kiosk, site["counter_url"])
    status = json.loads(ok(run("sync-status", "--json", db=kiosk)))
    assert {p["peer"] for p in status["peers"]} == {site["district"], site["counter_url"]}
    assert all(p["last_success"] and p["pending"] == 0 for p in status["peers"])
    assert open_library(kiosk).store.get_meta("sync_status").startswith("2/2 máy đồng bộ được")


def test_a_new_device_bootstraps_from_the_district_snapshot(site):
    counter = site["counter"]
    record = json.loads(ok(run("record", "add", "--title", "Sếu đầu đỏ", "--json", db=counter)))["id"]
    ok(run("item", "add", record, "PT000009", db=counter))
    ok(run("patron", "add", "Võ Văn Tư", "--card", "C9", db=counter))
    ok(run("checkout", "C9", "PT000009", db=counter))
    kiosk_sync(site, counter)
    code = ok(run("--db", str(site["district_db"]), "enrol-code", "--library", "TN-PHUTHO",
                  module="district")).strip()
    fresh = site["tmp"] / "replacement.db"
    out = ok(run("enrol", "--server", site["district"], "--code", code, db=fresh))
    assert "Đã tải dữ liệu ban đầu" in out
    loans = json.loads(ok(run("loans", "--json", db=fresh)))
    assert [(l["barcode"], l["card_number"]) for l in loans] == [("PT000009", "C9")]
    result = kiosk_sync(site, fresh)
    assert result[0]["ok"] and result[0]["pulled"] == 0
    ok(run("checkin", "PT000009", db=fresh))
    kiosk_sync(site, fresh)
    kiosk_sync(site, counter)
    assert json.loads(ok(run("loans", "--json", db=counter))) == []


def test_an_enrolment_code_works_once(site):
    again = run("enrol", "--server", site["district"], "--code", "0000-0000-0000-0000",
                db=site["tmp"] / "x.db")
    assert again.returncode == 1 and "không đúng" in again.stderr


def signed_post(url: str, path: str, data, device_id: str, key: str) -> requests.Response:
    body = protocol.encode(data)
    headers = {"Content-Encoding": "gzip", **auth.sign_headers(key, device_id, "POST", path, body)}
    return requests.post(url + path, data=body, headers=headers, timeout=10)


def test_a_wrong_key_a_foreign_partition_and_garbage_are_refused_and_logged(site):
    kiosk = open_library(site["kiosk"])
    device_id = kiosk.store.get_meta("device_id")
    device_key = kiosk.store.get_meta("device_private_key")
    kiosk.catalogue.add_record({"title": "Bản ghi thử"})
    from sync import replica
    from sync.validate import event_to_wire
    events, _ = replica.events_since(kiosk.store, {})
    wire = [event_to_wire(e) for e in events]

    other_key, _ = auth.new_keypair()
    wrong = signed_post(site["district"], protocol.PUSH, {"events": wire}, device_id, other_key)
    assert wrong.status_code == 401 and "enrol" in wrong.json()["error"]
    foreign = [dict(w, library_id="TN-ANLONG") for w in wire]
    outside = signed_post(site["district"], protocol.PUSH, {"events": foreign}, device_id, device_key)
    assert outside.status_code == 403 and "TN-ANLONG" in outside.json()["error"]
    hostile = [dict(wire[0], type="record.put", payload={"table": "sqlite_master", "id": "x",
                                                           "fields": {}})]
    bad = signed_post(site["district"], protocol.PUSH, {"events": hostile}, device_id, device_key)
    assert bad.status_code == 400 and "nothing applied" in bad.json()["error"]
    garbage = requests.post(site["district"] + protocol.PUSH, data=b"\x1f\x8bnot gzip",
                            headers=auth.sign_headers(device_key, device_id, "POST",
                                                      protocol.PUSH, b"\x1f\x8bnot gzip"), timeout=10)
    assert garbage.status_code == 400

    district = open_library(site["district_db"])
    reasons = [r["reason"] for r in district.store.all("SELECT reason FROM sync_rejections")]
    assert any("bad signature" in r for r in reasons)
    assert any("partition" in r for r in reasons)
    assert district.store.scalar("SELECT COUNT(*) FROM records WHERE title = 'Bản ghi thử'") == 0
    assert all(r["ok"] for r in kiosk_sync(site, site["kiosk"]))
    assert open_library(site["district_db"]).store.scalar(
        "SELECT COUNT(*) FROM records WHERE title = 'Bản ghi thử'") == 1


class DroppingProxy:
    """Forwards TCP to a server but cuts every connection after ``limit`` bytes upstream."""

    def __init__(self, target_port: int, limit: int):
        self.target, self.limit, self.cut = target_port, limit, 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.enabled = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._pipe, args=(client,), daemon=True).start()

    def _pipe(self, client):
        upstream = socket.create_connection(("127.0.0.1", self.target))
        sent = 0

        def back():
            try:
                while data := upstream.recv(65536):
                    client.sendall(data)
            except OSError:
                pass
            finally:
                client.close()

        threading.Thread(target=back, daemon=True).start()
        try:
            while data := client.recv(65536):
                if self.enabled and sent + len(data) > self.limit:
                    self.cut += 1
                    upstream.sendall(data[: self.limit - sent])
                    break
                upstream.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            upstream.close()
            client.close()


def test_a_connection_cut_mid_batch_loses_nothing_and_the_next_round_succeeds(site):
    kiosk = open_library(site["kiosk"])
    record = kiosk.catalogue.add_record({"title": "Kỹ thuật nuôi cá lóc"})
    with kiosk.transaction():
        for n in range(800):
            kiosk.catalogue.add_item(record, f"CL{n:04d}")
    kiosk.store.close()
    port = int(site["district"].rsplit(":", 1)[1])
    proxy = DroppingProxy(port, limit=3000)
    cut = kiosk_sync_raw(site["kiosk"], f"http://127.0.0.1:{proxy.port}")
    assert cut.returncode == 1 and proxy.cut > 0
    proxy.enabled = False
    again = json.loads(ok(run("sync", "--no-discovery", "--json", "--peer",
                              f"http://127.0.0.1:{proxy.port}", db=site["kiosk"])))
    assert all(r["ok"] for r in again)
    district = open_library(site["district_db"])
    assert district.store.scalar("SELECT COUNT(*) FROM items WHERE barcode LIKE 'CL%'") == 800


def kiosk_sync_raw(db: Path, peer: str) -> subprocess.CompletedProcess:
    lib = open_library(db)
    lib.store.set_meta("district_url", peer)
    lib.store.close()
    return run("sync", "--no-discovery", db=db)


def test_the_district_learns_each_device_version_even_when_it_has_nothing_to_push(site):
    kiosk_sync(site, site["kiosk"])
    kiosk_sync(site, site["kiosk"])
    district = open_library(site["district_db"])
    versions = {r["name"]: (r["app_version"], json.loads(r["status"]).get("version"))
                for r in district.store.all("SELECT name, app_version, status FROM devices")}
    from kiosk import __version__
    assert versions["kiosk"] == (__version__, __version__)
    [status] = [json.loads(r["status"]) for r in district.store.all(
        "SELECT status FROM devices WHERE name = 'kiosk'")]
    assert status["pending"] == 0 and status["printer"] == "unknown"


def test_a_failed_snapshot_download_keeps_the_enrolment(site, monkeypatch):
    code = ok(run("--db", str(site["district_db"]), "enrol-code", "--library", "TN-PHUTHO",
                  module="district")).strip()
    import sync.client
    from kiosk.cli import main

    def broken(*args, **kwargs):
        raise sync.client.SyncError("đường truyền bị ngắt")

    monkeypatch.setattr(sync.client, "fetch_snapshot", broken)
    fresh = site["tmp"] / "unlucky.db"
    assert main(["--db", str(fresh), "enrol", "--server", site["district"], "--code", code]) == 0
    lib = open_library(fresh)
    assert lib.store.get_meta("device_private_key") and lib.code == "TN-PHUTHO"
    assert all(r["ok"] for r in kiosk_sync(site, fresh))
