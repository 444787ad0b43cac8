"""Fixtures, hand-built MARC files and ISBNs for the import/export tests.

Helpers the import/export tests share; the fixtures are in ``conftest.py``.
"""

from __future__ import annotations



from kiosk.core.isbn import ean13_check_digit



def isbn13(n: int) -> str:
    body = f"978604{n:06d}"
    return body + ean13_check_digit(body)


def df(ind: str, *pairs: tuple[str, str | bytes]) -> bytes:
    """The bytes of one data field: indicators then ``$code value`` pairs."""
    out = ind.encode()
    for code, value in pairs:
        out += b"\x1f" + code.encode() + (value if isinstance(value, bytes) else value.encode())
    return out


def iso2709(fields: list[tuple[str, bytes | str]], encoding: str = "a") -> bytes:
    """One ISO 2709 record built byte by byte (leader/09 'a' = UTF-8, ' ' = MARC-8)."""
    directory = data = b""
    for tag, body in fields:
        body = (body if isinstance(body, bytes) else body.encode()) + b"\x1e"
        directory += tag.encode() + b"%04d%05d" % (len(body), len(data))
        data += body
    directory += b"\x1e"
    base = 24 + len(directory)
    total = base + len(data) + 1
    leader = b"%05dnam %s22%05d   4500" % (total, encoding.encode(), base)
    return leader + directory + data + b"\x1d"


def book(title: str, *, control: str | None = None, isbn: str | None = None,
         author: str | None = None, extra: list[tuple[str, bytes | str]] = ()) -> bytes:
    fields: list[tuple[str, bytes | str]] = []
    if control:
        fields.append(("001", control))
    if isbn:
        fields.append(("020", df("  ", ("a", isbn))))
    if author:
        fields.append(("100", df("0 ", ("a", author + ","))))
    fields.append(("245", df("10", ("a", title + " /"), ("c", author or ""))))
    fields.extend(extra)
    return iso2709(fields)
