"""What the librarian sees at 1024x600: the new card number on screen, whole patron names,
every tab inside the window in large text, and an export that offers only the USB stick and
the downloads folder, in Vietnamese."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTranslator
from PySide6.QtWidgets import QBoxLayout, QTabWidget

from kiosk.io.destinations import Destination
from kiosk.ui.app import I18N_DIR
from kiosk.ui.staff.cataloguing import CataloguingScreen
from kiosk.ui.staff.patrons import PatronsScreen
from kiosk.ui.staff.stocktake import StocktakeScreen
from kiosk.ui.staff.widgets import StaffButton
from kiosk.ui.staff.reports import ReportsScreen

LONG_NAMES = ("Nguyễn Thị Hoàng Phương Thảo Nguyên", "Trần Lê Minh Khôi Nguyễn Văn Đức Anh",
              "Huỳnh Thị Ngọc Bích Trâm")


def _fully_visible(widget, window) -> bool:
    """Inside every ancestor's area (scroll viewports clip) and inside the window."""
    if not widget.isVisible():
        return False
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if not QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()).contains(rect):
            return False
        parent = parent.parentWidget()
    return window.rect().contains(rect)


def test_after_registering_the_new_card_number_is_on_screen_in_large_text(
        qtbot, make_runtime, unlock, lib):
    for name in LONG_NAMES:
        lib.patrons.add(name, "adult")
    runtime = make_runtime()
    shell = runtime.shell
    shell.toggle_large_text()
    area = unlock(shell)
    screen = area.inside.findChild(PatronsScreen)
    area.tabs.setCurrentWidget(screen)
    screen.new_patron()
    screen.form.name.setText("Võ Thị Sáu")
    screen.form.address.setFocus()
    screen.save()
    qtbot.waitUntil(lambda: "Số thẻ" in screen.message.text(), timeout=5000)
    card = screen.form.card.text()
    assert card.startswith(lib.code) and card in screen.message.text()
    qtbot.waitUntil(lambda: _fully_visible(screen.message, shell)
                    and _fully_visible(screen.form.card, shell), timeout=2000)

    table = screen.table
    metrics = table.fontMetrics()

    def shown() -> dict[str, bool]:
        whole = {}
        for row in range(table.rowCount()):
            item = table.item(row, 0)
            cell = table.visualItemRect(item)
            needed = metrics.boundingRect(QRect(0, 0, cell.width() - 12, 10_000),
                                          int(Qt.TextFlag.TextWordWrap), item.text())
            whole[item.text()] = needed.height() <= cell.height()
        return whole

    qtbot.waitUntil(lambda: all(shown()[name] for name in LONG_NAMES), timeout=2000)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("size", [(1024, 600), (1280, 800)])
def test_in_large_text_every_staff_tab_fits_the_window_with_its_buttons_whole(
        qtbot, qapp, make_runtime, unlock, size, lang):
    # The cataloguing form beside the copies needed 1,307 px at 1280x800, the weekly closing
    # days 1,225: every tab was wider than the window and the typing switch's "Tắt" was cut;
    # narrower pages squeezed their buttons ("Bạn đọc mới" showed as "ạn đọc mớ").
    translator = QTranslator(qapp)
    if lang == "en":
        assert translator.load(str(I18N_DIR / "kiosk_en.qm"))
        qapp.installTranslator(translator)
    try:
        titles = _every_tab_fits(qtbot, make_runtime(size=size), unlock)
    finally:
        qapp.removeTranslator(translator)
    assert ("Cataloguing" if lang == "en" else "Biên mục") in titles


