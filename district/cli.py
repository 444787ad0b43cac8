"""``district``: the district culture office's server command.

Exit codes: 0 done; 1 refused; 2 bad command line; 3 database problem.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Sequence

from district.units import BUILTIN as UNIT_LISTS
from kiosk.app import open_library
from kiosk.core.errors import LibraryError
from kiosk.core.library import NotInitialised
from kiosk.core.node import init_library
from sync import enrolment


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="district", description="Máy chủ thư viện tỉnh, cụm "
                                                                  "hoặc huyện")
    parser.add_argument("--db", required=True, help="the district database file")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create the district database")
    p.add_argument("--code", default="TAMNONG")
    p.add_argument("--name", default="Thư viện tỉnh Đồng Tháp")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("library", help="register a library or reading point (an existing "
                                       "code is refused: edit it on the admin pages)")
    p.add_argument("code")
    p.add_argument("name")
    p.add_argument("--kind", default="public",
                   help="public, school, private, bookshelf or reading_point")
    p.add_argument("--commune", help="code of its commune or ward (see `district units`)")
    p.add_argument("--address")
    p.add_argument("--lat", default="", help="latitude, e.g. 10.7235")
    p.add_argument("--lon", default="", help="longitude, e.g. 105.5210")
    p.set_defaults(func=cmd_library)

    p = sub.add_parser("units", help="administrative units (province, communes and wards)")
    usub = p.add_subparsers(dest="action", required=True)
    u = usub.add_parser("import", help="add or update units from a CSV file "
                                       "(ma_tinh,ten_tinh,ma_xa,ten_xa,cap,cum) or from a "
                                       "list shipped with the hub")
    source = u.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", help="the operator's CSV file")
    source.add_argument("--builtin", choices=sorted(UNIT_LISTS),
                        help="a shipped list: dong-thap = tỉnh Đồng Tháp after 1 July 2025 "
                             "(102 communes and wards, see district/data/README.md)")
    u.set_defaults(func=cmd_units_import)
    u = usub.add_parser("list", help="print the imported communes and wards")
    u.set_defaults(func=cmd_units_list)

    p = sub.add_parser("report", help="monthly figures")
    rsub = p.add_subparsers(dest="action", required=True)
    r = rsub.add_parser("close", help="close a month now: its figures never change afterwards")
    r.add_argument("month", help="YYYY-MM")
    r.set_defaults(func=cmd_report_close)

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

    p = sub.add_parser("bundle", help="sync by USB stick with a library that has no link")
    bsub = p.add_subparsers(dest="action", required=True)
    b = bsub.add_parser("import", help="apply a device's bundle; the reply is written beside it")
    b.add_argument("file")
    b.add_argument("--no-reply", action="store_true")
    b.set_defaults(func=cmd_bundle_import)
    b = bsub.add_parser("export", help="write what a library's device lacks to a signed bundle")
    b.add_argument("--library", required=True)
    b.add_argument("--to", required=True, metavar="DIR")
    b.add_argument("--for", dest="peer", metavar="DEVICE", help="device id (its last known vector)")
    b.set_defaults(func=cmd_bundle_export)

    p = sub.add_parser("bootstrap", help="write a library's bootstrap file (for a USB stick)")
    p.add_argument("--library", required=True)
    p.add_argument("--to", required=True, metavar="FILE")
    p.set_defaults(func=cmd_bootstrap)

    p = sub.add_parser("backup", help="a consistent, checked copy of the database, rotated")
    p.add_argument("--dir", help="backup folder (default: backups/ beside the database)")
    p.add_argument("--keep", type=int, default=30, help="days of backups kept (default 30)")
    p.add_argument("--to", help="also copy the backup to this folder (a USB disk)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("serve", help="serve the web pages and the sync endpoints")
    p.add_argument("--port", type=int, default=8480)
    p.add_argument("--host", default="0.0.0.0")
    p.add_argument("--behind-https", action="store_true",
                   help="a TLS-terminating reverse proxy is in front: believe its "
                        "X-Forwarded-Proto/X-Forwarded-For (cookies become Secure)")
    p.add_argument("--proxy", action="append", metavar="ADDR",
                   help="address of that proxy (repeatable; default 127.0.0.1 and ::1)")
    p.add_argument("--level", choices=["tinh", "cum", "huyen"],
                   help="the level this hub serves (default from /etc/district/district.toml)")
    p.add_argument("--name", help="the hub's name on its pages")
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
    from district import libraries
    from district.accounts import ensure_schema

    lib = _district(args)
    ensure_schema(lib)
    form = {"name": args.name, "kind": args.kind, "commune_code": args.commune or "",
            "address": args.address or "", "lat": args.lat, "lon": args.lon}
    code = libraries.add(lib, args.code, libraries.parse_form(form, lib.store), "cli")
    print(f"Đã thêm thư viện {args.name} ({code})")
    return 0


def cmd_units_import(args: argparse.Namespace) -> int:
    from district import units
    from district.accounts import ensure_schema

    lib = _district(args)
    ensure_schema(lib)
    if args.builtin:
        counts = units.import_builtin(lib, args.builtin)
    else:
        counts = units.import_csv(lib, args.file)
    print(f"Đã nhập {counts['provinces']} tỉnh, {counts['communes']} xã/phường, "
          f"{counts['clusters']} cụm ({counts['added']} đơn vị mới, {counts['changed']} đơn vị "
          "thay đổi, còn lại giữ nguyên)")
    return 0


def cmd_units_list(args: argparse.Namespace) -> int:
    from district import units
    from district.accounts import ensure_schema

    lib = _district(args)
    ensure_schema(lib)
    for row in units.communes(lib.store):
        print(f"{row['code']}\t{row['name']}\t{row['cluster'] or ''}")
    return 0


def cmd_report_close(args: argparse.Namespace) -> int:
    from district import closing
    from district.accounts import ensure_schema

    lib = _district(args)
    ensure_schema(lib)
    closing.close_month(lib, args.month, "cli")
    print(f"Đã chốt số liệu tháng {args.month}")
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


def cmd_bundle_import(args: argparse.Namespace) -> int:
    from sync.bundle import BundleRefused, import_bundle

    try:
        result = import_bundle(_district(args), args.file, reply=not args.no_reply)
    except BundleRefused as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    print(result.message())
    return 0


def cmd_bundle_export(args: argparse.Namespace) -> int:
    from sync.bundle import export

    path, count = export(_district(args), args.to, peer=args.peer, peer_library=args.library)
    print(f"Đã ghi {count} sự kiện cho {args.library} vào {path}")
    return 0


def cmd_bootstrap(args: argparse.Namespace) -> int:
    from sync import bootstrap, replica

    lib = _district(args)
    made = bootstrap.make(lib.store.path, {args.library, replica.EVERYWHERE}, args.to,
                          library=args.library)
    print(f"Đã ghi tệp khởi tạo của {args.library}: {args.to} ({made.size} byte, "
          f"SHA-256 {made.sha256})")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kiosk.appliance.backup import BackupError, backup

    db = Path(args.db)
    if args.keep < 1:
        raise LibraryError("invalid_input", detail="--keep phải từ 1 trở lên")
    _district(args).store.close()
    try:
        written = backup(db, Path(args.dir) if args.dir else db.parent / "backups",
                         keep=args.keep, copy_to=args.to)
    except BackupError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 3
    for path in written:
        print(f"Đã sao lưu: {path}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from district.app import create_app
    from district.web.guard import WebSettings

    from district import config

    settings = WebSettings.load(args.behind_https, args.proxy)
    hub = config.load(level=args.level, name=args.name)
    app = create_app(args.db, _district(args), settings, config=hub)
    log.warning("hub %s (%s) serving on %s:%d", app.state.district.name, hub.level_noun,
                args.host, args.port)
    print(f"Máy chủ {hub.level_noun} đang chạy tại cổng {args.port}", flush=True)
    # proxy_headers=False: which forwarded headers to believe is WebSettings' decision alone.
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", log_config=None,
                timeout_graceful_shutdown=3, proxy_headers=False)
    return 0


LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"  # journald adds the time and the unit
log = logging.getLogger(__name__)


HUB_MODULES = {"fastapi", "starlette", "uvicorn", "jinja2", "itsdangerous", "multipart",
               "python_multipart", "openpyxl", "fpdf"}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = logging.DEBUG if args.verbose else (
        logging.INFO if args.command == "serve" else logging.WARNING)
    logging.basicConfig(level=level, format=LOG_FORMAT)
    try:
        return args.func(args) or 0
    except ModuleNotFoundError as exc:
        if exc.name not in HUB_MODULES:
            raise
        print(f"Lỗi: thiếu gói {exc.name} của máy chủ; cài bằng "
              "pip install 'commune-library-kiosk[hub]' / the hub's packages are not installed",
              file=sys.stderr)
        return 2
    except LibraryError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 1
    except NotInitialised as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 3
