"""Patron commands. PINs are read from the terminal or stdin, never from arguments."""

from __future__ import annotations

import argparse
import datetime as dt

from kiosk.cli import print_json
from kiosk.cli.common import add_json, open_from_args, read_pin
from kiosk.core.dates import vn_date
from kiosk.core.patrons import CATEGORIES


def add_arguments(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("patron", help="register and look up patrons")
    psub = p.add_subparsers(dest="action", required=True)

    a = psub.add_parser("add", help="register a patron")
    a.add_argument("name")
    a.add_argument("--category", default="adult", choices=list(CATEGORIES))
    a.add_argument("--birth-year", type=int)
    a.add_argument("--phone")
    a.add_argument("--commune")
    a.add_argument("--address")
    a.add_argument("--card", help="card number (default: next free number)")
    a.add_argument("--expires", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: 1 year)")
    a.add_argument("--set-pin", action="store_true", help="ask for a PIN (or read it from stdin)")
    add_json(a)
    a.set_defaults(func=cmd_add)

    s = psub.add_parser("show", help="a patron, their loans and holds")
    s.add_argument("card")
    add_json(s)
    s.set_defaults(func=cmd_show)

    ls = psub.add_parser("list", help="list patrons")
    ls.add_argument("--query", help="part of a name (diacritics optional) or card number")
    ls.add_argument("--limit", type=int, default=100)
    add_json(ls)
    ls.set_defaults(func=cmd_list)

    r = psub.add_parser("renew", help="extend a card for another year")
    r.add_argument("card")
    r.set_defaults(func=cmd_renew)

    b = psub.add_parser("block", help="block a card, with a reason")
    b.add_argument("card")
    b.add_argument("--reason", required=True)
    b.set_defaults(func=cmd_block)

    u = psub.add_parser("unblock", help="lift a block")
    u.add_argument("card")
    u.set_defaults(func=cmd_unblock)

    pin = psub.add_parser("set-pin", help="set or change a patron's PIN")
    pin.add_argument("card")
    pin.set_defaults(func=cmd_set_pin)


def cmd_add(args: argparse.Namespace) -> int:
    lib = open_from_args(args)
    patron = lib.patrons.add(
        args.name, args.category, birth_year=args.birth_year, phone=args.phone,
        commune=args.commune, address=args.address, card_number=args.card,
        expires_on=args.expires, pin=read_pin() if args.set_pin else None)
    if args.json:
        print_json(patron)
    else:
        print(f"Đã đăng ký bạn đọc {patron['name']}, số thẻ {patron['card_number']}, "
              f"hạn thẻ {vn_date(patron['expires_on'])}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    lib = open_from_args(args)
    patron = lib.patrons.get(args.card)
    loans = lib.circulation.loans(args.card)
    holds = lib.holds.of_patron(args.card)
    blocks = [b.message for b in lib.circulation.check_patron(args.card)]
    if args.json:
        print_json({**patron, "loans": loans, "holds": holds, "blocks": blocks})
        return 0
    label = CATEGORIES[patron["category"]][0]
    print(f"{patron['name']} — thẻ {patron['card_number']} ({label}), "
          f"hạn thẻ {vn_date(patron['expires_on'])}")
    for message in blocks:
        print(f"  ! {message}")
    for loan in loans:
        late = f" — QUÁ HẠN {loan['overdue_days']} ngày" if loan["overdue_days"] else ""
        print(f"  Đang mượn: {loan['title']} [{loan['barcode']}] hạn {vn_date(loan['due_date'])}{late}")
    for hold in holds:
        where = ("sách đang chờ trên giá giữ chỗ" if hold["status"] == "trapped"
                 else f"vị trí {hold['position']} trong hàng chờ")
        print(f"  Đặt trước: {hold['title']} — {where}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    patrons = open_from_args(args).patrons.list(args.query, limit=args.limit)
    if args.json:
        print_json(patrons)
        return 0
    for p in patrons:
        print(f"{p['card_number']:>16}  {p['name']}  ({p['commune'] or ''})  "
              f"hạn {vn_date(p['expires_on'])}")
    return 0


def cmd_renew(args: argparse.Namespace) -> int:
    patron = open_from_args(args).patrons.renew_card(args.card)
    print(f"Đã gia hạn thẻ {patron['card_number']} đến {vn_date(patron['expires_on'])}")
    return 0


def cmd_block(args: argparse.Namespace) -> int:
    open_from_args(args).patrons.update(args.card, blocked_reason=args.reason)
    print(f"Đã khóa thẻ {args.card}")
    return 0


def cmd_unblock(args: argparse.Namespace) -> int:
    open_from_args(args).patrons.update(args.card, blocked_reason=None)
    print(f"Đã mở khóa thẻ {args.card}")
    return 0


def cmd_set_pin(args: argparse.Namespace) -> int:
    open_from_args(args).patrons.set_pin(args.card, read_pin())
    print(f"Đã đặt mã PIN cho thẻ {args.card}")
    return 0
