import datetime as dt
import json

import pytest

from kiosk.core.errors import LibraryError
from kiosk.core.policy import Rule


def refusal(call, *args, **kwargs) -> LibraryError:
    with pytest.raises(LibraryError) as info:
        call(*args, **kwargs)
    return info.value


def test_checkout_gives_the_due_date_from_the_category_policy(lib, book, patron):
    result = lib.circulation.checkout(patron["card_number"], "PT000001")
    assert result.title == "Dế Mèn phiêu lưu ký"
    assert result.due_date == dt.date(2026, 12, 4)  # adult book: 14 days
    assert result.card_masked.endswith(patron["card_number"][-4:])
    assert patron["card_number"] not in result.card_masked
    [loan] = lib.circulation.loans(patron["card_number"])
    assert loan["barcode"] == "PT000001" and loan["due_date"] == "2026-12-04"


def test_elderly_patrons_get_the_longer_loan_period(lib, book):
    grandpa = lib.patrons.add("Võ Văn Ba", "elderly", birth_year=1950)
    assert lib.circulation.checkout(grandpa["card_number"], "PT000001").due_date == dt.date(2026, 12, 11)


def test_due_date_never_falls_on_a_closed_day(lib, book, patron):
    lib.policy.close_day(dt.date(2026, 12, 4), "Kiểm kê kho")
    lib.policy.update_settings(closed_weekdays=[5, 6])  # closed on weekends
    assert lib.circulation.checkout(patron["card_number"], "PT000001").due_date == dt.date(2026, 12, 7)


def test_national_day_is_a_closed_day(lib, book, patron, clock):
    clock.set(dt.datetime(2027, 8, 19, 9))
    lib.patrons.renew_card(patron["card_number"])
    assert lib.circulation.checkout(patron["card_number"], "PT000001").due_date == dt.date(2027, 9, 3)


def test_expired_card_is_refused_with_a_vietnamese_message(lib, book, clock):
    p = lib.patrons.add("Phạm Minh Tuấn", "student", expires_on=dt.date(2026, 11, 1))
    error = refusal(lib.circulation.checkout, p["card_number"], "PT000001")
    assert error.code == "card_expired"
    assert "hết hạn ngày 01/11/2026" in error.message
    assert lib.circulation.loans() == []


def test_staff_can_override_a_block_and_the_reason_is_kept_in_the_log(lib, book):
    p = lib.patrons.add("Phạm Minh Tuấn", "student", expires_on=dt.date(2026, 11, 1))
    result = lib.circulation.checkout(p["card_number"], "PT000001", override="Đã gia hạn thẻ giấy")
    assert result.overrides == ["card_expired"]
    payload = json.loads(lib.store.scalar(
        "SELECT payload FROM events WHERE type = 'loan.checkout'"))
    assert payload["override"] == {"codes": ["card_expired"], "reason": "Đã gia hạn thẻ giấy"}


def test_blocked_patron_is_refused(lib, book, patron):
    lib.patrons.update(patron["card_number"], blocked_reason="Làm mất sách chưa bồi thường")
    error = refusal(lib.circulation.checkout, patron["card_number"], "PT000001")
    assert error.code == "patron_blocked" and "Làm mất sách" in error.message


def test_maximum_loans_per_category(lib, patron):
    child = lib.patrons.add("Huỳnh Bé Na", "child", birth_year=2016)
    record = lib.catalogue.add_record({"title": "Truyện cổ tích Việt Nam"})
    for n in range(5):
        lib.catalogue.add_item(record, f"CT{n}", item_type="children")
    for n in range(3):
        lib.circulation.checkout(child["card_number"], f"CT{n}")
    error = refusal(lib.circulation.checkout, child["card_number"], "CT3")
    assert error.code == "max_loans" and "tối đa 3" in error.message


def test_periodicals_have_their_own_limit_and_period(lib, patron):
    lib.policy.set_rule("adult", "periodical", Rule(loan_days=3, max_loans=1, max_renewals=0))
    record = lib.catalogue.add_record({"title": "Báo Đồng Tháp"})
    lib.catalogue.add_item(record, "BAO1", item_type="periodical")
    lib.catalogue.add_item(record, "BAO2", item_type="periodical")
    assert lib.circulation.checkout(patron["card_number"], "BAO1").due_date == dt.date(2026, 11, 23)
    assert refusal(lib.circulation.checkout, patron["card_number"], "BAO2").code == "max_loans"


