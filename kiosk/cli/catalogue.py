"""Catalogue commands: search, records, items, import and export."""

from __future__ import annotations

import argparse
import sys

from kiosk.cli import EXIT_INPUT, error, print_json
from kiosk.cli.common import add_json, open_from_args
from kiosk.core.catalogue import ITEM_STATUSES, ITEM_TYPES
from kiosk.core.dates import vn_date


def add_arguments(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="search the catalogue (with or without diacritics, ISBN, barcode)")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    add_json(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("record", help="bibliographic records")
    rsub = p.add_subparsers(dest="action", required=True)
    r = rsub.add_parser("add", help="catalogue a new title")
    r.add_argument("--title", required=True)
    r.add_argument("--author", action="append", default=[], dest="authors")
    r.add_argument("--isbn")
    r.add_argument("--publisher")
    r.add_argument("--place")
    r.add_argument("--year", type=int)
    r.add_argument("--language", default="vie")
    r.add_argument("--subject", action="append", default=[], dest="subjects")
    r.add_argument("--ddc")
    r.add_argument("--series")
    r.add_argument("--notes")
    add_json(r)
    r.set_defaults(func=cmd_record_add)
    r = rsub.add_parser("show", help="a record with its copies")
    r.add_argument("record_id")
    add_json(r)
    r.set_defaults(func=cmd_record_show)

    p = sub.add_parser("item", help="copies of a title")
    isub = p.add_subparsers(dest="action", required=True)
    i = isub.add_parser("add", help="add a copy with its barcode")
    i.add_argument("record_id")
    i.add_argument("barcode")
    i.add_argument("--type", dest="item_type", default="book", choices=ITEM_TYPES)
    i.add_argument("--location")
    i.add_argument("--call-number")
    i.add_argument("--price", type=int, help="price in đồng")
    i.set_defaults(func=cmd_item_add)
    i = isub.add_parser("set", help="change a copy's status, type or shelf")
    i.add_argument("barcode")
    i.add_argument("--status", choices=ITEM_STATUSES)
    i.add_argument("--type", dest="item_type", choices=ITEM_TYPES)
    i.add_argument("--location")
    i.set_defaults(func=cmd_item_set)

    p = sub.add_parser("import", help="import MARC21 (.mrc, MARCXML) or CSV; prints every "
                                      "rejected row with its place and reason")
    p.add_argument("file")
    p.add_argument("--rejected-to", metavar="FILE",
                   help="write the rejected rows (CSV, with the original header) or records "
                        "(MARC bytes) here, to fix and import again")
    add_json(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export the catalogue (MARC21 or CSV) or patrons (CSV)")
    p.add_argument("--format", required=True, choices=["marc", "marcxml", "csv"])
    p.add_argument("--what", default="catalogue", choices=["catalogue", "patrons"])
    p.add_argument("file")
    p.set_defaults(func=cmd_export)


def _availability(hit) -> str:
    parts = [f"{hit.available} sẵn trên giá"]
    if hit.on_loan:
        parts.append(f"{hit.on_loan} đang mượn")
    if hit.held:
        parts.append(f"{hit.held} đang giữ chỗ")
    return ", ".join(parts)


def cmd_search(args: argparse.Namespace) -> int:
    hits = open_from_args(args).search.search(args.query, limit=args.limit)
    if args.json:
        print_json([h.as_dict() for h in hits])
        return 0
    if not hits:
        print("Không tìm thấy tài liệu nào.")
        return 0
    for hit in hits:
        year = f" ({hit.year})" if hit.year else ""
        print(f"{hit.title}{year} — {'; '.join(hit.authors)}")
        print(f"    {_availability(hit)}  [id {hit.id}]")
    return 0


def cmd_record_add(args: argparse.Namespace) -> int:
    lib = open_from_args(args)
    fields = {k: getattr(args, k) for k in ("title", "authors", "publisher", "place", "year",
                                             "language", "subjects", "ddc", "series", "notes")}
    if args.isbn:
        fields["isbn13"] = args.isbn
    record_id = lib.catalogue.add_record(fields)
    if args.json:
        print_json(lib.catalogue.get_record(record_id))
    else:
        print(f"Đã thêm đầu sách: {args.title} [id {record_id}]")
    return 0


def cmd_record_show(args: argparse.Namespace) -> int:
    lib = open_from_args(args)
    record = lib.catalogue.get_record(args.record_id)
    items = lib.catalogue.items_of(args.record_id)
    if args.json:
        print_json({**record, "items": items,
                    "attachments": lib.catalogue.attachments_of(args.record_id)})
        return 0
    print(record["title"] + (f": {record['subtitle']}" if record["subtitle"] else ""))
    for label, key in [("Tác giả", "authors"), ("Nhà xuất bản", "publisher"), ("Năm", "year"),
                       ("ISBN", "isbn13"), ("DDC", "ddc"), ("Chủ đề", "subjects")]:
        value = record[key]
        if value:
            print(f"  {label}: {'; '.join(value) if isinstance(value, list) else value}")
    for item in items:
        state = (f"đang mượn, hạn {vn_date(item['due_date'])}" if item["due_date"]
                 else "trên giá giữ chỗ" if item["hold_status"] else item["status"])
        print(f"  {item['barcode']}  {item['location'] or ''}  {state}")
    return 0


def cmd_item_add(args: argparse.Namespace) -> int:
    lib = open_from_args(args)
    lib.catalogue.add_item(args.record_id, args.barcode, item_type=args.item_type,
                           location=args.location, call_number=args.call_number, price=args.price)
    print(f"Đã thêm bản sách {args.barcode}")
    return 0


def cmd_item_set(args: argparse.Namespace) -> int:
    changes = {k: v for k, v in {"status": args.status, "item_type": args.item_type,
                                 "location": args.location}.items() if v is not None}
    open_from_args(args).catalogue.update_item(args.barcode, **changes)
    print(f"Đã cập nhật bản sách {args.barcode}")
    return 0


def _progress(done: int, total: int | None) -> None:
    if sys.stderr.isatty():
        total_text = f"/{total}" if total else ""
        print(f"\rĐang nhập: {done}{total_text} biểu ghi", end="", file=sys.stderr, flush=True)


def cmd_import(args: argparse.Namespace) -> int:
    from kiosk.core.errors import LibraryError
    from kiosk.io.importer import export_rejected, import_file

    lib = open_from_args(args)
    try:
        report = import_file(lib, args.file, progress=_progress)
    except LibraryError as problem:
        error(problem.message)
        return EXIT_INPUT
    if sys.stderr.isatty():
        print(file=sys.stderr)
    written = None
    if args.rejected_to and report.rejected:
        try:
            written = export_rejected(report, args.rejected_to)
        except OSError as exc:
            error(f"không ghi được {args.rejected_to}: {exc.strerror or exc}")
            return EXIT_INPUT
    if args.json:
        out = report.as_dict()
        if written is not None:
            out["rejected_written_to"] = str(written.path)
        print_json(out)
        return 0
    print(report.summary_vi())
    for line in report.details_vi():
        print(f"  {line}")
    if written is not None:
        print(f"Đã ghi {written.written} {report.unit} bị từ chối ra {written.path}"
              + (f"; {written.not_kept} vùng hỏng quá dài không ghi được" if written.not_kept
                 else ""))
    elif args.rejected_to:
        print(f"Không có {report.unit} nào bị từ chối; không ghi {args.rejected_to}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kiosk.io.importer import export_file

    count = export_file(open_from_args(args), args.file, format=args.format, what=args.what)
    print(f"Đã xuất {count} dòng/biểu ghi ra {args.file}")
    return 0
