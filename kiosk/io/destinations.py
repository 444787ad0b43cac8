"""Where the counter may write a file for a librarian: a USB stick or the downloads folder.

Staff never browse the file system from the counter screen: they pick one of these.
A USB stick is any file system the desktop's automounter put under ``/media`` or
``/run/media`` (udisks mounts removable drives there); the downloads folder is the XDG
one (``XDG_DOWNLOAD_DIR``), else ``~/Downloads``. No Qt here: the screen shows the list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_REMOVABLE_ROOTS = ("/media/", "/run/media/")


@dataclass(frozen=True)
class Destination:
    kind: str      # "usb" or "downloads"
    name: str      # the stick's volume name, or the folder's name
    path: Path


def _unescape(field: str) -> str:
    """/proc/mounts writes a space as \\040 (and tab, newline, backslash likewise)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def usb_sticks(mounts: str | Path = "/proc/mounts", writable: bool = True) -> list[Destination]:
    """Removable mounts; ``writable=False`` also lists read-only ones (a file to import
    may sit on a stick whose write-protect switch is on)."""
    try:
        lines = Path(mounts).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        parts = line.split()
        if len(parts) < 4:
            continue
        point = _unescape(parts[1])
        if point.startswith(_REMOVABLE_ROOTS) and (not writable or "rw" in parts[3].split(",")):
            found.append(Destination("usb", Path(point).name, Path(point)))
    return sorted(found, key=lambda d: d.name)


def downloads_folder(home: Path | None = None, env: dict[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    home = home or Path.home()
    configured = env.get("XDG_DOWNLOAD_DIR")
    if configured:
        return Path(configured.replace("$HOME", str(home)))
    return home / "Downloads"


def find_destinations() -> list[Destination]:
    """The USB sticks plugged in now, then the downloads folder."""
    folder = downloads_folder()
    return [*usb_sticks(), Destination("downloads", folder.name, folder)]


def find_sources() -> list[Destination]:
    """Where a file to import may come from: every USB stick, read-only ones too, then the
    downloads folder."""
    folder = downloads_folder()
    return [*usb_sticks(writable=False), Destination("downloads", folder.name, folder)]
