import argparse
import fcntl
import json
import os
import sys
import threading
import time

import pytest

from hardware import cli
from hardware.cardreaders.fake_rdm6300 import FakeRdm6300, tag_for_card
from hardware.device_config import (
    CONFIG_ENV,
    ConfigError,
    DeviceConfig,
    describe_settings,
    load_config,
    parse_config,
)
from hardware.devices import DeviceRegistry, list_input_devices, list_serial_ports
from hardware.hotplug import HotplugMonitor
from hardware.ptylink import PtyLink
from hardware.readers import Backoff, ReaderState
from hardware.scanners.fake import FakeSerialScanner
from waiting import wait_for


def wait_until_opened(path, timeout=2.0):
    """pyserial takes an exclusive flock when it opens a port; once it is held, the reader listens."""
    def held():
        fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    assert wait_for(held, timeout)
    time.sleep(0.05)


def rows_by_kind(registry):
    return {row.kind: row for row in registry.status()}


def test_without_a_config_file_the_demo_uses_fake_devices():
    config = load_config(environ={})
    assert config.scanner.kind == "fake"
    assert config.card_reader.kind == "fake"
    assert config.printer.uri == "fake:"


def test_config_is_read_from_toml_named_by_the_environment(tmp_path):
    path = tmp_path / "devices.toml"
    path.write_text(
        '[scanner]\nkind = "serial"\nport = "/dev/ttyACM0"\nterminator = "CRLF"\n'
        '[card_reader]\nkind = "rdm6300"\nport = "/dev/ttyUSB0"\ndebounce_seconds = 2\n'
        '[wedge]\nsuffix = ["Tab"]\nmax_interval_ms = 15\n'
        '[camera]\nenabled = true\nindex = 1\n'
        '[printer]\nuri = "usb:0416:5011"\n'
    )
    config = load_config(environ={CONFIG_ENV: str(path)})
    assert (config.scanner.port, config.scanner.terminator) == ("/dev/ttyACM0", "CRLF")
    assert config.card_reader.debounce_seconds == 2.0
    assert config.wedge.settings().suffix == ("Tab",)
    assert config.wedge.settings().max_interval == pytest.approx(0.015)
    assert config.camera.index == 1
    assert config.printer.uri == "usb:0416:5011"


@pytest.mark.parametrize("data, message", [
    ({"scanner": {"kind": "serial"}}, "needs scanner.port"),
    ({"scanner": {"kind": "laser"}}, "scanner.kind"),
    ({"scanner": {"prot": "/dev/ttyACM0"}}, "scanner.prot: unknown setting"),
    ({"card_reader": {"debounce_seconds": "1s"}}, "must be a number"),
    ({"card_reader": {"card_number_format": "octal"}}, "card_number_format"),
    ({"camera": {"index": True}}, "must be an integer"),
    ({"printer": {"uri": "lp0"}}, "no scheme"),
    ({"wedge": {"suffix": ["Space"]}}, "wedge.suffix"),
    ({"scanner": "serial"}, "must be a table"),
])
def test_invalid_config_is_rejected_with_the_setting_named(data, message):
    with pytest.raises(ConfigError, match=message):
        parse_config(data)


def test_broken_toml_is_reported_as_a_config_error(tmp_path):
    path = tmp_path / "devices.toml"
    path.write_text("[scanner\n")
    with pytest.raises(ConfigError, match="devices.toml"):
        load_config(path)


def test_every_setting_has_a_description():
    rows = describe_settings()
    assert {"scanner.terminator", "card_reader.card_number_format", "printer.uri"} <= {r[0] for r in rows}
    assert all(description for _, _, description in rows)


def test_demo_registry_reads_fake_scans_and_cards_through_real_drivers():
    scans, cards = [], []
    registry = DeviceRegistry(DeviceConfig(hotplug=False), scans.append, cards.append)
    registry.start()
    try:
        assert wait_for(lambda: all(r.status().state == ReaderState.CONNECTED for r in registry.readers))
        registry.fakes["scanner"].scan("9786041234567")
        registry.fakes["card_reader"].present(tag_for_card(42), frames=4)
        assert wait_for(lambda: scans == ["9786041234567"] and cards == ["0000000042"])
        rows = rows_by_kind(registry)
        assert rows["scanner"].state == "connected"
        assert rows["card_reader"].state == "connected"
        assert rows["printer"].name == "fake:"
    finally:
        registry.stop()
    assert registry.readers == [] and registry.fakes == {}


def test_status_before_start_lists_configured_devices_as_not_started():
    config = parse_config({
        "scanner": {"kind": "wedge"},
        "card_reader": {"kind": "rdm6300", "port": "/dev/ttyUSB0"},
        "camera": {"folder": "/srv/covers"},
        "printer": {"uri": "tcp:192.168.1.50:9100"},
    })
    rows = DeviceRegistry(config, hotplug_factory=None).status()
    summary = [(r.kind, r.name, r.state) for r in rows]
    assert ("card_reader", "rdm6300:/dev/ttyUSB0", "unknown") in summary
    assert ("scanner", "wedge", "unknown") in summary
    assert ("scanner", "file:/srv/covers", "unknown") in summary
    assert ("printer", "tcp:192.168.1.50:9100", "unknown") in summary
    assert rows[-1].detail == "hot-plug: unavailable (no monitor)"


