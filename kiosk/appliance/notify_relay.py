"""Pass the kiosk window's sd_notify messages to systemd from the unit's main process.

``kiosk-ui.service`` opens a logind session (``PAMName=login``), and logind moves the
session's processes, cage and the kiosk it starts, out of the service's cgroup into a
``session-N.scope``. systemd then drops the kiosk's ``READY=1`` and ``WATCHDOG=1`` even with
``NotifyAccess=all``: the unit never became active and was killed at its start timeout
(found by booting the image, tests/image/test_boot.py). Messages from the main process are
still accepted, so this runs as the main process, starts the command with ``NOTIFY_SOCKET``
pointing at a socket of its own and forwards every datagram upstream.

    python -m kiosk.appliance.notify_relay /usr/bin/cage -s -- kiosk run --fullscreen
"""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

MAX_DATAGRAM = 4096


def _upstream(environ) -> str | None:
    address = environ.get("NOTIFY_SOCKET")
    if not address:
        return None
    return "\0" + address[1:] if address.startswith("@") else address


def _forward(upstream: str, message: bytes) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as out:
        try:
            out.connect(upstream)
            out.sendall(message)
        except OSError as exc:
            print(f"notify_relay: cannot reach systemd: {exc}", file=sys.stderr)


def relay(command: list[str], environ=os.environ) -> int:
    """Run ``command`` with its notifications relayed; its exit status (128+N on signal N)."""
    upstream = _upstream(environ)
    if upstream is None:
        return subprocess.call(command)
    with tempfile.TemporaryDirectory(prefix="kiosk-notify-") as folder:
        path = str(Path(folder) / "notify")
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.bind(path)
            env = {**environ, "NOTIFY_SOCKET": path}
            # The watchdog is meant for whoever pings: the command's processes, not this one.
            env.pop("WATCHDOG_PID", None)
            child = subprocess.Popen(command, env=env)
            for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                signal.signal(signum, lambda n, _frame: child.send_signal(n))
            while child.poll() is None:
                try:
                    readable, _, _ = select.select([sock], [], [], 1.0)
                except InterruptedError:
                    continue
                if readable:
                    message = sock.recv(MAX_DATAGRAM)
                    if message:
                        _forward(upstream, message)
    code = child.returncode
    return 128 - code if code < 0 else code


def main(argv: list[str] | None = None) -> int:
    command = list(sys.argv[1:] if argv is None else argv)
    if not command:
        print("usage: python -m kiosk.appliance.notify_relay COMMAND [ARG...]", file=sys.stderr)
        return 2
    return relay(command)


if __name__ == "__main__":
    sys.exit(main())
