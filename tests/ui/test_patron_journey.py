"""The patron journeys through the real widgets: borrow with a slip, return with a hold trap."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_helpers import all_texts, click, key, scan, visible_texts

RASTER_IMAGE = b"\x1dv0"   # GS v 0: the slip is sent as a raster image


def test_a_patron_borrows_gets_a_slip_and_idle_logout_leaves_nothing_behind(
        qtbot, make_runtime, lib, stock, print_queue, printer):
    runtime = make_runtime(print_queue=print_queue,
                           settings={"idle_seconds": 1.5, "idle_warn_seconds": 1})
    shell = runtime.shell
    patron = stock["patron"]
    qtbot.waitUntil(lambda: shell.current == "attract")

    scan(qtbot, shell, patron["card_number"])
    qtbot.waitUntil(lambda: shell.current == "borrow", timeout=3000)
    borrow = shell.screens["borrow"]
    assert patron["name"] in borrow.greeting.text()

    for barcode in ("PT000001", "PT000003", "PT000002"):
        scan(qtbot, shell, barcode)
    qtbot.waitUntil(lambda: len(borrow.rows.rows) == 3 and all(
        row.detail.property("state") != "pending" for row in borrow.rows.rows), timeout=3000)
    details = [(row.title.text(), row.detail.text(), row.detail.property("state"))
               for row in borrow.rows.rows]
    refusal = "Sách này đang được người khác mượn. Vui lòng gặp thủ thư. (PT000002)"
    assert details == [("Dế Mèn phiêu lưu ký", "Hạn trả: 04/12/2026", "ok"),
                       ("Kỹ thuật trồng lúa", "Hạn trả: 04/12/2026", "ok"),
                       ("Dế Mèn phiêu lưu ký", refusal, "error")]
    assert refusal in visible_texts(shell)

    countdowns = []
    shell.idle.countdown.connect(countdowns.append)
    click(qtbot, borrow.slip_button)
    assert printer.model.wait_for_cuts(1, timeout=10), "the slip never reached the printer"
    assert RASTER_IMAGE in printer.model.received
    assert shell.current == "goodbye"

    with qtbot.waitSignal(shell.idle.expired, timeout=4000):
        pass
    qtbot.waitUntil(lambda: shell.current == "attract")
    assert 1 in countdowns
    qtbot.wait(50)
    arrivals = set(all_texts(shell.screens["attract"].arrival_box))
    texts = " ".join(t for t in all_texts(shell) if t not in arrivals)
    for secret in (patron["name"], patron["card_number"], "Dế Mèn phiêu lưu ký",
                   "Kỹ thuật trồng lúa", "PT000001", "Hạn trả"):
        assert secret not in texts
    assert not shell.session.signed_in
    assert [loan["barcode"] for loan in lib.circulation.loans(patron["card_number"])] == [
        "PT000001", "PT000003"]


def test_a_blocked_card_is_refused_with_the_reason_in_vietnamese(qtbot, make_runtime, lib, stock):
    card = stock["patron"]["card_number"]
    lib.patrons.update(card, blocked_reason="làm mất sách")
    runtime = make_runtime()
    shell = runtime.shell
    scan(qtbot, shell, card)
    identify = shell.screens["identify"]
    qtbot.waitUntil(lambda: identify.message.property("state") == "error", timeout=3000)
    assert identify.message.text() == "Thẻ bạn đọc đang bị khóa: làm mất sách. Vui lòng gặp thủ thư."
    assert shell.current == "identify"


def test_a_returned_book_someone_reserved_shows_the_hold_shelf_instruction(
        qtbot, make_runtime, lib, stock):
    other = stock["other"]
    lib.holds.place(stock["patron"]["card_number"], stock["record"])
    runtime = make_runtime()
    shell = runtime.shell
    click(qtbot, shell.screens["attract"].return_button)
    assert shell.current == "return"
    scan(qtbot, shell, "PT000002")
    returns = shell.screens["return"]
    qtbot.waitUntil(lambda: returns.shelf.isVisible(), timeout=3000)
    assert "Đặt lên giá sách giữ chỗ cho: N. T. Hoà" in returns.shelf.text()
    assert returns.shelf.text() in visible_texts(shell)
    assert lib.circulation.loans(other["card_number"]) == []


def test_a_wrong_pin_on_the_keypad_says_so(qtbot, make_runtime, lib, stock):
    runtime = make_runtime()
    shell = runtime.shell
    click(qtbot, shell.screens["attract"].borrow_button)
    identify = shell.screens["identify"]
    identify.card.setText(stock["patron"]["card_number"])
    qtbot.mouseClick(identify.pin, Qt.MouseButton.LeftButton)
    for digit in "1111":
        click(qtbot, key(identify.keypad, digit))
    assert identify.pin.text() == "1111"
    click(qtbot, identify.login_button)
    qtbot.waitUntil(lambda: identify.message.property("state") == "error", timeout=3000)
    assert identify.message.text() == "Mã PIN không đúng."
    assert identify.pin.text() == ""
    assert not shell.session.signed_in
