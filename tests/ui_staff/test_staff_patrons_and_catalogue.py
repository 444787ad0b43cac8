"""Registering patrons, cataloguing by ISBN and importing MARC from the counter screens."""

from __future__ import annotations

from pymarc import MARCWriter

from kiosk.core import isbn as isbnlib
from kiosk.core import pins
from kiosk.io.marc_map import to_marc
from kiosk.ui.staff.cataloguing import CataloguingScreen
from kiosk.ui.staff.importing import ImportScreen
from kiosk.ui.staff.patrons import PatronsScreen


def test_registration_form_creates_patron_with_hashed_pin_and_shows_card(qtbot, ctx, lib, idle,
                                                                         shoot):
    screen = PatronsScreen(ctx)
    qtbot.addWidget(screen)
    idle()
    form = screen.form
    form.name.setText("Lê Thị Thuỷ")
    form.category.setCurrentIndex(form.category.findData("student"))
    form.birth_year.setText("2008")
    form.commune.setCurrentText("An Long")
    form.address.setText("Ấp 3")
    form.pin.setText("1357")
    form.pin2.setText("1357")
    screen.save()
    idle()
    patrons = lib.patrons.list("Thuy")
    assert len(patrons) == 1
    card = patrons[0]["card_number"]
    assert card in screen.message.text()
    assert form.card.text() == card
    stored = lib.store.scalar("SELECT pin_hash FROM patrons WHERE card_number = ?", (card,))
    assert stored.startswith("scrypt$") and "1357" not in stored
    assert pins.verify_pin("1357", stored)
    assert lib.patrons.get(card)["commune"] == "An Long"
    assert lib.patrons.get(card)["category"] == "student"
    idle()
    assert screen.table.rowCount() == 1
    shoot(screen, "patrons_registered")


def test_mismatched_pins_are_refused_before_anything_is_saved(qtbot, ctx, lib, idle):
    screen = PatronsScreen(ctx)
    qtbot.addWidget(screen)
    screen.form.name.setText("Võ Văn Tám")
    screen.form.pin.setText("1234")
    screen.form.pin2.setText("4321")
    screen.save()
    idle()
    assert "không khớp" in screen.message.text()
    assert lib.patrons.count() == 0


def test_edit_renew_block_and_print_without_printer(qtbot, ctx, lib, patron, clock, idle):
    screen = PatronsScreen(ctx)
    qtbot.addWidget(screen)
    screen.open_patron(patron["card_number"])
    idle()
    screen.form.phone.setText("0912345678")
    screen.save()
    idle()
    assert lib.patrons.get(patron["card_number"])["phone"] == "0912345678"
    clock.advance(days=200)
    screen.renew_card()
    idle()
    assert lib.patrons.get(patron["card_number"])["expires_on"] == "2028-06-07"
    screen.block_reason.setText("Làm hỏng sách")
    screen.block()
    idle()
    assert lib.patrons.get(patron["card_number"])["blocked_reason"] == "Làm hỏng sách"
    screen.unblock()
    idle()
    assert lib.patrons.get(patron["card_number"])["blocked_reason"] is None
    screen.print_card()
    assert "Chưa có máy in" in screen.message.text()


def test_print_card_slip_goes_to_the_print_queue(qtbot, ctx, patron, tmp_path, idle):
    from hardware.printing.queue import PrintQueue

    class Recorder:
        def send(self, data):
            raise AssertionError("the queue is not started in this test")

    ctx.print_queue = PrintQueue(tmp_path / "print.db", Recorder())
    screen = PatronsScreen(ctx)
    qtbot.addWidget(screen)
    screen.open_patron(patron["card_number"])
    idle()
    screen.print_card()
    idle()
    jobs = ctx.print_queue.jobs()
    assert [job.kind for job in jobs] == ["patron_card"]
    assert f"lệnh số {jobs[0].id}" in screen.message.text()


