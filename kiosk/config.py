"""Configuration, declared once: each option with its type, default, environment
variable and description; read in one place (``load``) and passed down.

Precedence: command line, then environment, then the system file
(``/etc/kiosk/kiosk.toml`` or ``$KIOSK_CONFIG``), then the default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

SYSTEM_CONFIG = Path("/etc/kiosk/kiosk.toml")


@dataclass(frozen=True)
class Option:
    env: str
    default: str
    description: str


OPTIONS = {
    "db": Option("KIOSK_DB", "/var/lib/kiosk/kiosk.db",
                 "Path of this node's SQLite database."),
    "log_level": Option("KIOSK_LOG_LEVEL", "WARNING", "Logging level (DEBUG, INFO, WARNING...)."),
    "idle_seconds": Option("KIOSK_IDLE_SECONDS", "60",
                           "Seconds without a touch before a patron session ends (kiosk window)."),
    "sound_volume": Option("KIOSK_SOUND_VOLUME", "70",
                           "Volume of the scan sounds, 0-100 (0 = silent)."),
    "quiet_hours": Option("KIOSK_QUIET_HOURS", "",
                          "No scan sounds between these times, e.g. 11:00-13:30 (empty = never)."),
    "large_text": Option("KIOSK_LARGE_TEXT", "0",
                         "1: every patron session starts with large text (it resets to this)."),
    "high_contrast": Option("KIOSK_HIGH_CONTRAST", "0",
                            "1: every patron session starts in high contrast (it resets to this)."),
}


@dataclass(frozen=True)
class Config:
    db: str
    log_level: str
    idle_seconds: str = "60"
    sound_volume: str = "70"
    quiet_hours: str = ""
    large_text: str = "0"
    high_contrast: str = "0"


def _file_values() -> dict:
    path = Path(os.environ.get("KIOSK_CONFIG", SYSTEM_CONFIG))
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load(**overrides: str | None) -> Config:
    from_file = _file_values()
    values = {}
    for f in fields(Config):
        option = OPTIONS[f.name]
        value = overrides.get(f.name)
        if value is None:
            value = os.environ.get(option.env)
        if value is None:
            value = from_file.get(f.name)
        values[f.name] = str(value) if value is not None else option.default
    return Config(**values)
