"""Seeded damage for the import fuzz tests: good files, and the same files broken.

Every mutation returns the damaged bytes and which units (records or rows) it touched, so
a test can demand that every untouched unit is imported exactly and that every copy of a
touched one is either imported or named in the report. Offsets stay valid: mutations
that insert bytes shift the ranges of what follows.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from io_test_files import df, iso2709

# The MARC-8 bytes of "Đất rừng phương Nam" (see test_marc_import).
MARC8_TITLE = b"\xa3\xe3\xe2at r\xe1\xbdng ph\xbd\xbcng Nam"
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@dataclass
class Unit:
    key: str                 # control number (MARC) or barcode (CSV)
    title: str
    barcodes: list[str]
    start: int               # byte range in the file
    end: int


@dataclass
class Damaged:
    kind: str
    data: bytes
    units: list[Unit]        # ranges after the damage; units cut away are dropped
    touched: set[str] = field(default_factory=set)
    # The damage can spell other valid data (a flipped byte, a tag "952" turned "552"):
    # no reader can tell, so a touched unit's copies may go without a word.
    undetectable: bool = False


# ---------------------------------------------------------------- ISO 2709

def marc_base(count: int = 8) -> tuple[bytes, list[Unit]]:
    data, units = b"", []
    for i in range(count):
        key = f"FZ-{i:03d}"
        barcodes = [f"FZ{i:03d}A"] + ([f"FZ{i:03d}B"] if i % 3 == 0 else [])
        title = "Đất rừng phương Nam" if i == 4 else f"Sách thử số {i} – Đồng Tháp"
        marc8 = i == 4  # this one is MARC-8 throughout
        fields = [("001", key), ("100", df("0 ", ("a", "Doan Gioi," if marc8 else "Nguyễn Văn Ánh,"))),
                  ("245", df("10", ("a", MARC8_TITLE if marc8 else title)))]
        fields += [("952", df("  ", ("c", "Kho mo" if marc8 else "Kho mở"), ("p", b), ("y", "BK")))
                   for b in barcodes]
        record = iso2709(fields, encoding=" " if i == 4 else "a")
        units.append(Unit(key, title, barcodes, len(data), len(data) + len(record)))
        data += record
    return data, units


def _touching(units: list[Unit], positions) -> set[str]:
    return {u.key for u in units for p in positions if u.start <= p < u.end}


def _shift(units: list[Unit], at: int, by: int) -> list[Unit]:
    return [Unit(u.key, u.title, u.barcodes, u.start + (by if u.start >= at else 0),
                 u.end + (by if u.end > at else 0)) for u in units]


def _directory(data: bytes, unit: Unit) -> tuple[int, int]:
    """Absolute start and entry count of a record's directory."""
    base = int(data[unit.start + 12: unit.start + 17])
    return unit.start + 24, (base - 25) // 12


MARC_KINDS = ("flip", "truncate", "directory", "tag", "terminator", "leader_length", "junk",
              "huge", "base_address", "leader_says_marc8")


def damage_marc(kind: str, rng: random.Random) -> Damaged:
    data, units = marc_base()
    buf = bytearray(data)
    unit = rng.choice(units)
    if kind == "flip":
        spots = [rng.randrange(len(buf)) for _ in range(rng.randint(1, 3))]
        for p in spots:
            buf[p] = (buf[p] + rng.randint(1, 255)) % 256
        return Damaged(kind, bytes(buf), units, _touching(units, spots), undetectable=True)
    if kind == "truncate":
        cut = rng.randrange(1, len(buf))
        kept = [u for u in units if u.start < cut]
        return Damaged(kind, bytes(buf[:cut]), kept, _touching(units, [cut - 1, cut]))
    if kind in ("directory", "tag"):
        start, entries = _directory(data, unit)
        entry = start + 12 * rng.randrange(entries)
        if kind == "directory":
            p = entry + rng.randrange(3, 12)
            buf[p] = ord(rng.choice([d for d in "0123456789" if ord(d) != buf[p]]))
        else:
            p = entry + rng.randrange(3)
            buf[p] = rng.choice([b for b in range(256) if b != buf[p]])
        silent = kind == "tag" and bytes(buf[entry:entry + 3]).isdigit()
        return Damaged(kind, bytes(buf), units, {unit.key}, undetectable=silent)
    if kind == "terminator":
        buf[unit.end - 1] = rng.choice([b for b in range(256) if b != 0x1D])
        return Damaged(kind, bytes(buf), units, {unit.key})
    if kind == "leader_length":
        p = unit.start + rng.randrange(5)
        buf[p] = ord(rng.choice([d for d in "0123456789" if ord(d) != buf[p]]))
        return Damaged(kind, bytes(buf), units, {unit.key})
    if kind == "base_address":
        p = unit.start + 12 + rng.randrange(5)
        buf[p] = ord(rng.choice([d for d in "0123456789" if ord(d) != buf[p]]))
        return Damaged(kind, bytes(buf), units, {unit.key})
    if kind in ("junk", "huge"):
        size = rng.randint(1, 300) if kind == "junk" else rng.randint(100_000, 220_000)
        pool = b"\x1d\x1e\x1f0123456789 abc" if kind == "junk" else b"0123456789 abcxyz\x1e"
        junk = rng.randbytes(size).translate(bytes(pool[b % len(pool)] for b in range(256)))
        at = unit.end
        return Damaged(kind, data[:at] + junk + data[at:], _shift(units, at, size), set())
    if kind == "leader_says_marc8":
        utf8 = [u for u in units if u.title != "Đất rừng phương Nam"]
        unit = rng.choice(utf8)
        buf[unit.start + 9] = ord(" ")
        return Damaged(kind, bytes(buf), units, set())
    raise ValueError(kind)


