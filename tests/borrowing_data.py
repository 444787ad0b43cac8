"""A small library whose loans make exactly known co-borrowing pairs (tests of
"readers also borrowed" on the core, the kiosk and the OPAC)."""

from __future__ import annotations

TITLES = {
    "ca_loc": ("Kỹ thuật nuôi cá lóc", "639.3"),
    "ca_tra": ("Kỹ thuật nuôi cá tra", "639.3"),
    "lua": ("Trồng lúa chất lượng cao", "633.18"),
    "kieu": ("Truyện Kiều", "895.9221"),
    "so_do": ("Số đỏ", "895.9223"),
    "luat": ("Tìm hiểu Luật Đất đai", "346.597043"),
}


def add_titles(lib, prefix: str = "RB") -> dict[str, tuple[str, str]]:
    """Each title with one copy: {key: (record_id, barcode)}."""
    made = {}
    for n, (key, (title, ddc)) in enumerate(TITLES.items(), start=1):
        record_id = lib.catalogue.add_record({"title": title, "authors": ["Nhiều tác giả"],
                                              "ddc": ddc, "year": 2020})
        barcode = f"{prefix}{n:06d}"
        lib.catalogue.add_item(record_id, barcode, call_number=f"{ddc} NHI")
        made[key] = (record_id, barcode)
    return made


def add_readers(lib, count: int, start: int = 1) -> list[str]:
    cards = []
    for n in range(start, start + count):
        patron = lib.patrons.add(f"Bạn đọc Số {n}", "adult", birth_year=1980,
                                 commune="Phú Thọ")
        cards.append(patron["card_number"])
    return cards


def lend(lib, card: str, barcodes: list[str]) -> None:
    """The patron borrows each copy and brings it back."""
    for barcode in barcodes:
        lib.circulation.checkout(card, barcode)
        lib.circulation.checkin(barcode)


def co_borrowing_library(lib, prefix: str = "RB") -> tuple[dict, list[str]]:
    """Five readers borrowed cá lóc and cá tra (a pair over the floor); four of them also
    borrowed lúa (pairs of four: under it); a sixth reader borrowed cá lóc alone."""
    titles = add_titles(lib, prefix)
    cards = add_readers(lib, 6)
    for n, card in enumerate(cards[:5]):
        borrowed = ["ca_loc", "ca_tra"] + (["lua"] if n < 4 else [])
        lend(lib, card, [titles[k][1] for k in borrowed])
    lend(lib, cards[5], [titles["ca_loc"][1]])
    return titles, cards
