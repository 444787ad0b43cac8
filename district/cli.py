"""``district``: the district culture office's server command.

Exit codes: 0 done; 1 refused; 2 bad command line; 3 database problem.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Sequence

from kiosk.app import open_library
from kiosk.core.errors import LibraryError
from kiosk.core.library import NotInitialised
from kiosk.core.node import init_library
from sync import enrolment


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="district", description="Máy chủ thư viện huyện")
    parser.add_argument("--db", required=True, help="the district database file")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create the district database")
    p.add_argument("--code", default="TAMNONG")
    p.add_argument("--name", default="Phòng Văn hóa và Thông tin huyện Tam Nông")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("library", help="register a library or reading point")
    p.add_argument("code")
    p.add_argument("name")
    p.add_argument("--kind", default="commune")
    p.add_argument("--commune")
    p.set_defaults(func=cmd_library)

    p = sub.add_parser("enrol-code", help="issue a one-time enrolment code for a device")
    p.add_argument("--library", required=True)
    p.set_defaults(func=cmd_enrol_code)

    p = sub.add_parser("user", help="web accounts (passwords are read from the terminal or "
                                    "stdin, never from the command line)")
    usub = p.add_subparsers(dest="action", required=True)
    u = usub.add_parser("add", help="create an account")
    u.add_argument("username")
    u.add_argument("--role", required=True, choices=["admin", "librarian", "inspector"])
    u.add_argument("--library", help="library code (librarians)")
    u.set_defaults(func=cmd_user_add)
    u = usub.add_parser("passwd", help="set a new password; the account's sessions end")
    u.add_argument("username")
    u.set_defaults(func=cmd_user_passwd)
    u = usub.add_parser("unlock", help="clear the account's failed logins and login throttle")
    u.add_argument("username")
    u.set_defaults(func=cmd_user_unlock)
    u = usub.add_parser("remove", help="delete an account (not the last administrator)")
    u.add_argument("username")
    u.set_defaults(func=cmd_user_remove)

    p = sub.add_parser("serve", help="serve the web pages and the sync endpoints")
    p.add_argument("--port", type=int, default=8480)
    p.add_argument("--host", default="0.0.0.0")
    p.add_argument("--behind-https", action="store_true",
                   help="a TLS-terminating reverse proxy is in front: believe its "
                        "X-Forwarded-Proto/X-Forwarded-For (cookies become Secure)")
    p.add_argument("--proxy", action="append", metavar="ADDR",
                   help="address of that proxy (repeatable; default 127.0.0.1 and ::1)")
    p.set_defaults(func=cmd_serve)
    return parser


def cmd_init(args: argparse.Namespace) -> int:
    lib = open_library(args.db)
    init_library(lib, args.code, args.name, kind="district")
    lib.store.set_meta("role", enrolment.DISTRICT_ROLE)
    print(f"Đã khởi tạo máy chủ huyện {args.name} trong {args.db}")
    return 0


def _district(args: argparse.Namespace):
    lib = open_library(args.db)
    if not enrolment.is_district(lib.store):
        raise NotInitialised(f"{args.db} is not a district database: run `district --db {args.db} init`")
    return lib


def cmd_library(args: argparse.Namespace) -> int:
    lib = _district(args)
    lib.put("libraries", args.code, {"name": args.name, "kind": args.kind, "commune": args.commune})
    print(f"Đã thêm thư viện {args.name} ({args.code})")
    return 0


def cmd_enrol_code(args: argparse.Namespace) -> int:
    code = enrolment.issue_code(_district(args), args.library)
    print(code)
    return 0


def _read_password(confirm: bool) -> str:
    """From the terminal (asked twice for a new one), else the first line of stdin."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Mật khẩu: ")
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != password:
        raise LibraryError("invalid_input", detail="hai lần nhập mật khẩu không khớp")
    return password


def _accounts(args: argparse.Namespace):
    from district.accounts import ensure_schema

    lib = _district(args)
    ensure_schema(lib)
    return lib


def cmd_user_add(args: argparse.Namespace) -> int:
    from district.accounts import create_user

    lib = _accounts(args)
    create_user(lib, args.username, _read_password(confirm=True), args.role,
                library_code=args.library)
    print(f"Đã tạo tài khoản {args.username} ({args.role})")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    from district.accounts import get_user, normalise, set_password

    lib = _accounts(args)
    if get_user(lib, normalise(args.username)) is None:  # before asking for a password
        raise LibraryError("invalid_input", detail=f"không có tài khoản {args.username}")
    ended = set_password(lib, args.username, _read_password(confirm=True))
    print(f"Đã đổi mật khẩu của {args.username}; {ended} phiên đăng nhập đã kết thúc")
    return 0


def cmd_user_unlock(args: argparse.Namespace) -> int:
    from district.accounts import unlock

    unlock(_accounts(args), args.username)
    print(f"Đã bỏ giới hạn đăng nhập của {args.username}")
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    from district.accounts import remove

    remove(_accounts(args), args.username)
    print(f"Đã xóa tài khoản {args.username}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from district.app import create_app
    from district.web.guard import WebSettings

    settings = WebSettings.load(args.behind_https, args.proxy)
    app = create_app(args.db, _district(args), settings)
    print(f"Máy chủ huyện đang chạy tại cổng {args.port}", flush=True)
    # proxy_headers=False: which forwarded headers to believe is WebSettings' decision alone.
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning",
                timeout_graceful_shutdown=3, proxy_headers=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    try:
        return args.func(args) or 0
    except LibraryError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 1
    except NotInitialised as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 3
