"""Rural-link commands: ``bootstrap`` (a device from a file) and ``bundle`` (sync by USB stick)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kiosk.cli import EXIT_INPUT, EXIT_REFUSED, error, print_json
from kiosk.cli.common import add_json, open_from_args

STAGES = {"load": "Đang nạp dữ liệu", "index": "Đang dựng chỉ mục tìm kiếm",
          "circulation": "Đang tính lại lượt mượn", "make": "Đang ghi tệp",
          "download": "Đang tải", "prepare": "Máy chủ đang chuẩn bị tệp"}


def add_arguments(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bootstrap", help="install this (empty) device from a bootstrap file, "
                                         "or write one for another device (--export)")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--from", dest="source", metavar="FILE",
                       help="bootstrap file to install (e.g. from a USB stick)")
    group.add_argument("--export", metavar="FILE",
                       help="write this library's bootstrap file (for a new device)")
    p.add_argument("--library", help="with --from: library code (default: the file's)")
    p.add_argument("--name", help="with --from: library name shown on the device")
    p.set_defaults(func=cmd_bootstrap)

    p = sub.add_parser("bundle", help="sync by USB stick: export or import a signed bundle")
    bsub = p.add_subparsers(dest="action", required=True)
    b = bsub.add_parser("export", help="write what the other side lacks to a signed file")
    b.add_argument("--to", required=True, metavar="DIR", help="folder on the stick")
    b.add_argument("--for", dest="peer", metavar="PEER",
                   help="device id, sync peer or 'hub' (default: the hub if enrolled)")
    add_json(b)
    b.set_defaults(func=cmd_bundle_export)
    b = bsub.add_parser("import", help="apply a bundle and write the reply beside it")
    b.add_argument("file", metavar="FILE")
    b.add_argument("--no-reply", action="store_true", help="do not write a reply bundle")
    add_json(b)
    b.set_defaults(func=cmd_bundle_import)


class Printer:
    """Progress on one terminal line, at most a few times a second."""

    def __init__(self, stream=None):
        self.stream, self.last, self.stage = stream or sys.stderr, 0.0, ""

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.last < 0.5 and done != total:
            return
        if stage != self.stage and self.stage:
            self.stream.write("\n")
        self.stage, self.last = stage, now
        label = STAGES.get(stage, stage)
        text = f"{done:,}/{total:,} ({100 * done // max(1, total)}%)" if total else f"{done:,}"
        self.stream.write(f"\r{label}: {text}".replace(",", "."))
        self.stream.flush()

    def end(self) -> None:
        if self.stage:
            self.stream.write("\n")


def cmd_bootstrap(args: argparse.Namespace) -> int:
    from sync import bootstrap, snapshot

    if args.export:
        from sync import replica

        lib = open_from_args(args)
        printer = Printer()
        made = bootstrap.make(lib.store.path, {lib.code, replica.EVERYWHERE}, Path(args.export),
                              library=lib.code, progress=printer)
        printer.end()
        print(f"Đã ghi tệp khởi tạo {args.export}: {made.size:,} byte, "
              f"SHA-256 {made.sha256}".replace(",", "."))
        return 0
    source = Path(args.source)
    if not source.is_file():
        error(f"không có tệp {source}")
        return EXIT_INPUT
    code = args.library or _library_of(source)
    if not code:
        error("tệp không ghi mã thư viện: thêm --library MÃ")
        return EXIT_INPUT
    printer = Printer()
    try:
        counts = snapshot.install(source, Path(args.config.db), code, args.name, progress=printer)
    except bootstrap.Damaged as exc:
        printer.end()
        error(str(exc))
        return EXIT_INPUT
    except FileExistsError as exc:
        printer.end()
        error(str(exc))
        return EXIT_REFUSED
    printer.end()
    rows = counts["rows"]
    print(f"Đã cài dữ liệu ban đầu của thư viện {code}: {rows.get('records', 0)} đầu sách, "
          f"{rows.get('items', 0)} bản sách, {rows.get('patrons', 0)} bạn đọc. "
          "Tiếp theo, để thiết bị đồng bộ: trên một máy đã ghép nối của thư viện chạy "
          "`kiosk pair-code`, rồi trên máy này `kiosk pair --peer http://<máy đó>:8470 "
          "--code MÃ` (hoặc `kiosk enrol` với máy chủ tỉnh).")
    return 0


def _library_of(path: Path) -> str | None:
    from sync import bootstrap

    try:
        header = next(iter(bootstrap.read(path)))
    except bootstrap.Damaged:
        return None
    return header.get("library") if isinstance(header, dict) else None


def cmd_bundle_export(args: argparse.Namespace) -> int:
    from sync.bundle import BundleRefused, export

    lib = open_from_args(args)
    try:
        path, count = export(lib, args.to, peer=args.peer)
    except BundleRefused as exc:
        error(str(exc))
        return EXIT_REFUSED
    if args.json:
        print_json({"file": str(path), "events": count})
    else:
        print(f"Đã ghi {count} sự kiện vào {path}")
    return 0


def cmd_bundle_import(args: argparse.Namespace) -> int:
    from sync.bundle import BundleRefused, import_bundle

    lib = open_from_args(args)
    if not Path(args.file).is_file():
        error(f"không có tệp {args.file}")
        return EXIT_INPUT
    try:
        result = import_bundle(lib, args.file, reply=not args.no_reply)
    except BundleRefused as exc:
        error(str(exc))
        return EXIT_REFUSED
    if args.json:
        print_json({"sender": result.sender, "applied": result.applied,
                    "duplicates": result.duplicates, "held_back": result.held_back,
                    "quarantined": result.quarantined,
                    "reply": str(result.reply) if result.reply else None,
                    "reply_events": result.reply_events})
    else:
        print(result.message())
    return 0
