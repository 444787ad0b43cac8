"""Search on the on-screen keyboard, record detail with a hold, my account with renewals."""

from __future__ import annotations

from ui_helpers import click, key, scan, visible_texts


def test_typing_without_diacritics_on_the_keyboard_finds_the_vietnamese_title(
        qtbot, make_runtime, stock):
    runtime = make_runtime()
    shell = runtime.shell
    click(qtbot, shell.screens["attract"].search_button)
    search = shell.screens["search"]
    for letter in "de men":
        click(qtbot, key(search.keyboard, "Dấu cách" if letter == " " else letter))
    assert search.query.text() == "de men"
    qtbot.waitUntil(lambda: [r.title.text() for r in search.results.rows] == ["Dế Mèn phiêu lưu ký"],
                    timeout=3000)
    qtbot.waitUntil(lambda: "Tô Hoài\nCó sẵn 1 · Đang cho mượn 1" in visible_texts(shell),
                    timeout=3000)


def test_tone_keys_combine_with_the_letter_before_them(qtbot, make_runtime):
    shell = make_runtime().shell
    shell.go("search")
    search = shell.screens["search"]
    for label in ("d", "ê", "á", "m"):
        click(qtbot, key(search.keyboard, label))
    assert search.query.text() == "dếm"


def test_a_signed_in_patron_places_a_hold_from_the_record_and_sees_it_in_the_account(
        qtbot, make_runtime, stock):
    shell = make_runtime().shell
    patron = stock["patron"]
    shell.go("identify", then="account")
    scan(qtbot, shell, patron["card_number"])
    qtbot.waitUntil(lambda: shell.current == "account", timeout=3000)
    shell.go("record", record_id=stock["record"])
    record = shell.screens["record"]
    qtbot.waitUntil(lambda: bool(record.copies.rows), timeout=3000)
    assert [r.detail.text() for r in record.copies.rows] == [
        "Có trên giá", "Đang cho mượn, hạn trả 04/12/2026"]
    click(qtbot, record.hold_button)
    qtbot.waitUntil(lambda: record.message.isVisible(), timeout=3000)
    assert record.message.text().startswith("Đã đặt trước. Thứ tự chờ của bạn: 1.")
    shell.go("account")
    account = shell.screens["account"]
    qtbot.waitUntil(lambda: any(r.title.text() == "Dế Mèn phiêu lưu ký" for r in account.rows.rows),
                    timeout=3000)
    assert "Thứ tự chờ: 1" in [r.detail.text() for r in account.rows.rows]


def test_renewing_a_loan_in_the_account_shows_the_new_due_date_and_overdue_is_red(
        qtbot, make_runtime, lib, clock, stock):
    card = stock["patron"]["card_number"]
    lib.circulation.checkout(card, "PT000003")
    clock.advance(days=20)
    shell = make_runtime().shell
    shell.go("identify", then="account")
    scan(qtbot, shell, card)
    account = shell.screens["account"]
    qtbot.waitUntil(lambda: account.loan_count == 1, timeout=3000)
    row = next(r for r in account.rows.rows if r.title.text() == "Kỹ thuật trồng lúa")
    assert row.detail.text() == "Hạn trả: 04/12/2026 — quá hạn 6 ngày"
    assert row.detail.property("state") == "error"
    click(qtbot, row.findChild(type(account.renew_all_button)))
    qtbot.waitUntil(lambda: row.detail.text().startswith("Đã gia hạn"), timeout=3000)
    assert row.detail.text() == "Đã gia hạn. Hạn trả mới: 24/12/2026"


def test_an_image_attachment_opens_in_the_page_viewer_and_a_pdf_without_poppler_gives_its_place(
        qtbot, make_runtime, lib, stock, tmp_path):
    from PySide6.QtGui import QColor, QImage

    page = tmp_path / "trang-1.png"
    image = QImage(200, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    image.save(str(page))
    lib.catalogue.add_attachment(stock["record"], str(page), "image", "Trang 1")
    lib.catalogue.add_attachment(stock["record"], str(tmp_path / "ban-day-du.pdf"), "pdf", "Trang 2")
    (tmp_path / "ban-day-du.pdf").write_bytes(b"%PDF-1.4\n")
    shell = make_runtime(settings={"idle_seconds": 60,
                                   "pdftoppm": str(tmp_path / "no-poppler" / "pdftoppm")}).shell
    viewer = shell.screens["viewer"]
    shell.go("record", record_id=stock["record"])
    record = shell.screens["record"]
    qtbot.waitUntil(lambda: record.view_button.isVisible(), timeout=3000)
    click(qtbot, record.view_button)
    assert shell.current == "viewer"
    assert viewer.caption.text() == "Trang 1 (1/2)"
    assert viewer.page.pixmap() is not None and not viewer.page.pixmap().isNull()
    click(qtbot, viewer.next_button)
    assert viewer.caption.text() == "Trang 2 (2/2)"
    assert viewer.message.text().startswith("Máy này chưa xem được tệp PDF (thiếu poppler-utils).")
    assert "ban-day-du.pdf" in viewer.message.text() and viewer.message.isVisible()
    assert viewer.page.pixmap().isNull()
