"""The staff PIN gate and the circulation desk, driven as a librarian would."""

from __future__ import annotations

import json
import sqlite3

from hardware.printing.fake import FakeNetworkPrinter
from hardware.printing.printer import ReceiptPrinter
from hardware.printing.queue import PrintQueue
from hardware.printing.uri import connection_from_uri
from kiosk.core import staff
from kiosk.ui.staff.circulation import CirculationScreen
from kiosk.ui.staff.holds_overdue import HoldsOverdueScreen
from kiosk.ui.staff.login import StaffLogin


def test_staff_pin_wrong_then_right_unlocks_once(qtbot, ctx, lib, idle, shoot):
    staff.set_staff_pin(lib.store, "4321")
    gate = StaffLogin(ctx)
    qtbot.addWidget(gate)
    idle()
    unlocked = []
    gate.unlocked.connect(lambda: unlocked.append(True))
    gate.pin.setText("0000")
    gate.submit()
    idle()
    assert unlocked == []
    assert gate.message.kind == "error" and "không đúng" in gate.message.text()
    for key in "4321":
        gate.keypad._press(key)
    gate.keypad._press("OK")
    qtbot.waitUntil(lambda: unlocked == [True])
    assert gate.pin.text() == ""
    shoot(gate, "staff_login")


def test_without_a_staff_pin_the_gate_stays_locked_and_shows_no_pin(qtbot, ctx, idle):
    gate = StaffLogin(ctx)
    qtbot.addWidget(gate)
    gate.show()
    idle()
    assert gate.locked and gate.hint.isVisible() and "Kỹ thuật viên cần đặt mã" in gate.hint.text()
    assert not any(ch.isdigit() for ch in gate.hint.text())
    assert not gate.pin.isVisible() and not gate.ok_button.isEnabled()
    unlocked = []
    gate.unlocked.connect(lambda: unlocked.append(True))
    gate.pin.setText("0000")
    gate.submit()
    idle()
    assert unlocked == []


def _desk(qtbot, ctx, idle, card):
    desk = CirculationScreen(ctx)
    qtbot.addWidget(desk)
    desk.card.setText(card)
    desk.load_patron()
    idle()
    return desk


def test_checkout_refused_then_overridden_keeps_reason_in_event(qtbot, ctx, lib, book, patron,
                                                                 idle, shoot):
    _, barcodes = book
    lib.patrons.update(patron["card_number"], blocked_reason="Mất thẻ")
    desk = _desk(qtbot, ctx, idle, patron["card_number"])
    assert "Mất thẻ" in desk.patron_info.text()
    desk.barcode.setText(barcodes[0])
    desk.scan_item()
    idle()
    assert desk.message.kind == "error"
    assert "đang bị khóa" in desk.message.text()
    assert desk.override_panel.isVisibleTo(desk)
    assert not desk.override_button.isEnabled()
    assert lib.circulation.loans(patron["card_number"]) == []
    shoot(desk, "circulation_refused")

    desk.reason.setText("Bạn đọc đã tìm lại thẻ")
    assert desk.override_button.isEnabled()
    desk.override()
    idle()
    assert desk.message.kind == "ok"
    loans = lib.circulation.loans(patron["card_number"])
    assert [loan["barcode"] for loan in loans] == [barcodes[0]]
    payload = json.loads(lib.store.scalar(
        "SELECT payload FROM events WHERE type = 'loan.checkout'"))
    assert payload["override"] == {"codes": ["patron_blocked"],
                                   "reason": "Bạn đọc đã tìm lại thẻ"}
    idle()
    assert desk.loans_table.rowCount() == 1
    assert not desk.override_panel.isVisibleTo(desk)
    shoot(desk, "circulation_loaned")


RASTER_IMAGE = b"\x1dv0"   # GS v 0: slips are sent as raster images


