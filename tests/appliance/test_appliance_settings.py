"""kiosk-settings.toml: typed, validated, and rendered back without its secrets."""

from __future__ import annotations

import tomllib

import pytest

from kiosk.appliance import settings
from kiosk.appliance.settings import SettingsError

GOOD = {"role": "kiosk", "library_code": "TN-PHUTHO", "district_url": "https://huyen.example.vn/",
        "enrolment_code": "1234-5678-9012-3456", "wifi": {"ssid": "ThuVien", "passphrase": "12345678"}}


def test_defaults_fill_what_a_technician_leaves_out():
    parsed = settings.parse(GOOD)
    assert parsed.timezone == "Asia/Ho_Chi_Minh"
    assert parsed.district_url == "https://huyen.example.vn"
    assert (parsed.printer.paper_width_mm, parsed.scanner.kind, parsed.card_reader.kind) == \
        (58, "evdev", "none")
    assert parsed.wifi.passphrase == "12345678"


@pytest.mark.parametrize("change, key", [
    ({"role": "district"}, "role"),
    ({"library_code": "Phú Thọ"}, "library_code"),
    ({"district_url": "huyen.example.vn"}, "district_url"),
    ({"enrolment_code": "12345"}, "enrolment_code"),
    ({"timezone": "Asia/Hanoi_City"}, "timezone"),
    ({"peers": "http://a:8470"}, "peers"),
    ({"peers": ["ftp://a"]}, "peers[0]"),
    ({"wifi": {"ssid": "ThuVien", "passphrase": "ngan"}}, "wifi.passphrase"),
    ({"wifi": {"passphrase": "12345678"}}, "wifi.ssid"),
    ({"printer": {"paper_width_mm": 57}}, "printer.paper_width_mm"),
    ({"printer": {"uri": "usb"}}, "printer.uri"),
    ({"scanner": {"kind": "laser"}}, "scanner.kind"),
    ({"card_reader": {"kind": "rdm6300"}}, "card_reader.kind"),
    ({"libary_code": "x"}, "libary_code"),
    ({"wifi": {"ssid": "ThuVien", "pasphrase": "12345678"}}, "wifi.pasphrase"),
])
def test_a_bad_value_is_named_in_vietnamese_and_english(change, key):
    with pytest.raises(SettingsError) as caught:
        settings.parse({**GOOD, **change})
    assert caught.value.key == key
    vi, en = str(caught.value).split(": ", 1)[1].split(" / ")
    assert vi and en and vi != en


def test_a_missing_file_and_broken_toml_are_reported(tmp_path):
    with pytest.raises(SettingsError, match="not found"):
        settings.load(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text('role = "kiosk\n')
    with pytest.raises(SettingsError, match="TOML"):
        settings.load(broken)


def test_rendering_without_secrets_keeps_everything_else_exactly():
    raw = {**GOOD, "peers": ["http://192.168.1.20:8470"], "device_name": 'Quầy "chính"\x7f',
           "printer": {"uri": "tcp:10.0.0.5:9100", "paper_width_mm": 80}}
    clean = settings.without_secrets(raw)
    assert "enrolment_code" not in clean and clean["wifi"] == {"ssid": "ThuVien"}
    assert raw["wifi"]["passphrase"] == "12345678"
    assert tomllib.loads(settings.render(clean, header="a\nb")) == clean
    assert settings.parse(clean).enrolment_code is None
