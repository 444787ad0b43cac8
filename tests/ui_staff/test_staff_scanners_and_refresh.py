"""Scans from the configured scanner reach every staff screen that expects a barcode, and the
reports tab follows what the librarian just did — through the whole window, as at the counter."""

from __future__ import annotations

from kiosk.core.isbn import complete_isbn13
from kiosk.ui.staff.cataloguing import CataloguingScreen
from kiosk.ui.staff.circulation import CirculationScreen
from kiosk.ui.staff.patrons import PatronsScreen
from kiosk.ui.staff.reports import ReportsScreen
from kiosk.ui.staff.stocktake import StocktakeScreen


def _open_tab(area, cls):
    page = area.inside.findChild(cls)
    area.tabs.setCurrentWidget(page)
    return page


def test_scanner_scans_lend_and_return_at_the_desk_without_a_focused_field(
        qtbot, make_runtime, unlock, simulated_scanner, lib, book, patron, idle):
    _, barcodes = book
    runtime = make_runtime()
    area = unlock(runtime.shell)
    desk = _open_tab(area, CirculationScreen)
    runtime.shell.home_button.setFocus()
    scanner = simulated_scanner(runtime)

    scanner.scan(patron["card_number"])
    qtbot.waitUntil(lambda: "Nguyễn Thị Hoà" in desk.patron_info.text(), timeout=3000)
    scanner.scan(barcodes[0])
    qtbot.waitUntil(lambda: "Đã cho mượn: Dế Mèn phiêu lưu ký" in desk.message.text(),
                    timeout=3000)
    qtbot.waitUntil(lambda: desk.loans_table.rowCount() == 1, timeout=3000)
    assert desk.loans_table.item(0, 1).text() == barcodes[0]
    assert [loan["barcode"] for loan in lib.circulation.loans(patron["card_number"])] == [
        barcodes[0]]

    desk.clear_patron()
    scanner.scan(barcodes[0])
    qtbot.waitUntil(lambda: desk.message.text().startswith("Dế Mèn phiêu lưu ký:"), timeout=3000)
    assert desk.message.kind == "ok"
    assert lib.circulation.loans(patron["card_number"]) == []


def test_scanner_scans_count_in_the_stocktake_of_the_chosen_shelf(
        qtbot, make_runtime, unlock, simulated_scanner, lib, book):
    record_id, _ = book
    for code in ("KE000001", "KE000002"):
        lib.catalogue.add_item(record_id, code, location="Kệ thiếu nhi")
    runtime = make_runtime()
    shelf = _open_tab(unlock(runtime.shell), StocktakeScreen)
    qtbot.waitUntil(lambda: shelf.location.currentText() == "Kệ thiếu nhi", timeout=3000)
    scanner = simulated_scanner(runtime)
    scanner.scan("KE000002")
    qtbot.waitUntil(lambda: "Đã quét 1 · có trên giá 1 · thiếu 1" in shelf.counts.text(),
                    timeout=3000)
    assert shelf.found_table.item(0, 0).text() == "KE000002"
    scanner.scan("KE000002")
    qtbot.waitUntil(lambda: "Đã quét KE000002 rồi." in shelf.message.text(), timeout=3000)


def test_scanner_scans_open_the_isbn_then_add_a_copy_in_cataloguing(
        qtbot, make_runtime, unlock, simulated_scanner, lib, book):
    record_id, _ = book
    runtime = make_runtime()
    form = _open_tab(unlock(runtime.shell), CataloguingScreen)
    scanner = simulated_scanner(runtime)
    scanner.scan("NEW00001")
    qtbot.waitUntil(lambda: "không phải ISBN" in form.message.text(), timeout=3000)
    scanner.scan(complete_isbn13("978604212345"))
    qtbot.waitUntil(lambda: form.title.text() == "Dế Mèn phiêu lưu ký", timeout=3000)
    scanner.scan("NEW00001")
    qtbot.waitUntil(lambda: "Đã thêm bản sách NEW00001." in form.message.text(), timeout=3000)
    assert "NEW00001" in [item["barcode"] for item in lib.catalogue.items_of(record_id)]


def test_a_scanned_card_opens_the_patron_in_the_patron_list(
        qtbot, make_runtime, unlock, simulated_scanner, patron):
    runtime = make_runtime()
    screen = _open_tab(unlock(runtime.shell), PatronsScreen)
    scanner = simulated_scanner(runtime)
    scanner.scan(patron["card_number"])
    qtbot.waitUntil(lambda: screen.form.name.text() == "Nguyễn Thị Hoà", timeout=3000)
    assert screen.form.card.text() == patron["card_number"]
    scanner.scan("XX-NOBODY")
    qtbot.waitUntil(lambda: "Không có bạn đọc nào có thẻ XX-NOBODY" in screen.message.text(),
                    timeout=3000)


def _figure(reports, label: str) -> str:
    for row in range(reports.counts.rowCount()):
        if reports.counts.item(row, 0).text() == label:
            return reports.counts.item(row, 1).text()
    raise AssertionError(label)


def test_reports_show_a_new_patron_and_a_new_copy_without_unlocking_again(
        qtbot, make_runtime, unlock, lib, book, idle):
    record_id, _ = book
    runtime = make_runtime()
    area = unlock(runtime.shell)
    reports = area.inside.findChild(ReportsScreen)
    qtbot.waitUntil(lambda: reports.report is not None, timeout=3000)
    before_patrons = int(_figure(reports, "Bạn đọc mới"))
    before_copies = int(_figure(reports, "Bản sách bổ sung"))

    patrons = _open_tab(area, PatronsScreen)
    patrons.new_patron()
    patrons.form.name.setText("Lê Thị Mai")
    patrons.save()
    qtbot.waitUntil(lambda: "Số thẻ" in patrons.message.text(), timeout=3000)

    form = _open_tab(area, CataloguingScreen)
    form.isbn.setText(complete_isbn13("978604212345"))
    form.look_up()
    qtbot.waitUntil(lambda: form.record_id == record_id, timeout=3000)
    form.barcode.setText("PT000099")
    form.add_item()
    qtbot.waitUntil(lambda: "Đã thêm bản sách PT000099." in form.message.text(), timeout=3000)

    area.tabs.setCurrentWidget(reports)
    qtbot.waitUntil(lambda: int(_figure(reports, "Bạn đọc mới")) == before_patrons + 1,
                    timeout=3000)
    qtbot.waitUntil(lambda: int(_figure(reports, "Bản sách bổ sung")) == before_copies + 1,
                    timeout=3000)
