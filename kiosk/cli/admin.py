"""Node set-up, demo library, calendar and statistics commands."""

from __future__ import annotations

import argparse
import datetime as dt

from kiosk.cli import EXIT_USAGE, error, print_json
from kiosk.cli.common import add_json, open_from_args
from kiosk.core.dates import vn_date


def add_arguments(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="make this database the node of a library")
    p.add_argument("--library", required=True, help="library code, e.g. TN-PHUTHO")
    p.add_argument("--name", required=True, help="library name, e.g. 'Thư viện xã Phú Thọ'")
    p.add_argument("--kind", default="commune",
                   choices=["commune", "town", "school", "private", "community", "district"])
    p.add_argument("--commune")
    p.add_argument("--address")
    p.add_argument("--opening-hours")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="fill the database with a realistic Tam Nông demo library")
    p.add_argument("--books", type=int, default=2000, help="number of titles (up to 200000)")
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("stats", help="counts for the district report")
    p.add_argument("--period", help="YYYY-MM or YYYY (default: this month)")
    add_json(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("calendar", help="days the library is closed")
    csub = p.add_subparsers(dest="action", required=True)
    c = csub.add_parser("close", help="close the library on a date")
    c.add_argument("date", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    c.add_argument("--reason", default="")
    c.set_defaults(func=cmd_calendar_close)
    c = csub.add_parser("open", help="undo a closed date")
    c.add_argument("date", type=dt.date.fromisoformat)
    c.set_defaults(func=cmd_calendar_open)
    c = csub.add_parser("list", help="closed dates")
    add_json(c)
    c.set_defaults(func=cmd_calendar_list)
    c = csub.add_parser("hours", help="show or set the opening hours patrons read")
    c.add_argument("text", nargs="?", help="e.g. 'Thứ Hai – Thứ Bảy, 7:00–11:00'")
    c.set_defaults(func=cmd_calendar_hours)
    c = csub.add_parser("weekdays", help="weekdays closed every week (0 = Monday … 6 = Sunday)")
    c.add_argument("days", nargs="*", type=int)
    c.set_defaults(func=cmd_calendar_weekdays)

    p = sub.add_parser("rules", help="loan rules per patron category and item type")
    rsub = p.add_subparsers(dest="action", required=True)
    r = rsub.add_parser("list", help="the rules in force")
    add_json(r)
    r.set_defaults(func=cmd_rules_list)
    r = rsub.add_parser("set", help="change one rule")
    r.add_argument("category", help="child, student, adult, elderly or disabled")
    r.add_argument("item_type", help="book, children, periodical, av, reference or '*' (all)")
    r.add_argument("--days", type=int, required=True, help="loan period in days")
    r.add_argument("--max", type=int, required=True, help="most loans at once (0: not lent)")
    r.add_argument("--renewals", type=int, required=True)
    r.set_defaults(func=cmd_rules_set)


def cmd_init(args: argparse.Namespace) -> int:
    from sync.joining import found_library

    lib = open_from_args(args, create=True)
    found_library(lib, args.library, args.name, kind=args.kind, commune=args.commune,
                  address=args.address, opening_hours=args.opening_hours)
    print(f"Đã khởi tạo {args.name} ({args.library}) trong {args.config.db}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from kiosk.app import open_library
    from kiosk.core.clock import FixedClock, SystemClock
    from kiosk.demo import build_demo

    clock = FixedClock(SystemClock().now())
    lib = open_library(args.config.db, clock)
    if lib.catalogue.count():
        error(f"{args.config.db} đã có {lib.catalogue.count()} đầu sách: thư viện mẫu cần một "
              "tệp mới, ví dụ `kiosk --db demo.db demo`")
        return EXIT_USAGE
    summary = build_demo(lib, books=args.books, seed=args.seed)
    print(f"Thư viện mẫu đã sẵn sàng trong {args.config.db}:")
    for key, value in summary.items():
        print(f"  {key}: {value}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    lib = open_from_args(args)
    period = args.period or lib.clock.today().strftime("%Y-%m")
    counts = lib.stats.period(period)
    by_ddc = lib.stats.collection_by_ddc()
    if args.json:
        print_json({"library": lib.code, **counts, "collection_by_ddc": by_ddc})
        return 0
    labels = {"loans": "Lượt mượn", "renewals": "Lượt gia hạn", "returns": "Lượt trả",
              "visits": "Lượt truy cập", "active_patrons": "Bạn đọc hoạt động",
              "new_patrons": "Bạn đọc mới", "acquisitions": "Bản sách bổ sung",
              "holds_placed": "Lượt đặt trước", "requests": "Yêu cầu (bưu chính, sao chụp)"}
    print(f"{lib.name} — thống kê {period}")
    for key, label in labels.items():
        print(f"  {label}: {counts[key]}")
    print("  Vốn tài liệu theo DDC:")
    for row in by_ddc:
        print(f"    {row['class']}xx {row['label']}: {row['titles']} đầu sách, {row['items']} bản")
    return 0


def cmd_calendar_close(args: argparse.Namespace) -> int:
    open_from_args(args).policy.close_day(args.date, args.reason)
    print(f"Thư viện nghỉ ngày {vn_date(args.date)}")
    return 0


def cmd_calendar_open(args: argparse.Namespace) -> int:
    open_from_args(args).policy.reopen_day(args.date)
    print(f"Thư viện mở cửa ngày {vn_date(args.date)}")
    return 0


def cmd_calendar_list(args: argparse.Namespace) -> int:
    days = open_from_args(args).policy.closed_days()
    if args.json:
        print_json([{"date": d, "reason": r} for d, r in days])
        return 0
    for day, reason in days:
        print(f"{vn_date(day)}  {reason}")
    return 0


def cmd_calendar_hours(args: argparse.Namespace) -> int:
    policy = open_from_args(args).policy
    if args.text is not None:
        policy.set_opening_hours(args.text)
    print(policy.opening_hours() or "(chưa ghi giờ mở cửa)")
    return 0


def cmd_calendar_weekdays(args: argparse.Namespace) -> int:
    policy = open_from_args(args).policy
    if args.days:
        policy.set_closed_weekdays(args.days)
    days = policy.settings["closed_weekdays"]
    print("Nghỉ hằng tuần: " + (", ".join(str(d) for d in days) if days else "không"))
    return 0


def cmd_rules_list(args: argparse.Namespace) -> int:
    rules = open_from_args(args).policy.rules()
    if args.json:
        print_json([{"category": c, "item_type": t, **rule.__dict__}
                    for (c, t), rule in rules.items()])
        return 0
    for (category, item_type), rule in rules.items():
        print(f"{category:9} {item_type:11} {rule.loan_days:3} ngày  tối đa {rule.max_loans:2}"
              f"  gia hạn {rule.max_renewals}")
    return 0


def cmd_rules_set(args: argparse.Namespace) -> int:
    from kiosk.core.policy import Rule

    lib = open_from_args(args)
    lib.policy.set_rule(args.category, args.item_type, Rule(args.days, args.max, args.renewals))
    print(f"Đã đặt quy định {args.category}/{args.item_type}: {args.days} ngày, "
          f"tối đa {args.max} cuốn, gia hạn {args.renewals} lần")
    return 0
