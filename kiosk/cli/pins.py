"""``kiosk staff-pin``: the staff and technician PINs of this device.

The PIN is read from the terminal (twice, not echoed) or, in a script, from the first
line of stdin; never from the command line, where shell history and the process list
would keep it. Setting the technician PIN here needs no current PIN: whoever has a shell
on the device can rewrite its database anyway, so this is also how a forgotten PIN is
replaced.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.cli import error
from kiosk.cli.common import open_from_args
from kiosk.core import staff

EXIT_MISMATCH = 1
LABELS = {staff.STAFF: "nhân viên", staff.TECHNICIAN: "kỹ thuật viên"}


def add_arguments(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("staff-pin", help="set the staff or technician PIN of this device "
                       "(read from the terminal or stdin, never from arguments)")
    psub = p.add_subparsers(dest="action", required=True)
    s = psub.add_parser("set", help="set the staff PIN (or, with --technician, the technician PIN)")
    s.add_argument("--technician", action="store_true", help="the technician area's PIN")
    s.set_defaults(func=cmd_set)
    st = psub.add_parser("status", help="which PINs are set (never shows one)")
    st.set_defaults(func=cmd_status)


def _read_new_pin(label: str) -> str | None:
    prompt = f"Mã PIN {label} mới (4–8 chữ số, nên dùng 6): "
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    first = getpass.getpass(prompt)
    if getpass.getpass("Nhập lại: ") != first:
        return None
    return first


def cmd_set(args: argparse.Namespace) -> int:
    area = staff.TECHNICIAN if args.technician else staff.STAFF
    lib = open_from_args(args)
    pin = _read_new_pin(LABELS[area])
    if pin is None:
        error("hai lần nhập mã PIN không khớp; chưa đổi gì")
        return EXIT_MISMATCH
    other = staff.STAFF if area == staff.TECHNICIAN else staff.TECHNICIAN
    if staff.verify(lib.store, other, pin):
        error("mã PIN nhân viên và mã PIN kỹ thuật viên phải khác nhau; chưa đổi gì")
        return EXIT_MISMATCH
    staff.set_pin(lib.store, area, pin)
    print(f"Đã đặt mã PIN {LABELS[area]} cho thiết bị này.")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    store = open_from_args(args).store
    for area in staff.AREAS:
        state = "đã đặt" if staff.has_pin(store, area) else "CHƯA ĐẶT (khu vực đang khóa)"
        print(f"Mã PIN {LABELS[area]}: {state}")
    return 0
