"""``kiosk-settings.toml``: what a technician writes on the boot partition of a fresh card.

Read once by first boot. The settings are declared in ``appconfig.spec`` (types, defaults,
choices); the checks that need more (URLs, time zones, PINs, devices that need a port) are
here, so that a mistake is reported with the setting's name in Vietnamese and English before
anything on the device changes. The device tables are checked by the kiosk's own device
loader, so first boot never writes a ``devices.toml`` the kiosk would refuse. The
enrolment code, the Wi-Fi passphrase and the staff and technician PINs (``[pins]``) are
secrets: :func:`without_secrets` renders the file again without them once they have been
used.
"""

from __future__ import annotations

import json
import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import appconfig
from kiosk.core.errors import LibraryError
from kiosk.core.node import LIBRARY_CODE
from kiosk.core.provisioning import validate_url

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
SECRETS = tuple(tuple(option.name.split(".")) for option in appconfig.options("firstboot")
                if option.secret)
_ENROLMENT_CODE = re.compile(r"^\d{4}-?\d{4}-?\d{4}-?\d{4}$")


class SettingsError(ValueError):
    """A bad value in the settings file; the message names it in Vietnamese and English."""

    def __init__(self, key: str, vi: str, en: str):
        super().__init__(f"{key}: {vi} / {en}")
        self.key = key


@dataclass(frozen=True)
class Wifi:
    ssid: str
    passphrase: str | None = None


@dataclass(frozen=True)
class Pins:
    """The first staff and technician PINs; kept out of ``repr`` (logs, tracebacks)."""

    staff: str | None = field(default=None, repr=False)
    technician: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Settings:
    role: str
    library_code: str
    district_url: str
    enrolment_code: str | None = None
    timezone: str = DEFAULT_TIMEZONE
    peers: tuple[str, ...] = ()
    device_name: str | None = None
    wifi: Wifi | None = None
    pins: Pins = field(default_factory=Pins)
    devices: dict[str, Any] = field(default_factory=dict)
    """Every device setting (dotted name: value) first boot writes to ``devices.toml``."""

    def device_config(self):
        """The devices as the kiosk will read them back (validated)."""
        return _device_config(self.devices)

    @property
    def printer(self):
        return self.device_config().printer

    @property
    def scanner(self):
        return self.device_config().scanner

    @property
    def card_reader(self):
        return self.device_config().card_reader


def load(path: str | Path) -> Settings:
    return parse(load_raw(path))


