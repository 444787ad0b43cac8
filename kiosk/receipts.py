"""Circulation results as receipt slips.

The bridge between the core (which knows nothing of printers) and
``hardware.printing.slips`` (which knows nothing of loans). The transaction id printed as a
barcode is the first characters of the loan or return event's UUID, so a librarian who
scans a slip finds the event it came from.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from hardware.printing.slips import (
    LoanSlip, MaskedPatron, PatronCardSlip, ReturnSlip, SlipItem, SpineLabel,
)
from kiosk.core.circulation import LoanResult, ReturnResult
from kiosk.core.library import Library

TRANSACTION_ID_CHARS = 12


def transaction_id(prefix: str, event_uuid: str) -> str:
    return f"{prefix}-{event_uuid[:TRANSACTION_ID_CHARS].upper()}"


def loan_slip(library: Library, card_number: str, loans: Sequence[LoanResult]) -> LoanSlip:
    patron = library.patrons.get(card_number)
    return LoanSlip(
        library_name=library.name,
        patron=MaskedPatron.from_card(patron["card_number"], patron["name"]),
        items=tuple(SlipItem(loan.title, loan.barcode, loan.due_date) for loan in loans),
        transaction_id=transaction_id("M", loans[0].loan_id),
        printed_at=library.clock.now().replace(tzinfo=None),
    )


def return_slip(library: Library, returns: Sequence[ReturnResult],
                card_number: str | None = None) -> ReturnSlip:
    patron = None
    if card_number:
        data = library.patrons.get(card_number)
        patron = MaskedPatron.from_card(data["card_number"], data["name"])
    # The slip goes home with whoever returned the book: it may say the copy is wanted,
    # never by whom.
    items = tuple(SlipItem(r.title, r.barcode, None, None, bool(r.hold_shelf_for)) for r in returns)
    return ReturnSlip(
        library_name=library.name, patron=patron, items=items,
        transaction_id=transaction_id("T", returns[0].return_id),
        printed_at=library.clock.now().replace(tzinfo=None),
    )


def patron_card_slip(library: Library, card_number: str) -> PatronCardSlip:
    patron = library.patrons.get(card_number)
    return PatronCardSlip(
        library_name=library.name, card_number=patron["card_number"],
        full_name=patron["name"], expires=dt.date.fromisoformat(patron["expires_on"]),
    )


def spine_labels(library: Library, copies: Sequence[tuple[str, str]]) -> list[SpineLabel]:
    """One spine label per ``(call_number, barcode)`` pair of new copies."""
    name = library.name
    return [SpineLabel(name, call, code) for call, code in copies]
