"""First boot writes the device file the kiosk reads back, for every scanner kind, or nothing."""

from __future__ import annotations

import pytest

from hardware.device_config import load_config
from kiosk.appliance import firstboot
from kiosk.appliance.settings import SettingsError

BASE = """\
role = "kiosk"
library_code = "TN-PHUTHO"
district_url = "http://127.0.0.1:1"
"""


def _first_boot(tmp_path, extra: str):
    root, settings = tmp_path / "root", tmp_path / "kiosk-settings.toml"
    settings.write_text(BASE + extra, encoding="utf-8")
    return root, settings, firstboot.run(settings, root)


@pytest.mark.parametrize("tables, expected", [
    ('[scanner]\nkind = "camera"\n[camera]\nindex = 2\n', ("camera", "", "", 2)),
    ('[scanner]\nkind = "wedge"\n', ("wedge", "", "", 0)),
    ('[scanner]\nkind = "serial"\nport = "/dev/ttyACM0"\n', ("serial", "/dev/ttyACM0", "", 0)),
    ("", ("evdev", "", "/dev/input/kiosk-scanner", 0)),
])
def test_first_boot_should_write_a_device_file_the_kiosk_reads_for_every_scanner_kind(
        tmp_path, tables, expected):
    root, _, result = _first_boot(tmp_path, '[printer]\npaper_width_mm = 80\n' + tables)
    assert result.enrolment == "not_requested"
    devices = load_config(root / "etc/kiosk/devices.toml", environ={})
    scanner = devices.scanner
    assert (scanner.kind, scanner.port, scanner.device, devices.camera.index) == expected
    assert (devices.printer.uri, devices.printer.paper_width_mm) == ("usb:0416:5011", 80)
    assert devices.card_reader.kind == "none"


@pytest.mark.parametrize("extra, key", [
    ('[scanner]\nkind = "serial"\n', "scanner.kind"),
    ('[camera]\nindex = -1\n', "camera.index"),
    ('[printer]\nuri = "lp0"\n', "printer.uri"),
    ('[card_reader]\ndebounce_seconds = "1s"\n', "card_reader.debounce_seconds"),
    ('[scanner\n', None),
])
def test_first_boot_should_change_nothing_when_a_device_setting_is_wrong(tmp_path, extra, key):
    root, settings = tmp_path / "root", tmp_path / "kiosk-settings.toml"
    settings.write_text(BASE + extra, encoding="utf-8")
    before = settings.read_text(encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        firstboot.run(settings, root)
    if key is not None:
        assert caught.value.key == key
    assert not root.exists()
    assert settings.read_text(encoding="utf-8") == before
