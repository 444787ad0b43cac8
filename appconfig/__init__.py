"""Typed settings declared once (``appconfig.spec``) and the one reader of every settings file.

In the manner of Kolibri's ``options.py``: each setting has a name, a type, a default, an
optional environment variable and a description, and names the files it may appear in:
``kiosk`` (``/etc/kiosk/kiosk.toml``), ``devices`` (``/etc/kiosk/devices.toml``) and
``firstboot`` (``kiosk-settings.toml`` on the boot partition). :func:`read` checks a parsed
TOML mapping against the spec (unknown names, types, choices, ranges) and fills in the
environment and the defaults; checks that relate several settings stay with their readers.
This package imports nothing but the standard library, so every layer can use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FILES = ("kiosk", "devices", "firstboot")
_TYPE_WORDS = {str: ("chuỗi trong ngoặc kép", "a quoted string"), int: ("số nguyên", "an integer"),
               float: ("số", "a number"), bool: ("true hoặc false", "true or false"),
               tuple: ("danh sách chuỗi", "a list of strings")}


class OptionError(ValueError):
    """A setting with a bad value; ``key`` names it, the message is Vietnamese / English."""

    def __init__(self, key: str, vi: str, en: str):
        super().__init__(f"{key}: {vi} / {en}")
        self.key, self.vi, self.en = key, vi, en


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    description: str
    files: tuple[str, ...]
    env: str | None = None
    choices: tuple = ()
    minimum: float | None = None
    maximum: float | None = None
    provisioned: Any = None
    """The default first boot writes when the settings file leaves it out (None: ``default``)."""
    secret: bool = False
    """Removed from the first-boot file once used; never trimmed of spaces."""
    pattern: str | None = None
    """A regular expression a text value must match in full."""

    @property
    def section(self) -> str:
        return self.name.split(".", 1)[0] if "." in self.name else ""

    @property
    def key(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    def first_boot_default(self) -> Any:
        return self.default if self.provisioned is None else self.provisioned

    def convert(self, value: Any, name: str | None = None) -> Any:
        """``value`` (from TOML) checked against the type, choices and range."""
        name = name or self.name
        expected = self.type
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if expected is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise _type_error(name, tuple)
            value = tuple(value)
        elif isinstance(value, bool) and expected is not bool or not isinstance(value, expected):
            raise _type_error(name, expected)
        if expected is str and not self.secret:
            value = value.strip()  # a passphrase's spaces are part of it
        for item in value if expected is tuple else (value,):
            if self.choices and item not in self.choices:
                allowed = ", ".join(map(str, self.choices))
                raise OptionError(name, f"phải là một trong {allowed}, không phải {item!r}",
                                  f"must be one of {allowed}, not {item!r}")
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise OptionError(name, f"{value!r} không đúng dạng (xem docs/operations.md)",
                              f"{value!r} is not in the expected form (see docs/operations.md)")
        if self.minimum is not None and value < self.minimum or \
                self.maximum is not None and value > self.maximum:
            raise OptionError(name, f"phải trong khoảng {self.minimum}–{self.maximum}",
                              f"must be between {self.minimum} and {self.maximum}")
        return value

    def from_env(self, text: str) -> Any:
        """An environment variable's text as this option's type."""
        if self.type is bool:
            if text.strip().lower() not in ("1", "0", "true", "false", "yes", "no", ""):
                raise OptionError(self.env or self.name, "phải là 1 hoặc 0", "must be 1 or 0")
            return self.convert(text.strip().lower() in ("1", "true", "yes"), self.env)
        if self.type is tuple:
            return self.convert([p.strip() for p in text.split(",") if p.strip()], self.env)
        if self.type in (int, float):
            try:
                number = self.type(text)
            except ValueError:
                raise _type_error(self.env or self.name, self.type) from None
            return self.convert(number, self.env)
        return self.convert(text, self.env)


def _type_error(name: str, expected: type) -> OptionError:
    vi, en = _TYPE_WORDS[expected]
    return OptionError(name, f"phải là {vi}", f"must be {en}")


def options(file: str, spec: Iterable[Option] | None = None) -> list[Option]:
    """The options a file may hold, in declaration order."""
    if spec is None:
        from appconfig.spec import OPTIONS as spec
    return [option for option in spec if file in option.files]


def read(file: str, data: Mapping[str, Any], environ: Mapping[str, str] | None = None, *,
         defaults: bool = True) -> dict[str, Any]:
    """Every setting of ``file`` by dotted name: environment, then ``data``, then the default.

    ``defaults=False`` returns only what ``data`` (and the environment) gave.
    """
    known = {option.name: option for option in options(file)}
    sections = {option.section for option in known.values() if option.section}
    unknown = []
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in sections:
            if not isinstance(value, dict):
                raise OptionError(key, "phải là một bảng [..]", "must be a table [..]")
            for inner, item in value.items():
                flat[f"{key}.{inner}"] = item
        else:
            flat[key] = value
    unknown = sorted(name for name in flat if name not in known)
    if unknown:
        raise OptionError(", ".join(unknown), "không có cài đặt này (viết sai tên?)",
                          "unknown setting(s) (misspelt?)")
    values: dict[str, Any] = {}
    for name, option in known.items():
        if environ is not None and option.env and option.env in environ:
            values[name] = option.from_env(environ[option.env])
        elif name in flat:
            values[name] = option.convert(flat[name])
        elif defaults:
            values[name] = option.default
    return values


def table(values: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted names back into nested TOML tables."""
    nested: dict[str, Any] = {}
    for name, value in values.items():
        if "." in name:
            section, key = name.split(".", 1)
            nested.setdefault(section, {})[key] = list(value) if isinstance(value, tuple) else value
        else:
            nested[name] = list(value) if isinstance(value, tuple) else value
    return nested


FILE_NAMES = {"kiosk": "`/etc/kiosk/kiosk.toml`", "devices": "`/etc/kiosk/devices.toml`",
              "firstboot": "`kiosk-settings.toml`"}


def markdown_table() -> str:
    """The settings table of ``docs/operations.md`` (a test keeps the two equal)."""
    lines = ["| setting | type | default | environment | files | what it does |",
             "| --- | --- | --- | --- | --- | --- |"]
    from appconfig.spec import OPTIONS

    for option in OPTIONS:
        default = f"`{option.default!r}`"
        if option.provisioned is not None:
            default += f" (first boot: `{option.provisioned!r}`)"
        files = ", ".join(FILE_NAMES[f] for f in option.files)
        env = f"`{option.env}`" if option.env else ""
        text = option.description.replace("|", "\\|")
        lines.append(f"| `{option.name}` | {option.type.__name__} | {default} | {env} | {files} "
                     f"| {text} |")
    return "\n".join(lines) + "\n"