# ---------------------------------------------------------------- CSV

CSV_HEADER = "title;authors;year;notes;barcode"


def csv_rows(count: int = 10) -> list[tuple[str, str]]:
    """``(barcode, line text)``; some notes are quoted, with semicolons or two lines."""
    rows = []
    for i in range(count):
        title = f"Cẩm nang trồng lúa tập {i} ở Tháp Mười"
        note = ('"Ghi chú; có dấu chấm phẩy"' if i % 4 == 1 else
                '"Ghi chú hai dòng\nthứ hai của sách"' if i % 4 == 2 else "")
        barcode = f"CS{i:03d}"
        rows.append((barcode, f"{title};Lê Thị Hoà;{2000 + i};{note};{barcode}"))
    return rows


def csv_title(barcode: str) -> str:
    return f"Cẩm nang trồng lúa tập {int(barcode[2:])} ở Tháp Mười"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: base letters precomposed, tones combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(p for p in parts if p in TONES)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES))
        out += base.encode("cp1258") + tone.encode("cp1258")
    return out


def _csv_units(encoded_rows: list[bytes], header: bytes, rows, newline: bytes):
    units, pos = [], len(header) + len(newline)
    for (barcode, _), raw in zip(rows, encoded_rows):
        units.append(Unit(barcode, csv_title(barcode), [barcode], pos, pos + len(raw)
                          + len(newline)))
        pos += len(raw) + len(newline)
    return units


CSV_KINDS = ("flip", "truncate", "quote_insert", "quote_delete", "huge", "delimiter",
             "cp1258", "utf16", "utf8_bom", "cp1258_flip")


