"""The bootstrap file over the wire: pairing downloads it, a cut download resumes where it
stopped, a damaged one is refused, and the same file installs from a USB stick."""

from __future__ import annotations

import contextlib
import hashlib
import json

import pytest

from bench.lossy_proxy import LinkProfile, LossyProxy
from kiosk.app import open_library
from kiosk.cli import main
from kiosk.core.clock import FixedClock
from sync import bootstrap, bootstrap_serve, joining, pairing
from sync.bootstrap_fetch import Download, DownloadFailed
from sync.client import PeerClient
from sync.server import SyncServer
from sync.service import SyncService


def _noise(n: int) -> str:
    """Text no compressor shrinks much, so that a few hundred records make a file of
    several chunks (the ids a node mints cost next to nothing in the file)."""
    return hashlib.sha256(str(n).encode()).hexdigest()[:48]


def a_counter(path, records=0):
    lib = open_library(path, FixedClock("2026-11-20T09:00:00"))
    joining.found_library(lib, "TN-PHUTHO", "Thư viện xã Phú Thọ", device_name="quầy")
    first = lib.catalogue.add_record({"title": "Đất rừng phương Nam", "authors": ["Đoàn Giỏi"]})
    lib.catalogue.add_item(first, "PT1")
    lib.patrons.add("Bạn đọc một", "adult", card_number="C1")
    lib.circulation.checkout("C1", "PT1")
    with lib.transaction():
        for n in range(records):
            record = lib.catalogue.add_record({"title": f"Sách thứ {n} về lúa và cá đồng bằng",
                                               "authors": [f"Tác giả {n % 37}"],
                                               "notes": f"ghi chú {_noise(n)}"})
            lib.catalogue.add_item(record, f"BC{n:06d}")
    return lib


@contextlib.contextmanager
def serving(lib):
    service = SyncService(lib)
    server = SyncServer(service, "127.0.0.1", 0)
    server.start()
    server.files = service.bootstrap_files
    try:
        yield server, f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


def a_device(tmp_path, counter, url):
    """A registered device of the counter's library with its key, as pairing leaves it."""
    code, _ = pairing.issue_code(counter)
    from sync import auth

    private, public = auth.new_keypair()
    reply = pairing.pair_device(counter, code, public, "kiosk", "kiosk")
    return reply["device_id"], private


def test_pairing_downloads_the_file_and_the_device_syncs_on_without_pulling_history(tmp_path):
    counter = a_counter(tmp_path / "counter.db")
    with serving(counter) as (_, url):
        code, _ = pairing.issue_code(counter)
        joined = joining.pair(tmp_path / "kiosk.db", url, code, device_name="kiosk")
        assert joined.bootstrapped
        kiosk = open_library(tmp_path / "kiosk.db")
        assert [r["barcode"] for r in kiosk.store.all(
            "SELECT i.barcode FROM loans l JOIN items i ON i.id = l.item_id")] == ["PT1"]
        result = PeerClient(kiosk, url).round()
        assert result.ok, result.errors
        assert result.pulled == 0
        kiosk.circulation.checkin("PT1")
        assert PeerClient(kiosk, url).round().pushed == 1
    assert counter.store.all("SELECT * FROM loans") == []
    assert not (tmp_path / "kiosk.db.kboot").exists()


def test_a_download_cut_again_and_again_resumes_and_never_starts_over(tmp_path, monkeypatch):
    monkeypatch.setattr(bootstrap_serve, "MAX_CHUNK", 4096)
    counter = a_counter(tmp_path / "counter.db", records=500)
    with serving(counter) as (server, url):
        device, private = a_device(tmp_path, counter, url)
        made = server.files.build_now({"TN-PHUTHO", "*"}, "TN-PHUTHO")
        assert made["size"] > 12_000
        cuts = LinkProfile(rate=2_000_000, rtt=0.01, reset_after=(3_000, 5_000, 4_000, 7_000))
        with LossyProxy(("127.0.0.1", server.port), cuts) as proxy:
            target = tmp_path / "stick.kboot"
            manifest = Download(proxy.url, device, private, backoff=0.01).fetch(target)
        assert proxy.resets == 4
        assert manifest["sha256"] == bootstrap.file_sha256(target)[0] == made["sha256"]
        assert proxy.down < made["size"] * 1.5   # resumed each time, not from zero
        from sync import snapshot

        snapshot.install(target, tmp_path / "kiosk.db", "TN-PHUTHO", None)
        assert open_library(tmp_path / "kiosk.db").catalogue.count() == 501 == counter.catalogue.count()


