"""What espeak-ng is given to say: Vietnamese numbers, dates, times and amounts in words
(espeak-ng itself reads "15" as "mười năm" and keeps slashes silent)."""

from __future__ import annotations

import pytest

from kiosk.ui.speech import number_vi, spoken_vi


@pytest.mark.parametrize("n, words", [
    (0, "không"), (5, "năm"), (10, "mười"), (14, "mười bốn"), (15, "mười lăm"),
    (21, "hai mươi mốt"), (25, "hai mươi lăm"), (11, "mười một"), (55, "năm mươi lăm"),
    (100, "một trăm"), (105, "một trăm lẻ năm"), (115, "một trăm mười lăm"),
    (1005, "một ngàn không trăm lẻ năm"), (2026, "hai ngàn không trăm hai mươi sáu"),
    (10000, "mười ngàn"), (1000000, "một triệu"),
])
def test_a_number_is_said_as_a_southern_reader_says_it(n, words):
    assert number_vi(n) == words


def test_the_northern_words_are_used_off_the_southern_voice():
    assert number_vi(105, south=False) == "một trăm linh năm"
    assert number_vi(2026, south=False) == "hai nghìn không trăm hai mươi sáu"


@pytest.mark.parametrize("text, said", [
    ("Hạn trả: 15/12/2026", "Hạn trả: ngày mười lăm tháng mười hai năm hai ngàn không trăm hai mươi sáu"),
    ("Ngày 15/12/2026", "Ngày mười lăm tháng mười hai năm hai ngàn không trăm hai mươi sáu"),
    ("hạn 2026-12-05", "hạn ngày năm tháng mười hai năm hai ngàn không trăm hai mươi sáu"),
    ("Hạn trả 15/12", "Hạn trả ngày mười lăm tháng mười hai"),
    ("Tháng 10/2026", "Tháng mười năm hai ngàn không trăm hai mươi sáu"),
    ("Phí 5.000 đ", "Phí năm ngàn đồng"),
    ("Mở 7:00–11:00 và 13:30–17:00",
     "Mở bảy giờ đến mười một giờ và mười ba giờ ba mươi phút đến mười bảy giờ"),
    ("Tự thoát sau 15 giây", "Tự thoát sau mười lăm giây"),
    ("Thứ tự chờ: 1.", "Thứ tự chờ: một."),
    ("Mã 0042", "Mã không không bốn hai"),
    ("Thẻ TN-TRAMCHIM000001", "Thẻ TN-TRAMCHIM không không không không không một"),
])
def test_dates_times_amounts_and_codes_are_written_out_before_espeak_reads_them(text, said):
    assert spoken_vi(text) == said


def test_what_is_not_a_date_stays_as_numbers():
    assert spoken_vi("32/13") == "ba mươi hai/mười ba"
