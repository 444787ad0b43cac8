"""The technician's pairing and quarantine screen: a pairing code as text and QR, the
events set aside with their reason, retried once fixed or dismissed."""

from __future__ import annotations

from kiosk.core import quarantine
from kiosk.ui.technician import TECHNICIAN_SCREENS, TrustScreen
from sync import replica
from sync.validate import event_to_wire, events_from_wire


def test_the_screen_is_a_technician_tab():
    assert TrustScreen in [cls for _, cls in TECHNICIAN_SCREENS]


def test_a_pairing_code_is_shown_as_text_and_qr_and_works_once(qtbot, ctx, lib, idle, shoot):
    from sync import pairing
    from sync.auth import new_keypair

    screen = TrustScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    idle()
    assert screen.code.text() == ""
    screen.pair_button.click()
    idle()
    code = screen.code.text()
    assert len(code) == 9 and code[4] == "-" and code.replace("-", "").isdigit()
    assert "kiosk pair --peer http://" in screen.code_help.text() and code in screen.code_help.text()
    assert not screen.qr.pixmap().isNull() and screen.qr.pixmap().width() >= 150
    _, public = new_keypair()
    joined = pairing.pair_device(lib, code, public, "kiosk 2", "kiosk")
    assert joined["library_id"] == lib.code
    shoot(screen, "technician_pairing")


def _foreign_event(lib, tmp_path):
    """Another library's device edits one of this library's patrons: quarantined here."""
    from kiosk.app import open_library
    from kiosk.core.clock import FixedClock
    from sync.joining import found_library

    patron = lib.patrons.add("Trần Văn An", "adult", card_number="C1")
    other = open_library(tmp_path / "other.db", FixedClock("2026-11-20T09:00:00"))
    found_library(other, "TN-ANLONG", "Thư viện xã An Long")
    with other.store.transaction():
        other.log.append("record.put", {"table": "patrons", "id": patron["id"],
                                        "fields": {"name": "Kẻ gian"}}, other.code)
    events, _ = replica.events_since(other.store, {})
    replica.apply_batch(lib, events_from_wire([event_to_wire(e) for e in events]))
    return patron


def test_a_quarantined_event_is_listed_with_its_reason_and_can_be_dismissed(
        qtbot, ctx, lib, idle, tmp_path):
    _foreign_event(lib, tmp_path)
    assert quarantine.count_open(lib.store) == 1
    screen = TrustScreen(ctx)
    qtbot.addWidget(screen)
    screen.show()
    idle()
    assert screen.held.rowCount() == 1
    assert screen.held.item(0, 1).text() == "Sự kiện sửa dữ liệu của thư viện khác"
    assert "thuộc thư viện TN-PHUTHO" in screen.held.item(0, 2).text()
    # Every control a screen reader meets has a name: no unnamed select-all corner button.
    from PySide6.QtWidgets import QAbstractButton
    unnamed = [b for b in screen.held.findChildren(QAbstractButton)
               if b.isVisibleTo(screen) and not (b.accessibleName() or b.text())]
    assert unnamed == []
    screen.retry_button.click()
    idle()
    assert screen.message.kind == "warn" and screen.held.rowCount() == 1
    assert lib.patrons.get("C1")["name"] == "Trần Văn An"
    screen.dismiss_button.click()
    idle()
    assert screen.held.rowCount() == 0 and not screen.dismiss_button.isEnabled()
    assert quarantine.count_open(lib.store) == 0
    assert lib.patrons.get("C1")["name"] == "Trần Văn An"
