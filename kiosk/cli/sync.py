"""Sync commands: sync, serve-sync, enrol, conflicts, sync-status."""

from __future__ import annotations

import argparse
import logging
import platform
from pathlib import Path

from kiosk.cli import EXIT_REFUSED, error, print_json
from kiosk.cli.common import add_json, open_from_args
from kiosk.core.dates import vn_date

log = logging.getLogger(__name__)


def add_arguments(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="one sync round with each peer (or --daemon: forever)")
    p.add_argument("--peer", action="append", default=[], metavar="URL",
                   help="a peer to sync with, besides the configured and discovered ones")
    p.add_argument("--daemon", action="store_true", help="keep syncing in the background")
    p.add_argument("--interval", type=float, default=60.0, help="seconds between rounds (daemon)")
    p.add_argument("--no-discovery", action="store_true", help="do not look for peers on the LAN")
    add_json(p)
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("serve-sync", help="serve the sync endpoints to this library's devices")
    p.add_argument("--port", type=int, default=8470)
    p.add_argument("--host", default="0.0.0.0")
    p.add_argument("--no-advertise", action="store_true", help="do not announce on the LAN")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("enrol", help="enrol this device with the district server")
    p.add_argument("--server", required=True, help="district server URL")
    p.add_argument("--code", required=True, help="one-time code issued by the district")
    p.add_argument("--name", default=platform.node(), help="device name shown to the district")
    p.add_argument("--no-bootstrap", action="store_true",
                   help="do not download the library's snapshot into an empty device")
    p.set_defaults(func=cmd_enrol)

    p = sub.add_parser("conflicts", help="offline conflicts waiting for a librarian")
    p.add_argument("--all", action="store_true", help="include resolved ones")
    p.add_argument("--resolve", metavar="ID")
    p.add_argument("--action", default="acknowledge",
                   choices=["acknowledge", "keep_first", "keep_second", "close_loan"])
    p.add_argument("--note", default="")
    p.add_argument("--keep", choices=["current", "other"],
                   help="with --resolve on a field conflict: which value to keep")
    add_json(p)
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("sync-status", help="last sync per peer, pending events, conflicts")
    add_json(p)
    p.set_defaults(func=cmd_status)


def _discovered(lib, seconds: float = 3.0) -> list[str]:
    import time

    from sync.discovery import Browser

    browser = Browser(lib.code, own_device_id=lib.store.get_meta("device_id"))
    browser.start()
    try:
        time.sleep(seconds)
        return browser.peers()
    finally:
        browser.stop()


def cmd_sync(args: argparse.Namespace) -> int:
    from sync.daemon import SyncDaemon, configured_peers, sync_all

    lib = open_from_args(args)
    if args.daemon:
        browser = None
        if not args.no_discovery:
            from sync.discovery import Browser

            browser = Browser(lib.code, own_device_id=lib.store.get_meta("device_id"))
            browser.start()
        daemon = SyncDaemon(lib, args.interval, discovered=browser.peers if browser else None,
                            peers=args.peer)
        try:
            daemon.run_forever()
        except KeyboardInterrupt:
            pass
        finally:
            if browser is not None:
                browser.stop()
        return 0
    peers = configured_peers(lib) + args.peer
    if not args.no_discovery:
        peers += _discovered(lib)
    if not peers:
        error("không có máy nào để đồng bộ: cấu hình máy chủ tỉnh (kiosk enrol) hoặc dùng --peer URL")
        return EXIT_REFUSED
    results = sync_all(lib, peers)
    if args.json:
        print_json([{"peer": r.peer, "ok": r.ok, "pulled": r.pulled, "pushed": r.pushed,
                     "errors": r.errors} for r in results])
    else:
        for r in results:
            if r.ok:
                print(f"{r.peer}: nhận {r.pulled}, gửi {r.pushed} sự kiện")
            else:
                print(f"{r.peer}: LỖI {'; '.join(r.errors)}")
        conflicts = lib.store.scalar("SELECT COUNT(*) FROM conflicts WHERE resolution IS NULL")
        if conflicts:
            print(f"Có {conflicts} xung đột cần thủ thư xử lý: kiosk conflicts")
    return 0 if all(r.ok for r in results) else EXIT_REFUSED


