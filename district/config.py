"""The hub's configuration, declared once: each option with its type, default, environment
variable and description; read in one place (:func:`load`) and passed down.

Precedence: command line, then environment, then the system file
(``/etc/district/district.toml`` or ``$DISTRICT_CONFIG``), then the default.

Since July 2025 a hub may serve a province, a cluster of former districts or (for old
installations) one former district: ``level`` says which, and every page and report
names it ("toàn tỉnh", "toàn cụm", "toàn huyện").
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

SYSTEM_CONFIG = Path("/etc/district/district.toml")

LEVELS = {  # level: (noun, "the whole ..." for totals)
    "tinh": ("tỉnh", "Toàn tỉnh"),
    "cum": ("cụm", "Toàn cụm"),
    "huyen": ("huyện", "Toàn huyện"),
}


@dataclass(frozen=True)
class Option:
    env: str
    default: str
    description: str


OPTIONS = {
    "name": Option("DISTRICT_NAME", "",
                   "The hub's own name on every page (empty: the name given at `district init`)."),
    "level": Option("DISTRICT_LEVEL", "huyen",
                    "Which level the hub serves: tinh (a province), cum (a cluster of former "
                    "districts) or huyen (one former district)."),
    "province_code": Option("DISTRICT_PROVINCE", "",
                            "Code of the province in the imported administrative units, "
                            "for the province row of reports."),
    "close_after_days": Option("DISTRICT_CLOSE_AFTER_DAYS", "10",
                               "Days after a month ends before its figures are closed (late "
                               "syncs of offline libraries still count until then)."),
    "read_connections": Option("DISTRICT_READ_CONNECTIONS", "4",
                               "Read-only database connections for pages, OAI and exports."),
    "year_starts": Option("DISTRICT_YEAR_STARTS", "1",
                          "Month the statistical year starts: 1 (January to December, the "
                          "annual period of the culture sector's statistical reports) or the "
                          "month a province counts from instead (10: October to September)."),
}


@dataclass(frozen=True)
class HubConfig:
    name: str = ""
    level: str = "huyen"
    province_code: str = ""
    close_after_days: int = 10
    read_connections: int = 4
    year_starts: int = 1

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {self.level!r}")
        if self.close_after_days < 0 or self.read_connections < 1:
            raise ValueError("close_after_days >= 0 and read_connections >= 1")
        if not 1 <= self.year_starts <= 12:
            raise ValueError("year_starts is a month, 1 to 12")

    @property
    def level_noun(self) -> str:
        return LEVELS[self.level][0]

    @property
    def whole(self) -> str:
        return LEVELS[self.level][1]


def _file_values() -> dict:
    path = Path(os.environ.get("DISTRICT_CONFIG", SYSTEM_CONFIG))
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load(**overrides: object) -> HubConfig:
    from_file = _file_values()
    values: dict[str, object] = {}
    for f in fields(HubConfig):
        option = OPTIONS[f.name]
        value = overrides.get(f.name)
        if value is None:
            value = os.environ.get(option.env)
        if value is None:
            value = from_file.get(f.name)
        text = str(value) if value is not None else option.default
        values[f.name] = int(text) if f.type in ("int", int) else text
    return HubConfig(**values)
