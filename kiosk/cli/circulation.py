"""Circulation commands: checkout, checkin, renew, loans, holds, requests."""

from __future__ import annotations

import argparse

from kiosk.cli import EXIT_REFUSED, error, print_json
from kiosk.cli.common import add_json, open_from_args
from kiosk.core.dates import vn_date
from kiosk.core.requests import KINDS, STATUSES


def add_arguments(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("checkout", help="lend an item to a patron")
    p.add_argument("card")
    p.add_argument("barcode")
    p.add_argument("--override", metavar="REASON", help="staff override of blocks, with a reason")
    add_json(p)
    p.set_defaults(func=cmd_checkout)

    p = sub.add_parser("checkin", help="return an item")
    p.add_argument("barcode")
    add_json(p)
    p.set_defaults(func=cmd_checkin)

    p = sub.add_parser("renew", help="renew a loan (or --all of a patron's loans)")
    p.add_argument("card")
    p.add_argument("barcode", nargs="?")
    p.add_argument("--all", action="store_true")
    p.add_argument("--override", metavar="REASON")
    add_json(p)
    p.set_defaults(func=cmd_renew)

    p = sub.add_parser("loans", help="current loans")
    p.add_argument("--card")
    p.add_argument("--overdue", action="store_true", help="only overdue loans")
    add_json(p)
    p.set_defaults(func=cmd_loans)

    p = sub.add_parser("hold", help="holds (đặt trước)")
    hsub = p.add_subparsers(dest="action", required=True)
    h = hsub.add_parser("place", help="place a hold on a title")
    h.add_argument("card")
    h.add_argument("record_id")
    h.add_argument("--pickup", help="pickup library code (default: the patron's library)")
    add_json(h)
    h.set_defaults(func=cmd_hold_place)
    h = hsub.add_parser("list", help="a patron's holds")
    h.add_argument("card")
    add_json(h)
    h.set_defaults(func=cmd_hold_list)
    h = hsub.add_parser("cancel", help="cancel a hold")
    h.add_argument("hold_id")
    h.set_defaults(func=cmd_hold_cancel)
    h = hsub.add_parser("shelf", help="the hold shelf")
    add_json(h)
    h.set_defaults(func=cmd_hold_shelf)
    h = hsub.add_parser("expire", help="expire uncollected holds and say what to do with each copy")
    h.set_defaults(func=cmd_hold_expire)

    p = sub.add_parser("request", help="postal delivery and remote copy requests")
    rsub = p.add_subparsers(dest="action", required=True)
    r = rsub.add_parser("add", help="a new request")
    r.add_argument("kind", choices=list(KINDS))
    r.add_argument("card")
    r.add_argument("record_id")
    r.add_argument("--address", help="delivery address (postal)")
    r.add_argument("--pages", help="pages to copy (copy)")
    add_json(r)
    r.set_defaults(func=cmd_request_add)
    r = rsub.add_parser("list", help="requests")
    r.add_argument("--card")
    add_json(r)
    r.set_defaults(func=cmd_request_list)
    r = rsub.add_parser("status", help="set a request's status")
    r.add_argument("request_id")
    r.add_argument("status", choices=list(STATUSES))
    r.set_defaults(func=cmd_request_status)


def cmd_checkout(args: argparse.Namespace) -> int:
    result = open_from_args(args).circulation.checkout(args.card, args.barcode, args.override)
    if args.json:
        print_json(result.as_dict())
    else:
        print(f"Đã mượn: {result.title} [{result.barcode}] — hạn trả {vn_date(result.due_date)}")
        if result.overrides:
            print(f"  (thủ thư cho phép vượt quy định: {', '.join(result.overrides)})")
    return 0


def cmd_checkin(args: argparse.Namespace) -> int:
    result = open_from_args(args).circulation.checkin(args.barcode)
    if args.json:
        print_json(result.as_dict())
    else:
        print(f"Đã trả: {result.title} [{result.barcode}]")
        print(f"  {result.message}")
    return 0


def cmd_renew(args: argparse.Namespace) -> int:
    lib = open_from_args(args)
    if args.all:
        results = lib.circulation.renew_all(args.card)
    elif args.barcode:
        results = [lib.circulation.renew(args.card, args.barcode, args.override)]
    else:
        error("cần mã vạch sách hoặc --all")
        return 2
    refused = [r for r in results if not hasattr(r, "due_date")]
    if args.json:
        print_json([r.as_dict() for r in results])
    else:
        for r in results:
            if hasattr(r, "due_date"):
                print(f"Đã gia hạn: {r.title} — hạn mới {vn_date(r.due_date)}")
            else:
                print(f"Không gia hạn được: {r.message}")
    return EXIT_REFUSED if refused else 0


def cmd_loans(args: argparse.Namespace) -> int:
    lib = open_from_args(args)
    loans = lib.circulation.loans(args.card)
    if args.overdue:
        loans = [loan for loan in loans if loan["overdue_days"] > 0]
    if args.json:
        print_json(loans)
        return 0
    for loan in loans:
        late = f"  QUÁ HẠN {loan['overdue_days']} ngày" if loan["overdue_days"] else ""
        print(f"{vn_date(loan['due_date'])}  {loan['barcode']:<12} {loan['title']}  "
              f"— {loan['name']} ({loan['card_number']}){late}")
    if not loans:
        print("Không có sách nào đang được mượn.")
    return 0


def _print_hold(hold: dict) -> None:
    where = ("đang chờ trên giá giữ chỗ đến " + vn_date(hold["pickup_expires"])
             if hold["status"] == "trapped" else f"vị trí {hold['position']} trong hàng chờ")
    print(f"{hold['title']} — {where}  [id {hold['id']}]")


def cmd_hold_place(args: argparse.Namespace) -> int:
    hold = open_from_args(args).holds.place(args.card, args.record_id, args.pickup)
    if args.json:
        print_json(hold)
    else:
        print("Đã đặt trước:", end=" ")
        _print_hold(hold)
    return 0


def cmd_hold_list(args: argparse.Namespace) -> int:
    holds = open_from_args(args).holds.of_patron(args.card)
    if args.json:
        print_json(holds)
        return 0
    for hold in holds:
        _print_hold(hold)
    return 0


def cmd_hold_cancel(args: argparse.Namespace) -> int:
    open_from_args(args).holds.cancel(args.hold_id)
    print("Đã hủy đặt trước.")
    return 0


def cmd_hold_shelf(args: argparse.Namespace) -> int:
    shelf = open_from_args(args).holds.shelf()
    if args.json:
        print_json(shelf)
        return 0
    for h in shelf:
        print(f"{h['barcode']:<12} {h['title']} — cho {h['name']} ({h['card_number']}), "
              f"đến {vn_date(h['pickup_expires'])}")
    return 0


def cmd_hold_expire(args: argparse.Namespace) -> int:
    for action in open_from_args(args).holds.expire():
        print(f"{action['barcode']:<12} {action['title']}: {action['action']}")
    return 0


def cmd_request_add(args: argparse.Namespace) -> int:
    details = {k: v for k, v in {"address": args.address, "pages": args.pages}.items() if v}
    request = open_from_args(args).requests.create(args.kind, args.card, args.record_id, details)
    if args.json:
        print_json(request)
    else:
        print(f"Đã gửi yêu cầu {request['kind_label'].lower()}: {request['title']} "
              f"[id {request['id']}]")
    return 0


def cmd_request_list(args: argparse.Namespace) -> int:
    requests = open_from_args(args).requests.list(args.card)
    if args.json:
        print_json(requests)
        return 0
    for r in requests:
        print(f"{r['created_at'][:10]}  {r['kind_label']}: {r['title']} — {r['status_label']}  "
              f"[id {r['id']}]")
    return 0


def cmd_request_status(args: argparse.Namespace) -> int:
    request = open_from_args(args).requests.set_status(args.request_id, args.status)
    print(f"Yêu cầu {request['id']}: {request['status_label']}")
    return 0
