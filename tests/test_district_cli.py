"""The `district` command as the district office's technician runs it."""

import subprocess
import sys

import pytest

from district.accounts import LoginRefused, authenticate
from kiosk.app import open_library


def district(db, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "district", "--db", str(db), *args],
                          capture_output=True, text=True, input=stdin, timeout=60)


def test_set_up_a_district_with_a_library_an_administrator_and_a_code(tmp_path):
    db = tmp_path / "district.db"
    assert district(db, "init").returncode == 0
    assert district(db, "library", "TN-ANLONG", "Thư viện xã An Long").returncode == 0
    added = district(db, "user", "add", "quantri", "--role", "admin", stdin="mat-khau-dai-1\n")
    assert added.returncode == 0, added.stderr
    code = district(db, "enrol-code", "--library", "TN-ANLONG")
    assert code.returncode == 0 and len(code.stdout.strip()) == 19
    lib = open_library(db)
    assert authenticate(lib, "quantri", "mat-khau-dai-1").role == "admin"
    assert b"mat-khau-dai-1" not in db.read_bytes()
    unknown = district(db, "enrol-code", "--library", "TN-KHONGCO")
    assert unknown.returncode == 1 and "TN-KHONGCO" in unknown.stderr


def test_a_kiosk_database_is_not_a_district(tmp_path):
    db = tmp_path / "kiosk.db"
    subprocess.run([sys.executable, "-m", "kiosk", "--db", str(db), "init", "--library", "TN-X",
                    "--name", "X"], check=True, capture_output=True)
    refused = district(db, "enrol-code", "--library", "TN-X")
    assert refused.returncode == 3 and "district" in refused.stderr


def _hub_with_admin(tmp_path):
    db = tmp_path / "district.db"
    assert district(db, "init").returncode == 0
    assert district(db, "user", "add", "quantri", "--role", "admin",
                    stdin="mat-khau-dai-1\n").returncode == 0
    return db


def test_passwd_sets_a_new_password_read_from_stdin_and_ends_the_sessions(tmp_path):
    from district.web import sessions

    db = _hub_with_admin(tmp_path)
    lib = open_library(db)
    sessions.start(lib, "quantri")
    changed = district(db, "user", "passwd", "quantri", stdin="mat-khau-moi-2\n")
    assert changed.returncode == 0, changed.stderr
    assert "Đã đổi mật khẩu của quantri; 1 phiên đăng nhập đã kết thúc" in changed.stdout
    assert authenticate(lib, "quantri", "mat-khau-moi-2").role == "admin"
    with pytest.raises(LoginRefused):
        authenticate(lib, "quantri", "mat-khau-dai-1")
    assert lib.store.scalar("SELECT COUNT(*) FROM district_sessions") == 0
    assert b"mat-khau-moi-2" not in db.read_bytes()
    short = district(db, "user", "passwd", "quantri", stdin="ngan\n")
    assert short.returncode == 1 and "ít nhất 8 ký tự" in short.stderr
    unknown = district(db, "user", "passwd", "khongco", stdin="mat-khau-moi-3\n")
    assert unknown.returncode == 1 and "không có tài khoản khongco" in unknown.stderr


def test_the_password_is_never_taken_from_the_command_line(tmp_path):
    db = _hub_with_admin(tmp_path)
    refused = district(db, "user", "passwd", "quantri", "mat-khau-moi-2", stdin="")
    assert refused.returncode == 2


def test_unlock_clears_failures_and_restarts_the_login_throttle(tmp_path):
    db = _hub_with_admin(tmp_path)
    lib = open_library(db)
    for _ in range(3):
        with pytest.raises(LoginRefused):
            authenticate(lib, "quantri", "sai-mat-khau")
    assert lib.store.scalar("SELECT failed_logins FROM district_users") == 3
    unlocked = district(db, "user", "unlock", "quantri")
    assert unlocked.returncode == 0 and "Đã bỏ giới hạn đăng nhập của quantri" in unlocked.stdout
    row = lib.store.one("SELECT failed_logins, throttle_epoch FROM district_users")
    assert (row["failed_logins"], row["throttle_epoch"]) == (0, 1)
    assert lib.store.scalar("SELECT action FROM district_audit ORDER BY id DESC") == "user.unlocked"


def test_remove_deletes_an_account_but_never_the_last_administrator(tmp_path):
    db = _hub_with_admin(tmp_path)
    assert district(db, "library", "TN-ANLONG", "Thư viện xã An Long").returncode == 0
    assert district(db, "user", "add", "thuthu", "--role", "librarian", "--library", "TN-ANLONG",
                    stdin="mat-khau-dai-2\n").returncode == 0
    last = district(db, "user", "remove", "quantri")
    assert last.returncode == 1 and "quản trị viên cuối cùng" in last.stderr
    removed = district(db, "user", "remove", "thuthu")
    assert removed.returncode == 0 and "Đã xóa tài khoản thuthu" in removed.stdout
    lib = open_library(db)
    assert [r["username"] for r in lib.store.all("SELECT username FROM district_users")] == \
        ["quantri"]
    with pytest.raises(LoginRefused):
        authenticate(lib, "thuthu", "mat-khau-dai-2")
    gone = district(db, "user", "remove", "thuthu")
    assert gone.returncode == 1 and "không có tài khoản thuthu" in gone.stderr
