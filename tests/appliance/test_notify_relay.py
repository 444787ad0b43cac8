"""kiosk-ui.service's notify relay: the window's READY=1 reaches systemd from the main process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

CHILD = """
import os, socket, sys
with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
    s.connect(os.environ["NOTIFY_SOCKET"])
    s.sendall(b"READY=1")
    s.sendall(("WATCHDOG_PID=" + os.environ.get("WATCHDOG_PID", "unset")).encode())
sys.exit(3)
"""


def test_relay_should_forward_the_childs_notifications_and_exit_with_its_status(tmp_path):
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(str(tmp_path / "notify"))
    systemd.settimeout(10)
    env = {**os.environ, "NOTIFY_SOCKET": str(tmp_path / "notify"), "WATCHDOG_PID": "1",
           "WATCHDOG_USEC": "30000000"}
    try:
        done = subprocess.run([sys.executable, "-m", "kiosk.appliance.notify_relay",
                               sys.executable, "-c", CHILD], env=env, timeout=30,
                              capture_output=True, text=True)
        received = [systemd.recv(4096), systemd.recv(4096)]
    finally:
        systemd.close()
    assert done.returncode == 3, done.stderr
    assert received == [b"READY=1", b"WATCHDOG_PID=unset"]


def test_relay_without_systemd_should_just_run_the_command():
    env = {k: v for k, v in os.environ.items() if k != "NOTIFY_SOCKET"}
    done = subprocess.run([sys.executable, "-m", "kiosk.appliance.notify_relay", sys.executable,
                           "-c", "import sys; sys.exit(5)"], env=env, timeout=30)
    assert done.returncode == 5
