"""A loan slip travels through a real loopback socket and is read back from the raster bytes."""

import datetime as dt
import math
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from hardware.barcode import decode
from hardware.printing.uri import connection_from_uri
from hardware.printing.commands import MAX_BAND_ROWS, image_to_bits
from hardware.printing.fake import FakeNetworkPrinter
from hardware.printing.printer import ReceiptPrinter
from hardware.printing.render import PAPER_DOTS
from hardware.printing.slips import LoanSlip, MaskedPatron, PatronCardSlip, SlipItem
from hardware.printing.status import PrinterStatus
from hardware.printing.stream import parse, raster_images

FULL_CARD = "0123456789012"
TRANSACTION = "L-20261207-0042"


def loan_slip() -> LoanSlip:
    return LoanSlip(
        library_name="Thư viện xã Tân Phú",
        patron=MaskedPatron.from_card(FULL_CARD, "Nguyễn Thị Lan"),
        items=(
            SlipItem("Dế Mèn phiêu lưu ký", "30000123", dt.date(2026, 12, 7)),
            SlipItem("Truyện Kiều", "30000456", dt.date(2026, 12, 8)),
            SlipItem("Số đỏ", "30000789", dt.date(2026, 12, 9)),
        ),
        transaction_id=TRANSACTION,
        printed_at=dt.datetime(2026, 11, 23, 14, 5),
    )


def print_over_tcp(paper_mm: int) -> tuple[ReceiptPrinter, bytes]:
    with FakeNetworkPrinter() as fake:
        printer = ReceiptPrinter(lambda: connection_from_uri(fake.uri), paper_mm)
        assert printer.print_slip(loan_slip()) is PrinterStatus.OK
        assert fake.model.wait_for_cuts(1, timeout=5.0)
        return printer, fake.model.printed


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_loan_slip_barcode_read_back_from_captured_raster_is_the_transaction_id(paper_mm):
    printer, captured = print_over_tcp(paper_mm)

    images = raster_images(captured)

    assert len(images) == 1
    image = images[0]
    assert image.shape[1] == PAPER_DOTS[paper_mm]
    codes = decode(image)
    assert [(code.text, code.format) for code in codes] == [(TRANSACTION, "CODE128")]
    expected = image_to_bits(printer.render(loan_slip()))
    assert np.array_equal(image == 0, expected)


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_captured_job_is_init_bands_of_at_most_255_rows_feed_and_cut(paper_mm):
    _printer, captured = print_over_tcp(paper_mm)

    commands = parse(captured)
    names = [command.name for command in commands]
    height = raster_images(captured)[0].shape[0]

    assert names[0] == "init"
    assert names[-2:] == ["feed", "cut"]
    bands = [command for command in commands if command.name == "raster"]
    assert names[1 : 1 + len(bands)] == ["raster"] * len(bands)
    assert len(bands) == math.ceil(height / MAX_BAND_ROWS)
    assert all(band.args[2] <= MAX_BAND_ROWS for band in bands)
    assert {band.args[1] for band in bands} == {PAPER_DOTS[paper_mm] // 8}


def test_printed_slip_is_legible_vietnamese_with_only_the_masked_card_number(tmp_path):
    tesseract = shutil.which("tesseract")
    assert tesseract, "install Debian packages tesseract-ocr and tesseract-ocr-vie"
    _printer, captured = print_over_tcp(58)
    picture = tmp_path / "slip.png"
    Image.fromarray(raster_images(captured)[0]).save(picture)

    text = subprocess.run(
        [tesseract, str(picture), "stdout", "-l", "vie", "--psm", "4"],  # lines of mixed sizes
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout

    assert "PHIẾU MƯỢN SÁCH" in text
    assert "Tổng số: 3 cuốn" in text
    assert "Hạn trả: Thứ Hai" in text and "07/12/2026" in text  # the due date, printed largest
    assert "9012" in text
    assert FULL_CARD not in text.replace(" ", "")
    assert "Nguyễn Thị Lan" not in text
    assert "N.T. Lan" in text


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_patron_card_slip_carries_the_card_number_as_code128_and_qr(paper_mm):
    card = PatronCardSlip("Thư viện xã Tân Phú", FULL_CARD, "Nguyễn Thị Lan", dt.date(2027, 12, 31))
    with FakeNetworkPrinter() as fake:
        printer = ReceiptPrinter(lambda: connection_from_uri(fake.uri), paper_mm)
        printer.print_slip(card)
        assert fake.model.wait_for_cuts(1, timeout=5.0)
        image = raster_images(fake.model.printed)[0]

    found = sorted((code.format, code.text) for code in decode(image))

    assert found == [("CODE128", FULL_CARD), ("QR", FULL_CARD)]
