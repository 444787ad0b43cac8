"""Spreadsheet cells that stay text.

A library's name or a title is typed by staff and synced from devices; the province's
reports and the public's open-data CSV are opened in Excel or LibreOffice, where a cell
such as ``=HYPERLINK(...)`` would run. OWASP's CSV injection advice: a text cell that
begins like a formula gets a leading apostrophe. Numbers stay numbers, and machine formats
(JSON, MARC) keep the text exactly.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """``value``, with a leading apostrophe when it is text that would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
