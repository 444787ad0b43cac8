"""PINs at the command line: patrons' 6-digit PINs, `kiosk staff-pin`, never a PIN in argv."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from kiosk.app import open_library
from kiosk.core import pins, staff


def kiosk(db, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    env.pop("KIOSK_DB", None)
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", str(db), *args],
                          capture_output=True, text=True, input=stdin, env=env, timeout=60)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "counter.db"
    done = kiosk(path, "init", "--library", "TN-ANLONG", "--name", "Thư viện xã An Long")
    assert done.returncode == 0, done.stderr
    return path


def test_init_is_non_interactive_makes_an_owner_only_file_and_sets_no_pin(db):
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    out = kiosk(db, "staff-pin", "status")
    assert out.returncode == 0
    assert out.stdout.count("CHƯA ĐẶT") == 2


def test_a_six_digit_patron_pin_set_from_stdin_opens_the_card(db):
    card = json.loads(kiosk(db, "patron", "add", "Lê Thị Tư", "--json").stdout)["card_number"]
    done = kiosk(db, "patron", "set-pin", card, stdin="048213\n")
    assert done.returncode == 0 and "Đã đặt mã PIN" in done.stdout
    assert "048213" not in done.stdout + done.stderr
    lib = open_library(db)
    try:
        assert lib.patrons.authenticate(card, "048213")["card_number"] == card
        stored = lib.store.scalar("SELECT pin_hash FROM patrons WHERE card_number = ?", (card,))
        assert pins.cost(stored) == (pins.N, pins.R, pins.P)
    finally:
        lib.store.close()
    assert b"048213" not in db.read_bytes()


def test_staff_pin_set_reads_stdin_and_the_technician_pin_is_separate(db):
    done = kiosk(db, "staff-pin", "set", stdin="482913\n")
    assert done.returncode == 0, done.stderr
    assert "Đã đặt mã PIN nhân viên" in done.stdout and "482913" not in done.stdout
    lib = open_library(db)
    try:
        assert staff.verify(lib.store, staff.STAFF, "482913")
        assert not staff.has_pin(lib.store, staff.TECHNICIAN)
    finally:
        lib.store.close()

    same = kiosk(db, "staff-pin", "set", "--technician", stdin="482913\n")
    assert same.returncode == 1 and "phải khác nhau" in same.stderr
    done = kiosk(db, "staff-pin", "set", "--technician", stdin="731950\n")
    assert done.returncode == 0 and "Đã đặt mã PIN kỹ thuật viên" in done.stdout
    lib = open_library(db)
    try:
        assert staff.verify(lib.store, staff.TECHNICIAN, "731950")
        assert not staff.verify(lib.store, staff.TECHNICIAN, "482913")
        assert not staff.verify(lib.store, staff.STAFF, "731950")
    finally:
        lib.store.close()
    status = kiosk(db, "staff-pin", "status").stdout
    assert "CHƯA ĐẶT" not in status and "482913" not in status and "731950" not in status
    assert b"482913" not in db.read_bytes() and b"731950" not in db.read_bytes()


def test_a_pin_on_the_command_line_or_in_a_bad_format_is_refused(db):
    assert kiosk(db, "staff-pin", "set", "482913").returncode == 2
    bad = kiosk(db, "staff-pin", "set", stdin="12\n")
    assert bad.returncode == 1 and "4–8 chữ số" in bad.stderr
    assert "CHƯA ĐẶT" in kiosk(db, "staff-pin", "status").stdout


def _on_a_terminal(db, args: list[str], answers: list[str]) -> tuple[int, str]:
    """Run the command on a pseudo-terminal, typing each answer after its prompt."""
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:
        env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
        env.pop("KIOSK_DB", None)
        os.execve(sys.executable, [sys.executable, "-m", "kiosk", "--db", str(db), *args], env)
    seen, pending, answered = b"", list(answers), 0
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if pending and seen[answered:].rstrip().endswith(b":"):
            os.write(fd, (pending.pop(0) + "\n").encode())
            answered = len(seen)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), seen.decode("utf-8", "replace")


def test_on_a_terminal_the_pin_is_asked_twice_and_never_echoed(db):
    code, screen = _on_a_terminal(db, ["staff-pin", "set"], ["482913", "482914"])
    assert code == 1 and "không khớp" in screen and "482913" not in screen
    code, screen = _on_a_terminal(db, ["staff-pin", "set"], ["482913", "482913"])
    assert code == 0 and "Đã đặt mã PIN nhân viên" in screen and "482913" not in screen
    lib = open_library(db)
    try:
        assert staff.verify(lib.store, staff.STAFF, "482913")
    finally:
        lib.store.close()
