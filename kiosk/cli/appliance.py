"""Appliance commands: firstboot, enrol-retry, backup, restore."""

from __future__ import annotations

import argparse
import logging
import pwd
from pathlib import Path

from kiosk.cli import EXIT_DATABASE, EXIT_INPUT, EXIT_REFUSED, error

log = logging.getLogger(__name__)

SERVICE_USER = "kiosk"


def add_arguments(sub: argparse._SubParsersAction) -> None:
    from kiosk.appliance.backup import DEFAULT_KEEP

    p = sub.add_parser("firstboot", help="provision this device from kiosk-settings.toml (once)")
    p.add_argument("--settings", required=True, type=Path,
                   help="e.g. /boot/firmware/kiosk-settings.toml")
    p.add_argument("--root", type=Path, default=Path("/"), help="system root to write under")
    p.set_defaults(func=cmd_firstboot)

    p = sub.add_parser("enrol-retry", help="retry an enrolment first boot could not finish")
    p.add_argument("--root", type=Path, default=Path("/"), help="system root to write under")
    p.set_defaults(func=cmd_enrol_retry)

    p = sub.add_parser("backup", help="consistent, checked backup of the database, rotated")
    p.add_argument("--dir", type=Path, help="backup folder (default: backups/ beside the database)")
    p.add_argument("--to", type=Path, metavar="DIR", help="also copy it here (a mounted USB stick)")
    p.add_argument("--keep", type=int, default=DEFAULT_KEEP, help="days of backups to keep")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with a backup (services stopped)")
    p.add_argument("file", type=Path)
    p.add_argument("--force", action="store_true",
                   help="even if another process has the database open or it is another library's")
    p.set_defaults(func=cmd_restore)


def _owner(root: Path) -> tuple[int, int] | None:
    """The service user's ids when provisioning the real system; None under a test root."""
    if root.resolve() != Path("/"):
        return None
    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def _enrolment_message(outcome: str) -> str:
    return {
        "enrolled": "Thiết bị đã đăng ký với máy chủ tỉnh.",
        "pending": "Chưa liên lạc được với máy chủ tỉnh: sẽ tự thử đăng ký lại (kiosk-enrol-retry.timer).",
        "refused": "Huyện từ chối mã đăng ký: xin mã mới rồi chạy kiosk enrol --server URL --code MÃ.",
        "not_requested": "Không có mã đăng ký: chạy kiosk enrol --server URL --code MÃ khi có mã.",
    }[outcome]


def cmd_firstboot(args: argparse.Namespace) -> int:
    from kiosk.appliance import firstboot
    from kiosk.appliance.settings import SettingsError

    try:
        result = firstboot.run(args.settings, args.root, owner=_owner(args.root))
    except SettingsError as exc:
        error(f"tệp cài đặt {args.settings}: {exc}")
        return EXIT_INPUT
    print(f"Tên máy: {result.hostname}")
    print(_enrolment_message(result.enrolment))
    if result.secrets_removed:
        print("Đã xoá mã đăng ký và mật khẩu Wi-Fi khỏi tệp cài đặt.")
    return EXIT_REFUSED if result.enrolment == "refused" else 0


def cmd_enrol_retry(args: argparse.Namespace) -> int:
    from kiosk.appliance import enrolment
    from kiosk.appliance.files import under

    outcome = enrolment.retry(Path(args.config.db), under(args.root, enrolment.PENDING),
                              owner=_owner(args.root))
    if outcome is None:
        print("Không có đăng ký nào đang chờ.")
        return 0
    print(_enrolment_message(outcome))
    return 0 if outcome == "enrolled" else EXIT_REFUSED


def cmd_backup(args: argparse.Namespace) -> int:
    from kiosk.appliance.backup import BackupError, backup

    db = Path(args.config.db)
    if args.keep < 1:
        error("--keep phải từ 1 trở lên")
        return EXIT_REFUSED
    try:
        written = backup(db, args.dir or db.parent / "backups", keep=args.keep, copy_to=args.to)
    except BackupError as exc:
        error(str(exc))
        return EXIT_DATABASE
    for path in written:
        print(f"Đã sao lưu: {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from kiosk.appliance.backup import BackupError
    from kiosk.appliance.restore import restore
    from kiosk.core.clock import SystemClock

    try:
        restore(args.file, Path(args.config.db), SystemClock(), force=args.force)
    except BackupError as exc:
        error(str(exc))
        return EXIT_REFUSED
    print(f"Đã khôi phục {args.config.db} từ {args.file}. Máy dùng mã nguồn đồng bộ mới; "
          "các sự kiện sau bản sao lưu sẽ về lại khi đồng bộ với máy khác.")
    return 0
