"""``--lang en``: the shipped English catalogue is loaded and refusals use the core's English."""

from __future__ import annotations

import pytest
from ui_helpers import scan

from kiosk.ui.app import install_translation


@pytest.fixture
def english(qapp):
    translator = install_translation(qapp, "en")
    assert translator is not None, "kiosk/ui/i18n/kiosk_en.qm is missing"
    yield
    qapp.removeTranslator(translator)


def test_the_english_interface_translates_the_screens_and_the_refusals(
        qtbot, english, make_runtime, lib, stock):
    card = stock["patron"]["card_number"]
    lib.patrons.update(card, blocked_reason="lost book")
    shell = make_runtime(settings={"lang": "en"}).shell
    assert shell.screens["attract"].borrow_button.text() == "Scan your card to borrow"
    assert shell.large_button.text() == "A+ Large text"
    scan(qtbot, shell, card)
    identify = shell.screens["identify"]
    qtbot.waitUntil(lambda: identify.message.property("state") == "error", timeout=3000)
    assert identify.message.text() == "This card is blocked: lost book. Please see the librarian."


def test_vietnamese_needs_no_catalogue(qapp):
    assert install_translation(qapp, "vi") is None
