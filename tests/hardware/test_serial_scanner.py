import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.ptylink import PtyLink
from hardware.readers import Backoff, ReaderState
from hardware.scanners.fake import FakeSerialScanner
from hardware.scanners.serial_scanner import LineFramer, SerialScanner, terminator_bytes
from waiting import wait_for

CODES = st.lists(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E),
                         min_size=1, max_size=30), min_size=1, max_size=8)


def chunked(data, cuts):
    points = sorted({min(c, len(data)) for c in cuts})
    pieces, start = [], 0
    for point in points + [len(data)]:
        pieces.append(data[start:point])
        start = point
    return pieces


@given(CODES, st.sampled_from(["CR", "LF", "CRLF"]), st.lists(st.integers(0, 400), max_size=12))
def test_framer_returns_the_same_codes_however_the_bytes_are_chunked(codes, terminator, cuts):
    end = terminator_bytes(terminator)
    stream = b"".join(code.encode() + end for code in codes)
    framer = LineFramer(end)
    out = [code for piece in chunked(stream, cuts) for code in framer.feed(piece)]
    assert out == codes


def test_framer_joins_a_crlf_split_between_two_reads():
    framer = LineFramer(b"\r\n")
    assert framer.feed(b"8935086\r") == []
    assert framer.feed(b"\n12") == ["8935086"]
    assert framer.feed(b"34\r\n") == ["1234"]


def test_framer_strips_control_bytes_and_counts_them():
    framer = LineFramer(b"\r")
    assert framer.feed(b"\x00\xff97\x1b86\x7f04\r\n\r") == ["978604"]
    assert framer.stats.noise_bytes == 5
    assert framer.stats.empty == 1


def test_framer_drops_an_endless_line_instead_of_growing():
    framer = LineFramer(b"\r", max_length=16)
    assert framer.feed(b"x" * 100) == []
    assert framer.stats.overlong == 1
    assert framer.feed(b"12345\r") == ["12345"]


def test_unknown_terminator_is_rejected():
    with pytest.raises(ValueError, match="unknown terminator"):
        terminator_bytes("NUL")


@pytest.fixture
def link(tmp_path):
    with PtyLink(tmp_path / "ttyScanner") as pair:
        yield pair


def start_scanner(port, reads, terminator="CR", on_status=None):
    scanner = SerialScanner(port, reads.append, terminator=terminator, on_status=on_status,
                            backoff=Backoff(0.02, 0.1), poll_interval=0.02)
    scanner.start()
    assert wait_for(lambda: scanner.status().state == ReaderState.CONNECTED)
    return scanner


def test_scanner_reads_frames_through_a_real_pty_including_a_split_frame_and_garbage(link):
    reads = []
    scanner = start_scanner(link.port, reads, terminator="CRLF")
    try:
        fake = FakeSerialScanner(link, "CRLF")
        fake.scan("9786041234567")
        fake.write_raw(b"89350")
        time.sleep(0.05)
        fake.write_raw(b"86\r")
        time.sleep(0.05)
        fake.write_raw(b"\n\x00\x1b\xfe\r\nABC-1\r\n")
        assert wait_for(lambda: len(reads) == 3)
        assert reads == ["9786041234567", "8935086", "ABC-1"]
        assert scanner.framer.stats.noise_bytes == 3
    finally:
        scanner.stop()
    assert scanner.status().state == ReaderState.UNKNOWN
    assert not scanner.running


def test_port_vanishing_reports_disconnected_and_a_new_port_is_picked_up(tmp_path):
    path = tmp_path / "ttyScanner"
    reads, statuses = [], []
    first = PtyLink(path)
    scanner = start_scanner(str(path), reads, on_status=statuses.append)
    try:
        first.close()
        assert wait_for(lambda: scanner.status().state == ReaderState.DISCONNECTED)
        assert scanner.running
        with PtyLink(path) as second:
            assert wait_for(lambda: scanner.status().state == ReaderState.CONNECTED)
            FakeSerialScanner(second).scan("0001234567")
            assert wait_for(lambda: reads == ["0001234567"])
    finally:
        scanner.stop()
    assert [s.state for s in statuses][:3] == [
        ReaderState.CONNECTED, ReaderState.DISCONNECTED, ReaderState.CONNECTED]


def test_missing_port_is_reported_as_disconnected_not_raised(tmp_path):
    scanner = SerialScanner(str(tmp_path / "absent"), backoff=Backoff(0.02, 0.05))
    scanner.start()
    try:
        assert wait_for(lambda: scanner.status().state == ReaderState.DISCONNECTED)
        assert "absent" in scanner.status().detail
    finally:
        scanner.stop()


def test_a_failing_callback_does_not_stop_the_reader(link):
    reads = []

    def flaky(code):
        if code == "bad1":
            raise RuntimeError("handler bug")
        reads.append(code)

    scanner = SerialScanner(link.port, flaky, poll_interval=0.02)
    scanner.start()
    try:
        assert wait_for(lambda: scanner.status().state == ReaderState.CONNECTED)
        FakeSerialScanner(link).scan("bad1")
        FakeSerialScanner(link).scan("good2")
        assert wait_for(lambda: reads == ["good2"])
        assert scanner.status().state == ReaderState.CONNECTED
    finally:
        scanner.stop()


def test_starting_twice_is_refused(link):
    scanner = SerialScanner(link.port, poll_interval=0.02)
    scanner.start()
    try:
        with pytest.raises(RuntimeError, match="already running"):
            scanner.start()
    finally:
        scanner.stop()
