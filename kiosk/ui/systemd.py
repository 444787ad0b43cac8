"""systemd readiness and watchdog notifications, with no dependency beyond the socket module.

The unit is ``Type=notify`` with ``WatchdogSec``: the kiosk says ``READY=1`` once the attract
screen shows, then ``WATCHDOG=1`` every half watchdog interval from a timer on the GUI thread.
If the GUI thread freezes the pings stop and systemd restarts the kiosk.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

from PySide6.QtCore import QObject, QTimer

from kiosk.store.migrations import behind

log = logging.getLogger(__name__)


def _address(environ: Mapping[str, str]) -> str | None:
    address = environ.get("NOTIFY_SOCKET")
    if not address:
        return None
    if address.startswith("@"):
        return "\0" + address[1:]
    return address


def notify(message: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Send one sd_notify datagram; False when not under systemd or the socket is gone."""
    address = _address(environ)
    if address is None:
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode("ascii"))
    except OSError as exc:
        log.warning("sd_notify %s failed: %s", message.split("=")[0], exc)
        return False
    return True


UPGRADE_SECONDS = 30 * 60


def allow_for_upgrade(db_path: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Before the window opens a database its migrations will rewrite (schema 9 rewrites
    the search index: minutes for a large catalogue on a Raspberry Pi), give the unit's
    start that long (``EXTEND_TIMEOUT_USEC``) instead of ``TimeoutStartSec``: a start
    killed mid-migration rolls it back and would start it over at every restart."""
    if not _address(environ) or not behind(db_path):
        return False
    log.info("the database schema is being upgraded: start timeout extended")
    return notify(f"EXTEND_TIMEOUT_USEC={UPGRADE_SECONDS * 1_000_000}", environ)


def watchdog_interval_ms(environ: Mapping[str, str] = os.environ) -> int | None:
    """Half of ``$WATCHDOG_USEC`` in milliseconds, if the watchdog is meant for this process."""
    usec = environ.get("WATCHDOG_USEC")
    pid = environ.get("WATCHDOG_PID")
    if not usec or not usec.isdigit() or int(usec) <= 0:
        return None
    if pid and pid.isdigit() and int(pid) != os.getpid():
        return None
    return max(1, int(usec) // 2000)


class SystemdNotifier(QObject):
    """READY once, then WATCHDOG pings from a GUI-thread timer."""

    def __init__(self, environ: Mapping[str, str] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.environ = dict(os.environ if environ is None else environ)
        self.ready_sent = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.ping)

    def ready(self) -> None:
        if self.ready_sent:
            return
        self.ready_sent = notify("READY=1", self.environ)
        interval = watchdog_interval_ms(self.environ)
        if interval is not None:
            self.timer.start(interval)
            log.info("systemd watchdog ping every %d ms", interval)

    def ping(self) -> None:
        notify("WATCHDOG=1", self.environ)

    def stopping(self) -> None:
        self.timer.stop()
        notify("STOPPING=1", self.environ)
