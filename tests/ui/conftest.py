"""The kiosk window on the offscreen platform, over a real library and a fake network printer."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest

from hardware.printing.fake import FakeNetworkPrinter
from hardware.printing.printer import ReceiptPrinter
from hardware.printing.queue import PrintQueue
from hardware.printing.uri import connection_from_uri

OTHER_CARD_NAME = "Trần Văn Bình"


@pytest.fixture
def printer():
    fake = FakeNetworkPrinter().start()
    yield fake
    fake.stop()


@pytest.fixture
def print_queue(tmp_path, printer):
    queue = PrintQueue(tmp_path / "print-queue.db",
                       ReceiptPrinter(lambda: connection_from_uri(printer.uri)), base_delay=0.05)
    queue.start()
    yield queue
    queue.stop()


@pytest.fixture
def stock(lib, book, patron):
    """Two titles (three copies) and a second patron who already has copy PT000002."""
    record_id, _copies = book
    second = lib.catalogue.add_record({"title": "Kỹ thuật trồng lúa", "authors": ["Lê Văn Tám"]})
    lib.catalogue.add_item(second, "PT000003")
    other = lib.patrons.add(OTHER_CARD_NAME, "adult", pin="1357")
    lib.circulation.checkout(other["card_number"], "PT000002")
    return {"record": record_id, "second": second, "patron": patron, "other": other}


@pytest.fixture
def runtime_defaults():
    """Patron-screen tests run the window as the demo does."""
    return {"demo": True}
