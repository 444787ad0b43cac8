"""The GS v 0 encoder, the stream parser, and the Vietnamese formatting of slips."""

import datetime as dt

import numpy as np
import pytest
from PIL import Image

from hardware.printing.commands import cut, feed_lines, raster_band, raster_image, slip_job
from hardware.printing.render import dots_for_paper, render
from hardware.printing.slips import (
    LoanSlip,
    MaskedPatron,
    PatronCardSlip,
    ReturnSlip,
    SlipItem,
    TestPage,
    format_date_vi,
    mask_card_number,
    short_name,
    slip_from_json,
    slip_to_json,
)
from hardware.printing.stream import IncompleteCommand, parse, raster_images


def test_raster_band_bytes_follow_gs_v_0_with_width_in_bytes_and_msb_first():
    bits = np.zeros((2, 10), dtype=bool)
    bits[0, 0] = bits[0, 9] = True
    bits[1, :8] = True
    assert raster_band(bits) == bytes(
        [0x1D, 0x76, 0x30, 0, 2, 0, 2, 0, 0b1000_0000, 0b0100_0000, 0xFF, 0x00]
    )


def test_black_pixels_become_printed_dots_and_tall_images_split_into_bands():
    picture = Image.new("1", (20, 600), 1)
    picture.putpixel((0, 0), 0)
    picture.putpixel((19, 599), 0)
    commands = parse(raster_image(picture, band_rows=255))
    assert [c.args for c in commands] == [(0, 3, 255), (0, 3, 255), (0, 3, 90)]
    rebuilt = raster_images(raster_image(picture))[0]
    assert rebuilt.shape == (600, 24)
    assert rebuilt[0, 0] == 0 and rebuilt[599, 19] == 0
    assert (rebuilt == 0).sum() == 2


def test_greyscale_images_are_thresholded_not_dithered():
    grey = Image.fromarray(np.array([[0, 127, 128, 255] * 2], dtype=np.uint8), mode="L")
    band = parse(raster_image(grey))[0]
    assert band.data == bytes([0b1100_1100])


def test_job_is_init_raster_feed_and_full_cut():
    job = slip_job(Image.new("1", (8, 1), 0), feed=3)
    assert job == b"\x1b@" + b"\x1dv0\x00\x01\x00\x01\x00\xff" + b"\x1bd\x03" + b"\x1dV\x00"
    assert cut(partial=True) == b"\x1dV\x01"
    with pytest.raises(ValueError):
        feed_lines(256)


def test_parser_reports_a_truncated_band():
    job = raster_image(Image.new("1", (16, 4), 0))
    with pytest.raises(IncompleteCommand):
        parse(job[:-1])


def test_vietnamese_date_has_weekday_and_day_month_year():
    assert format_date_vi(dt.date(2026, 12, 7)) == "Thứ Hai, 07/12/2026"
    assert format_date_vi(dt.date(2026, 12, 12)) == "Thứ Bảy, 12/12/2026"
    assert format_date_vi(dt.date(2026, 12, 13)) == "Chủ Nhật, 13/12/2026"


def test_patron_is_masked_to_card_tail_and_given_name():
    assert mask_card_number("0123 4567 8901 2") == "****9012"
    assert mask_card_number("1234") == "****34", "a short number shows at most half"
    assert mask_card_number("123") == "****3"
    assert short_name("Nguyễn Thị Lan") == "N.T. Lan"
    assert short_name("lê  văn   thành") == "L.V. thành"
    patron = MaskedPatron.from_card("0123456789012", "Nguyễn Thị Lan")
    assert "0123456789012" not in repr(patron) and "Nguyễn" not in repr(patron)


def test_every_slip_kind_round_trips_through_json_and_renders_at_both_widths():
    patron = MaskedPatron.from_card("0123456789012", "Nguyễn Thị Lan")
    when = dt.datetime(2026, 11, 23, 14, 5)
    slips = [
        LoanSlip("Thư viện", patron, (SlipItem("Sách", "1", dt.date(2026, 12, 7)),), "L-1", when),
        ReturnSlip("Thư viện", patron, (SlipItem("Sách", "1", hold_for="L.T. Hoa"),), "R-1", when),
        PatronCardSlip("Thư viện", "0123456789012", "Nguyễn Thị Lan", dt.date(2027, 12, 31)),
        TestPage("Thư viện", when, "fake:"),
    ]
    for slip in slips:
        assert slip_from_json(slip.kind, slip_to_json(slip)) == slip
        for paper in (58, 80):
            image = render(slip, dots_for_paper(paper))
            assert image.mode == "1" and image.width == {58: 384, 80: 576}[paper]
            assert 200 < image.height < 2000
    with pytest.raises(ValueError):
        slip_from_json("receipt", "{}")
    with pytest.raises(ValueError):
        dots_for_paper(76)


def test_long_titles_wrap_instead_of_running_off_the_paper():
    patron = MaskedPatron("****9012", "N.T. Lan")
    short = LoanSlip("Thư viện", patron, (SlipItem("Sách", "1"),), "L-1", dt.datetime(2026, 1, 1))
    long = LoanSlip("Thư viện", patron, (SlipItem("Sách " * 40 + "X" * 80, "1"),), "L-1", dt.datetime(2026, 1, 1))
    short_image, long_image = render(short, 384), render(long, 384)
    assert long_image.width == 384
    assert long_image.height > short_image.height + 150