def test_a_download_given_up_at_ninety_per_cent_continues_on_the_next_run(tmp_path, monkeypatch):
    monkeypatch.setattr(bootstrap_serve, "MAX_CHUNK", 4096)
    counter = a_counter(tmp_path / "counter.db", records=900)  # a file of 5 to 6 chunks
    with serving(counter) as (server, url):
        device, private = a_device(tmp_path, counter, url)
        made = server.files.build_now({"TN-PHUTHO", "*"}, "TN-PHUTHO")
        target = tmp_path / "kiosk.kboot"
        dead_line = LinkProfile(rate=2_000_000, rtt=0.01,
                                reset_after=(int(made["size"] * 0.9), 0, 0, 0, 0, 0))
        with LossyProxy(("127.0.0.1", server.port), dead_line) as proxy:
            with pytest.raises(DownloadFailed, match="tải tiếp phần còn lại"):
                Download(proxy.url, device, private, retries=3, backoff=0.01).fetch(target)
        kept = (tmp_path / "kiosk.kboot.part").stat().st_size
        assert made["size"] * 0.6 < kept < made["size"]   # less what was in flight
        with LossyProxy(("127.0.0.1", server.port), LinkProfile(rate=2_000_000, rtt=0.01)) as proxy:
            Download(proxy.url, device, private).fetch(target)
        assert proxy.down < (made["size"] - kept) + 5_000
        assert bootstrap.file_sha256(target)[0] == made["sha256"]


def test_a_file_damaged_on_the_server_is_refused_and_deleted(tmp_path):
    counter = a_counter(tmp_path / "counter.db", records=50)
    with serving(counter) as (server, url):
        device, private = a_device(tmp_path, counter, url)
        made = server.files.build_now({"TN-PHUTHO", "*"}, "TN-PHUTHO")
        [stored] = server.files.folder.glob(f"*{made['sha256']}.kboot")
        data = bytearray(stored.read_bytes())
        data[len(data) // 2] ^= 0xFF
        stored.write_bytes(bytes(data))
        target = tmp_path / "kiosk.kboot"
        with pytest.raises(bootstrap.Damaged, match="SHA-256 không khớp"):
            Download(url, device, private).fetch(target)
        assert not target.exists() and not (tmp_path / "kiosk.kboot.part").exists()


def test_an_unknown_device_gets_no_file(tmp_path):
    counter = a_counter(tmp_path / "counter.db")
    from sync import auth

    private, _ = auth.new_keypair()
    with serving(counter) as (_, url):
        with pytest.raises(DownloadFailed, match="từ chối"):
            Download(url, "0" * 32, private).fetch(tmp_path / "x.kboot")


def test_kiosk_bootstrap_from_a_usb_file_and_a_damaged_one(tmp_path, capsys):
    counter = a_counter(tmp_path / "counter.db", records=20)
    counter.store.close()
    stick = tmp_path / "stick" / "tn-phutho.kboot"
    stick.parent.mkdir()
    assert main(["--db", str(tmp_path / "counter.db"), "bootstrap", "--export", str(stick)]) == 0
    assert main(["--db", str(tmp_path / "new.db"), "bootstrap", "--from", str(stick)]) == 0
    out = capsys.readouterr()
    assert "Đã cài dữ liệu ban đầu của thư viện TN-PHUTHO: 21 đầu sách" in out.out
    assert "Đang dựng chỉ mục tìm kiếm" in out.err
    assert main(["--db", str(tmp_path / "new.db"), "loans", "--json"]) == 0
    assert [l["barcode"] for l in json.loads(capsys.readouterr().out)] == ["PT1"]

    broken = tmp_path / "stick" / "broken.kboot"
    broken.write_bytes(stick.read_bytes()[:-100])
    assert main(["--db", str(tmp_path / "other.db"), "bootstrap", "--from", str(broken),
                 "--library", "TN-PHUTHO"]) == 4
    assert "tệp khởi tạo bị hỏng" in capsys.readouterr().err
    assert not (tmp_path / "other.db").exists()
    again = main(["--db", str(tmp_path / "new.db"), "bootstrap", "--from", str(stick)])
    assert again == 1 and "chỉ dùng cho thiết bị trống" in capsys.readouterr().err