def test_reference_items_are_not_for_loan(lib, patron):
    record = lib.catalogue.add_record({"title": "Từ điển tiếng Việt"})
    lib.catalogue.add_item(record, "TD1", item_type="reference")
    error = refusal(lib.circulation.checkout, patron["card_number"], "TD1")
    assert error.code == "item_not_for_loan" and "đọc tại chỗ" in error.message


def test_lost_items_and_unknown_barcodes_are_refused(lib, book, patron):
    lib.catalogue.update_item("PT000002", status="lost")
    assert refusal(lib.circulation.checkout, patron["card_number"], "PT000002").code == "item_unavailable"
    error = refusal(lib.circulation.checkout, patron["card_number"], "GARBLED#!")
    assert error.code == "item_not_found" and "quét lại" in error.message


def test_an_item_on_loan_cannot_be_lent_again(lib, book, patron):
    other = lib.patrons.add("Lê Văn Tám", "adult")
    lib.circulation.checkout(patron["card_number"], "PT000001")
    assert refusal(lib.circulation.checkout, other["card_number"], "PT000001").code == "item_on_loan"
    assert refusal(lib.circulation.checkout, patron["card_number"], "PT000001").code == "already_on_loan_to_you"


def test_overdue_items_beyond_the_threshold_block_new_loans(lib, book, patron, clock):
    lib.circulation.checkout(patron["card_number"], "PT000001")
    clock.advance(days=14 + 11)
    error = refusal(lib.circulation.checkout, patron["card_number"], "PT000002")
    assert error.code == "overdue_block" and "quá hạn" in error.message
    lib.circulation.checkin("PT000001")
    assert lib.circulation.checkout(patron["card_number"], "PT000002")


def test_checkin_reports_days_overdue(lib, book, patron, clock):
    lib.circulation.checkout(patron["card_number"], "PT000001")
    clock.advance(days=17)
    result = lib.circulation.checkin("PT000001")
    assert result.days_overdue == 3 and "quá hạn 3 ngày" in result.message
    assert refusal(lib.circulation.checkin, "PT000001").code == "not_on_loan"


def test_renewal_extends_from_today_up_to_the_limit(lib, book, patron, clock):
    lib.circulation.checkout(patron["card_number"], "PT000001")
    clock.advance(days=10)
    assert lib.circulation.renew(patron["card_number"], "PT000001").due_date == dt.date(2026, 12, 14)
    clock.advance(days=10)
    second = lib.circulation.renew(patron["card_number"], "PT000001")
    assert second.renewals == 2
    error = refusal(lib.circulation.renew, patron["card_number"], "PT000001")
    assert error.code == "renewal_limit" and "tối đa 2 lần" in error.message


def test_renewal_is_refused_when_someone_waits_for_the_title(lib, book, patron):
    record_id, _ = book
    other = lib.patrons.add("Lê Văn Tám", "adult")
    lib.circulation.checkout(patron["card_number"], "PT000001")
    lib.circulation.checkout(patron["card_number"], "PT000002")
    lib.holds.place(other["card_number"], record_id)
    assert refusal(lib.circulation.renew, patron["card_number"], "PT000001").code == "renewal_on_hold"
    results = lib.circulation.renew_all(patron["card_number"])
    assert [r.code for r in results] == ["renewal_on_hold", "renewal_on_hold"]


def test_only_the_borrower_can_renew(lib, book, patron):
    other = lib.patrons.add("Lê Văn Tám", "adult")
    lib.circulation.checkout(patron["card_number"], "PT000001")
    assert refusal(lib.circulation.renew, other["card_number"], "PT000001").code == "not_your_loan"


def test_loans_are_derived_from_the_event_log_and_refold_identically(lib, book, patron, clock):
    record_id, _ = book
    other = lib.patrons.add("Lê Văn Tám", "adult")
    lib.circulation.checkout(patron["card_number"], "PT000001")
    lib.circulation.checkout(patron["card_number"], "PT000002")
    lib.holds.place(other["card_number"], record_id)
    clock.advance(days=3)
    lib.circulation.checkin("PT000002")
    before = (lib.store.all("SELECT * FROM loans ORDER BY id"),
              lib.store.all("SELECT * FROM holds ORDER BY id"))
    from kiosk.core.fold import rebuild_circulation
    rebuild_circulation(lib.store)
    after = (lib.store.all("SELECT * FROM loans ORDER BY id"),
             lib.store.all("SELECT * FROM holds ORDER BY id"))
    assert [list(map(tuple, t)) for t in before] == [list(map(tuple, t)) for t in after]
    assert len(after[0]) == 1 and after[1][0]["status"] == "trapped"
