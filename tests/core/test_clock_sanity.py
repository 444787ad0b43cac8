"""A machine clock that cannot be right (1970, gone back, far from the peers) is named on
the spot, and circulation refuses to compute a due date from it."""

from __future__ import annotations

import datetime as dt

import pytest

import kiosk
from kiosk.core import clock_sanity
from kiosk.core.clock import FixedClock
from kiosk.core.errors import LibraryError


@pytest.fixture
def clock() -> FixedClock:
    """The device's own clock (the checks judge only that one), on a sane Friday."""
    return FixedClock("2026-12-04T09:00:00", machine=True)


@pytest.fixture
def card(patron) -> str:
    return patron["card_number"]


def loans(lib) -> int:
    return lib.store.scalar("SELECT COUNT(*) FROM loans")


def test_a_sane_clock_lends_as_usual(lib, clock, book, card):
    assert clock_sanity.check(lib).ok
    loan = lib.circulation.checkout(card, "PT000001")
    assert loan.due_date == dt.date(2026, 12, 18)


def test_a_clock_in_1970_refuses_checkout_and_renewal_and_says_how_to_fix_it(lib, clock, book,
                                                                             card):
    lib.circulation.checkout(card, "PT000002")
    clock.set(dt.datetime(1970, 1, 1, 7, 0))
    status = clock_sanity.check(lib)
    assert status.code == "before_build"
    assert "01/01/1970 07:00" in status.message
    with pytest.raises(LibraryError) as refused:
        lib.circulation.checkout(card, "PT000001")
    assert refused.value.code == "clock_wrong"
    message = refused.value.message
    assert message.startswith("Đồng hồ của máy đang sai nên không tính được hạn trả.")
    assert "01/01/1970 07:00" in message and 'kiosk clock set "YYYY-MM-DD HH:MM"' in message
    assert "clock is wrong" in refused.value.message_en
    with pytest.raises(LibraryError, match="Đồng hồ của máy đang sai"):
        lib.circulation.renew(card, "PT000002")
    with pytest.raises(LibraryError, match="Đồng hồ của máy đang sai"):
        lib.circulation.checkout(card, "PT000001", override="thủ thư đồng ý")
    assert loans(lib) == 1
    lib.circulation.checkin("PT000002")                # a return is still taken
    assert loans(lib) == 0


def test_a_clock_gone_back_behind_its_own_events_refuses_until_a_technician_sets_it(
        lib, clock, book, card):
    lib.circulation.checkout(card, "PT000002")
    clock.set(dt.datetime(2026, 12, 3, 8, 0))          # a day before its own last loan
    status = clock_sanity.check(lib)
    assert status.code == "behind_own_events"
    assert "04/12/2026 09:00" in status.message and "25 giờ 0 phút" in status.message
    with pytest.raises(LibraryError, match="giờ của máy đã bị lùi"):
        lib.circulation.checkout(card, "PT000001")

    clock.set(dt.datetime(2026, 12, 4, 8, 55))         # within the tolerance: fine
    assert clock_sanity.check(lib).ok
    clock.set(dt.datetime(2026, 12, 3, 8, 0))
    clock_sanity.mark_time_set(lib)                    # the technician vouches for this time
    assert clock_sanity.check(lib).ok
    assert lib.circulation.checkout(card, "PT000001").due_date == dt.date(2026, 12, 17)


def _peer(lib, name: str, offset_s: float) -> None:
    lib.store.execute("INSERT INTO sync_peers (peer, clock_offset_s) VALUES (?, ?)",
                      (name, offset_s))


def test_a_clock_far_behind_its_peers_refuses_but_a_lone_peer_behind_us_does_not(
        lib, clock, book, card):
    _peer(lib, "http://quay.local:8470", -3 * 86400)   # a peer that lost its time
    _peer(lib, "http://pi-1970.local:8470", -56 * 365 * 86400)   # before the build date: ignored
    assert clock_sanity.check(lib).ok
    _peer(lib, "http://kiosk2.local:8470", -3 * 86400 + 60)      # two peers agree we are ahead
    status = clock_sanity.check(lib)
    assert status.code == "far_from_peers" and "nhanh 2 ngày" in status.message

    lib.store.execute("DELETE FROM sync_peers")
    _peer(lib, "http://huyen.example.vn", 14 * 3600)   # a Pi that slept the night at 17:00
    status = clock_sanity.check(lib)
    assert status.code == "far_from_peers"
    assert "chậm 14 giờ 0 phút" in status.message and "04/12/2026 23:00" in status.message
    with pytest.raises(LibraryError, match="chậm 14 giờ"):
        lib.circulation.checkout(card, "PT000001")
    lib.store.execute("UPDATE sync_peers SET clock_offset_s = 240")   # 4 minutes: normal
    assert clock_sanity.check(lib).ok


def test_an_injected_clock_replaying_another_time_is_not_judged(lib, book, card):
    lib.clock = lib.log.wall = FixedClock("1970-01-01T07:00:00")   # tests, demo history
    assert clock_sanity.check(lib).ok


def test_the_build_date_is_a_real_date_near_the_source():
    built = dt.date.fromisoformat(kiosk.BUILD_DATE)
    assert dt.date(2026, 1, 1) <= built <= dt.date.today()