def test_known_isbn_prefills_and_new_record_is_saved_with_item(qtbot, ctx, lib, book, idle,
                                                               shoot):
    screen = CataloguingScreen(ctx)
    qtbot.addWidget(screen)
    known = lib.catalogue.get_record(book[0])["isbn13"]
    screen.isbn.setText(isbnlib.isbn13_to_10(known))
    screen.look_up()
    idle()
    assert screen.title.text() == "Dế Mèn phiêu lưu ký"
    assert screen.record_id == book[0]
    assert screen.items_table.rowCount() == 2
    shoot(screen, "cataloguing_known")

    new_isbn = isbnlib.complete_isbn13("978604999001")
    screen.isbn.setText(new_isbn[:3] + "-" + new_isbn[3:])
    screen.look_up()
    idle()
    assert screen.record_id is None and screen.title.text() == ""
    assert "Chưa có" in screen.source.text()
    screen.title.setText("Kỹ thuật nuôi cá tra")
    screen.authors.setText("Nguyễn Văn Tư, Phạm Thị Lan")
    screen.year.setText("2024")
    screen.ddc.setText("639.3")
    screen.save_record()
    idle()
    assert screen.record_id is not None
    record = lib.catalogue.get_record(screen.record_id)
    assert record["isbn13"] == new_isbn
    assert record["authors"] == ["Nguyễn Văn Tư", "Phạm Thị Lan"]
    screen.barcode.setText("PT009001")
    screen.item_type.setCurrentIndex(screen.item_type.findData("book"))
    screen.location.setCurrentText("Kho mở")
    screen.call_number.setText("639.3 NG-T")
    screen.price.setText("45000")
    screen.add_item()
    idle()
    item = lib.catalogue.item_by_barcode("PT009001")
    assert (item["location"], item["call_number"], item["price"]) == ("Kho mở", "639.3 NG-T", 45000)
    assert screen.items_table.rowCount() == 1
    hits = lib.search.search("ky thuat nuoi ca tra")
    assert hits and hits[0].title == "Kỹ thuật nuôi cá tra" and hits[0].total == 1
    shoot(screen, "cataloguing_new")


def _write_mrc(path, count: int, broken: bool = True) -> None:
    with open(path, "wb") as fh:
        writer = MARCWriter(fh)
        for n in range(count):
            writer.write(to_marc({
                "id": f"rec{n}", "title": f"Sổ tay trồng lúa tập {n + 1}",
                "authors": ["Trần Văn Hai"], "publisher": "Nông nghiệp", "year": 2021,
                "ddc": "633.18", "isbn13": isbnlib.complete_isbn13(f"978604{n:06d}"),
            }, [{"barcode": f"MRC{n:04d}", "location": "Kho mở", "item_type": "book"}]))
        writer.close(close_fh=False)
        if broken:
            fh.write(b"00026nam a2200000 a 4500\x1e\x1d")


def test_marc_import_progress_reaches_100_and_summary_is_shown(qtbot, ctx, lib, tmp_path, idle,
                                                               shoot):
    path = tmp_path / "sach moi.mrc"
    _write_mrc(path, 45)
    screen = ImportScreen(ctx)
    qtbot.addWidget(screen)
    seen: list[tuple[int, int]] = []
    screen.relay.progressed.connect(lambda done, total: seen.append((done, total)))
    screen.batch_size = 10
    screen.start_import(path)
    assert not screen.choose_button.isEnabled()
    idle(15000)
    assert lib.catalogue.count() == 45
    assert len(seen) >= 4
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    done, total = seen[-1]
    assert total > 0 and done == total
    assert screen.progress.value() == screen.progress.maximum() == total
    assert "Đã nhập 45 đầu sách mới" in screen.summary.text()
    assert screen.report is not None
    assert screen.details.toPlainText() == "\n".join(screen.report.details_vi())
    assert screen.details.toPlainText().startswith("Bản ghi 46 (vị trí byte ")
    shoot(screen, "import_done")


def test_import_of_unreadable_file_shows_the_vietnamese_reason(qtbot, ctx, tmp_path, idle):
    path = tmp_path / "rong.mrc"
    path.write_bytes(b"")
    screen = ImportScreen(ctx)
    qtbot.addWidget(screen)
    screen.start_import(path)
    idle()
    assert "trống" in screen.message.text()
    assert screen.choose_button.isEnabled()
