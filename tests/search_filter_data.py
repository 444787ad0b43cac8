"""A shelf of "Đồng Tháp" titles for the search filter tests (core and screens): subjects of
different frequencies, years over five decades (some unknown), and copies on the shelf
here, on loan, on the hold shelf, lost, only in another library, or none at all."""

from __future__ import annotations

from kiosk.core.policy import Rule

TITLES = 36
OTHER_LIBRARY = "TN-KHAC"


def subjects_of(n: int) -> list[str]:
    main = ("Lịch sử địa phương" if n % 6 < 3 else "Thủy sản" if n % 6 < 5
            else "Văn học thiếu nhi")
    return [main] + (["Đồng Tháp"] if n % 4 == 0 else [])


def year_of(n: int) -> int | None:
    return None if n % 9 == 8 else 1985 + n


def dong_thap_shelf(lib) -> list[dict]:
    """Add the shelf; returns what each title is (title, id, subjects, year, available)."""
    lib.policy.set_rule("adult", "*", Rule(14, 50, 2))
    lib.policy.set_rule("adult", "book", Rule(14, 50, 2))
    reader = lib.patrons.add("Phạm Thị Lan", "adult")
    waiting = lib.patrons.add("Võ Văn Kiệt", "adult")
    shelf = []
    for n in range(TITLES):
        fields = {"title": f"Đồng Tháp xưa và nay, tập {n + 1}", "authors": ["Nguyễn Văn Ba"],
                  "subjects": subjects_of(n)}
        if year_of(n) is not None:
            fields["year"] = year_of(n)
        record = lib.catalogue.add_record(fields)
        kind = n % 5
        barcode = f"DT{n:04d}"
        if kind == 1:
            lib.catalogue.add_item(record, barcode)
        elif kind == 2:
            lib.catalogue.add_item(record, barcode)
            lib.circulation.checkout(reader["card_number"], barcode)
        elif kind == 3:
            lib.catalogue.add_item(record, barcode, library_id=OTHER_LIBRARY)
        elif kind == 4 and n == 4:
            lib.catalogue.add_item(record, barcode)
            lib.circulation.checkout(reader["card_number"], barcode)
            lib.holds.place(waiting["card_number"], record)
            lib.circulation.checkin(barcode)            # now on the hold shelf for Võ Văn Kiệt
        elif kind == 4:
            lib.catalogue.add_item(record, barcode, status="lost")
        shelf.append({"title": fields["title"], "id": record, "subjects": fields["subjects"],
                      "year": fields.get("year"), "available": kind == 1})
    for n in range(3):
        other = lib.catalogue.add_record({"title": f"Kỹ thuật nuôi cá tra {n + 1}",
                                          "subjects": ["Thủy sản"], "year": 2015})
        lib.catalogue.add_item(other, f"CT{n:04d}")
    return shelf