def _every_tab_fits(qtbot, runtime, unlock) -> list[str]:
    shell = runtime.shell
    shell.toggle_large_text()
    area = unlock(shell)
    tabs = area.tabs

    def fits(holder) -> bool:
        # A page just shown settles over a few turns of the event loop.
        try:
            qtbot.waitUntil(lambda: holder.horizontalScrollBar().maximum() == 0, timeout=2000)
        except qtbot.TimeoutError:
            return False
        return True

    def cut(page) -> list[str]:
        return [each.text() for each in page.findChildren(StaffButton)
                if each.isVisible() and each.width() < each.sizeHint().width()]

    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        page, holder = tabs.widget(index), QTabWidget.widget(tabs, index)
        title = tabs.tabText(index)
        assert fits(holder), (title, page.minimumSizeHint(), holder.viewport().width())
        assert cut(page) == [], title
        corner = tabs.cornerWidget()  # the typing switch, its "Tắt" last
        assert shell.rect().contains(QRect(corner.mapTo(shell, QPoint(0, 0)), corner.size())), title
        for part in range(page.parts.count() if hasattr(page, "parts") else 0):
            page.parts.setCurrentIndex(part)
            assert fits(holder), (page.parts.tabText(part), page.minimumSizeHint())
            assert cut(page) == [], page.parts.tabText(part)
    catalogue = area.inside.findChild(CataloguingScreen)
    tabs.setCurrentWidget(catalogue)
    assert catalogue.layout().direction() == QBoxLayout.Direction.TopToBottom
    return [tabs.tabText(index) for index in range(tabs.count())]


def test_in_normal_text_the_cataloguing_form_stays_beside_the_copies(
        qtbot, make_runtime, unlock):
    runtime = make_runtime(size=(1024, 600))
    area = unlock(runtime.shell)
    catalogue = area.inside.findChild(CataloguingScreen)
    area.tabs.setCurrentWidget(catalogue)
    qtbot.waitUntil(lambda: catalogue.save_button.isVisible(), timeout=2000)
    assert catalogue.layout().direction() == QBoxLayout.Direction.LeftToRight
    record, copies = catalogue.save_button, catalogue.items_table
    assert record.mapTo(catalogue, QPoint(0, 0)).x() < copies.mapTo(catalogue, QPoint(0, 0)).x()


def test_opening_the_staff_area_leaves_the_keys_with_a_field_the_librarian_can_see(
        qtbot, qapp, make_runtime, unlock, idle):
    # The stocktake tab's locations arrive after the area opens; its scan field took the focus
    # then, hidden, and took the keys meant for the desk (measured: the IBus window test
    # waited forever for its card field under load).
    runtime = make_runtime()
    runtime.shell.activateWindow()
    area = unlock(runtime.shell)
    qtbot.waitUntil(lambda: not runtime.ctx.ops.busy, timeout=5000)
    qtbot.wait(50)
    stocktake = area.inside.findChild(StocktakeScreen)
    focused = qapp.focusWidget()
    assert focused is not stocktake.barcode and (focused is None or focused.isVisible())
    area.tabs.setCurrentWidget(stocktake)
    qtbot.waitUntil(lambda: qapp.focusWidget() is stocktake.barcode, timeout=2000)


def test_the_report_export_offers_the_usb_stick_and_downloads_only_in_vietnamese(
        qtbot, ctx, lib, idle, tmp_path):
    usb, downloads = tmp_path / "media" / "thuthu" / "KINGSTON", tmp_path / "Downloads"
    usb.mkdir(parents=True)
    downloads.mkdir()
    places = [Destination("usb", "KINGSTON", usb), Destination("downloads", "Downloads",
                                                                downloads)]
    screen = ReportsScreen(ctx, destinations=lambda: places)
    qtbot.addWidget(screen)
    idle()
    screen.choose_csv()
    dialog = screen.export_dialog
    assert dialog.windowTitle() == "Xuất báo cáo"
    assert [dialog.places.item(i).text() for i in range(dialog.places.count())] == [
        "USB «KINGSTON»", "Thư mục Tải về"]
    assert dialog.name.text().startswith("bao-cao-2026-11")
    dialog.ok_button.click()
    written = usb / dialog.name.text()
    assert written.exists()
    with open(written, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["Thư viện", "Thư viện xã Phú Thọ"]
    assert "Đã xuất" in screen.message.text()