def damage_csv(kind: str, rng: random.Random) -> Damaged:
    rows = csv_rows()
    texts = [t for _, t in rows]
    victim = rng.randrange(len(rows))
    barcode = rows[victim][0]
    if kind == "quote_insert":
        starts = [0] + [i + 1 for i, c in enumerate(texts[victim]) if c == ";"]
        at = rng.choice(starts)
        texts[victim] = texts[victim][:at] + '"' + texts[victim][at:]
    elif kind == "quote_delete":
        victim = rng.choice([i for i, (_, t) in enumerate(rows) if "\n" in t])
        barcode = rows[victim][0]
        texts[victim] = texts[victim].replace('sách";', "sách;")
    elif kind == "huge":
        filler = "Lời giới thiệu rất dài. " * rng.randint(5_000, 9_000)
        quoted = rng.random() < 0.5
        parts = texts[victim].split(";")
        parts[3] = f'"{filler}"' if quoted else filler
        texts[victim] = ";".join(parts)
    elif kind == "delimiter":
        at = rng.randrange(1, texts[victim].index(";"))
        texts[victim] = texts[victim][:at] + ";" + texts[victim][at:]
    encode = {"cp1258": to_cp1258, "cp1258_flip": to_cp1258,
              "utf16": lambda t: t.encode("utf-16-le")}.get(kind, str.encode)
    newline = encode("\n")
    header = encode(CSV_HEADER)
    encoded = [encode(t) for t in texts]
    body = header + newline + b"".join(e + newline for e in encoded)
    prefix = {"utf16": b"\xff\xfe", "utf8_bom": b"\xef\xbb\xbf"}.get(kind, b"")
    units = _csv_units(encoded, header, rows, newline)
    units = [Unit(u.key, u.title, u.barcodes, u.start + len(prefix), u.end + len(prefix))
             for u in units]
    data = prefix + body
    if kind in ("quote_insert", "quote_delete", "huge", "delimiter"):
        return Damaged(kind, data, units, {barcode})
    if kind in ("flip", "cp1258_flip"):
        buf = bytearray(data)
        first = units[0].start
        spots = [rng.randrange(first, len(buf)) for _ in range(rng.randint(1, 2))]
        for p in spots:
            buf[p] = rng.randrange(256)
        touched = _touching(units, spots)
        # A flipped line end joins a row to the next one: that one is touched too.
        for u, nxt in zip(units, units[1:]):
            if any(p == u.end - 1 for p in spots):
                touched.add(nxt.key)
        return Damaged(kind, bytes(buf), units, touched, undetectable=True)
    if kind == "truncate":
        cut = rng.randrange(units[0].start, len(data))
        kept = [u for u in units if u.start < cut]
        return Damaged(kind, data[:cut], kept, _touching(units, [cut - 1, cut]))
    return Damaged(kind, data, units, set())


# ---------------------------------------------------------------- MARCXML

def _xml_record(i: int) -> tuple[str, str, list[str], str]:
    key, title = f"FX-{i:03d}", f"Tài liệu thử {i} của Phú Thọ"
    barcodes = [f"FX{i:03d}A"]
    body = (f'  <record>\n    <leader>00000nam a2200000 a 4500</leader>\n'
            f'    <controlfield tag="001">{key}</controlfield>\n'
            f'    <datafield tag="245" ind1="1" ind2="0">\n'
            f'      <subfield code="a">{title}</subfield>\n    </datafield>\n'
            f'    <datafield tag="952" ind1=" " ind2=" "><subfield code="p">{barcodes[0]}'
            f'</subfield></datafield>\n  </record>\n')
    return key, title, barcodes, body


def xml_base(count: int = 6) -> tuple[bytes, list[Unit]]:
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n'
    data, units = head, []
    for i in range(count):
        key, title, barcodes, body = _xml_record(i)
        raw = body.encode()
        units.append(Unit(key, title, barcodes, len(data), len(data) + len(raw)))
        data += raw
    return data + b"</collection>\n", units


XML_KINDS = ("flip", "truncate", "start_tag", "end_tag", "huge", "bad_byte")


def damage_xml(kind: str, rng: random.Random) -> Damaged:
    data, units = xml_base()
    unit = rng.choice(units)
    buf = bytearray(data)
    if kind == "flip":
        spots = [rng.randrange(units[0].start, len(buf)) for _ in range(rng.randint(1, 3))]
        for p in spots:
            buf[p] = rng.randrange(256)
        touched = _touching(units, spots)
        # A damaged </record> lets a record run on into the next one.
        touched |= {n.key for u, n in zip(units, units[1:]) if u.key in touched}
        return Damaged(kind, bytes(buf), units, touched, undetectable=True)
    if kind == "truncate":
        cut = rng.randrange(units[0].start, len(buf))
        kept = [u for u in units if u.start < cut]
        return Damaged(kind, bytes(buf[:cut]), kept, _touching(units, [cut - 1, cut]))
    if kind == "start_tag":
        at = data.index(b"<record>", unit.start)
        buf[at + 3] = ord("x")
        return Damaged(kind, bytes(buf), units, {unit.key})
    if kind == "end_tag":
        at = data.index(b"</record>", unit.start)
        buf[at + 2] = ord("x")
        return Damaged(kind, bytes(buf), units, {unit.key})
    if kind == "bad_byte":
        at = data.index("Tài".encode(), unit.start) + 1
        buf[at] = 0xFF
        return Damaged(kind, bytes(buf), units, {unit.key})
    if kind == "huge":
        at = data.index(b"</subfield>", unit.start)
        filler = b"x" * rng.randint(1_100_000, 1_300_000)
        return Damaged(kind, data[:at] + filler + data[at:], _shift(units, at, len(filler)),
                       {unit.key})
    raise ValueError(kind)
