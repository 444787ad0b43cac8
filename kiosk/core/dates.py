"""Dates as Vietnamese readers write them: ``dd/mm/yyyy``."""

from __future__ import annotations

import datetime as dt


def vn_date(value: str | dt.date | None) -> str:
    """``2026-12-04`` (or a date, or an ISO timestamp) -> ``04/12/2026``; empty for None."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")
