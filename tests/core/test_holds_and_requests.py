import datetime as dt

import pytest

from kiosk.core.errors import LibraryError


@pytest.fixture
def three_patrons(lib):
    return [lib.patrons.add(name, "adult") for name in
            ("Trần Văn An", "Lê Thị Bé", "Phạm Văn Cường")]


def test_holds_queue_in_order_and_the_return_traps_the_copy_for_the_first(lib, book, patron, three_patrons):
    record_id, barcodes = book
    for barcode in barcodes:
        lib.circulation.checkout(patron["card_number"], barcode)
    a, b, c = three_patrons
    holds = [lib.holds.place(p["card_number"], record_id) for p in (a, b, c)]
    assert [h["position"] for h in holds] == [1, 2, 3]

    result = lib.circulation.checkin("PT000001")
    assert result.hold_shelf_for == "T. V. An"
    assert result.message.startswith("Đặt lên giá sách giữ chỗ cho: T. V. An")
    assert a["card_number"] not in result.message
    assert result.hold_pickup_expires == "2026-11-27"
    assert [h["position"] for h in lib.holds.of_patron(b["card_number"])] == [1]
    [on_shelf] = lib.holds.shelf()
    assert on_shelf["barcode"] == "PT000001" and on_shelf["name"] == "Trần Văn An"


def test_a_trapped_copy_goes_only_to_its_patron_and_fills_the_hold(lib, book, patron, three_patrons):
    record_id, barcodes = book
    for barcode in barcodes:
        lib.circulation.checkout(patron["card_number"], barcode)
    a, b, _ = three_patrons
    lib.holds.place(a["card_number"], record_id)
    lib.circulation.checkin("PT000001")
    with pytest.raises(LibraryError) as info:
        lib.circulation.checkout(b["card_number"], "PT000001")
    assert info.value.code == "item_on_hold_for_other"
    lib.circulation.checkout(a["card_number"], "PT000001")
    assert lib.holds.of_patron(a["card_number"]) == []
    assert lib.store.scalar("SELECT status FROM holds") == "filled"


def test_uncollected_holds_expire_and_pass_to_the_next_patron(lib, book, patron, three_patrons, clock):
    record_id, barcodes = book
    for barcode in barcodes:
        lib.circulation.checkout(patron["card_number"], barcode)
    a, b, _ = three_patrons
    lib.holds.place(a["card_number"], record_id)
    lib.holds.place(b["card_number"], record_id)
    lib.circulation.checkin("PT000001")
    clock.advance(days=8)
    [action] = lib.holds.expire()
    assert action["action"] == "Giữ lại trên giá cho: Lê Thị Bé"
    assert lib.holds.of_patron(a["card_number"]) == []
    assert lib.holds.of_patron(b["card_number"])[0]["status"] == "trapped"
    clock.advance(days=8)
    assert lib.holds.expire()[0]["action"] == "Đưa sách về giá"
    assert lib.circulation.checkout(a["card_number"], "PT000001")


def test_duplicate_holds_and_holds_on_titles_one_already_has_are_refused(lib, book, patron):
    record_id, _ = book
    lib.holds.place(patron["card_number"], record_id)
    with pytest.raises(LibraryError) as info:
        lib.holds.place(patron["card_number"], record_id)
    assert info.value.code == "hold_exists"
    other = lib.patrons.add("Lê Văn Tám", "adult")
    lib.circulation.checkout(other["card_number"], "PT000002")
    with pytest.raises(LibraryError) as info:
        lib.holds.place(other["card_number"], record_id)
    assert info.value.code == "hold_has_copy"


def test_cancelling_a_trapped_hold_releases_the_copy(lib, book, patron):
    record_id, barcodes = book
    other = lib.patrons.add("Lê Văn Tám", "adult")
    for barcode in barcodes:
        lib.circulation.checkout(other["card_number"], barcode)
    hold = lib.holds.place(patron["card_number"], record_id)
    lib.circulation.checkin("PT000001")
    lib.holds.cancel(hold["id"], patron["card_number"])
    assert lib.holds.shelf() == []
    assert lib.circulation.checkout(other["card_number"], "PT000001")


def test_postal_and_remote_copy_requests_move_through_their_statuses(lib, book, patron):
    record_id, _ = book
    postal = lib.requests.create("postal", patron["card_number"], record_id,
                                 {"address": "Ấp 3, xã Phú Thọ, huyện Tam Nông"})
    assert postal["status_label"] == "Mới gửi" and postal["kind_label"] == "Gửi sách qua bưu điện"
    copy = lib.requests.create("copy", patron["card_number"], record_id, {"pages": "12-15"})
    lib.requests.set_status(postal["id"], "sent")
    statuses = {r["kind"]: r["status"] for r in lib.requests.list(patron["card_number"])}
    assert statuses == {"postal": "sent", "copy": "new"}
    with pytest.raises(LibraryError) as info:
        lib.requests.create("postal", patron["card_number"], record_id, {})
    assert "địa chỉ" in info.value.message
    assert copy["title"] == "Dế Mèn phiêu lưu ký"


def test_monthly_statistics_count_what_happened(lib, book, patron, clock):
    record_id, _ = book
    other = lib.patrons.add("Lê Văn Tám", "child", birth_year=2015)
    lib.circulation.record_visit(patron["card_number"])
    lib.circulation.record_visit()
    lib.circulation.checkout(patron["card_number"], "PT000001")
    lib.circulation.checkout(other["card_number"], "PT000002")
    lib.circulation.renew(patron["card_number"], "PT000001")
    clock.set(dt.datetime(2026, 12, 2, 10))
    lib.circulation.checkin("PT000001")
    nov = lib.stats.period("2026-11")
    assert (nov["loans"], nov["renewals"], nov["returns"], nov["visits"]) == (2, 1, 0, 2)
    assert nov["active_patrons"] == 2 and nov["new_patrons"] == 2 and nov["acquisitions"] == 2
    dec = lib.stats.period("2026-12")
    assert (dec["loans"], dec["returns"], dec["new_patrons"]) == (0, 1, 0)
    assert lib.stats.period("2026")["loans"] == 2
    assert lib.stats.collection_by_ddc() == [
        {"class": "8", "label": "Văn học", "titles": 1, "items": 2}]
    assert lib.stats.loans_by_ddc("2026-11") == [{"class": "8", "label": "Văn học", "loans": 2}]
