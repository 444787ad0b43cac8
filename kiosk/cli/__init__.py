"""``kiosk``: the librarian's and technician's command line.

Exit codes a technician can act on: 0 done; 1 refused by the library's rules (the
message says why); 2 bad command line; 3 database problem (missing, not initialised,
written by a newer version); 4 unreadable input file.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from typing import Any, Callable, Sequence

from kiosk import __version__, config

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_DATABASE, EXIT_INPUT = 0, 1, 2, 3, 4

log = logging.getLogger(__name__)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def error(message: str) -> None:
    print(f"Lỗi: {message}", file=sys.stderr)


def _command_modules() -> list[Any]:
    from kiosk.cli import (
        admin, appliance, bundle, catalogue, circulation, clock, patrons, pins, sync, trust, ui,
    )

    modules = [admin, catalogue, patrons, circulation, sync, trust, ui, appliance, clock, pins,
               bundle]
    from hardware import cli as hardware_cli
    from hardware.printing import cli as printing_cli

    return modules + [hardware_cli, printing_cli]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Thư viện xã — kiosk và công cụ dòng lệnh (commune library kiosk and CLI)",
    )
    parser.add_argument("--db", help="database file (default: $KIOSK_DB, then "
                        "/etc/kiosk/kiosk.toml, then /var/lib/kiosk/kiosk.db)")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more (no personal data)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in _command_modules():
        module.add_arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from kiosk.core.errors import LibraryError
    from kiosk.core.library import NotInitialised
    from kiosk.store import DatabaseTooNew

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.config = config.load(db=args.db)
    except config.ConfigError as problem:
        error(f"cấu hình sai / bad configuration: {problem}")
        return EXIT_USAGE
    logging.basicConfig(level=logging.DEBUG if args.verbose else args.config.log_level,
                        format="%(levelname)s %(name)s: %(message)s")
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args) or EXIT_OK
    except LibraryError as refusal:
        if getattr(args, "json", False):
            print_json({"error": refusal.as_dict()})
        error(refusal.message)
        return EXIT_REFUSED
    except (NotInitialised, DatabaseTooNew) as problem:
        error(str(problem))
        return EXIT_DATABASE
    except sqlite3.Error as problem:
        error(f"không mở được cơ sở dữ liệu {args.config.db}: {problem} "
              "(kiểm tra đường dẫn, quyền ghi và dung lượng đĩa)")
        return EXIT_DATABASE
    except (OSError, UnicodeError) as problem:
        error(f"không đọc/ghi được tệp: {problem}")
        return EXIT_INPUT
