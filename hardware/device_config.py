"""Which scanner, card reader, camera and printer a kiosk has, declared once and typed.

The file is TOML (one table per device). Every field has a default and a description; the defaults
describe a demo kiosk whose scanner and card reader are fakes speaking their real wire formats over
pseudo-terminals, so the application runs end to end on a laptop. The printer URI is kept as a
string: `hardware.printing` parses it.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hardware.cardreaders.rdm6300 import CARD_NUMBER_FORMATS
from hardware.scanners.serial_scanner import TERMINATORS
from hardware.scanners.wedge import WedgeSettings

CONFIG_ENV = "KIOSK_DEVICES_CONFIG"
SCANNER_KINDS = ("fake", "wedge", "evdev", "serial", "camera", "none")
CARD_READER_KINDS = ("fake", "rdm6300", "wedge", "evdev", "none")


class ConfigError(ValueError):
    pass


def _doc(default: Any, help_text: str) -> Any:
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class ScannerConfig:
    kind: str = _doc("fake", "fake | wedge | evdev | serial | camera | none")
    port: str = _doc("", "serial port of a CDC-mode scanner, e.g. /dev/ttyACM0")
    terminator: str = _doc("CR", "what ends a code on the serial line: CR, LF or CRLF")
    baudrate: int = _doc(9600, "serial speed; CDC scanners ignore it")
    device: str = _doc("", "evdev input device, e.g. /dev/input/by-id/...-event-kbd")

    def validate(self) -> None:
        _choice("scanner.kind", self.kind, SCANNER_KINDS)
        _choice("scanner.terminator", self.terminator.upper(), tuple(TERMINATORS))
        if self.kind == "serial" and not self.port:
            raise ConfigError("scanner.kind = 'serial' needs scanner.port")
        if self.kind == "evdev" and not self.device:
            raise ConfigError("scanner.kind = 'evdev' needs scanner.device")


@dataclass(frozen=True)
class CardReaderConfig:
    kind: str = _doc("fake", "fake | rdm6300 | wedge | evdev | none")
    port: str = _doc("", "serial port of an RDM6300, e.g. /dev/ttyUSB0")
    device: str = _doc("", "evdev input device of a HID card reader")
    card_number_format: str = _doc("decimal10", "decimal10 | wiegand26 | hex: the number printed on cards")
    debounce_seconds: float = _doc(1.0, "repeats of one card within this time are one presentation")

    def validate(self) -> None:
        _choice("card_reader.kind", self.kind, CARD_READER_KINDS)
        _choice("card_reader.card_number_format", self.card_number_format, tuple(CARD_NUMBER_FORMATS))
        if self.kind == "rdm6300" and not self.port:
            raise ConfigError("card_reader.kind = 'rdm6300' needs card_reader.port")
        if self.kind == "evdev" and not self.device:
            raise ConfigError("card_reader.kind = 'evdev' needs card_reader.device")
        if self.debounce_seconds < 0:
            raise ConfigError("card_reader.debounce_seconds must not be negative")


@dataclass(frozen=True)
class WedgeConfig:
    max_interval_ms: float = _doc(20.0, "keys closer than this are scanner keys (scanners: 7-8 ms)")
    suffix: tuple[str, ...] = _doc(("Enter",), "keys that end a scan: Enter and/or Tab; empty = timeout")
    prefix: str = _doc("", "characters the scanner sends before each code, stripped")
    min_length: int = _doc(4, "shorter fast bursts are treated as typing")

    def validate(self) -> None:
        if self.max_interval_ms <= 0 or self.min_length < 1:
            raise ConfigError("wedge.max_interval_ms and wedge.min_length must be positive")
        for key in self.suffix:
            _choice("wedge.suffix", key, ("Enter", "Tab"))

    def settings(self) -> WedgeSettings:
        return WedgeSettings(max_interval=self.max_interval_ms / 1000.0, suffix=self.suffix,
                             prefix=self.prefix, min_length=self.min_length)


@dataclass(frozen=True)
class CameraConfig:
    enabled: bool = _doc(False, "whether a camera is attached")
    index: int = _doc(0, "camera index as OpenCV numbers them")
    folder: str = _doc("", "read images from this folder instead of a camera (demo, tests)")

    def validate(self) -> None:
        if self.index < 0:
            raise ConfigError("camera.index must not be negative")


@dataclass(frozen=True)
class PrinterConfig:
    uri: str = _doc("fake:", "file:PATH | tcp:HOST:PORT | usb:VID:PID | serial:DEV | fake:")

    def validate(self) -> None:
        if ":" not in self.uri:
            raise ConfigError(f"printer.uri {self.uri!r} has no scheme (e.g. 'usb:0416:5011')")


@dataclass(frozen=True)
class DeviceConfig:
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    card_reader: CardReaderConfig = field(default_factory=CardReaderConfig)
    wedge: WedgeConfig = field(default_factory=WedgeConfig)
    camera: CameraConfig = field(default_factory=CameraConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    hotplug: bool = _doc(True, "watch udev for devices being plugged in (needs pyudev)")

    def validate(self) -> None:
        for section in (self.scanner, self.card_reader, self.wedge, self.camera, self.printer):
            section.validate()
        if self.scanner.kind == "camera" and not (self.camera.enabled or self.camera.folder):
            raise ConfigError("scanner.kind = 'camera' needs camera.enabled or camera.folder")


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(f"{name} = {value!r}; expected one of {', '.join(allowed)}")


def _convert(name: str, value: Any, expected: Any) -> Any:
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if typing.get_origin(expected) is tuple:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{name} must be a list of strings")
        return tuple(value)
    if expected is int and isinstance(value, bool):
        raise ConfigError(f"{name} must be an integer")
    if not isinstance(value, expected):
        raise ConfigError(f"{name} must be {expected.__name__}, not {type(value).__name__}")
    return value


def _build(cls: type, data: Mapping[str, Any], prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ConfigError(f"unknown setting(s) {', '.join(sorted(prefix + k for k in unknown))}")
    values: dict[str, Any] = {}
    for key, value in data.items():
        expected = hints[key]
        if dataclasses.is_dataclass(expected):
            if not isinstance(value, dict):
                raise ConfigError(f"[{prefix}{key}] must be a table")
            values[key] = _build(expected, value, f"{prefix}{key}.")
        else:
            values[key] = _convert(prefix + key, value, expected)
    return cls(**values)


def parse_config(data: Mapping[str, Any]) -> DeviceConfig:
    config = _build(DeviceConfig, data, "")
    config.validate()
    return config


def load_config(path: str | os.PathLike[str] | None = None,
                environ: Mapping[str, str] = os.environ) -> DeviceConfig:
    """Read the device file named by `path` or $KIOSK_DEVICES_CONFIG; neither means the demo set."""
    chosen = path if path is not None else environ.get(CONFIG_ENV)
    if not chosen:
        return DeviceConfig()
    try:
        with Path(chosen).open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{chosen}: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read device config {chosen}: {exc.strerror}") from exc
    return parse_config(data)


def describe_settings() -> list[tuple[str, str, str]]:
    """(setting, default, description) for every setting, for documentation and `--help`."""
    rows: list[tuple[str, str, str]] = []
    for section in dataclasses.fields(DeviceConfig):
        if section.name == "hotplug":
            rows.append(("hotplug", repr(section.default), section.metadata["help"]))
            continue
        for item in dataclasses.fields(section.default_factory()):
            rows.append((f"{section.name}.{item.name}", repr(item.default), item.metadata["help"]))
    return rows