def cmd_serve(args: argparse.Namespace) -> int:
    from kiosk.store.migrations import SCHEMA_VERSION
    from sync import enrolment, identity
    from sync.server import SyncServer
    from sync.service import SyncService

    lib = open_from_args(args)
    if not enrolment.is_district(lib.store) and identity.device_id(lib.store) is None:
        identity.ensure_own_registration(lib, name=platform.node(), role="counter")
    server = SyncServer(SyncService(lib), args.host, args.port)
    advertiser = None
    if not args.no_advertise:
        from sync.discovery import Advertiser

        device = lib.store.get_meta("device_id") or lib.store.get_meta("origin_id")
        advertiser = Advertiser(server.port, device, lib.code, SCHEMA_VERSION)
        advertiser.start()
    print(f"Đang phục vụ đồng bộ cho {lib.code} tại cổng {server.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if advertiser is not None:
            advertiser.stop()
        server.stop()
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    from sync.joining import JoinRefused, enrol

    try:
        joined = enrol(Path(args.config.db), args.server, args.code, device_name=args.name,
                       bootstrap=not args.no_bootstrap)
    except JoinRefused as exc:
        error(str(exc))
        return EXIT_REFUSED
    if joined.bootstrapped:
        print("Đã tải dữ liệu ban đầu của thư viện từ máy chủ.")
    print(joined.message)
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    
    lib = open_from_args(args)
    if args.resolve and args.keep:
        lib.conflicts.settle_field(args.resolve, args.keep)
        print(f"Đã xử lý xung đột {args.resolve}")
        return 0
    if args.resolve:
        lib.conflicts.resolve(args.resolve, args.action, args.note)
        print(f"Đã xử lý xung đột {args.resolve}")
        return 0
    conflicts = lib.conflicts.list(include_resolved=args.all)
    fields = lib.conflicts.field_conflicts(include_resolved=args.all)
    if args.json:
        print_json(conflicts if not fields else conflicts + [{"kind": "field", **f} for f in fields])
        return 0
    if not conflicts and not fields:
        print("Không có xung đột nào.")
    for f in fields:
        print(f"[{f['id']}] Hai người sửa cùng lúc {f['tbl']}.{f['field']}: đang giữ "
              f"{f['current_value']!r}, giá trị kia {f['loser_value']!r} "
              "(--resolve ID --keep current|other)")
    for c in conflicts:
        print(f"[{c['id']}] {c['label']} — {c['title'] or ''} [{c['barcode'] or ''}]")
        for event in c["events"]:
            print(f"    {event['type']} lúc {vn_date(event['wall_time'])} "
                  f"{event['wall_time'][11:16]} tại {event['library_id']}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from kiosk.core import clock_sanity
    from sync.status import status

    lib = open_from_args(args)
    data = status(lib)
    clock = clock_sanity.check(lib)
    data["clock"] = clock.as_dict()
    if args.json:
        print_json(data)
        return 0
    print(f"Thư viện {data['library']}: {data['events']} sự kiện, "
          f"{data['open_conflicts']} xung đột chưa xử lý")
    print(f"  {clock.message}" if clock.ok else f"  CẢNH BÁO ĐỒNG HỒ: {clock.message}")
    if not data["enrolled"]:
        print("  Chưa đăng ký với máy chủ tỉnh (kiosk enrol): vẫn đồng bộ trong thư viện.")
    for fork in data["forks"]:
        what = (f"{fork['moved']} sự kiện ở máy này được chuyển sang nguồn {fork['moved_to'][:12]}"
                if fork["moved"] else "lịch sử ở máy này được giữ")
        print(f"  PHÁT HIỆN NHÂN BẢN/KHÔI PHỤC BẰNG SAO CHÉP: nguồn {fork['origin_id'][:12]} có hai "
              f"lịch sử từ số {fork['from_seq']} ({fork['at'][:16]}); {what}, không mất sự kiện nào"
              f"{'; máy này đã nhận nguồn mới' if fork['own'] else ''}.")
    if data["quarantined"]:
        print(f"  {data['quarantined']} sự kiện bị cách ly, chưa áp dụng:")
        for q in data["quarantine"]:
            print(f"    [{q['id']}] {q['label']}: {q['detail']}")
        print("  Xem và xử lý: kiosk quarantine list")
    for p in data["peers"]:
        state = f"lần cuối thành công {p['last_success']}" if p["last_success"] else "chưa thành công"
        pending = f", {p['pending']} sự kiện chờ gửi" if p["pending"] is not None else ""
        print(f"  {p['peer']}: {state}{pending}")
        if p["last_error"]:
            print(f"    lỗi gần nhất: {p['last_error']}")
        if p["refused_by_peer"]:
            print(f"    {p['refused_by_peer']} sự kiện của máy này bị máy kia cách ly (không áp "
                  "dụng): xem danh sách cách ly ở máy kia")
        if p["clock_flag"]:
            print(f"    ĐỒNG HỒ: {p['clock_flag']}")
    _print_progress(lib)
    return 0


def _print_progress(lib) -> None:
    """Transfers running now (or just finished): events, bytes and time left."""
    from sync import progress

    for entry in progress.current(lib.store):
        print(f"  {progress.describe(entry)}")
