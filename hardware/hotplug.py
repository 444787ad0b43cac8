"""Noticing USB devices being plugged in, so readers retry at once instead of after their back-off.

udev events come through pyudev, which is optional: without it (or without a netlink socket, as in
some containers) the kiosk still recovers through back-off alone, and the diagnostics screen says
that hot-plug detection is unavailable rather than pretending it works.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

HotplugCallback = Callable[[str, str], None]
SUBSYSTEMS = ("tty", "input", "usb")


class HotplugMonitor:
    """Calls `on_event(action, device_node)` from pyudev's observer thread for watched subsystems."""

    def __init__(self, on_event: HotplugCallback) -> None:
        self._on_event = on_event
        self._observer: Any = None
        self.detail = "hot-plug: not started"

    @property
    def active(self) -> bool:
        return self._observer is not None

    def start(self) -> bool:
        try:
            import pyudev
        except ImportError:
            self.detail = "hot-plug: unavailable (pyudev not installed)"
            return False
        try:
            context = pyudev.Context()
            monitor = pyudev.Monitor.from_netlink(context)
            for subsystem in SUBSYSTEMS:
                monitor.filter_by(subsystem)
            observer = pyudev.MonitorObserver(monitor, callback=self._handle, name="udev-hotplug")
            observer.start()
        except (OSError, ImportError) as exc:
            self.detail = f"hot-plug: unavailable ({exc})"
            return False
        self._observer = observer
        self.detail = "hot-plug: watching udev (" + ", ".join(SUBSYSTEMS) + ")"
        return True

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.send_stop()
            self._observer.join(2.0)
            self._observer = None
        self.detail = "hot-plug: stopped"

    def _handle(self, device: Any) -> None:
        node = device.device_node or device.sys_path
        try:
            self._on_event(device.action or "", node)
        except Exception:
            logger.exception("hot-plug handler failed for %s", node)
