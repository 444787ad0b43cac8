"""Conflicts, stocktake and reports screens against a real library."""

from __future__ import annotations

import csv
import shutil

from kiosk.app import open_library
from kiosk.core import fold
from kiosk.ui.staff.conflicts import ConflictsScreen
from kiosk.ui.staff.report_data import PERIOD_LABELS
from kiosk.ui.staff.reports import ReportsScreen
from kiosk.ui.staff.stocktake import StocktakeScreen


def _double_checkout(lib, clock, tmp_path, barcode):
    """Lend one copy to two patrons on two copies of the same database, then merge."""
    first = lib.patrons.add("Phan Văn Một", "adult")
    second = lib.patrons.add("Đỗ Thị Hai", "adult")
    copy_path = tmp_path / "other.db"
    lib.store.conn.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copy(lib.store.path, copy_path)
    other = open_library(copy_path, clock)
    lib.circulation.checkout(first["card_number"], barcode)
    clock.advance(minutes=5)
    other.circulation.checkout(second["card_number"], barcode)
    row = other.store.one("SELECT * FROM events WHERE type = 'loan.checkout'")
    other.store.close()
    with lib.store.transaction():
        lib.store.execute(
            "INSERT INTO events (origin_id, seq, uuid, hlc, wall_time, library_id, type, payload) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ("other-device", 1, row["uuid"], row["hlc"], row["wall_time"], row["library_id"],
             row["type"], row["payload"]))
    fold.rebuild_circulation(lib.store)
    return first, second


def test_conflicts_are_listed_and_resolving_empties_the_list(qtbot, ctx, lib, book, clock,
                                                             tmp_path, idle, shoot):
    _, barcodes = book
    _, second = _double_checkout(lib, clock, tmp_path, barcodes[0])
    assert len(lib.conflicts.list()) == 1
    screen = ConflictsScreen(ctx)
    qtbot.addWidget(screen)
    idle()
    assert screen.table.rowCount() == 1
    assert screen.table.item(0, 0).text().startswith("Một bản sách được cho mượn hai lần")
    assert barcodes[0] in screen.table.item(0, 1).text()
    events = screen.table.item(0, 2).text().splitlines()
    assert len(events) == 2 and all(e.startswith("Cho mượn") and "TN-PHUTHO" in e for e in events)
    assert all(widget.isEnabled() for widget in screen.resolve_buttons.values())
    shoot(screen, "conflicts")
    screen.note.setText("Bạn Hai đang giữ sách")
    screen.resolve_buttons["keep_second"].click()
    idle()
    idle()
    assert screen.table.rowCount() == 0
    assert lib.conflicts.list() == []
    resolved = lib.conflicts.list(include_resolved=True)[0]["resolution"]
    assert resolved["resolution"] == "keep_second" and resolved["note"] == "Bạn Hai đang giữ sách"
    assert [loan["card_number"] for loan in lib.circulation.loans()] == [second["card_number"]]


def _shelf(lib, book):
    record_id, barcodes = book
    for code in barcodes:
        lib.catalogue.update_item(code, location="Kho mở")
    lib.catalogue.add_item(record_id, "PT000003", location="Kho mở")
    lib.catalogue.add_item(record_id, "PT000004", location="Phòng thiếu nhi")
    return barcodes + ["PT000003"]


def test_stocktake_screen_shows_found_missing_and_misplaced(qtbot, ctx, lib, book, patron, idle,
                                                           shoot):
    shelf = _shelf(lib, book)
    lib.circulation.checkout(patron["card_number"], shelf[2])
    screen = StocktakeScreen(ctx)
    qtbot.addWidget(screen)
    idle()
    screen.location.setCurrentIndex(screen.location.findText("Kho mở"))
    idle()
    for code in (shelf[0], "PT000004", shelf[2], "XYZ"):
        screen.barcode.setText(code)
        screen.barcode.returnPressed.emit()
        idle()
    result = screen.result
    assert [i["barcode"] for i in result.found] == [shelf[0]]
    assert [i["barcode"] for i in result.missing] == [shelf[1]]
    assert {i["barcode"]: i["reason"] for i in result.misplaced} == {
        "PT000004": "Thuộc vị trí khác: Phòng thiếu nhi", shelf[2]: "Đang cho mượn (chưa ghi trả)"}
    assert result.unknown == ["XYZ"]
    assert screen.missing_table.item(0, 0).text() == shelf[1]
    assert screen.tabs.tabText(2) == "Sai chỗ (2)"
    screen.barcode.setText(shelf[0])
    screen.scan()
    assert "rồi" in screen.message.text()
    shoot(screen, "stocktake")


def test_report_numbers_equal_stats_and_export_csv_and_png(qtbot, ctx, lib, book, patron, clock,
                                                           tmp_path, idle, shoot):
    _, barcodes = book
    lib.circulation.checkout(patron["card_number"], barcodes[0])
    lib.circulation.checkout(patron["card_number"], barcodes[1])
    lib.circulation.checkin(barcodes[1])
    lib.circulation.record_visit(patron["card_number"])
    screen = ReportsScreen(ctx)
    qtbot.addWidget(screen)
    idle()
    screen.select_month("2026-11")
    idle()
    stats = lib.stats.period("2026-11")
    shown = {screen.counts.item(r, 0).text(): int(screen.counts.item(r, 1).text())
             for r in range(screen.counts.rowCount())}
    assert shown == {label: stats[key] for key, label in PERIOD_LABELS.items()}
    assert shown["Lượt mượn"] == 2 and shown["Lượt trả"] == 1
    assert dict(screen.loans_chart.bars)["8 – Văn học"] == 2
    assert dict(screen.stock_chart.bars)["8 – Văn học"] == 2
    shoot(screen, "reports")

    screen.export_csv(tmp_path / "report.csv")
    raw = (tmp_path / "report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert ["Lượt mượn", "2"] in rows
    assert ["8 – Văn học", "2", "1", "2"] in rows
    screen.export_png(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    screen.select_month("2026-10")
    idle()
    assert int(screen.counts.item(0, 1).text()) == lib.stats.period("2026-10")["loans"] == 0
