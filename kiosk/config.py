"""The program's settings (``/etc/kiosk/kiosk.toml``), typed; declared in ``appconfig.spec``.

Read in one place (``load``) and passed down. Precedence: command line, then environment,
then the system file (``/etc/kiosk/kiosk.toml`` or ``$KIOSK_CONFIG``), then the default.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import appconfig

SYSTEM_CONFIG = Path("/etc/kiosk/kiosk.toml")


class ConfigError(ValueError):
    """kiosk.toml or an environment variable holds a bad value; the message names it."""


@dataclass(frozen=True)
class Config:
    """One field per ``kiosk`` option of ``appconfig.spec`` (defaults live there)."""

    db: str
    log_level: str
    idle_seconds: float
    staff_idle_seconds: float
    sound_volume: int
    quiet_hours: str
    large_text: bool
    high_contrast: bool
    staff_typing: str


def _file_values(environ: Mapping[str, str]) -> dict:
    path = Path(environ.get("KIOSK_CONFIG", SYSTEM_CONFIG))
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def load(environ: Mapping[str, str] | None = None, **overrides: str | None) -> Config:
    environ = os.environ if environ is None else environ
    try:
        values = appconfig.read("kiosk", _file_values(environ), environ)
        spec = {option.name: option for option in appconfig.options("kiosk")}
        for name, value in overrides.items():
            if value is not None:
                values[name] = spec[name].from_env(str(value))
    except appconfig.OptionError as exc:
        raise ConfigError(str(exc)) from None
    return Config(**values)
