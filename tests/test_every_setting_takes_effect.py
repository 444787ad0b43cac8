"""Each setting declared in appconfig.spec reaches what it configures, through the same path the
appliance takes (settings file -> loader -> composition root -> window, devices, printer)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tomllib

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from appconfig.spec import OPTIONS
from hardware.cardreaders.rdm6300 import CARD_NUMBER_FORMATS, Rdm6300Reader
from hardware.device_config import parse_config
from hardware.devices import DeviceRegistry
from kiosk import compose, config
from kiosk.appliance import enrolment, firstboot
from kiosk.appliance.files import under
from kiosk.core import pins, staff

SPEC = {option.name: option for option in OPTIONS}
SERIAL = {"kind": "serial", "port": "/dev/ttyNOPE0"}
NONE = {"scanner": {"kind": "none"}, "card_reader": {"kind": "none"}}


def _reader(data: dict):
    """The readers the registry builds from ``data`` (started, then stopped)."""
    registry = DeviceRegistry(parse_config({"hotplug": False, **data}, environ={}))
    registry.start()
    try:
        return registry, list(registry.readers)
    finally:
        registry.stop()


def _wedge(data: dict):
    devices = parse_config({"scanner": {"kind": "wedge"}, "wedge": data}, environ={})
    return compose.Appliance(None, devices, None, None, None, compose.ScanSink()).wedge_settings


DEVICE_PROBES = {
    "scanner.kind": (lambda: _reader(NONE)[1], lambda readers: readers == []),
    "scanner.port": (lambda: _reader({"scanner": SERIAL})[1][0],
                     lambda r: r.port == "/dev/ttyNOPE0"),
    "scanner.terminator": (lambda: _reader({"scanner": {**SERIAL, "terminator": "CRLF"}})[1][0],
                           lambda r: r.framer.terminator == b"\r\n"),
    "scanner.baudrate": (lambda: _reader({"scanner": {**SERIAL, "baudrate": 115200}})[1][0],
                         lambda r: r.baudrate == 115200),
    "scanner.device": (lambda: _reader({"scanner": {"kind": "evdev", "device": "/dev/input/n0"}})[1][0],
                       lambda r: r.path == "/dev/input/n0"),
    "card_reader.kind": (lambda: _reader({"card_reader": {"kind": "rdm6300", "port": "/dev/n1"}})[1][1],
                         lambda r: isinstance(r, Rdm6300Reader)),
    "card_reader.port": (lambda: _reader({"card_reader": {"kind": "rdm6300", "port": "/dev/n1"}})[1][1],
                         lambda r: r.port == "/dev/n1"),
    "card_reader.device": (lambda: _reader({"card_reader": {"kind": "evdev",
                                                            "device": "/dev/input/n2"}})[1][1],
                           lambda r: r.path == "/dev/input/n2" and r.kind == "card_reader"),
    "card_reader.card_number_format": (
        lambda: _reader({"card_reader": {"card_number_format": "hex"}})[1][1],
        lambda r: r._card_number is CARD_NUMBER_FORMATS["hex"]),
    "card_reader.debounce_seconds": (
        lambda: _reader({"card_reader": {"debounce_seconds": 2.5}})[1][1],
        lambda r: r.debouncer.hold == 2.5),
    "wedge.max_interval_ms": (lambda: _wedge({"max_interval_ms": 12}),
                              lambda w: w.max_interval == pytest.approx(0.012)),
    "wedge.suffix": (lambda: _wedge({"suffix": ["Tab"]}), lambda w: w.suffix == ("Tab",)),
    "wedge.prefix": (lambda: _wedge({"prefix": "]C1"}), lambda w: w.prefix == "]C1"),
    "wedge.min_length": (lambda: _wedge({"min_length": 6}), lambda w: w.min_length == 6),
    "camera.enabled": (lambda: _reader({**NONE, "camera": {"enabled": True}})[1],
                       lambda readers: [r.name for r in readers] == ["camera:0"]),
    "camera.index": (lambda: _reader({**NONE, "camera": {"enabled": True, "index": 7}})[1][0],
                     lambda r: r._scanner.source.device == 7 and r.name == "camera:7"),
    "camera.folder": (lambda: _reader({**NONE, "camera": {"enabled": True,
                                                          "folder": "/nope/frames"}})[1][0],
                      lambda r: str(r._scanner.source.folder) == "/nope/frames"),
    "camera.dedup_seconds": (lambda: _reader({**NONE, "camera": {"enabled": True,
                                                                 "dedup_seconds": 4.0}})[1][0],
                             lambda r: r._scanner._dedup.window == 4.0),
    "hotplug": (lambda: DeviceRegistry(parse_config({"hotplug": False}, environ={})).status(),
                lambda rows: "hot-plug: disabled in config" in [r.detail for r in rows]),
}


@pytest.mark.parametrize("name", sorted(DEVICE_PROBES))
def test_a_device_setting_should_reach_the_reader_it_configures(name):
    build, check = DEVICE_PROBES[name]
    assert check(build())


def _raster_width_bytes(data: bytes) -> int:
    at = data.index(b"\x1dv0")
    return data[at + 4] + 256 * data[at + 5]


def test_the_printer_uri_and_paper_width_should_reach_the_printed_slip(lib, tmp_path):
    from hardware.printing.fake import FakeNetworkPrinter
    from hardware.printing.slips import TestPage

    printed = {}
    for width in (58, 80):
        fake = FakeNetworkPrinter().start()
        try:
            devices = parse_config({**NONE, "hotplug": False, "printer": {
                "uri": fake.uri, "paper_width_mm": width}}, environ={})
            cfg = config.load(environ={"KIOSK_CONFIG": str(tmp_path / "none.toml"),
                                       "KIOSK_DB": str(tmp_path / f"{width}" / "node.db")})
            (tmp_path / f"{width}").mkdir()
            appliance = compose.build(cfg, devices_config=devices, library=lib,
                                      cache_dir=tmp_path)
            try:
                appliance.print_queue.submit(TestPage("Thư viện", dt.datetime(2026, 11, 20, 9)))
                assert fake.model.wait_for_cuts(1, timeout=10)
                printed[width] = fake.model.received
            finally:
                appliance.print_queue.stop()
        finally:
            fake.stop()
    assert _raster_width_bytes(printed[58]) == 384 // 8
    assert _raster_width_bytes(printed[80]) == 576 // 8


KIOSK_TOML = """\
log_level = "DEBUG"
idle_seconds = 42
staff_idle_seconds = 900
sound_volume = 33
quiet_hours = "11:00-13:30"
large_text = true
high_contrast = true
staff_typing = "vni"
"""


def test_the_program_settings_should_reach_the_window(qapp, lib, tmp_path):
    from kiosk.ui.app import launch

    (tmp_path / "kiosk.toml").write_text(f'db = "{lib.store.path}"\n' + KIOSK_TOML)
    cfg = config.load(environ={"KIOSK_CONFIG": str(tmp_path / "kiosk.toml")})
    devices = parse_config({**NONE, "hotplug": False}, environ={})
    appliance = compose.build(cfg, devices_config=devices, cache_dir=tmp_path)
    runtime = launch(appliance, environ={}, show=False)
    try:
        shell = runtime.shell
        assert str(appliance.library.store.path) == str(lib.store.path)
        assert shell.patron_idle_ms == 42_000
        assert shell.staff_idle_ms == 900_000
        assert shell.sound.volume == 33
        assert shell.sound.quiet == (dt.time(11, 0), dt.time(13, 30))
        assert (shell.default_large, shell.default_contrast) == (True, True)
        assert runtime.ctx.settings["staff_typing"] == "vni"  # keys: test_staff_vi_typing.py
    finally:
        runtime.shutdown()


def test_the_log_level_should_reach_the_command_line(lib, tmp_path):
    (tmp_path / "kiosk.toml").write_text('log_level = "ERROR"\n')
    env = {**os.environ, "KIOSK_CONFIG": str(tmp_path / "kiosk.toml"),
           "KIOSK_DB": str(lib.store.path)}
    code = ("import logging, sys; from kiosk.cli import main; main(['staff-pin', 'status']); "
            "print(logging.getLogger().getEffectiveLevel())")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip().splitlines()[-1] == str(40), done.stderr


def test_a_bad_program_setting_should_stop_the_command_with_its_name(tmp_path):
    (tmp_path / "kiosk.toml").write_text('sound_volume = 300\nidle_secs = 5\n')
    env = {**os.environ, "KIOSK_CONFIG": str(tmp_path / "kiosk.toml")}
    done = subprocess.run([sys.executable, "-m", "kiosk", "staff-pin", "status"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "idle_secs" in done.stderr


FIRST_BOOT = """\
role = "counter"
library_code = "TN-TANCONG"
district_url = "http://127.0.0.1:1"
enrolment_code = "1111-2222-3333-4444"
timezone = "Asia/Bangkok"
peers = ["http://192.168.1.20:8470"]
device_name = "Quầy chính"

