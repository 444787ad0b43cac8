"""Copy cataloguing at the counter: an unknown ISBN found in the union catalogue (synced rows
on the device, or the hub over real HTTP), a call number suggested from the DDC class, spine
labels printed and read back, and an unsaved form that survives the staff timeout."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from hardware.barcode import decode
from hardware.printing.fake import FakeNetworkPrinter
from hardware.printing.printer import ReceiptPrinter
from hardware.printing.queue import PrintQueue
from hardware.printing.stream import raster_images
from hardware.printing.uri import connection_from_uri
from kiosk.app import open_library
from kiosk.core import provisioning
from kiosk.core.clock import FixedClock
from kiosk.core.isbn import complete_isbn13
from kiosk.core.node import init_library
from kiosk.ui.staff.cataloguing import CataloguingScreen
from sync import enrolment, replica
from sync.validate import event_to_wire, events_from_wire

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "district"))
from district_net import DE_MEN_ISBN, build_network, serve  # noqa: E402

CANH_DONG = "9786041234567"


def _shared_record_synced_from_the_hub(lib, tmp_path) -> None:
    """The hub writes a record into the shared partition; the device pulls it as sync does."""
    hub = open_library(tmp_path / "hub.db", FixedClock("2026-11-20T09:00:00"))
    try:
        init_library(hub, "TAMNONG", "Phòng Văn hóa huyện Tam Nông", kind="district")
        hub.store.set_meta("role", enrolment.DISTRICT_ROLE)
        now = hub.now_iso()
        hub.put("records", "union-canh-dong", {
            "title": "Cánh đồng bất tận", "authors": ["Nguyễn Ngọc Tư"], "publisher": "Trẻ",
            "year": 2005, "isbn13": CANH_DONG, "ddc": "895.92234", "subjects": ["Truyện ngắn"],
            "created_at": now, "updated_at": now}, library_id=replica.EVERYWHERE)
        scope = {lib.code, replica.EVERYWHERE}
        events, _more = replica.events_since(hub.store, replica.vector(lib.store), scope)
        wire = events_from_wire(json.loads(json.dumps([event_to_wire(e) for e in events])))
        assert replica.apply_batch(lib, wire, allowed=scope).applied == len(events)
    finally:
        hub.store.close()


def _form(qtbot, ctx, idle):
    form = CataloguingScreen(ctx)
    qtbot.addWidget(form)
    form.show()
    idle()
    return form


def test_an_isbn_from_the_union_rows_on_the_device_prefills_a_new_record_with_a_call_number(
        qtbot, ctx, lib, idle, tmp_path):
    _shared_record_synced_from_the_hub(lib, tmp_path)
    form = _form(qtbot, ctx, idle)
    form.show_scan("978-604-1-23456-7")
    idle()
    assert form.title.text() == "Cánh đồng bất tận"
    assert form.authors.text() == "Nguyễn Ngọc Tư" and form.ddc.text() == "895.92234"
    assert "mục lục liên hợp đã đồng bộ về máy này" in form.source.text()
    assert form.record_id is None and form.save_button.text() == "Lưu đầu sách"
    assert form.call_number.text() == "895.9223 TU"
    form.save_record()
    idle()
    assert form.record_id not in (None, "union-canh-dong")
    assert lib.catalogue.get_record(form.record_id)["library_id"] == lib.code
    form.barcode.setText("PT000777")
    form.add_item()
    idle()
    item = lib.catalogue.items_of(form.record_id)[0]
    assert (item["barcode"], item["call_number"]) == ("PT000777", "895.9223 TU")


def test_the_hub_answers_an_isbn_the_device_does_not_know_over_http(qtbot, ctx, lib, idle,
                                                                    tmp_path):
    network = build_network(tmp_path / "district", FixedClock("2026-11-20T09:00:00"))
    try:
        with serve(network, tmp_path / "docs") as hub:
            provisioning.save(lib.store, hub.url, "")
            form = _form(qtbot, ctx, idle)
            form.isbn.setText(DE_MEN_ISBN)
            form.look_up()
            qtbot.waitUntil(lambda: form.title.text() == "Dế Mèn phiêu lưu ký", timeout=5000)
    finally:
        for library in (network.district, *network.devices.values()):
            library.store.close()
    assert "mục lục liên hợp của máy chủ tỉnh" in form.source.text()
    assert "Thư viện xã Phú Thọ" in form.source.text()
    assert form.authors.text() == "Tô Hoài" and form.publisher.text() == "Kim Đồng"
    assert form.call_number.text() == "895.9223 HOA"

    form.isbn.setText(CANH_DONG)
    form.look_up()
    qtbot.waitUntil(lambda: "Máy chủ tỉnh không trả lời" in form.source.text(), timeout=8000)
    assert "Chưa có trong thư viện và mục lục liên hợp" in form.source.text()
    assert form.title.text() == "" and form.isbn.text() == CANH_DONG


@pytest.fixture
def printing(tmp_path, ctx):
    with FakeNetworkPrinter() as printer:
        queue = PrintQueue(tmp_path / "print.db",
                           ReceiptPrinter(lambda: connection_from_uri(printer.uri)),
                           base_delay=0.05)
        queue.start()
        ctx.print_queue = queue
        try:
            yield printer, queue
        finally:
            queue.stop()


def test_spine_labels_print_the_new_copies_barcodes_readable_from_the_paper(
        qtbot, ctx, lib, book, idle, printing):
    printer, queue = printing
    form = _form(qtbot, ctx, idle)
    assert form.print_labels_button.isVisible() and not form.print_labels_button.isEnabled()
    form.show_scan(complete_isbn13("978604212345"))
    idle()
    assert form.record_id == book[0]
    assert form.call_number.text() == "895.9223 HOA"
    for code in ("PT000101", "PT000102"):
        form.show_scan(code)
        idle()
    assert form.print_labels_button.text() == "In nhãn gáy (2 bản vừa thêm)"
    form.print_labels_button.click()
    idle()
    assert "Đã gửi 2 nhãn gáy ra máy in" in form.message.text()
    assert printer.model.wait_for_cuts(2, timeout=10), "the labels never printed"
    assert [job.kind for job in queue.jobs()] == ["spine_label", "spine_label"]
    images = raster_images(printer.model.printed)
    assert [[code.text for code in decode(image)] for image in images] == [["PT000101"],
                                                                          ["PT000102"]]
    assert not form.print_labels_button.isEnabled()


def test_a_staff_session_outlives_the_patron_idle_time_and_keeps_an_unsaved_form(
        qtbot, make_runtime, unlock):
    runtime = make_runtime(settings={"idle_seconds": 0.3, "staff_idle_seconds": 3.0})
    shell = runtime.shell
    area = unlock(shell)
    form = area.inside.findChild(CataloguingScreen)
    area.tabs.setCurrentWidget(form)
    form.title.setText("Sổ tay nhà nông")
    qtbot.keyClicks(form.title, " 2026")
    form.ddc.setText("630")
    qtbot.wait(1000)
    assert area.unlocked and shell.current == "staff"
    qtbot.waitUntil(lambda: not area.unlocked, timeout=10000)
    assert shell.current == "attract"

    area = unlock(shell)
    form = area.inside.findChild(CataloguingScreen)
    assert form.title.text() == "Sổ tay nhà nông 2026" and form.ddc.text() == "630"
    assert form.call_number.text() == "630 SO"
    assert "chưa lưu đã được giữ lại" in form.source.text()
