"""A device whose clock says 1970 (a Pi without its RTC battery, no network) refuses to lend
from the command line, says why and how to set the time, and lends again once it is right.

The `kiosk` processes run under libfaketime (Debian's `faketime` package, which dev.sh
installs): the process really reads 1970 from the system, as on such a Pi.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FAKETIME_LIBS = "/usr/lib/*/faketime/libfaketime.so.1"


@pytest.fixture
def in_1970() -> dict[str, str]:
    found = sorted(glob.glob(FAKETIME_LIBS))
    assert found, "libfaketime is missing: install Debian's `faketime` package (dev.sh does)"
    return {"LD_PRELOAD": found[0], "FAKETIME": "@1970-01-01 07:00:00"}


def kiosk(db: Path, *args: str, env_extra: dict[str, str] | None = None,
          path: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml", **(env_extra or {})}
    env.pop("KIOSK_DB", None)
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", str(db), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def node(tmp_path) -> Path:
    db = tmp_path / "kiosk.db"
    ok(kiosk(db, "init", "--library", "TN-PHUTHO", "--name", "Thư viện xã Phú Thọ"))
    record = json.loads(ok(kiosk(db, "record", "add", "--title", "Đất rừng phương Nam",
                                 "--author", "Đoàn Giỏi", "--json")))["id"]
    ok(kiosk(db, "item", "add", record, "PT000001"))
    ok(kiosk(db, "patron", "add", "Trần Văn An", "--card", "C1"))
    return db


def test_a_node_whose_clock_is_1970_refuses_a_checkout_and_asks_to_set_the_time(node, in_1970):
    refused = kiosk(node, "checkout", "C1", "PT000001", env_extra=in_1970)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "Lỗi: Đồng hồ của máy đang sai nên không tính được hạn trả." in refused.stderr
    assert "01/01/1970" in refused.stderr
    assert 'Vui lòng đặt lại giờ: kiosk clock set "YYYY-MM-DD HH:MM"' in refused.stderr
    assert "15/01/1970" not in refused.stdout + refused.stderr
    assert json.loads(ok(kiosk(node, "loans", "--json"))) == []

    renewal = kiosk(node, "renew", "C1", "PT000001", env_extra=in_1970)
    assert renewal.returncode == 1

    status = kiosk(node, "sync-status", env_extra=in_1970)
    assert status.returncode == 0, status.stderr
    assert "CẢNH BÁO ĐỒNG HỒ: Đồng hồ máy đang chỉ 01/01/1970" in status.stdout
    assert json.loads(ok(kiosk(node, "sync-status", "--json", env_extra=in_1970)))["clock"][
        "code"] == "before_build"
    clock = kiosk(node, "clock", env_extra=in_1970)
    assert clock.returncode == 1 and "CẢNH BÁO: Đồng hồ máy đang chỉ 01/01/1970" in clock.stdout

    lent = ok(kiosk(node, "checkout", "C1", "PT000001"))     # the clock is right again
    assert "PT000001" in lent or "Đất rừng phương Nam" in lent
    assert [loan["barcode"] for loan in json.loads(ok(kiosk(node, "loans", "--json")))] == [
        "PT000001"]
    assert "hợp lý" in ok(kiosk(node, "clock"))


def test_setting_the_clock_without_timedatectl_says_how_to_do_it(node, tmp_path):
    no_tools = str(tmp_path / "empty-bin")
    done = kiosk(node, "clock", "set", "2026-12-02 07:30", path=no_tools)
    assert done.returncode == 1
    assert "máy này không có timedatectl" in done.stderr
    assert 'sudo date -u -s "2026-12-02 00:30:00"' in done.stdout
    bad = kiosk(node, "clock", "set", "02/12/2026 7h30", path=no_tools)
    assert bad.returncode == 2 and 'không đúng dạng "YYYY-MM-DD HH:MM"' in bad.stderr


def test_a_clock_that_ran_ahead_and_was_corrected_lends_again_once_the_technician_trusts_it(
        node, in_1970):
    ahead = {**in_1970, "FAKETIME": "+2d"}                   # someone set it two days ahead
    ok(kiosk(node, "checkout", "C1", "PT000001", env_extra=ahead))
    ok(kiosk(node, "checkin", "PT000001"))                   # corrected: returns still work
    refused = kiosk(node, "checkout", "C1", "PT000001")
    assert refused.returncode == 1
    assert "giờ của máy đã bị lùi" in refused.stderr
    trusted = kiosk(node, "clock", "trust")
    assert trusted.returncode == 0 and "hợp lý" in trusted.stdout
    ok(kiosk(node, "checkout", "C1", "PT000001"))