def test_the_desk_prints_a_loan_slip_then_a_return_slip_on_the_network_printer(
        qtbot, ctx, lib, book, patron, tmp_path, idle):
    _, barcodes = book
    with FakeNetworkPrinter() as printer:
        queue = PrintQueue(tmp_path / "print.db",
                           ReceiptPrinter(lambda: connection_from_uri(printer.uri)), base_delay=0.05)
        queue.start()
        try:
            ctx.print_queue = queue
            desk = _desk(qtbot, ctx, idle, patron["card_number"])
            assert not desk.print_button.isVisibleTo(desk), "nothing to print yet"
            for barcode in barcodes:
                desk.barcode.setText(barcode)
                desk.scan_item()
                idle()
            assert desk.print_button.isVisibleTo(desk)
            assert desk.print_button.text() == "In phiếu mượn (2)"
            desk.print_button.click()
            idle()
            assert "Đã gửi phiếu ra máy in" in desk.message.text()
            assert not desk.print_button.isVisibleTo(desk)
            assert printer.model.wait_for_cuts(1, timeout=10), "the loan slip never printed"
            assert RASTER_IMAGE in printer.model.received

            desk.clear_patron()
            desk.barcode.setText(barcodes[0])
            desk.scan_item()
            idle()
            assert desk.print_button.text() == "In phiếu trả (1)"
            desk.print_button.click()
            idle()
            assert printer.model.wait_for_cuts(2, timeout=10), "the return slip never printed"
            assert [job.kind for job in queue.jobs()] == ["loan", "return"]
            with sqlite3.connect(tmp_path / "print.db") as db:
                loan_payload = db.execute("SELECT payload FROM print_jobs ORDER BY id").fetchone()[0]
            assert all(barcode in loan_payload for barcode in barcodes)
        finally:
            queue.stop()


def test_no_print_button_without_a_printer(qtbot, ctx, book, patron, idle):
    _, barcodes = book
    desk = _desk(qtbot, ctx, idle, patron["card_number"])
    desk.barcode.setText(barcodes[0])
    desk.scan_item()
    idle()
    assert desk.message.kind == "ok"
    assert not desk.print_button.isVisibleTo(desk)


def test_item_scan_without_a_card_returns_the_book(qtbot, ctx, lib, book, patron, idle):
    _, barcodes = book
    lib.circulation.checkout(patron["card_number"], barcodes[1])
    desk = CirculationScreen(ctx)
    qtbot.addWidget(desk)
    desk.barcode.setText(barcodes[1])
    desk.barcode.returnPressed.emit()
    idle()
    assert desk.message.kind == "ok"
    assert lib.circulation.loans() == []


def test_renew_from_the_desk_moves_the_due_date(qtbot, ctx, lib, book, patron, clock, idle):
    _, barcodes = book
    first = lib.circulation.checkout(patron["card_number"], barcodes[0])
    clock.advance(days=10)
    desk = _desk(qtbot, ctx, idle, patron["card_number"])
    desk.barcode.setText(barcodes[0])
    desk.renew()
    idle()
    assert desk.message.kind == "ok", desk.message.text()
    assert lib.circulation.loans()[0]["due_date"] > first.due_date.isoformat()


def test_not_overridable_refusal_offers_no_override(qtbot, ctx, patron, idle):
    desk = _desk(qtbot, ctx, idle, patron["card_number"])
    desk.barcode.setText("NO-SUCH")
    desk.checkout()
    idle()
    assert "NO-SUCH" in desk.message.text()
    assert not desk.override_panel.isVisibleTo(desk)


def test_hold_shelf_expiry_and_overdue_list(qtbot, ctx, lib, book, patron, clock, idle, shoot):
    record_id, barcodes = book
    other = lib.patrons.add("Trần Văn Bình", "adult")
    lib.circulation.checkout(other["card_number"], barcodes[0])
    lib.circulation.checkout(other["card_number"], barcodes[1])
    lib.holds.place(patron["card_number"], record_id)
    lib.circulation.checkin(barcodes[0])
    clock.advance(days=30)
    screen = HoldsOverdueScreen(ctx)
    qtbot.addWidget(screen)
    idle()
    assert screen.shelf_table.rowCount() == 1
    assert screen.overdue_table.rowCount() == 1
    assert screen.overdue_table.item(0, 3).text() == barcodes[1]
    screen.expire()
    idle()
    assert screen.actions_table.rowCount() == 1
    assert screen.actions_table.item(0, 2).text() == "Đưa sách về giá"
    idle()
    assert screen.shelf_table.rowCount() == 0
    shoot(screen, "holds_overdue")
