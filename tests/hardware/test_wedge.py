import errno
import os
import subprocess
import sys
import threading
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from hardware.readers import Backoff, ReaderState
from hardware.scanners.evdev_wedge import (
    EV_KEY,
    KEYMAP,
    EvdevWedgeReader,
    ScanAssembler,
    decode_events,
    decode_key,
)
from hardware.scanners.fake import HUMAN_INTERVAL, keystrokes
from hardware.scanners.wedge import ENTER, TAB, KeystrokeScanDetector, WedgeSettings
from waiting import wait_for

SCAN_CHARS = st.characters(min_codepoint=0x21, max_codepoint=0x7E)


def run(detector, strokes, end=None):
    """Feed strokes; return (scans, keys delivered to the application in order)."""
    scans, delivered, last = [], [], 0.0
    for key, stamp in strokes:
        verdict = detector.feed(key, stamp)
        delivered += [s.key for s in verdict.release]
        if not verdict.hold:
            delivered.append(key)
        scans += verdict.scans
        last = stamp
    verdict = detector.flush((end if end is not None else last) + 1.0)
    delivered += [s.key for s in verdict.release]
    scans += verdict.scans
    return scans, delivered


def test_scanner_speed_keys_with_enter_become_one_scan_and_are_swallowed():
    scans, delivered = run(KeystrokeScanDetector(), keystrokes("9786041234567"))
    assert scans == ["9786041234567"]
    assert delivered == []


def test_human_typing_is_passed_through_in_order():
    scans, delivered = run(KeystrokeScanDetector(), keystrokes("dd hoa", interval=HUMAN_INTERVAL))
    assert scans == []
    assert delivered == list("dd hoa") + [ENTER]


def test_typing_followed_by_a_scan_keeps_both_apart():
    detector = KeystrokeScanDetector()
    typed = list(keystrokes("ab", start=0.0, interval=HUMAN_INTERVAL, suffix=None))
    scanned = list(keystrokes("12345678", start=1.0))
    scans, delivered = run(detector, typed + scanned)
    assert scans == ["12345678"]
    assert delivered == ["a", "b"]


def test_a_fast_burst_shorter_than_min_length_counts_as_typing():
    scans, delivered = run(KeystrokeScanDetector(WedgeSettings(min_length=4)), keystrokes("ok"))
    assert scans == []
    assert delivered == ["o", "k", ENTER]


def test_tab_suffix_ends_a_scan_when_configured():
    detector = KeystrokeScanDetector(WedgeSettings(suffix=(TAB,)))
    assert run(detector, keystrokes("0001234567", suffix=TAB))[0] == ["0001234567"]
    scans, delivered = run(detector, keystrokes("0001234567", start=5.0, suffix=ENTER))
    assert scans == []
    assert delivered == list("0001234567") + [ENTER]


def test_prefix_is_required_and_stripped():
    detector = KeystrokeScanDetector(WedgeSettings(prefix="]C"))
    assert run(detector, keystrokes("ABC-123", prefix="]C"))[0] == ["ABC-123"]
    scans, delivered = run(detector, keystrokes("ABC-123", start=5.0))
    assert scans == []
    assert "".join(delivered[:-1]) == "ABC-123"


def test_a_scan_without_suffix_ends_when_the_keys_stop():
    detector = KeystrokeScanDetector(WedgeSettings(suffix=()))
    strokes = list(keystrokes("12345678", suffix=None))
    for key, stamp in strokes:
        assert detector.feed(key, stamp).hold
    assert detector.flush(strokes[-1][1] + 0.001).scans == ()
    assert detector.flush(detector.deadline() + 0.001).scans == ("12345678",)
    assert not detector.pending


def test_a_non_character_key_in_a_burst_releases_the_held_keys():
    detector = KeystrokeScanDetector()
    strokes = list(keystrokes("1234", suffix=None)) + [("Backspace", 0.04)]
    scans, delivered = run(detector, strokes)
    assert scans == []
    assert delivered == ["1", "2", "3", "4", "Backspace"]


def test_an_overlong_burst_is_released_as_typing():
    detector = KeystrokeScanDetector(WedgeSettings(max_length=5))
    scans, delivered = run(detector, keystrokes("1234567"))
    assert scans == []
    assert delivered == list("1234567") + [ENTER]


@given(st.text(alphabet=SCAN_CHARS, min_size=4, max_size=40))
def test_any_printable_code_typed_at_scanner_speed_is_scanned_exactly(code):
    scans, delivered = run(KeystrokeScanDetector(), keystrokes(code, interval=0.008))
    assert scans == [code]
    assert delivered == []


@given(st.text(alphabet=SCAN_CHARS, min_size=1, max_size=30),
       st.floats(min_value=0.031, max_value=0.5))
def test_anything_typed_at_human_speed_reaches_the_application_unchanged(text, interval):
    scans, delivered = run(KeystrokeScanDetector(), keystrokes(text, interval=interval))
    assert scans == []
    assert delivered == list(text) + [ENTER]


