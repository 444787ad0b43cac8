"""Which scanner, card reader, camera and printer a kiosk has, typed; the settings themselves
(names, types, defaults, descriptions) are declared once in ``appconfig.spec``.

The file is TOML (one table per device). The defaults describe a demo kiosk whose scanner and
card reader are fakes speaking their real wire formats over pseudo-terminals, so the
application runs end to end on a laptop. Each setting can also be given as ``$KIOSK_<NAME>``
(``KIOSK_SCANNER_KIND=camera``). The printer URI is kept as a string: `hardware.printing`
parses it.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import appconfig
from appconfig.spec import CARD_READER_KINDS, OPTIONS, SCANNER_KINDS
from hardware.scanners.wedge import WedgeSettings

CONFIG_ENV = "KIOSK_DEVICES_CONFIG"
__all__ = ["CARD_READER_KINDS", "SCANNER_KINDS", "ConfigError", "DeviceConfig", "load_config",
           "parse_config", "describe_settings"]
_SPEC = {option.name: option for option in OPTIONS}


class ConfigError(ValueError):
    pass


def _doc(name: str) -> Any:
    option = _SPEC[name]
    return field(default=option.default, metadata={"help": option.description, "option": name})


def _check_fields(section: Any) -> None:
    """Each field against its declaration (types, choices, ranges), for configs built in code."""
    for item in dataclasses.fields(section):
        option = _SPEC[item.metadata["option"]]
        value = getattr(section, item.name)
        try:
            option.convert(list(value) if isinstance(value, tuple) else value)
        except appconfig.OptionError as exc:
            raise ConfigError(f"{exc.key} {exc.en}") from None


@dataclass(frozen=True)
class ScannerConfig:
    kind: str = _doc("scanner.kind")
    port: str = _doc("scanner.port")
    terminator: str = _doc("scanner.terminator")
    baudrate: int = _doc("scanner.baudrate")
    device: str = _doc("scanner.device")

    def validate(self) -> None:
        _check_fields(self)
        if self.kind == "serial" and not self.port:
            raise ConfigError("scanner.kind = 'serial' needs scanner.port")
        if self.kind == "evdev" and not self.device:
            raise ConfigError("scanner.kind = 'evdev' needs scanner.device")


@dataclass(frozen=True)
class CardReaderConfig:
    kind: str = _doc("card_reader.kind")
    port: str = _doc("card_reader.port")
    device: str = _doc("card_reader.device")
    card_number_format: str = _doc("card_reader.card_number_format")
    debounce_seconds: float = _doc("card_reader.debounce_seconds")

    def validate(self) -> None:
        _check_fields(self)
        if self.kind == "rdm6300" and not self.port:
            raise ConfigError("card_reader.kind = 'rdm6300' needs card_reader.port")
        if self.kind == "evdev" and not self.device:
            raise ConfigError("card_reader.kind = 'evdev' needs card_reader.device")


@dataclass(frozen=True)
class WedgeConfig:
    max_interval_ms: float = _doc("wedge.max_interval_ms")
    suffix: tuple[str, ...] = _doc("wedge.suffix")
    prefix: str = _doc("wedge.prefix")
    min_length: int = _doc("wedge.min_length")

    def validate(self) -> None:
        _check_fields(self)

    def settings(self) -> WedgeSettings:
        return WedgeSettings(max_interval=self.max_interval_ms / 1000.0, suffix=self.suffix,
                             prefix=self.prefix, min_length=self.min_length)


@dataclass(frozen=True)
class CameraConfig:
    enabled: bool = _doc("camera.enabled")
    index: int = _doc("camera.index")
    folder: str = _doc("camera.folder")
    dedup_seconds: float = _doc("camera.dedup_seconds")

    def validate(self) -> None:
        _check_fields(self)

    @property
    def name(self) -> str:
        return f"file:{self.folder}" if self.folder else f"camera:{self.index}"


@dataclass(frozen=True)
class PrinterConfig:
    uri: str = _doc("printer.uri")
    paper_width_mm: int = _doc("printer.paper_width_mm")

    def validate(self) -> None:
        _check_fields(self)
        if ":" not in self.uri:
            raise ConfigError(f"printer.uri {self.uri!r} has no scheme (e.g. 'usb:0416:5011')")


SECTIONS = {"scanner": ScannerConfig, "card_reader": CardReaderConfig, "wedge": WedgeConfig,
            "camera": CameraConfig, "printer": PrinterConfig}


@dataclass(frozen=True)
class DeviceConfig:
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    card_reader: CardReaderConfig = field(default_factory=CardReaderConfig)
    wedge: WedgeConfig = field(default_factory=WedgeConfig)
    camera: CameraConfig = field(default_factory=CameraConfig)
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    hotplug: bool = _doc("hotplug")

    def validate(self) -> None:
        for section in (self.scanner, self.card_reader, self.wedge, self.camera, self.printer):
            section.validate()
        if not isinstance(self.hotplug, bool):
            raise ConfigError("hotplug must be true or false")

    @property
    def camera_wanted(self) -> bool:
        """A camera scans: ``scanner.kind = "camera"``, ``camera.enabled`` or a ``camera.folder``."""
        return self.scanner.kind == "camera" or self.camera.enabled or bool(self.camera.folder)


def parse_config(data: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> DeviceConfig:
    """A parsed ``devices.toml`` (and ``$KIOSK_<NAME>`` overrides) as a validated config."""
    try:
        values = appconfig.read("devices", data, environ)
    except appconfig.OptionError as exc:
        raise ConfigError(f"{exc.key}: {exc.en}") from None
    grouped: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    for name, value in values.items():
        if "." in name:
            section, key = name.split(".", 1)
            grouped[section][key] = value
    config = DeviceConfig(**{name: cls(**grouped[name]) for name, cls in SECTIONS.items()},
                          hotplug=values["hotplug"])
    config.validate()
    return config


def load_config(path: str | os.PathLike[str] | None = None,
                environ: Mapping[str, str] = os.environ) -> DeviceConfig:
    """Read the device file named by `path` or $KIOSK_DEVICES_CONFIG; neither means the demo set."""
    chosen = path if path is not None else environ.get(CONFIG_ENV)
    if not chosen:
        return parse_config({}, environ)
    try:
        with Path(chosen).open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{chosen}: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read device config {chosen}: {exc.strerror}") from exc
    return parse_config(data, environ)


def describe_settings() -> list[tuple[str, str, str]]:
    """(setting, default, description) for every device setting, for `kiosk devices --help`."""
    return [(option.name, repr(option.default), option.description)
            for option in appconfig.options("devices")]