def load_raw(path: str | Path) -> dict[str, Any]:
    """The file as TOML, before any checking (first boot renders it back without secrets)."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(str(path), "không tìm thấy tệp cài đặt", "settings file not found") \
            from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(str(path), f"tệp không đúng định dạng TOML ({exc})",
                            f"not a valid TOML file ({exc})") from None


def parse(data: dict[str, Any]) -> Settings:
    try:
        given = appconfig.read("firstboot", data, defaults=False)
    except appconfig.OptionError as exc:
        raise SettingsError(exc.key, exc.vi, exc.en) from None
    role = _required(given, "role")
    code = _required(given, "library_code")
    if not LIBRARY_CODE.match(code):
        raise SettingsError("library_code", "2–32 chữ cái, chữ số, '-' hoặc '_'",
                            "2-32 letters, digits, '-' or '_'")
    return Settings(
        role=role,
        library_code=code,
        district_url=_url("district_url", _required(given, "district_url")),
        enrolment_code=_enrolment_code(given.get("enrolment_code", "")),
        timezone=_timezone(given.get("timezone") or DEFAULT_TIMEZONE),
        peers=tuple(_url(f"peers[{i}]", p) for i, p in enumerate(given.get("peers", ()))),
        device_name=given.get("device_name") or None,
        wifi=_wifi(given, "wifi" in data),
        pins=_pins(given),
        devices=_devices(given),
    )


def without_secrets(data: dict[str, Any]) -> dict[str, Any]:
    """The same settings without the enrolment code, Wi-Fi passphrase and PINs.

    A table left empty by that (``[pins]``) goes too.
    """
    clean = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}
    for path in SECRETS:
        table = clean
        for key in path[:-1]:
            table = table.get(key, {}) if isinstance(table, dict) else {}
        if isinstance(table, dict):
            table.pop(path[-1], None)
        if len(path) > 1 and clean.get(path[0]) == {} and data.get(path[0]) != {}:
            del clean[path[0]]
    return clean


def render(data: dict[str, Any], header: str = "") -> str:
    """TOML text for a settings mapping (scalars, lists of scalars, one level of tables)."""
    lines = [f"# {line}" for line in header.splitlines()]
    tables = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_value(value)}")
    for name, table in tables:
        lines += ["", f"[{name}]"] + [f"{k} = {_value(v)}" for k, v in table.items()]
    text = "\n".join(lines) + "\n"
    if tomllib.loads(text) != data:
        raise ValueError("settings cannot be rendered back to TOML faithfully")
    return text


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise ValueError(f"cannot render {type(value).__name__} in settings")


def _required(given: dict[str, Any], key: str) -> str:
    if key not in given:
        raise SettingsError(key, "thiếu cài đặt bắt buộc", "required setting is missing")
    if not given[key]:
        raise SettingsError(key, "không được để trống", "must not be empty")
    return given[key]


def _url(key: str, text: str) -> str:
    try:
        return validate_url(text)
    except LibraryError:
        raise SettingsError(key, f"địa chỉ {text!r} không hợp lệ, cần dạng http(s)://máy-chủ[:cổng]",
                            f"{text!r} is not a valid http(s)://host[:port] URL") from None


def _enrolment_code(code: str) -> str | None:
    if not code:
        return None
    if not _ENROLMENT_CODE.match(code):
        raise SettingsError("enrolment_code", "mã đăng ký gồm 16 chữ số (dạng 1234-5678-9012-3456)",
                            "the enrolment code is 16 digits (1234-5678-9012-3456)")
    return code


def _timezone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SettingsError("timezone", f"múi giờ {name!r} không tồn tại (ví dụ Asia/Ho_Chi_Minh)",
                            f"unknown time zone {name!r} (e.g. Asia/Ho_Chi_Minh)") from None
    return name


def _wifi(given: dict[str, Any], present: bool) -> Wifi | None:
    if not present:
        return None
    ssid = given.get("wifi.ssid", "")
    if not ssid:
        raise SettingsError("wifi.ssid", "thiếu cài đặt bắt buộc", "required setting is missing")
    if len(ssid.encode()) > 32:
        raise SettingsError("wifi.ssid", "tên Wi-Fi dài quá 32 byte", "SSID longer than 32 bytes")
    passphrase = given.get("wifi.passphrase")
    if passphrase is not None:
        if not 8 <= len(passphrase) <= 63:
            raise SettingsError("wifi.passphrase", "mật khẩu Wi-Fi (WPA2) dài 8–63 ký tự",
                                "the WPA2 passphrase is 8-63 characters")
        if any(ord(c) < 32 or ord(c) > 126 for c in passphrase):
            raise SettingsError("wifi.passphrase", "mật khẩu Wi-Fi chỉ gồm ký tự ASCII in được",
                                "the passphrase must be printable ASCII")
    return Wifi(ssid, passphrase)


def _devices(given: dict[str, Any]) -> dict[str, Any]:
    """The device settings with first boot's defaults (a real scanner, a USB printer), checked
    exactly as the kiosk will check ``devices.toml``: nothing is written that it would refuse."""
    from hardware.device_config import ConfigError

    values = {option.name: given.get(option.name, option.first_boot_default())
              for option in appconfig.options("devices")}
    if given.get("scanner.kind") not in (None, "evdev") and "scanner.device" not in given:
        values["scanner.device"] = ""
    try:
        _device_config(values)
    except ConfigError as exc:
        raise SettingsError(re.match(r"[\w.]+", str(exc)).group(), f"cài đặt thiết bị không hợp lệ ({exc})",
                            f"invalid device settings ({exc})") from None
    return values


def _device_config(values: dict[str, Any]):
    from hardware.device_config import parse_config

    return parse_config(appconfig.table(values), environ={})


def _pins(given: dict[str, Any]) -> Pins:
    from kiosk.core.pins import valid_pin_format

    found = {}
    for area, vi in (("staff", "nhân viên"), ("technician", "kỹ thuật viên")):
        value = given.get(f"pins.{area}")
        if value is None:
            continue
        if not valid_pin_format(value):
            raise SettingsError(f"pins.{area}", f"mã PIN {vi} gồm 4–8 chữ số (nên dùng 6)",
                                "the PIN is 4-8 digits (6 recommended)")
        found[area] = value
    if found.get("staff") is not None and found.get("staff") == found.get("technician"):
        raise SettingsError("pins", "mã PIN kỹ thuật viên phải khác mã PIN nhân viên",
                            "the technician PIN must differ from the staff PIN")
    return Pins(**found)