def key_events(text, start=0.0, interval=0.008, suffix_code=28):
    """(type, code, value, timestamp) events for `text` typed on a US-layout scanner."""
    reverse = {}
    for code, (low, high) in KEYMAP.items():
        reverse.setdefault(low, (code, False))
        reverse.setdefault(high, (code, True))
    events, stamp = [], start
    for char in text:
        code, shifted = reverse[char]
        if shifted:
            events.append((EV_KEY, 42, 1, stamp))
        events += [(EV_KEY, code, 1, stamp), (0, 0, 0, stamp), (EV_KEY, code, 0, stamp)]
        if shifted:
            events.append((EV_KEY, 42, 0, stamp))
        stamp += interval
    events += [(EV_KEY, suffix_code, 1, stamp), (EV_KEY, suffix_code, 0, stamp)]
    return events


def test_keymap_agrees_with_the_kernel_key_codes():
    from evdev import ecodes

    assert ecodes.KEY_A == 30 and KEYMAP[ecodes.KEY_A] == ("a", "A")
    assert KEYMAP[ecodes.KEY_1] == ("1", "!") and KEYMAP[ecodes.KEY_0] == ("0", ")")
    assert KEYMAP[ecodes.KEY_MINUS] == ("-", "_") and KEYMAP[ecodes.KEY_SLASH] == ("/", "?")
    assert KEYMAP[ecodes.KEY_KP5] == ("5", "5") and KEYMAP[ecodes.KEY_Z] == ("z", "Z")
    assert decode_key(ecodes.KEY_ENTER) == ENTER and decode_key(ecodes.KEY_KPENTER) == ENTER
    assert decode_key(ecodes.KEY_TAB) == TAB and decode_key(ecodes.KEY_F1) is None


def test_evdev_events_decode_with_shift_digits_letters_and_punctuation():
    code = "ISBN 978-604-1/x:Q"
    assert decode_events(key_events(code)) == [code]


def test_evdev_decoding_honours_caps_lock_for_letters_only():
    events = [(EV_KEY, 58, 1, 0.0), (EV_KEY, 58, 0, 0.0)] + key_events("ab1")
    assert decode_events(events) == ["AB1"]


def test_evdev_key_repeats_and_non_key_events_are_ignored():
    events = key_events("12")
    events.insert(1, (EV_KEY, 2, 2, 0.0))
    events.insert(1, (4, 4, 458782, 0.0))
    assert decode_events(events) == ["12"]


def test_evdev_fragment_whose_suffix_was_lost_is_discarded_after_a_pause():
    assembler = ScanAssembler(idle_timeout=0.5)
    for event in key_events("999", suffix_code=0)[:-2]:
        assert assembler.feed(*event) is None
    results = [assembler.feed(*event) for event in key_events("1234", start=5.0)]
    assert [r for r in results if r] == ["1234"]


class FakeInputEvent:
    def __init__(self, ev_type, code, value, stamp):
        self.type, self.code, self.value, self._stamp = ev_type, code, value, stamp

    def timestamp(self):
        return self._stamp


class FakeInputDevice:
    """Behaves like evdev.InputDevice over a pipe: readable when events are queued, ENODEV when unplugged."""

    def __init__(self):
        self._read_fd, self._write_fd = os.pipe()
        self._events = []
        self._lock = threading.Lock()
        self.grabbed = False
        self.unplugged = False
        self.closed = False

    def fileno(self):
        return self._read_fd

    def grab(self):
        self.grabbed = True

    def ungrab(self):
        self.grabbed = False

    def push(self, events):
        with self._lock:
            self._events += [FakeInputEvent(*event) for event in events]
        os.write(self._write_fd, b"x")

    def unplug(self):
        self.unplugged = True
        os.write(self._write_fd, b"x")

    def read(self):
        os.read(self._read_fd, 4096)
        if self.unplugged:
            raise OSError(errno.ENODEV, "No such device")
        with self._lock:
            events, self._events = self._events, []
        if not events:
            raise BlockingIOError(errno.EAGAIN, "no events")
        return iter(events)

    def close(self):
        self.closed = True
        os.close(self._read_fd)
        os.close(self._write_fd)


def test_evdev_reader_grabs_reads_and_survives_the_device_disappearing():
    devices, reads = [], []
    present = threading.Event()
    present.set()

    def opener(path):
        if not present.is_set():
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        devices.append(FakeInputDevice())
        return devices[-1]

    reader = EvdevWedgeReader("/dev/input/event-test", reads.append, opener=opener,
                              backoff=Backoff(0.02, 0.05), poll_interval=0.02)
    reader.start()
    try:
        assert wait_for(lambda: reader.status().state == ReaderState.CONNECTED)
        assert devices[0].grabbed
        devices[0].push(key_events("8935086"))
        assert wait_for(lambda: reads == ["8935086"])
        present.clear()
        devices[0].unplug()
        assert wait_for(lambda: reader.status().state == ReaderState.DISCONNECTED)
        assert devices[0].closed and reader.running
        present.set()
        assert wait_for(lambda: reader.status().state == ReaderState.CONNECTED)
        devices[-1].push(key_events("0001234567"))
        assert wait_for(lambda: reads == ["8935086", "0001234567"])
    finally:
        reader.stop()
    assert not reader.running
    assert devices[-1].closed and not devices[-1].grabbed


def test_reader_modules_load_without_qt_or_evdev():
    code = (
        "import sys, hardware.devices, hardware.cli, hardware.scanners.wedge\n"
        "loaded = [m for m in ('PySide6', 'evdev', 'pyudev') if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=30, check=True, cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == ""
