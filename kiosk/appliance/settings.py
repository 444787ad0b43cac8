"""``kiosk-settings.toml``: what a technician writes on the boot partition of a fresh card.

Read once by first boot, typed and validated here so that a mistake is reported with the
setting's name in Vietnamese and English before anything on the device changes. The
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

from kiosk.core.errors import LibraryError
from kiosk.core.node import LIBRARY_CODE
from kiosk.core.provisioning import validate_url

ROLES = ("kiosk", "counter")
PAPER_WIDTHS_MM = (58, 80)
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
SECRETS = (("enrolment_code",), ("wifi", "passphrase"), ("pins", "staff"),
           ("pins", "technician"))
_ENROLMENT_CODE = re.compile(r"^\d{4}-?\d{4}-?\d{4}-?\d{4}$")
_TOP_KEYS = {"role", "library_code", "district_url", "enrolment_code", "timezone", "peers",
             "device_name", "wifi", "printer", "scanner", "card_reader", "pins"}
_TABLE_KEYS = {"wifi": {"ssid", "passphrase"}, "printer": {"uri", "paper_width_mm"},
               "scanner": {"kind", "device", "port"},
               "card_reader": {"kind", "port", "device"}, "pins": {"staff", "technician"}}


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
class Printer:
    uri: str = "usb:0416:5011"
    paper_width_mm: int = 58


@dataclass(frozen=True)
class Scanner:
    kind: str = "evdev"
    device: str = "/dev/input/kiosk-scanner"
    port: str = ""


@dataclass(frozen=True)
class CardReader:
    kind: str = "none"
    port: str = ""
    device: str = ""


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
    printer: Printer = field(default_factory=Printer)
    scanner: Scanner = field(default_factory=Scanner)
    card_reader: CardReader = field(default_factory=CardReader)
    pins: Pins = field(default_factory=Pins)


def load(path: str | Path) -> Settings:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(str(path), "không tìm thấy tệp cài đặt", "settings file not found") \
            from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(str(path), f"tệp không đúng định dạng TOML ({exc})",
                            f"not a valid TOML file ({exc})") from None
    return parse(data)


def parse(data: dict[str, Any]) -> Settings:
    _reject_unknown(data)
    role = _text(data, "role", required=True)
    if role not in ROLES:
        raise SettingsError("role", f"phải là {' hoặc '.join(ROLES)}, không phải {role!r}",
                            f"must be {' or '.join(ROLES)}, not {role!r}")
    code = _text(data, "library_code", required=True)
    if not LIBRARY_CODE.match(code):
        raise SettingsError("library_code", "2–32 chữ cái, chữ số, '-' hoặc '_'",
                            "2-32 letters, digits, '-' or '_'")
    return Settings(
        role=role,
        library_code=code,
        district_url=_url(data, "district_url", _text(data, "district_url", required=True)),
        enrolment_code=_enrolment_code(data),
        timezone=_timezone(data),
        peers=tuple(_url(data, f"peers[{i}]", p) for i, p in enumerate(_peers(data))),
        device_name=_text(data, "device_name") or None,
        wifi=_wifi(data.get("wifi")),
        printer=_printer(data.get("printer", {})),
        scanner=_scanner(data.get("scanner", {})),
        card_reader=_card_reader(data.get("card_reader", {})),
        pins=_pins(data.get("pins", {})),
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


def _reject_unknown(data: dict[str, Any]) -> None:
    unknown = sorted(set(data) - _TOP_KEYS)
    for table, allowed in _TABLE_KEYS.items():
        value = data.get(table)
        if value is not None and not isinstance(value, dict):
            raise SettingsError(table, "phải là một bảng [..]", "must be a [table]")
        unknown += sorted(f"{table}.{k}" for k in set(value or {}) - allowed)
    if unknown:
        names = ", ".join(unknown)
        raise SettingsError(names, "không có cài đặt này (viết sai tên?)",
                            "unknown setting (misspelt?)")


def _text(data: dict[str, Any], key: str, *, required: bool = False, where: str = "") -> str:
    name = where + key
    value = data.get(key)
    if value is None:
        if required:
            raise SettingsError(name, "thiếu cài đặt bắt buộc", "required setting is missing")
        return ""
    if not isinstance(value, str):
        raise SettingsError(name, "phải là chuỗi trong ngoặc kép", "must be a quoted string")
    value = value.strip()
    if required and not value:
        raise SettingsError(name, "không được để trống", "must not be empty")
    return value


def _url(data: dict[str, Any], key: str, text: str) -> str:
    try:
        return validate_url(text)
    except LibraryError:
        raise SettingsError(key, f"địa chỉ {text!r} không hợp lệ, cần dạng http(s)://máy-chủ[:cổng]",
                            f"{text!r} is not a valid http(s)://host[:port] URL") from None


def _enrolment_code(data: dict[str, Any]) -> str | None:
    code = _text(data, "enrolment_code")
    if not code:
        return None
    if not _ENROLMENT_CODE.match(code):
        raise SettingsError("enrolment_code", "mã đăng ký gồm 16 chữ số (dạng 1234-5678-9012-3456)",
                            "the enrolment code is 16 digits (1234-5678-9012-3456)")
    return code


def _timezone(data: dict[str, Any]) -> str:
    name = _text(data, "timezone") or DEFAULT_TIMEZONE
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SettingsError("timezone", f"múi giờ {name!r} không tồn tại (ví dụ Asia/Ho_Chi_Minh)",
                            f"unknown time zone {name!r} (e.g. Asia/Ho_Chi_Minh)") from None
    return name


def _peers(data: dict[str, Any]) -> list[str]:
    peers = data.get("peers", [])
    if not isinstance(peers, list) or not all(isinstance(p, str) for p in peers):
        raise SettingsError("peers", "phải là danh sách địa chỉ, ví dụ [\"http://192.168.1.20:8470\"]",
                            "must be a list of URLs, e.g. [\"http://192.168.1.20:8470\"]")
    return peers


def _wifi(table: dict[str, Any] | None) -> Wifi | None:
    if not table:
        return None
    ssid = _text(table, "ssid", required=True, where="wifi.")
    if len(ssid.encode()) > 32:
        raise SettingsError("wifi.ssid", "tên Wi-Fi dài quá 32 byte", "SSID longer than 32 bytes")
    passphrase = table.get("passphrase")
    if passphrase is not None:
        if not isinstance(passphrase, str) or not 8 <= len(passphrase) <= 63:
            raise SettingsError("wifi.passphrase", "mật khẩu Wi-Fi (WPA2) dài 8–63 ký tự",
                                "the WPA2 passphrase is 8-63 characters")
        if any(ord(c) < 32 or ord(c) > 126 for c in passphrase):
            raise SettingsError("wifi.passphrase", "mật khẩu Wi-Fi chỉ gồm ký tự ASCII in được",
                                "the passphrase must be printable ASCII")
    return Wifi(ssid, passphrase)


def _printer(table: dict[str, Any]) -> Printer:
    uri = _text(table, "uri", where="printer.") or Printer.uri
    if ":" not in uri:
        raise SettingsError("printer.uri", f"{uri!r} thiếu kiểu kết nối (ví dụ usb:0416:5011)",
                            f"{uri!r} has no scheme (e.g. usb:0416:5011)")
    width = table.get("paper_width_mm", Printer.paper_width_mm)
    if isinstance(width, bool) or width not in PAPER_WIDTHS_MM:
        raise SettingsError("printer.paper_width_mm", "khổ giấy là 58 hoặc 80 (mm)",
                            "paper width is 58 or 80 (mm)")
    return Printer(uri, width)


def _scanner(table: dict[str, Any]) -> Scanner:
    from hardware.device_config import ConfigError, ScannerConfig

    kind = _text(table, "kind", where="scanner.") or Scanner.kind
    device = _text(table, "device", where="scanner.")
    if kind == "evdev" and "device" not in table:
        device = Scanner.device
    scanner = Scanner(kind, device, _text(table, "port", where="scanner."))
    try:
        ScannerConfig(kind=scanner.kind, device=scanner.device, port=scanner.port).validate()
    except ConfigError as exc:
        raise SettingsError("scanner", f"cài đặt máy quét không hợp lệ ({exc})",
                            f"invalid scanner settings ({exc})") from None
    return scanner


def _card_reader(table: dict[str, Any]) -> CardReader:
    from hardware.device_config import CardReaderConfig, ConfigError

    reader = CardReader(_text(table, "kind", where="card_reader.") or CardReader.kind,
                        _text(table, "port", where="card_reader."),
                        _text(table, "device", where="card_reader."))
    try:
        CardReaderConfig(kind=reader.kind, port=reader.port, device=reader.device).validate()
    except ConfigError as exc:
        raise SettingsError("card_reader", f"cài đặt đầu đọc thẻ không hợp lệ ({exc})",
                            f"invalid card reader settings ({exc})") from None
    return reader


def _pins(table: dict[str, Any]) -> Pins:
    from kiosk.core.pins import valid_pin_format

    found = {}
    for area, vi in (("staff", "nhân viên"), ("technician", "kỹ thuật viên")):
        value = table.get(area)
        if value is None:
            continue
        if not isinstance(value, str):
            raise SettingsError(f"pins.{area}", f"mã PIN {vi} phải viết trong ngoặc kép "
                                f"(ví dụ \"048213\")", "the PIN must be a quoted string "
                                "(e.g. \"048213\")")
        if not valid_pin_format(value):
            raise SettingsError(f"pins.{area}", f"mã PIN {vi} gồm 4–8 chữ số (nên dùng 6)",
                                "the PIN is 4-8 digits (6 recommended)")
        found[area] = value
    if found.get("staff") is not None and found.get("staff") == found.get("technician"):
        raise SettingsError("pins", "mã PIN kỹ thuật viên phải khác mã PIN nhân viên",
                            "the technician PIN must differ from the staff PIN")
    return Pins(**found)
