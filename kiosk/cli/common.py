"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from kiosk.core.library import Library


def open_from_args(args: argparse.Namespace, create: bool = False) -> Library:
    """Open the configured database; only ``init`` and ``demo`` may create one."""
    from kiosk.app import open_library
    from kiosk.core.library import NotInitialised

    path = Path(args.config.db)
    if not create and not path.exists():
        raise NotInitialised(
            f"không có cơ sở dữ liệu {path}: chạy `kiosk --db {path} init --library MÃ --name TÊN` "
            "hoặc chỉ đúng tệp bằng --db / biến KIOSK_DB")
    library = open_library(path)
    if not create:
        library.require_initialised()
    return library


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def read_pin(prompt: str = "Mã PIN (4–8 chữ số): ") -> str:
    """A PIN never goes on the command line (shell history, process list)."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()
