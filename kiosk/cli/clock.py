"""``kiosk clock``: is the machine's clock fit to lend with, and setting it by hand.

A Pi without network and without its RTC battery keeps the wrong time until someone sets
it; circulation refuses to compute due dates meanwhile (:mod:`kiosk.core.clock_sanity`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import shutil
import subprocess
from pathlib import Path

from kiosk.cli import EXIT_REFUSED, EXIT_USAGE, error, print_json
from kiosk.cli.common import add_json
from kiosk.core.clock import LIBRARY_TZ

log = logging.getLogger(__name__)

FORMAT = "%Y-%m-%d %H:%M"


def add_arguments(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clock", help="check the machine's clock (default) or set it")
    actions = p.add_subparsers(dest="clock_action", metavar="ACTION")
    status = actions.add_parser("status", help="is the clock fit to compute due dates from")
    add_json(status)
    status.set_defaults(func=cmd_status)
    setter = actions.add_parser("set", help='set the clock: "YYYY-MM-DD HH:MM", library time')
    setter.add_argument("time", help='e.g. "2026-12-02 07:30" (giờ Việt Nam)')
    setter.set_defaults(func=cmd_set)
    trust = actions.add_parser(
        "trust", help="the time now is right: this device's events stamped later stop counting")
    trust.set_defaults(func=cmd_trust)
    add_json(p)
    p.set_defaults(func=cmd_status)


def _library_if_any(args: argparse.Namespace):
    from kiosk.app import open_library

    path = Path(args.config.db)
    if not path.exists():
        return None
    library = open_library(path)
    return library if library.store.get_meta("library_code") else None


def cmd_status(args: argparse.Namespace) -> int:
    from kiosk.core import clock_sanity
    from kiosk.core.clock import SystemClock

    library = _library_if_any(args)
    status = (clock_sanity.judge(SystemClock()) if library is None
              else clock_sanity.check(library))
    if getattr(args, "json", False):
        print_json(status.as_dict())
        return 0 if status.ok else EXIT_REFUSED
    print(status.message if status.ok else f"CẢNH BÁO: {status.message}")
    if library is None:
        print("(Không có cơ sở dữ liệu thư viện: chỉ so với ngày làm ra phần mềm.)")
    return 0 if status.ok else EXIT_REFUSED


def _timedatectl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["timedatectl", *args], capture_output=True, text=True, timeout=30)


def cmd_set(args: argparse.Namespace) -> int:
    try:
        local = dt.datetime.strptime(args.time.strip(), FORMAT).replace(tzinfo=LIBRARY_TZ)
    except ValueError:
        error(f'giờ "{args.time}" không đúng dạng "YYYY-MM-DD HH:MM", ví dụ "2026-12-02 07:30"')
        return EXIT_USAGE
    utc = local.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    if shutil.which("timedatectl") is None:
        error("máy này không có timedatectl để đặt giờ.")
        print(f'Đặt giờ bằng tay (quyền root): sudo date -u -s "{utc[:-4]}"')
        print("Rồi kiểm tra lại: kiosk clock")
        return EXIT_REFUSED
    # NTP refuses a manual time while it is on; it is switched on again afterwards so the
    # device corrects itself as soon as a time server is reachable.
    ntp_was_on = "NTP=yes" in _timedatectl("show", "--property=NTP").stdout
    if ntp_was_on:
        _timedatectl("set-ntp", "false")
    done = _timedatectl("set-time", utc)
    if ntp_was_on:
        _timedatectl("set-ntp", "true")
    if done.returncode != 0:
        error(f"không đặt được giờ: {done.stderr.strip() or done.stdout.strip()}")
        print(f'Thử với quyền root: sudo kiosk clock set "{args.time.strip()}", '
              f'hoặc: sudo date -u -s "{utc[:-4]}"')
        return EXIT_REFUSED
    print(f"Đã đặt giờ: {local:%d/%m/%Y %H:%M} (giờ Việt Nam).")
    db = Path(args.config.db)
    if db.exists() and os.geteuid() == 0 and db.stat().st_uid != 0:
        # Root must not write the service's database (new -wal/-shm files would be root's).
        print(f"Kiểm tra lại với người dùng của dịch vụ: sudo -u {db.owner()} kiosk clock trust")
        return 0
    return cmd_trust(args)


def cmd_trust(args: argparse.Namespace) -> int:
    """Vouch for the time now: events this device wrote "later" no longer stop lending."""
    from kiosk.core import clock_sanity

    library = _library_if_any(args)
    if library is None:
        return cmd_status(args)
    clock_sanity.mark_time_set(library)
    status = clock_sanity.check(library)
    print(status.message if status.ok else f"CẢNH BÁO: {status.message}")
    return 0 if status.ok else EXIT_REFUSED
