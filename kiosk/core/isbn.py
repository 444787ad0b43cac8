"""ISBN-10/13 and EAN-13: validation, conversion and normalisation.

Books carry ISBN-13 as an EAN-13 barcode (``978``/``979`` prefix); older Vietnamese books
print ISBN-10, often hyphenated. Everything is stored and matched as ISBN-13.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-‐‑–.]")


def ean13_check_digit(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def complete_isbn13(first12: str) -> str:
    """Append the check digit: ``978604212345`` -> ``9786042123457``."""
    return first12 + ean13_check_digit(first12)


def is_valid_ean13(code: str) -> bool:
    return bool(re.fullmatch(r"\d{13}", code)) and ean13_check_digit(code[:12]) == code[12]


def isbn10_check_digit(first9: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def is_valid_isbn10(code: str) -> bool:
    code = code.upper()
    return bool(re.fullmatch(r"\d{9}[\dX]", code)) and isbn10_check_digit(code[:9]) == code[9]


def clean(text: str) -> str:
    """Drop hyphens, spaces and an ``ISBN`` label: ``ISBN 978-604-2-...`` -> digits."""
    text = text.strip().upper()
    if text.startswith("ISBN"):
        text = text[4:].lstrip(":- ")
    return _SEPARATORS.sub("", text)


def isbn10_to_13(isbn10: str) -> str:
    body = "978" + isbn10[:9]
    return body + ean13_check_digit(body)


def isbn13_to_10(isbn13: str) -> str | None:
    """ISBN-10 form of a 978 ISBN-13; 979 numbers have none."""
    if not isbn13.startswith("978"):
        return None
    body = isbn13[3:12]
    return body + isbn10_check_digit(body)


def to_isbn13(text: str) -> str | None:
    """The valid ISBN-13 that ``text`` denotes, or None (bad check digit, not an ISBN)."""
    code = clean(text)
    if is_valid_isbn10(code):
        return isbn10_to_13(code.upper())
    if is_valid_ean13(code) and code[:3] in ("978", "979"):
        return code
    return None


def looks_like_isbn(text: str) -> bool:
    code = clean(text)
    return bool(re.fullmatch(r"\d{9}[\dXx]|\d{13}", code))
