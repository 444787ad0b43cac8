"""The document viewer pages through a real PDF rendered by poppler's pdftoppm."""

from __future__ import annotations

import shutil

from PIL import Image, ImageDraw, ImageFont
from ui_helpers import click

from kiosk.ui.patron.pdf_pages import find_tools, page_count

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def three_page_pdf(path):
    """A 3-page PDF whose pages carry their number in large type, each in a different place."""
    font = ImageFont.truetype(DEJAVU, 260)
    pages = []
    for number in (1, 2, 3):
        page = Image.new("RGB", (620, 877), "white")
        ImageDraw.Draw(page).text((60 + 120 * (number - 1), 200), str(number), fill="black", font=font)
        pages.append(page)
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=72)
    return path


def test_pdfinfo_output_gives_the_page_count():
    assert page_count("Title:   x\nPages:          12\nEncrypted: no\n") == 12
    assert page_count("Syntax Error: not a PDF\n") is None


def test_poppler_is_found_beside_pdftoppm_and_a_missing_binary_finds_nothing(tmp_path):
    pdftoppm, pdfinfo = find_tools()
    assert pdftoppm == shutil.which("pdftoppm") and pdfinfo == shutil.which("pdfinfo")
    assert find_tools(str(tmp_path / "pdftoppm")) == (None, None)


def test_a_pdf_pages_forward_and_back_with_each_page_rendered_once(
        qtbot, make_runtime, lib, stock, tmp_path):
    pdf = three_page_pdf(tmp_path / "dia-chi-tam-nong.pdf")
    lib.catalogue.add_attachment(stock["record"], str(pdf), "pdf", "Địa chí Tam Nông")
    cache = tmp_path / "cache"
    shell = make_runtime(settings={"idle_seconds": 60, "viewer_cache": str(cache)}).shell
    shell.go("record", record_id=stock["record"])
    record = shell.screens["record"]
    qtbot.waitUntil(lambda: record.view_button.isVisible(), timeout=3000)
    click(qtbot, record.view_button)
    viewer = shell.screens["viewer"]
    assert shell.current == "viewer"

    def shown():
        pixmap = viewer.document_pixmap
        if pixmap is None:
            return None
        assert not viewer.page.pixmap().isNull()
        return pixmap.toImage()

    qtbot.waitUntil(lambda: shown() is not None, timeout=10000)
    assert viewer.caption.text() == "Địa chí Tam Nông (1/1) — trang 1/3"
    assert not viewer.prev_button.isEnabled() and viewer.next_button.isEnabled()
    first = shown()

    click(qtbot, viewer.next_button)
    assert viewer.caption.text() == "Địa chí Tam Nông (1/1) — trang 2/3"
    qtbot.waitUntil(lambda: shown() is not None, timeout=10000)
    second = shown()
    assert second != first
    assert not viewer.message.isVisible()

    click(qtbot, viewer.next_button)
    qtbot.waitUntil(lambda: shown() is not None, timeout=10000)
    assert viewer.caption.text().endswith("trang 3/3")
    assert shown() not in (first, second)
    assert not viewer.next_button.isEnabled()

    rendered = sorted(p.name for p in cache.rglob("*.png"))
    assert rendered == ["page-1.png", "page-2.png", "page-3.png"]
    click(qtbot, viewer.prev_button)
    assert viewer.caption.text().endswith("trang 2/3")
    assert shown() == second, "a cached page shows at once, without a new render"
    files = sorted(p.name for p in cache.rglob("*") if p.is_file())
    assert files == ["page-1.png", "page-2.png", "page-3.png"], "no partial render is left behind"


def test_a_file_that_is_not_a_pdf_says_it_cannot_be_opened(qtbot, make_runtime, lib, stock, tmp_path):
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"not a pdf at all")
    lib.catalogue.add_attachment(stock["record"], str(broken), "pdf", "Hỏng")
    shell = make_runtime().shell
    viewer = shell.screens["viewer"]
    shell.go("viewer", attachments=lib.catalogue.attachments_of(stock["record"]), title="x",
             record_id=stock["record"])
    qtbot.waitUntil(lambda: viewer.message.text() == "Không mở được tài liệu này.", timeout=10000)
    assert viewer.message.property("state") == "error"
    assert viewer.page.pixmap().isNull()
