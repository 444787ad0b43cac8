import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.cardreaders.fake_rdm6300 import FakeRdm6300, encode_frame, tag_for_card
from hardware.cardreaders.rdm6300 import (
    Debouncer,
    Rdm6300Parser,
    Rdm6300Reader,
    card_number_format,
    decimal10,
    hex_tag,
    wiegand26,
)
from hardware.ptylink import PtyLink
from hardware.readers import Backoff, ReaderState
from waiting import wait_for

KNOWN_FRAME = b"\x0262E3086CED08\x03"
TAGS = st.integers(0, 2**40 - 1).map(lambda n: f"{n:010X}")


class ManualClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_frames_match_the_published_example():
    assert encode_frame("62E3086CED") == KNOWN_FRAME
    assert Rdm6300Parser().feed(KNOWN_FRAME) == ["62E3086CED"]


@given(st.lists(TAGS, min_size=1, max_size=6), st.lists(st.integers(0, 120), max_size=10))
def test_parser_finds_every_frame_however_the_bytes_are_chunked(tags, cuts):
    stream = b"".join(encode_frame(tag) for tag in tags)
    parser = Rdm6300Parser()
    bounds = sorted({min(cut, len(stream)) for cut in cuts}) + [len(stream)]
    out, start = [], 0
    for end in bounds:
        out += parser.feed(stream[start:end])
        start = end
    assert out == tags
    assert parser.stats.frames == len(tags)


@given(TAGS, st.binary(max_size=40).filter(lambda b: 0x02 not in b))
def test_garbage_before_a_frame_is_counted_and_skipped(tag, garbage):
    parser = Rdm6300Parser()
    assert parser.feed(garbage + encode_frame(tag)) == [tag]
    assert parser.stats.garbage_bytes == len(garbage)


def test_bad_checksum_frames_are_dropped_and_counted():
    parser = Rdm6300Parser()
    corrupted = KNOWN_FRAME.replace(b"08\x03", b"09\x03")
    assert parser.feed(corrupted + KNOWN_FRAME) == ["62E3086CED"]
    assert parser.stats.bad_checksum == 1


def test_truncated_overlong_and_non_hex_frames_are_malformed():
    parser = Rdm6300Parser()
    truncated = KNOWN_FRAME[:7]
    overlong = b"\x02" + b"A" * 20 + b"\x03"
    non_hex = b"\x0262E3086CEZ08\x03"
    assert parser.feed(truncated + KNOWN_FRAME + overlong + non_hex + KNOWN_FRAME) == [
        "62E3086CED", "62E3086CED"]
    assert parser.stats.malformed == 3


def test_card_number_formats_match_what_is_printed_on_cards():
    assert decimal10("62E3086CED") == "3808980205"
    assert wiegand26("62E3086CED") == "008,27885"
    assert hex_tag("62e3086ced") == "62E3086CED"
    assert decimal10(tag_for_card(1234567)) == "0001234567"
    with pytest.raises(ValueError, match="unknown card number format"):
        card_number_format("octal")


def test_debounce_gives_one_read_per_presentation():
    clock = ManualClock()
    debouncer = Debouncer(hold=1.0, clock=clock)
    accepted = []
    for _ in range(10):
        accepted.append(debouncer.accept("62E3086CED"))
        clock.now += 0.1
    assert accepted.count(True) == 1
    clock.now += 1.5
    assert debouncer.accept("62E3086CED")
    clock.now += 0.1
    assert debouncer.accept("0100BC614E")
    clock.now += 0.1
    assert debouncer.accept("62E3086CED")


@pytest.fixture
def link(tmp_path):
    with PtyLink(tmp_path / "ttyRfid") as pair:
        yield pair


def start_reader(port, reads, **kwargs):
    reader = Rdm6300Reader(port, reads.append, poll_interval=0.02,
                           backoff=Backoff(0.02, 0.1), **kwargs)
    reader.start()
    assert wait_for(lambda: reader.status().state == ReaderState.CONNECTED)
    return reader


def test_a_card_held_for_several_frames_is_read_once_through_a_pty(link):
    reads = []
    reader = start_reader(link.port, reads)
    try:
        FakeRdm6300(link).present(tag_for_card(1234567), frames=6, interval=0.03)
        assert wait_for(lambda: reader.stats.frames == 6)
        assert reads == ["0001234567"]
    finally:
        reader.stop()


def test_a_card_presented_again_after_removal_is_read_again(link):
    reads = []
    reader = start_reader(link.port, reads, debounce=0.15)
    try:
        fake = FakeRdm6300(link)
        fake.present("62E3086CED", frames=3, interval=0.02)
        assert wait_for(lambda: reader.stats.frames == 3)
        time.sleep(0.3)
        fake.present("62E3086CED", frames=3, interval=0.02)
        assert wait_for(lambda: reader.stats.frames == 6)
        assert reads == ["3808980205", "3808980205"]
    finally:
        reader.stop()


def test_garbage_and_bad_checksums_between_frames_do_not_crash_the_reader(link):
    reads = []
    reader = start_reader(link.port, reads, card_number=hex_tag)
    try:
        fake = FakeRdm6300(link)
        fake.write_raw(b"\x00\xff\x03garbage\r\n")
        fake.write_raw(KNOWN_FRAME.replace(b"08\x03", b"00\x03"))
        fake.present("0100BC614E", frames=1)
        assert wait_for(lambda: reads == ["0100BC614E"])
        assert reader.stats.garbage_bytes == 12
        assert reader.stats.bad_checksum == 1
        assert reader.status().state == ReaderState.CONNECTED
    finally:
        reader.stop()


def test_frames_split_across_writes_are_parsed(link):
    reads = []
    reader = start_reader(link.port, reads, card_number=hex_tag)
    try:
        for piece in (KNOWN_FRAME[:1], KNOWN_FRAME[1:6], KNOWN_FRAME[6:13], KNOWN_FRAME[13:]):
            link.write(piece)
            time.sleep(0.03)
        assert wait_for(lambda: reads == ["62E3086CED"])
    finally:
        reader.stop()


def test_a_noisy_line_still_yields_every_presentation(link):
    reads = []
    reader = start_reader(link.port, reads, card_number=hex_tag, debounce=0.0)
    try:
        fake = FakeRdm6300(link, noise_seed=7)
        for tag in ("0100BC614E", "62E3086CED", "0100BC614E"):
            fake.present(tag, frames=1)
        assert wait_for(lambda: len(reads) == 3)
        assert reads == ["0100BC614E", "62E3086CED", "0100BC614E"]
        assert reader.stats.garbage_bytes > 0
    finally:
        reader.stop()


def test_unplugged_reader_reports_disconnected_and_keeps_running(link):
    reader = start_reader(link.port, [])
    try:
        link.close()
        assert wait_for(lambda: reader.status().state == ReaderState.DISCONNECTED)
        assert reader.running
    finally:
        reader.stop()
    assert not reader.running
