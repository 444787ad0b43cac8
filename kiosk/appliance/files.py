"""Writing system files so that a power cut leaves either the old or the new version.

First boot runs on a card that may lose power at any moment (a technician pulling the
plug because "nothing happens"): every file is written to a temporary neighbour, synced,
then renamed over the target, and the directory is synced too.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def under(root: Path, absolute: str | Path) -> Path:
    """``absolute`` (a path on the device) inside ``root`` (``/`` on the device)."""
    return Path(root) / str(absolute).lstrip("/")


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: str | bytes, mode: int | None = 0o644) -> None:
    """Replace ``path`` with ``data``; the file never exists with other permissions.

    ``mode=None`` leaves permissions alone (the FAT boot partition has none).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def atomic_symlink(path: Path, target: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.new")
    temp.unlink(missing_ok=True)
    os.symlink(target, temp)
    os.replace(temp, path)
    fsync_dir(path.parent)
