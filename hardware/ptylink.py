"""A pseudo-terminal pair that stands in for a USB serial cable.

Fakes write a device's real bytes into the master side; the driver under test (or a demo kiosk)
opens the slave path with pyserial exactly as it would open /dev/ttyUSB0. Closing the master is an
unplug: the driver's next read fails with EIO. An optional stable symlink lets a test unplug one
pair and plug in a new one under the same port name.
"""

from __future__ import annotations

import os
import tty
from pathlib import Path


class PtyLink:
    def __init__(self, link_path: str | os.PathLike[str] | None = None) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.slave_path = os.ttyname(self._slave)
        self._link = Path(link_path) if link_path is not None else None
        if self._link is not None:
            tmp = self._link.with_name(self._link.name + ".new")
            tmp.unlink(missing_ok=True)
            tmp.symlink_to(self.slave_path)
            tmp.replace(self._link)
        self.closed = False

    @property
    def port(self) -> str:
        """The path a driver should open: the stable symlink if there is one."""
        return str(self._link) if self._link is not None else self.slave_path

    def write(self, data: bytes) -> None:
        if self.closed:
            raise OSError("pty link is closed")
        view = memoryview(data)
        while view:
            written = os.write(self._master, view)
            view = view[written:]

    def close(self) -> None:
        """Unplug: close both ends and remove the symlink if it still points at this pair."""
        if self.closed:
            return
        self.closed = True
        if self._link is not None and self._link.is_symlink():
            if os.readlink(self._link) == self.slave_path:
                self._link.unlink()
        os.close(self._master)
        os.close(self._slave)

    def __enter__(self) -> PtyLink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