[wifi]
ssid = "ThuVien"
passphrase = "mat-khau-wifi"

[pins]
staff = "482913"
technician = "731950"
"""


@pytest.fixture(scope="module")
def first_boot(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("firstboot")
    root, settings = tmp / "root", tmp / "kiosk-settings.toml"
    settings.write_text(FIRST_BOOT, encoding="utf-8")
    result = firstboot.run(settings, root)
    pending = json.loads(under(root, enrolment.PENDING).read_text())
    verifiers = json.loads(under(root, firstboot.PINS_PENDING).read_text())
    return root, result, pending, verifiers


FIRST_BOOT_CHECKS = {
    "role": lambda root, result, pending, v: (root / "etc/kiosk/role-counter").exists(),
    "library_code": lambda root, result, pending, v: pending["library_code"] == "TN-TANCONG"
    and result.hostname.startswith("thuvien-tn-tancong-"),
    "district_url": lambda root, result, pending, v: pending["server"] == "http://127.0.0.1:1",
    "enrolment_code": lambda root, result, pending, v: pending["code"] == "1111-2222-3333-4444"
    and result.enrolment == "pending",
    "timezone": lambda root, result, pending, v: (root / "etc/timezone").read_text() ==
    "Asia/Bangkok\n",
    "peers": lambda root, result, pending, v: pending["peers"] == ["http://192.168.1.20:8470"],
    "device_name": lambda root, result, pending, v: pending["device_name"] == "Quầy chính",
    "wifi.ssid": lambda root, result, pending, v: "ssid=ThuVien\n" in
    under(root, firstboot.WIFI).read_text(),
    "wifi.passphrase": lambda root, result, pending, v: "psk=mat-khau-wifi\n" in
    under(root, firstboot.WIFI).read_text(),
    "pins.staff": lambda root, result, pending, v: pins.verify_pin("482913", v[staff.STAFF]),
    "pins.technician": lambda root, result, pending, v: pins.verify_pin(
        "731950", v[staff.TECHNICIAN]),
}


@pytest.mark.parametrize("name", sorted(FIRST_BOOT_CHECKS))
def test_a_first_boot_setting_should_reach_the_system(first_boot, name):
    assert FIRST_BOOT_CHECKS[name](*first_boot)


def test_first_boot_should_write_a_kiosk_file_the_kiosk_reads(first_boot):
    root = first_boot[0]
    data = tomllib.loads((root / "etc/kiosk/kiosk.toml").read_text())
    cfg = config.load(environ={"KIOSK_CONFIG": str(root / "etc/kiosk/kiosk.toml")})
    assert (cfg.db, cfg.log_level) == (data["db"], "INFO")


ENV_VALUES = {"db": "/tmp/other.db", "log_level": "DEBUG", "idle_seconds": 30.0, "staff_idle_seconds": 1200.0,
              "sound_volume": 10, "quiet_hours": "12:00-13:00", "large_text": True,
              "high_contrast": True, "staff_typing": "off",
              "scanner.kind": "none", "scanner.port": "/dev/ttyACM9",
              "scanner.terminator": "LF", "scanner.baudrate": 19200,
              "scanner.device": "/dev/input/x", "card_reader.kind": "none",
              "card_reader.port": "/dev/ttyUSB9", "card_reader.device": "/dev/input/y",
              "card_reader.card_number_format": "wiegand26",
              "card_reader.debounce_seconds": 0.5, "wedge.max_interval_ms": 9.0,
              "wedge.suffix": ("Enter", "Tab"), "wedge.prefix": "X", "wedge.min_length": 8,
              "camera.enabled": True, "camera.index": 2, "camera.folder": "/tmp/frames",
              "camera.dedup_seconds": 3.0, "printer.uri": "tcp:127.0.0.1:9100",
              "printer.paper_width_mm": 80, "hotplug": False}


def _env_text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


@pytest.mark.parametrize("name", sorted(n for n, o in SPEC.items() if o.env))
def test_an_environment_variable_should_override_its_setting(name, tmp_path):
    option = SPEC[name]
    value = ENV_VALUES[name]
    assert value != option.default
    environ = {option.env: _env_text(value), "KIOSK_CONFIG": str(tmp_path / "none.toml")}
    if "kiosk" in option.files:
        assert getattr(config.load(environ=environ), name) == value
    else:
        devices = parse_config({}, environ=environ)
        section, _, key = name.rpartition(".")
        holder = getattr(devices, section) if section else devices
        assert getattr(holder, key) == value


def test_every_declared_setting_should_have_a_test_of_its_effect():
    tested = set(DEVICE_PROBES) | set(FIRST_BOOT_CHECKS) | {"printer.uri", "printer.paper_width_mm"}
    tested |= {"db", "idle_seconds", "staff_idle_seconds", "sound_volume", "quiet_hours", "large_text",
               "high_contrast", "log_level", "staff_typing"}
    assert tested == set(SPEC)
