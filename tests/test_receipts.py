"""Real circulation, printed through the persistent queue to a fake network printer."""

import json
import sqlite3

from hardware.barcode import decode
from hardware.printing.fake import FakeNetworkPrinter
from hardware.printing.printer import ReceiptPrinter
from hardware.printing.queue import PrintQueue
from hardware.printing.stream import raster_images
from hardware.printing.uri import connection_from_uri
from kiosk import receipts


def test_a_loan_slip_carries_the_loans_and_a_scannable_transaction_id(lib, book, patron, tmp_path):
    loans = [lib.circulation.checkout(patron["card_number"], b) for b in ("PT000001", "PT000002")]
    slip = receipts.loan_slip(lib, patron["card_number"], loans)
    assert [(i.barcode, i.due.isoformat()) for i in slip.items] == [
        ("PT000001", "2026-12-04"), ("PT000002", "2026-12-04")]
    assert slip.patron.display_name == "N.T. Hoà"
    assert patron["card_number"] not in json.dumps(slip.patron.__dict__)

    with FakeNetworkPrinter() as fake:
        queue = PrintQueue(tmp_path / "queue.sqlite",
                           ReceiptPrinter(lambda: connection_from_uri(fake.uri), 58))
        queue.submit(slip)
        assert queue.retry_pending(force=True) == 1
        assert fake.model.wait_for_cuts(1, timeout=5.0)
        [image] = raster_images(fake.model.printed)
    [code] = decode(image)
    assert code.text == slip.transaction_id
    loan_prefix = code.text.split("-", 1)[1].lower()
    assert lib.store.scalar("SELECT COUNT(*) FROM loans WHERE id LIKE ?", (loan_prefix + "%",)) == 1
    queue_file = sqlite3.connect(tmp_path / "queue.sqlite")
    dump = "\n".join(queue_file.iterdump())
    assert patron["card_number"] not in dump


def test_an_anonymous_return_slip_tells_staff_to_shelve_a_trapped_copy(lib, book, patron):
    record_id, _ = book
    waiting = lib.patrons.add("Trần Văn An", "adult")
    lib.circulation.checkout(patron["card_number"], "PT000001")
    lib.circulation.checkout(patron["card_number"], "PT000002")
    lib.holds.place(waiting["card_number"], record_id)
    result = lib.circulation.checkin("PT000001")
    slip = receipts.return_slip(lib, [result])
    assert slip.patron is None
    [item] = slip.items
    assert item.held and item.hold_for is None   # whoever returned it may not learn who waits
    assert slip.transaction_id == "T-" + result.return_id[:12].upper()


def test_a_patron_card_slip_carries_the_full_card_number(lib, patron):
    slip = receipts.patron_card_slip(lib, patron["card_number"])
    assert slip.card_number == patron["card_number"]
    assert slip.library_name == "Thư viện xã Phú Thọ"
