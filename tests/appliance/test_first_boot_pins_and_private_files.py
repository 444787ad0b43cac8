"""First boot sets the staff and technician PINs from the settings file and removes them;
backups are owner-only like the database."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import tomllib

import pytest
from processes import enrol_code, free_port, make_district, ok, run, serve, stop

from kiosk.app import open_library
from kiosk.appliance import firstboot, settings
from kiosk.appliance.backup import backup
from kiosk.appliance.files import under
from kiosk.core import pins, staff
from kiosk.core.node import init_library
from kiosk.store import open_store

STAFF_PIN, TECHNICIAN_PIN = "482913", "731950"


def write_settings(path, district_url: str, code: str) -> None:
    path.write_text(f"""\
role = "counter"
library_code = "TN-PHUTHO"
district_url = "{district_url}"
enrolment_code = "{code}"

[pins]
staff = "{STAFF_PIN}"
technician = "{TECHNICIAN_PIN}"

[printer]
paper_width_mm = 80
""", encoding="utf-8")


BASE = {"role": "kiosk", "library_code": "TN-PHUTHO", "district_url": "http://10.0.0.1:8480"}


def test_the_pins_table_is_read_and_its_values_never_shown():
    parsed = settings.parse({**BASE, "pins": {"staff": STAFF_PIN, "technician": TECHNICIAN_PIN}})
    assert (parsed.pins.staff, parsed.pins.technician) == (STAFF_PIN, TECHNICIAN_PIN)
    assert STAFF_PIN not in repr(parsed) and TECHNICIAN_PIN not in repr(parsed)
    assert settings.parse(BASE).pins == settings.Pins()


@pytest.mark.parametrize(("pins_table", "key", "vi"), [
    ({"staff": 482913}, "pins.staff", "ngoặc kép"),
    ({"staff": "12"}, "pins.staff", "4–8 chữ số"),
    ({"technician": "12ab56"}, "pins.technician", "4–8 chữ số"),
    ({"staff": STAFF_PIN, "technician": STAFF_PIN}, "pins", "phải khác"),
    ({"admin": STAFF_PIN}, "pins.admin", "không có cài đặt này"),
])
def test_a_bad_pin_is_named_in_both_languages_without_repeating_it(pins_table, key, vi):
    with pytest.raises(settings.SettingsError) as bad:
        settings.parse({**BASE, "pins": pins_table})
    assert bad.value.key == key and vi in str(bad.value) and "/" in str(bad.value)
    assert STAFF_PIN not in str(bad.value) and "482913" not in str(bad.value)


def test_without_secrets_drops_the_pins_and_their_empty_table():
    raw = {**BASE, "pins": {"staff": STAFF_PIN, "technician": TECHNICIAN_PIN},
           "printer": {"paper_width_mm": 80}}
    clean = settings.without_secrets(raw)
    assert clean == {**BASE, "printer": {"paper_width_mm": 80}}
    assert STAFF_PIN not in settings.render(clean)


@pytest.fixture
def district(tmp_path):
    db = tmp_path / "district.db"
    make_district(db)
    port = free_port()
    proc = serve(db, port)
    yield {"db": db, "url": f"http://127.0.0.1:{port}"}
    stop(proc)


def test_first_boot_sets_both_pins_and_removes_them_from_the_settings_file(tmp_path, district):
    root, path = tmp_path / "root", tmp_path / "kiosk-settings.toml"
    (root / "etc").mkdir(parents=True)
    write_settings(path, district["url"], enrol_code(district["db"]))

    out = ok(run("firstboot", "--settings", str(path), "--root", str(root)))
    assert STAFF_PIN not in out and TECHNICIAN_PIN not in out

    left = path.read_text(encoding="utf-8")
    assert STAFF_PIN not in left and TECHNICIAN_PIN not in left
    assert "pins" not in tomllib.loads(left)
    db = under(root, firstboot.DB)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert STAFF_PIN.encode() not in db.read_bytes() and TECHNICIAN_PIN.encode() not in db.read_bytes()
    store = open_store(db)
    try:
        assert staff.verify(store, staff.STAFF, STAFF_PIN)
        assert staff.verify(store, staff.TECHNICIAN, TECHNICIAN_PIN)
        assert not staff.verify(store, staff.STAFF, TECHNICIAN_PIN)
        assert not staff.verify(store, staff.TECHNICIAN, STAFF_PIN)
    finally:
        store.close()
    assert not under(root, firstboot.PINS_PENDING).exists()

    again = firstboot.run(path, root)
    assert again.pins_set == () and path.read_text(encoding="utf-8") == left


def test_while_enrolment_waits_the_pins_wait_as_verifiers_and_the_kiosk_installs_them(tmp_path):
    from kiosk.compose import _install_first_boot_pins

    root, path = tmp_path / "root", tmp_path / "kiosk-settings.toml"
    district_db, port = tmp_path / "district.db", free_port()
    make_district(district_db)
    write_settings(path, f"http://127.0.0.1:{port}", enrol_code(district_db))

    result = firstboot.run(path, root)
    assert result.enrolment == "pending" and result.pins_set == () and result.secrets_removed
    left = path.read_text(encoding="utf-8")
    assert STAFF_PIN not in left and TECHNICIAN_PIN not in left
    pending = under(root, firstboot.PINS_PENDING)
    assert stat.S_IMODE(pending.stat().st_mode) == 0o600
    held = pending.read_text()
    assert STAFF_PIN not in held and TECHNICIAN_PIN not in held
    assert {area: pins.cost(v) for area, v in json.loads(held).items()} == {
        "staff": (pins.N, pins.R, pins.P), "technician": (pins.N, pins.R, pins.P)}

    db = under(root, firstboot.DB)
    proc = serve(district_db, port)
    try:
        ok(run("--db", str(db), "enrol-retry", "--root", str(root)))
    finally:
        stop(proc)
    _install_first_boot_pins(db)
    assert not pending.exists()
    store = open_store(db)
    try:
        assert staff.verify(store, staff.STAFF, STAFF_PIN)
        assert staff.verify(store, staff.TECHNICIAN, TECHNICIAN_PIN)
    finally:
        store.close()


def test_backups_and_their_usb_copies_are_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        lib = open_library(tmp_path / "kiosk.db")
        init_library(lib, "TN-PHUTHO", "Thư viện xã Phú Thọ")
        lib.patrons.add("Võ Thị Hai", pin="246802")
        lib.store.close()
        stick = tmp_path / "usb"
        stick.mkdir()
        written = backup(tmp_path / "kiosk.db", tmp_path / "backups", copy_to=stick,
                         now=dt.datetime(2026, 12, 2, 18, 0))
        assert len(written) == 2
        assert [stat.S_IMODE(p.stat().st_mode) for p in written] == [0o600, 0o600]
    finally:
        os.umask(old)