def test_hotplug_add_wakes_a_reader_waiting_out_a_long_backoff(tmp_path):
    port = tmp_path / "ttyRfid"
    config = parse_config({"scanner": {"kind": "none"},
                           "card_reader": {"kind": "rdm6300", "port": str(port)}})
    cards = []
    registry = DeviceRegistry(config, on_card=cards.append, hotplug_factory=None,
                              backoff=lambda: Backoff(30.0, 60.0))
    registry.start()
    try:
        assert wait_for(lambda: rows_by_kind(registry)["card_reader"].state == "disconnected")
        with PtyLink(port) as link:
            time.sleep(0.2)
            assert rows_by_kind(registry)["card_reader"].state == "disconnected"
            registry.on_hotplug("add", str(port))
            assert wait_for(lambda: rows_by_kind(registry)["card_reader"].state == "connected", 1.0)
            FakeRdm6300(link).present(tag_for_card(7), frames=2)
            assert wait_for(lambda: cards == ["0000000007"])
    finally:
        registry.stop()


def test_hotplug_is_reported_unavailable_when_pyudev_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyudev", None)
    registry = DeviceRegistry(parse_config({"scanner": {"kind": "none"},
                                            "card_reader": {"kind": "none"}}))
    registry.start()
    try:
        row = rows_by_kind(registry)["hot-plug"]
        assert (row.state, row.detail) == ("unknown", "hot-plug: unavailable (pyudev not installed)")
    finally:
        registry.stop()


def test_hotplug_monitor_hands_udev_events_to_the_callback():
    events = []
    monitor = HotplugMonitor(lambda action, node: events.append((action, node)))

    class Device:
        action, device_node, sys_path = "add", "/dev/ttyUSB0", "/sys/devices/x"

    monitor._handle(Device())
    assert events == [("add", "/dev/ttyUSB0")]


def test_enumeration_lists_ports_and_says_when_evdev_is_missing(monkeypatch):
    ports = list_serial_ports()
    assert all(set(port) == {"device", "description", "usb_id"} for port in ports)
    assert isinstance(list_input_devices(), list)
    monkeypatch.setitem(sys.modules, "evdev", None)
    assert list_input_devices() is None


def parse(argv):
    parser = argparse.ArgumentParser(prog="kiosk")
    cli.add_arguments(parser.add_subparsers())
    return parser.parse_args(argv)


def test_scan_test_prints_one_line_per_presentation_of_an_rdm6300(capsys, tmp_path):
    with PtyLink(tmp_path / "ttyRfid") as link:
        stop = threading.Event()
        fake = FakeRdm6300(link)
        holder = threading.Thread(target=fake.hold, args=(tag_for_card(1234567), stop, 0.05))
        args = parse(["scan-test", "--rdm6300", link.port, "--seconds", "0.8"])
        holder.start()
        try:
            assert args.func(args) == 0
        finally:
            stop.set()
            holder.join(1.0)
    assert capsys.readouterr().out == "card\t0001234567\n"


def test_scan_test_reads_a_serial_scanner_until_count(capsys, tmp_path):
    with PtyLink(tmp_path / "ttyScan") as link:
        args = parse(["scan-test", "--device", f"serial:{link.port}", "--terminator", "LF",
                      "--count", "2", "--seconds", "3"])
        def scanner():
            wait_until_opened(link.port)
            for code in ("8935086", "ABC-1", "late"):
                FakeSerialScanner(link, "LF").scan(code)

        feeder = threading.Thread(target=scanner)
        feeder.start()
        started = time.monotonic()
        assert args.func(args) == 0
        feeder.join()
    assert time.monotonic() - started < 2.0
    assert capsys.readouterr().out == "scan\t8935086\nscan\tABC-1\n"


def test_scan_test_rejects_an_unknown_device_scheme(capsys):
    args = parse(["scan-test", "--device", "bluetooth:AA:BB"])
    assert args.func(args) == 2
    assert "expected serial:PORT or evdev:PATH" in capsys.readouterr().err


def test_scan_test_wedge_tells_scans_from_typing_on_a_terminal(capsys, monkeypatch):
    master, slave = os.openpty()
    with os.fdopen(slave, "r") as terminal:
        monkeypatch.setattr(sys, "stdin", terminal)
        args = parse(["scan-test", "--wedge", "--seconds", "1.5", "--count", "1"])

        def keyboard():
            time.sleep(0.2)
            for char in "hi\r":
                os.write(master, char.encode())
                time.sleep(0.08)
            os.write(master, b"8935086012345\r")

        typist = threading.Thread(target=keyboard)
        typist.start()
        assert args.func(args) == 0
        typist.join()
    os.close(master)
    assert capsys.readouterr().out == "typed\thi\nscan\t8935086012345\n"


def test_devices_json_shows_a_configured_rdm6300_connected(capsys, tmp_path):
    with PtyLink(tmp_path / "ttyRfid") as link:
        config = tmp_path / "devices.toml"
        config.write_text(f'hotplug = false\n[scanner]\nkind = "none"\n'
                          f'[card_reader]\nkind = "rdm6300"\nport = "{link.port}"\n')
        args = parse(["devices", "--json", "--config", str(config), "--settle", "0.3"])
        assert args.func(args) == 0
    report = json.loads(capsys.readouterr().out)
    kinds = {row["kind"]: row for row in report["devices"]}
    assert kinds["card_reader"]["state"] == "connected"
    assert kinds["hot-plug"]["detail"] == "hot-plug: disabled in config"
    assert isinstance(report["serial_ports"], list)


def test_devices_reports_a_bad_config_without_a_traceback(capsys, tmp_path):
    config = tmp_path / "devices.toml"
    config.write_text('[scanner]\nkind = "serial"\n')
    args = parse(["devices", "--config", str(config)])
    assert args.func(args) == 2
    assert "needs scanner.port" in capsys.readouterr().err
