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
}


@dataclass(frozen=True)
class Config:
    db: str
    log_level: str
    idle_seconds: str = "60"


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
