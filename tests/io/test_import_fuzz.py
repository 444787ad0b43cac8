"""Seeded, bounded fuzzing of every importer: damaged files lose nothing without a word.

For each importer, every kind of damage is applied with several seeds to a small file
whose content is known. Each damaged file is imported into a fresh library, and:
no exception escapes; imported + rejected = total; every unit the damage did not touch
is in the catalogue exactly as written, with all its copies; after structural damage
(directory, tag, terminator, lengths, quotes, truncation, huge fields, broken tags) every
copy of a touched unit is either in the catalogue or named by a problem at that unit's
place (not after damage that spells other valid data, such as a random byte flip that
turns a barcode into another, or a tag 952 into 552, which no reader can tell); nothing
reaches the terminal (pymarc's complaints go into the report).
"""

from __future__ import annotations

import random
import shutil

import pytest
from fuzz_files import (
    CSV_KINDS,
    MARC_KINDS,
    XML_KINDS,
    Damaged,
    damage_csv,
    damage_marc,
    damage_xml,
)

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.node import init_library
from kiosk.io.importer import import_file

SEEDS = range(5)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "library.db"
    lib = open_library(path, FixedClock("2026-11-20T09:00:00"))
    init_library(lib, "TN-PHUTHO", "Thư viện xã Phú Thọ")
    lib.store.close()
    return path


@pytest.fixture
def fresh(template, tmp_path):
    opened = []

    def make():
        path = tmp_path / f"lib{len(opened)}.db"
        shutil.copy(template, path)
        lib = open_library(path, FixedClock("2026-11-20T09:00:00"))
        opened.append(lib)
        return lib

    yield make
    for lib in opened:
        lib.store.close()


def _problems(report):
    return report.rejected + report.warnings


def _covers(problem, unit) -> bool:
    place = problem.place
    if place.byte is not None and place.length is not None:
        return place.byte < unit.end and unit.start < place.byte + place.length
    return False


def _check(lib, report, damaged: Damaged, *, by_lines=None) -> None:
    assert report.check(), (damaged.kind, report.as_dict())
    assert report.total == report.imported + len(report.rejected)
    present = {}
    for rec in lib.catalogue.iter_records():
        for item in lib.catalogue.items_of(rec["id"]):
            present[item["barcode"]] = rec
    for unit in damaged.units:
        if unit.key in damaged.touched:
            if damaged.undetectable:
                continue  # e.g. a flipped byte that still spells a valid, other barcode
            for barcode in unit.barcodes:
                if barcode not in present:
                    covered = (by_lines(unit, _problems(report)) if by_lines
                               else any(_covers(p, unit) for p in _problems(report)))
                    assert covered, (damaged.kind, unit, report.details_vi())
            continue
        for barcode in unit.barcodes:
            assert barcode in present, (damaged.kind, unit, report.details_vi())
            assert present[barcode]["title"] == unit.title, (damaged.kind, unit)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", MARC_KINDS)
def test_damaged_iso2709_files_lose_nothing_silently(kind, seed, fresh, tmp_path, capfd):
    damaged = damage_marc(kind, random.Random(f"marc-{kind}-{seed}"))
    path = tmp_path / "hong.mrc"
    path.write_bytes(damaged.data)
    lib = fresh()

    report = import_file(lib, path)

    _check(lib, report, damaged)
    if kind == "leader_says_marc8":
        assert "UTF-8 (đầu biểu ghi ghi MARC-8 nhưng dữ liệu là UTF-8): 1 bản ghi" in \
            report.encoding_vi()
    if kind in ("directory", "tag", "terminator", "leader_length", "base_address"):
        assert _problems(report), (kind, "damage must be reported")
    if kind == "huge":
        assert any("không có ký tự kết thúc" in p.message for p in report.rejected)
    assert capfd.readouterr() == ("", "")


def _by_lines(text: str):
    """For CSV a problem names lines: map a unit's byte range to its line numbers."""
    def covered(unit, problems) -> bool:
        first = text[: unit.start].count(b"\n") + 1
        last = text[: max(unit.start, unit.end - 1)].count(b"\n") + 1
        return any(p.place.line <= last and first <= (p.place.end_line or p.place.line)
                   for p in problems)
    return covered


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", CSV_KINDS)
def test_damaged_csv_files_lose_nothing_silently(kind, seed, fresh, tmp_path, capfd):
    damaged = damage_csv(kind, random.Random(f"csv-{kind}-{seed}"))
    path = tmp_path / "hong.csv"
    path.write_bytes(damaged.data)
    lib = fresh()

    report = import_file(lib, path)

    _check(lib, report, damaged, by_lines=_by_lines(damaged.data))
    expected = {"cp1258": "Windows-1258", "cp1258_flip": "Windows-1258",
                "utf16": "UTF-16 (có BOM)", "utf8_bom": "UTF-8 (có BOM)"}.get(kind, "UTF-8")
    assert report.encoding == expected
    if kind == "huge":
        assert [p.message for p in report.rejected if "dài quá" in p.message]
    if kind in ("quote_insert", "quote_delete", "delimiter", "huge"):
        assert report.rejected, kind
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", XML_KINDS)
def test_damaged_marcxml_files_lose_nothing_silently(kind, seed, fresh, tmp_path, capfd):
    damaged = damage_xml(kind, random.Random(f"xml-{kind}-{seed}"))
    path = tmp_path / "hong.xml"
    path.write_bytes(damaged.data)
    lib = fresh()

    report = import_file(lib, path)

    _check(lib, report, damaged)
    if kind in ("start_tag", "end_tag", "huge", "bad_byte"):
        assert _problems(report), kind
    assert capfd.readouterr() == ("", "")


READER_FILES = 480


def _good_marc_titles(entries) -> dict[str, tuple[str, list[str]]]:
    found = {}
    for entry in entries:
        if entry.error is None:
            record = entry.value.record
            control, title = record.get("001"), record.get("245")
            found[control.data if control else None] = (
                title.get("a") if title else None, [f.get("p") for f in record.get_fields("952")])
    return found


def test_480_damaged_iso2709_files_read_record_by_record(tmp_path):
    """The reader alone, on many more files than the database test: every untouched
    record comes out exactly; the count pass and the reading pass agree."""
    from kiosk.io.marc_read import count_iso2709, iter_iso2709

    path = tmp_path / "f.mrc"
    for n in range(READER_FILES):
        damaged = damage_marc(MARC_KINDS[n % len(MARC_KINDS)], random.Random(f"reader-{n}"))
        path.write_bytes(damaged.data)
        entries = list(iter_iso2709(path))
        assert len(entries) == count_iso2709(path)
        assert [e.number for e in entries] == list(range(1, len(entries) + 1))
        good = _good_marc_titles(entries)
        for unit in damaged.units:
            if unit.key not in damaged.touched:
                assert good.get(unit.key) == (unit.title, unit.barcodes), (damaged.kind, n, unit)


def test_240_damaged_csv_files_read_row_by_row(tmp_path):
    from kiosk.io.csv_read import open_csv

    path = tmp_path / "f.csv"
    for n in range(READER_FILES // 2):
        damaged = damage_csv(CSV_KINDS[n % len(CSV_KINDS)], random.Random(f"reader-{n}"))
        path.write_bytes(damaged.data)
        opened = open_csv(path)
        good = {}
        for row in opened.rows():
            if row.error is None:
                values = dict(zip(opened.columns, row.fields))
                good[values["barcode"].strip()] = values["title"]
        for unit in damaged.units:
            if unit.key not in damaged.touched:
                assert good.get(unit.key) == unit.title, (damaged.kind, n, unit)
