"""The OPAC over real HTTP: "Bạn đọc mượn cuốn này cũng mượn…" on a work page from the
union's circulation (privacy floor included), and the shelf browser by Dewey class."""

from __future__ import annotations

import time

import httpx

from district.union import UnionCatalogue
from tests.borrowing_data import co_borrowing_library

RELATED = "Bạn đọc mượn cuốn này cũng mượn…"


def get(served, path, **params):
    return httpx.get(served.url + path, params=params, timeout=10)


def _lent_at_phutho(served):
    net = served.network
    device = net.devices["TN-PHUTHO"]
    titles, cards = co_borrowing_library(device, prefix="OB")
    net.sync("TN-PHUTHO")
    union = UnionCatalogue(net.district)
    keys = {name: union.key_of_record(record_id) for name, (record_id, _) in titles.items()}
    return keys, [device.patrons.get(c) for c in cards]


def _page_once_built(served, path, text, seconds=10.0):
    """The model is rebuilt in the background after the first look: ask again until ready."""
    deadline = time.monotonic() + seconds
    while True:
        page = get(served, path)
        if text in page.text or time.monotonic() > deadline:
            return page
        time.sleep(0.1)


def test_a_work_page_shows_works_its_readers_also_borrowed_and_no_reader(served):
    keys, patrons = _lent_at_phutho(served)
    page = _page_once_built(served, f"/sach/{keys['ca_loc']}", RELATED)
    assert page.status_code == 200 and RELATED in page.text
    related = page.text.split(RELATED, 1)[1]
    assert f'href="/sach/{keys["ca_tra"]}"' in related and "Kỹ thuật nuôi cá tra" in related
    assert "Trồng lúa chất lượng cao" not in related  # four readers: under the floor
    for patron in patrons:
        assert patron["name"] not in page.text and patron["card_number"] not in page.text
    lua = get(served, f"/sach/{keys['lua']}")
    assert lua.status_code == 200 and RELATED not in lua.text


def test_the_home_page_leads_to_the_classes_and_a_division_lists_its_works(served):
    keys, _ = _lent_at_phutho(served)
    assert 'href="/browse"' in get(served, "/").text
    classes = get(served, "/browse")
    assert classes.status_code == 200
    assert "600 Công nghệ" in classes.text and "800 Văn học" in classes.text
    assert 'href="/browse/630"' in classes.text and "630 Nông nghiệp" in classes.text
    assert 'href="/browse/510"' not in classes.text  # nothing there: no link
    farming = get(served, "/browse/630")
    assert farming.status_code == 200 and "3 đầu sách" in farming.text
    text = farming.text
    assert text.index("Trồng lúa chất lượng cao") < text.index("Kỹ thuật nuôi cá lóc")
    assert "Còn 1 bản trên giá" in text
    literature = get(served, "/browse/890")
    assert "Dế Mèn phiêu lưu ký" in literature.text and "Truyện Kiều" in literature.text


def test_the_browser_refuses_what_is_not_a_division(served):
    for path in ("/browse/040", "/browse/8", "/browse/8%27%20OR%201=1", "/browse/6300"):
        assert get(served, path).status_code == 404
    assert get(served, "/browse/630", trang="-1").status_code == 200
    assert get(served, "/browse/630", trang="x" * 500).status_code == 200


def test_readers_of_two_libraries_together_pass_the_floor_that_neither_passes_alone(served):
    from kiosk.core.isbn import complete_isbn13
    from tests.borrowing_data import add_readers, lend

    net = served.network
    isbn = complete_isbn13("978604999001")
    fields = {"title": "Sổ tay trồng sen", "authors": ["Lê Văn Sen"], "year": 2021,
              "isbn13": isbn, "ddc": "635.9"}
    for code, readers, prefix in (("TN-PHUTHO", 3, "SP"), ("TN-TRAMCHIM", 2, "ST")):
        device = net.devices[code]
        sen = device.catalogue.add_record(fields)
        device.catalogue.add_item(sen, f"{prefix}000001")
        de_men = net.records[f"de_men@{code}"]
        barcode = device.catalogue.items_of(de_men)[0]["barcode"]
        for card in add_readers(device, readers, start=10):
            lend(device, card, [f"{prefix}000001", barcode])
        net.sync(code)
    page = _page_once_built(served, f"/sach/i{isbn}", RELATED)
    assert RELATED in page.text
    assert "Dế Mèn phiêu lưu ký" in page.text.split(RELATED, 1)[1]
