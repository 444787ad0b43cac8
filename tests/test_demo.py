"""The demo library: Vietnamese catalogue, Tam Nông patrons, a genuine loan history."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.isbn import is_valid_ean13
from kiosk.demo import DEMO_PIN, build_demo
from kiosk.demo_data import COMMUNES

END = "2026-06-01T08:00:00"


def _build(path, seed=7):
    clock = FixedClock(END)
    lib = open_library(path, clock)
    summary = build_demo(lib, books=300, patrons=60, seed=seed, history_days=75)
    return lib, clock, summary


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("demo") / "demo.db")


def titles_and_cards(lib):
    titles = [r[0] for r in lib.store.all("SELECT title FROM records ORDER BY rid")]
    cards = [r[0] for r in lib.store.all("SELECT card_number FROM patrons ORDER BY card_number")]
    barcodes = [r[0] for r in lib.store.all("SELECT barcode FROM items ORDER BY barcode")]
    return titles, cards, barcodes


def test_catalogue_should_hold_the_requested_titles_with_valid_isbns_and_copies(demo):
    lib, _, summary = demo
    assert summary["records"] == lib.catalogue.count() == 300
    isbns = [r[0] for r in lib.store.all("SELECT isbn13 FROM records WHERE isbn13 IS NOT NULL")]
    assert len(isbns) == 300 and len(set(isbns)) == 300
    assert all(code.startswith("978604") and is_valid_ean13(code) for code in isbns)
    copies = [r[0] for r in lib.store.all("SELECT COUNT(*) FROM items GROUP BY record_id")]
    assert min(copies) >= 1 and max(copies) <= 3


@pytest.mark.parametrize("query, title", [
    ("dế mèn", "Dế Mèn phiêu lưu ký"),
    ("de men", "Dế Mèn phiêu lưu ký"),
    ("Truyện Kiều", "Truyện Kiều"),
    ("truyen kieu", "Truyện Kiều"),
    ("lua chat luong", "Trồng lúa chất lượng cao ở Đồng bằng sông Cửu Long"),
    ("tam nong", "Lịch sử Đảng bộ huyện Tam Nông"),
    ("seu dau do", "Sếu đầu đỏ"),
])
def test_vietnamese_titles_should_be_found_with_and_without_diacritics(demo, query, title):
    lib, _, _ = demo
    assert title in [hit.title for hit in lib.search.search(query, limit=10)]


def test_generated_titles_should_be_vietnamese_and_classified_by_subject(demo):
    lib, _, _ = demo
    rows = lib.store.all("SELECT title, ddc FROM records WHERE title LIKE 'Kỹ thuật nuôi%'")
    assert rows and all(r["ddc"].startswith("63") for r in rows)


def test_patrons_should_come_from_tam_nong_communes_in_every_category(demo):
    lib, _, summary = demo
    rows = lib.store.all("SELECT name, category, commune FROM patrons")
    assert len(rows) == summary["patrons"] == 60
    assert {r["commune"] for r in rows} <= set(COMMUNES)
    assert {r["category"] for r in rows} == {"adult", "student", "child", "elderly", "disabled"}
    assert all(len(r["name"].split()) >= 3 for r in rows)


def test_demo_pin_should_open_the_documented_cards_and_one_card_should_be_expired(demo):
    lib, clock, summary = demo
    assert summary["pin_cards"]
    for card in summary["pin_cards"]:
        assert lib.patrons.authenticate(card, DEMO_PIN)["card_number"] == card
    expired = lib.patrons.get(summary["expired_card"])
    assert dt.date.fromisoformat(expired["expires_on"]) < clock.today()
    assert [e.code for e in lib.circulation.check_patron(summary["expired_card"])] == ["card_expired"]


def test_history_should_show_in_the_monthly_statistics(demo):
    lib, _, _ = demo
    for month in ("2026-04", "2026-05"):
        counts = lib.stats.period(month)
        assert counts["loans"] > 0 and counts["returns"] > 0 and counts["visits"] > 0
    assert sum(lib.stats.period(m)["renewals"] for m in ("2026-03", "2026-04", "2026-05")) > 0
    assert lib.stats.period("2026-06")["loans"] == 0


def test_history_should_leave_overdue_loans_a_trapped_hold_and_both_requests(demo):
    lib, clock, summary = demo
    assert clock.now().isoformat().startswith("2026-06-01T08:00")
    overdue = lib.circulation.overdue()
    assert overdue and summary["overdue_loans"] == len(overdue)
    shelf = lib.holds.shelf()
    assert shelf and all(h["pickup_expires"] >= clock.today().isoformat() for h in shelf)
    assert {r["kind"] for r in lib.requests.list()} == {"postal", "copy"}
    assert lib.store.scalar("SELECT COUNT(*) FROM conflicts") == 0


def test_same_seed_should_give_the_same_library_and_another_seed_a_different_one(demo, tmp_path):
    lib, _, _ = demo
    again, _, _ = _build(tmp_path / "again.db")
    assert titles_and_cards(again) == titles_and_cards(lib)
    assert again.stats.period("2026-05") == lib.stats.period("2026-05")
    other, _, _ = _build(tmp_path / "other.db", seed=8)
    assert titles_and_cards(other)[0] != titles_and_cards(lib)[0]


def test_the_demo_database_has_the_documented_staff_pin_and_a_locked_technician_area(demo):
    from kiosk.core import staff
    from kiosk.demo import DEMO_STAFF_PIN

    lib, _, summary = demo
    assert summary["demo_staff_pin"] == DEMO_STAFF_PIN
    assert staff.verify(lib.store, staff.STAFF, DEMO_STAFF_PIN)
    assert not staff.verify(lib.store, staff.STAFF, "0000")
    assert not staff.has_pin(lib.store, staff.TECHNICIAN)


def test_a_real_librarys_database_gets_no_pin_from_the_demo(tmp_path):
    from kiosk.core import staff
    from kiosk.core.node import init_library
    from kiosk.demo import ensure_demo_staff_pin

    clock = FixedClock(END)
    lib = open_library(tmp_path / "real.db", clock)
    init_library(lib, "TN-PHUTHO", "Thư viện xã Phú Thọ")
    summary = build_demo(lib, books=40, patrons=30, history_days=3)
    assert summary["demo_staff_pin"] is None and not ensure_demo_staff_pin(lib)
    assert not any(staff.has_pin(lib.store, area) for area in staff.AREAS)
    lib.store.close()


def test_loans_follow_age_groups_and_interests_so_co_borrowing_has_something_to_find(demo):
    lib, _, _ = demo
    rows = lib.store.all(
        "SELECT p.category, i.item_type, json_extract(e.payload, '$.patron_id') AS patron, "
        "r.subjects FROM events e JOIN items i ON i.id = json_extract(e.payload, '$.item_id') "
        "JOIN records r ON r.id = i.record_id "
        "JOIN patrons p ON p.id = json_extract(e.payload, '$.patron_id') "
        "WHERE e.type = 'loan.checkout'")
    share = {}
    for category in ("child", "adult"):
        mine = [r for r in rows if r["category"] == category]
        share[category] = sum(r["item_type"] == "children" for r in mine) / len(mine)
    assert share["child"] > 0.85 and share["adult"] < 0.2  # random choice: 0.79
    by_patron = {}
    for r in rows:
        by_patron.setdefault(r["patron"], []).append(r["subjects"])
    regulars = [s for s in by_patron.values() if len(s) >= 5]
    top = [max(s.count(x) for x in s) / len(s) for s in regulars]
    assert regulars and sum(top) / len(top) > 0.38  # a favourite shelf; random choice: 0.32
