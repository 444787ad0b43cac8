"""Trust commands: pairing devices offline, the device registry, quarantined events."""

from __future__ import annotations

import argparse
import platform
from pathlib import Path

from kiosk.cli import EXIT_REFUSED, error, print_json
from kiosk.cli.common import add_json, open_from_args
from kiosk.core.dates import vn_date


def add_arguments(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pair-code", help="print a one-time code for pairing a new device")
    add_json(p)
    p.set_defaults(func=cmd_pair_code)

    p = sub.add_parser("pair", help="join this (new) device to a library through a paired device")
    p.add_argument("--peer", required=True, metavar="URL", help="a paired device, e.g. "
                   "http://quay.local:8470")
    p.add_argument("--code", required=True, help="the code `kiosk pair-code` printed there")
    p.add_argument("--name", default=platform.node(), help="this device's name")
    p.add_argument("--role", default="kiosk", choices=["kiosk", "counter"])
    p.set_defaults(func=cmd_pair)

    p = sub.add_parser("registry", help="this library's devices and their keys")
    rsub = p.add_subparsers(dest="action", required=True)
    r = rsub.add_parser("list", help="registered devices")
    add_json(r)
    r.set_defaults(func=cmd_registry_list)
    r = rsub.add_parser("revoke", help="revoke a device: every peer refuses it after the next sync")
    r.add_argument("device_id")
    r.add_argument("--by", default="thủ thư")
    r.set_defaults(func=cmd_registry_revoke)

    p = sub.add_parser("quarantine", help="events set aside instead of applied")
    qsub = p.add_subparsers(dest="action", required=True)
    q = qsub.add_parser("list", help="events waiting for a librarian or technician")
    q.add_argument("--all", action="store_true", help="include settled ones")
    add_json(q)
    q.set_defaults(func=cmd_quarantine_list)
    for name, helptext in (("dismiss", "keep the event refused for good"),
                           ("retry", "apply it again once its cause is fixed")):
        q = qsub.add_parser(name, help=helptext)
        q.add_argument("id", help="ORIGIN:SEQ as `kiosk quarantine list` shows it")
        q.add_argument("--by", default="thủ thư")
        q.set_defaults(func=cmd_quarantine_settle, settle=name)


def cmd_pair_code(args: argparse.Namespace) -> int:
    from sync import pairing

    lib = open_from_args(args)
    code, expires = pairing.issue_code(lib)
    if args.json:
        print_json({"code": code, "expires_at": expires.isoformat(timespec="seconds")})
    else:
        print(f"Mã ghép nối: {code}")
        print(f"Dùng một lần, hết hạn lúc {expires:%H:%M} {vn_date(expires.date().isoformat())}. "
              "Trên thiết bị mới: kiosk pair --peer http://<máy này>:8470 --code MÃ")
    return 0


def cmd_pair(args: argparse.Namespace) -> int:
    from sync.joining import JoinRefused, pair

    try:
        joined = pair(Path(args.config.db), args.peer, args.code, device_name=args.name,
                      role=args.role)
    except JoinRefused as exc:
        error(str(exc))
        return EXIT_REFUSED
    print(joined.message)
    if not joined.bootstrapped:
        print("Chưa tải được dữ liệu ban đầu; thiết bị sẽ đồng bộ dần (kiosk sync).")
    return 0


def cmd_registry_list(args: argparse.Namespace) -> int:
    from sync import identity

    lib = open_from_args(args)
    rows = identity.listing(lib.store, None if _is_hub(lib) else lib.code)
    if args.json:
        print_json(rows)
        return 0
    me = identity.device_id(lib.store)
    for r in rows:
        state = f"THU HỒI {r['revoked_at'][:10]}" if r["revoked_at"] else "đang dùng"
        print(f"{r['id']}  {r['library_id']}  {r['role'] or '':8} {r['name'] or '':20} {state}"
              f"{'  (thiết bị này)' if r['id'] == me else ''}")
    return 0


def _is_hub(lib) -> bool:
    from sync.enrolment import is_district

    return is_district(lib.store)


def cmd_registry_revoke(args: argparse.Namespace) -> int:
    from sync import identity

    lib = open_from_args(args)
    held = identity.registered(lib.store, args.device_id)
    if held is None or (held.library_id != lib.code and not _is_hub(lib)):
        error(f"không có thiết bị {args.device_id} của thư viện này")
        return EXIT_REFUSED
    if not identity.revoke(lib, args.device_id, args.by):
        error(f"thiết bị {args.device_id} đã bị thu hồi trước đó")
        return EXIT_REFUSED
    print(f"Đã thu hồi thiết bị {args.device_id}; các máy khác từ chối nó sau lần đồng bộ tới.")
    return 0


def cmd_quarantine_list(args: argparse.Namespace) -> int:
    from kiosk.core import quarantine

    lib = open_from_args(args)
    rows = quarantine.listing(lib.store, include_settled=args.all)
    if args.json:
        print_json([{k: v for k, v in r.items()} for r in rows])
        return 0
    if not rows:
        print("Không có sự kiện nào bị cách ly.")
    for r in rows:
        print(f"[{r['id']}] {r['label']}: {r['detail']}")
        print(f"    {r['type']} của thư viện {r['library_id']}, nhận lúc {r['at'][:16]}"
              f"{'' if r['status'] == 'open' else ' — ' + r['status']}")
    if rows and not args.all:
        print("Xử lý: kiosk quarantine retry ID (sau khi sửa nguyên nhân) hoặc dismiss ID")
    return 0


def cmd_quarantine_settle(args: argparse.Namespace) -> int:
    from kiosk.core import quarantine

    lib = open_from_args(args)
    if args.settle == "dismiss":
        quarantine.dismiss(lib, args.id, args.by)
        print(f"Đã bỏ qua sự kiện {args.id}.")
        return 0
    if quarantine.retry(lib, args.id, args.by):
        print(f"Đã áp dụng sự kiện {args.id}.")
        return 0
    error(f"sự kiện {args.id} vẫn chưa áp dụng được: xem `kiosk quarantine list`")
    return EXIT_REFUSED
