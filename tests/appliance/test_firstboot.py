"""First boot against a temporary system root and a real district server on loopback."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import tomllib

import pytest
from processes import enrol_code, free_port, make_district, ok, run, serve, stop

from hardware.device_config import load_config
from kiosk import config
from kiosk.appliance import enrolment, firstboot
from kiosk.appliance.files import under
from kiosk.store import open_store

PASSPHRASE = "mat-khau-wifi-2026"


def write_settings(path, district_url, code, role="kiosk"):
    path.write_text(f"""\
# Cài đặt cho máy mới / settings for a new card
role = "{role}"
library_code = "TN-PHUTHO"
district_url = "{district_url}"
enrolment_code = "{code}"
peers = ["http://192.168.1.20:8470"]

[wifi]
ssid = "ThuVien PhuTho"
passphrase = "{PASSPHRASE}"

[printer]
uri = "usb:0416:5011"
paper_width_mm = 80

[scanner]
kind = "serial"
port = "/dev/ttyACM0"
""", encoding="utf-8")


@pytest.fixture
def district(tmp_path):
    db = tmp_path / "district.db"
    make_district(db)
    port = free_port()
    proc = serve(db, port)
    yield {"db": db, "url": f"http://127.0.0.1:{port}"}
    stop(proc)


def test_first_boot_enrols_bootstraps_configures_and_removes_the_secrets(tmp_path, district):
    root, settings = tmp_path / "root", tmp_path / "kiosk-settings.toml"
    (root / "etc").mkdir(parents=True)
    (root / "etc/machine-id").write_text("0123456789abcdef0123456789abcdef\n")
    code = enrol_code(district["db"])
    write_settings(settings, district["url"], code, role="counter")

    out = ok(run("firstboot", "--settings", str(settings), "--root", str(root)))
    assert "đã đăng ký" in out

    left = settings.read_text(encoding="utf-8")
    assert code not in left and PASSPHRASE not in left
    data = tomllib.loads(left)
    assert "enrolment_code" not in data and data["wifi"] == {"ssid": "ThuVien PhuTho"}
    assert data["printer"]["paper_width_mm"] == 80 and data["peers"] == ["http://192.168.1.20:8470"]

    db = under(root, firstboot.DB)
    store = open_store(db)
    assert store.get_meta("library_code") == "TN-PHUTHO"
    assert store.get_meta("device_id") and store.get_meta("device_private_key")
    assert store.get_meta("district_url") == district["url"]
    assert store.get_meta("peers") == "http://192.168.1.20:8470"
    assert store.scalar("SELECT name FROM libraries WHERE code = 'TN-PHUTHO'")
    assert store.scalar("SELECT COUNT(*) FROM policies") > 0
    store.close()
    assert not under(root, enrolment.PENDING).exists()

    hostname = (root / "etc/hostname").read_text().strip()
    assert re.fullmatch(r"thuvien-tn-phutho-[0-9a-f]{4}", hostname)
    assert f"127.0.1.1\t{hostname}" in (root / "etc/hosts").read_text()
    assert (root / "etc/machine-id").read_text() == ""
    district_devices = sqlite3.connect(district["db"]).execute(
        "SELECT name, library_id FROM devices").fetchall()
    assert district_devices == [(hostname, "TN-PHUTHO")]

    assert (root / "etc/timezone").read_text() == "Asia/Ho_Chi_Minh\n"
    assert os.readlink(root / "etc/localtime") == "/usr/share/zoneinfo/Asia/Ho_Chi_Minh"
    wifi = under(root, firstboot.WIFI)
    assert stat.S_IMODE(wifi.stat().st_mode) == 0o600
    assert f"psk={PASSPHRASE}" in wifi.read_text() and "ssid=ThuVien PhuTho" in wifi.read_text()
    assert (root / "etc/kiosk/role-counter").exists()

    os.environ["KIOSK_CONFIG"] = str(root / "etc/kiosk/kiosk.toml")
    try:
        assert config.load().db == "/var/lib/kiosk/kiosk.db"
    finally:
        del os.environ["KIOSK_CONFIG"]
    devices = load_config(root / "etc/kiosk/devices.toml")
    assert (devices.scanner.kind, devices.scanner.port, devices.printer.uri) == \
        ("serial", "/dev/ttyACM0", "usb:0416:5011")
    assert devices.card_reader.kind == "none"

    wifi_before, settings_before = wifi.read_text(), settings.read_text()
    again = firstboot.run(settings, root)
    assert (again.hostname, again.enrolment, again.secrets_removed) == (hostname, "enrolled", False)
    assert wifi.read_text() == wifi_before and settings.read_text() == settings_before
    assert (root / "etc/hostname").read_text().strip() == hostname


def test_an_unreachable_district_leaves_a_retry_marker_and_the_retry_enrols(tmp_path):
    root, settings = tmp_path / "root", tmp_path / "kiosk-settings.toml"
    district_db, port = tmp_path / "district.db", free_port()
    make_district(district_db)
    code = enrol_code(district_db)
    write_settings(settings, f"http://127.0.0.1:{port}", code)

    result = firstboot.run(settings, root)
    assert result.enrolment == "pending"
    db, pending = under(root, firstboot.DB), under(root, enrolment.PENDING)
    assert not db.exists()
    assert stat.S_IMODE(pending.stat().st_mode) == 0o600
    assert code in pending.read_text()
    assert code not in settings.read_text() and PASSPHRASE not in settings.read_text()
    assert PASSPHRASE in under(root, firstboot.WIFI).read_text()
    assert not (root / "etc/kiosk/role-counter").exists()

    still = run("--db", str(db), "enrol-retry", "--root", str(root))
    assert still.returncode == 1 and "sẽ tự thử" in still.stdout and pending.exists()

    proc = serve(district_db, port)
    try:
        out = ok(run("--db", str(db), "enrol-retry", "--root", str(root)))
    finally:
        stop(proc)
    assert "đã đăng ký" in out
    assert not pending.exists()
    store = open_store(db)
    assert store.get_meta("library_code") == "TN-PHUTHO" and store.get_meta("device_id")
    assert store.get_meta("peers") == "http://192.168.1.20:8470"
    store.close()
    assert ok(run("--db", str(db), "enrol-retry", "--root", str(root))).startswith("Không có")


def test_a_refused_code_is_kept_for_the_technician_and_reported(tmp_path, district):
    root, settings = tmp_path / "root", tmp_path / "kiosk-settings.toml"
    write_settings(settings, district["url"], "1111-2222-3333-4444")
    done = run("firstboot", "--settings", str(settings), "--root", str(root))
    assert done.returncode == 1 and "từ chối" in done.stdout
    assert "1111-2222-3333-4444" in under(root, enrolment.PENDING).read_text()
    assert "1111-2222-3333-4444" not in settings.read_text()
    assert not under(root, firstboot.DB).exists()


def test_bad_settings_change_nothing_and_say_what_is_wrong_in_both_languages(tmp_path):
    root, settings = tmp_path / "root", tmp_path / "kiosk-settings.toml"
    write_settings(settings, "http://127.0.0.1:1", "1111-2222-3333-4444")
    settings.write_text(settings.read_text().replace('role = "kiosk"', 'role = "quầy"'))
    before = settings.read_text()
    done = run("firstboot", "--settings", str(settings), "--root", str(root))
    assert done.returncode == 4
    assert "role" in done.stderr and "phải là" in done.stderr and "must be" in done.stderr
    assert settings.read_text() == before and not root.exists()
