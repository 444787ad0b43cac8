"""The README's demo walk-through, as written: the command-line demo builds the library, the
window (``kiosk run --demo``) opens the same file, and in it card ``TN-TRAMCHIM000001``
borrows books ``TC000001``…, a typed card with PIN ``1234`` signs in, ``TN-TRAMCHIM000004``
is refused as expired and the staff PIN ``246810`` opens the staff area; what the window
lent, the command line then shows.

A small demo (300 titles) keeps it fast; the walk-through's cards and books are the same
at any size.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from ui_helpers import click, key, scan, visible_texts

from kiosk.core import staff

ROOT = Path(__file__).resolve().parents[2]
KIOSK = str(Path(sys.executable).parent / "kiosk")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _kiosk(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIOSK_DB": str(db)}
    return subprocess.run([KIOSK, *args], capture_output=True, text=True, env=env, timeout=120,
                          check=False)


@pytest.fixture
def demo_db(tmp_path):
    db = tmp_path / "demo" / "demo.db"
    db.parent.mkdir()
    built = _kiosk(db, "demo", "--books", "300")
    assert built.returncode == 0, built.stderr
    return db


def test_the_readme_names_the_cards_pins_and_books_this_walkthrough_uses():
    for text in ("TN-TRAMCHIM000001", "PIN `1234`", "`TC000001`", "TN-TRAMCHIM000004",
                 "`246810`", "Máy quét mô phỏng", "demo/demo.db"):
        assert text in README, text


def test_the_cli_demo_and_the_window_share_one_library_and_the_walkthrough_works(
        qtbot, qapp, demo_db, monkeypatch):
    from kiosk.compose import demo_library
    from kiosk.demo import demo_path
    from kiosk.ui.app import build_runtime

    found = _kiosk(demo_db, "search", "de men", "--limit", "3")
    assert found.returncode == 0 and "Dế Mèn phiêu lưu ký" in found.stdout
    shown = _kiosk(demo_db, "patron", "show", "TN-TRAMCHIM000001")
    assert shown.returncode == 0, shown.stderr

    monkeypatch.setenv("KIOSK_DEMO_DB", str(demo_db))
    assert demo_path() == demo_db                            # `kiosk run --demo` opens this file
    assert demo_path({}) == ROOT / "demo" / "demo.db"        # in a checkout: dev.sh's CLI demo
    assert re.search(r"^\s*local db=demo/demo\.db$", (ROOT / "dev.sh").read_text(), re.M)
    library = demo_library()
    runtime = build_runtime(library, demo=True, settings={"idle_seconds": 120}, environ={})
    try:
        shell = runtime.shell
        scan(qtbot, shell, "TN-TRAMCHIM000001")
        qtbot.waitUntil(lambda: shell.current == "borrow", timeout=5000)
        borrow = shell.screens["borrow"]
        books = ["TC000001", "TC000004", "TC000007"]
        for count, barcode in enumerate(books, start=1):
            scan(qtbot, shell, barcode)
            qtbot.waitUntil(lambda: len(borrow.rows.rows) == count and borrow.rows.rows[-1]
                            .detail.property("state") in ("ok", "error"), timeout=5000)
            newest = borrow.rows.rows[-1]
            assert newest.detail.property("state") == "ok", (barcode, newest.detail.text())
            assert newest.detail.text().startswith("Hạn trả: ")
        click(qtbot, borrow.no_slip_button)
        shell.logout()

        shell.go("identify")
        identify = shell.screens["identify"]
        qtbot.mouseClick(identify.card, Qt.MouseButton.LeftButton)
        identify.card.setText("TN-TRAMCHIM000002")
        qtbot.mouseClick(identify.pin, Qt.MouseButton.LeftButton)
        for digit in "1234":
            click(qtbot, key(identify.keypad, digit))
        assert identify.pin.text() == "1234"
        click(qtbot, identify.login_button)
        qtbot.waitUntil(lambda: shell.current == "borrow", timeout=5000)
        assert shell.session.card == "TN-TRAMCHIM000002"
        shell.logout()

        scan(qtbot, shell, "TN-TRAMCHIM000004")
        qtbot.waitUntil(lambda: any("đã hết hạn" in t for t in visible_texts(shell)), timeout=5000)
        if shell.current == "borrow":
            scan(qtbot, shell, "TC000010")
            qtbot.waitUntil(lambda: borrow.rows.rows and borrow.rows.rows[-1].detail.property(
                "state") == "error", timeout=5000)
        assert "TC000010" not in {loan["barcode"] for loan in library.circulation.loans(
            "TN-TRAMCHIM000004")}
        shell.logout()
        assert staff.verify(library.store, staff.STAFF, "246810")
    finally:
        runtime.shutdown()
        library.store.close()
    qapp.processEvents()

    loans = _kiosk(demo_db, "loans", "--card", "TN-TRAMCHIM000001", "--json")
    assert loans.returncode == 0, loans.stderr
    assert {loan["barcode"] for loan in json.loads(loans.stdout)} >= set(books)
