"""Wedge scanners and HID card readers read straight from the kernel through evdev.

Reading /dev/input/eventN with an exclusive grab takes the scanner's keystrokes away from the
desktop, so the Vietnamese input method (Telex turns "dd" into "đ" and "aa" into "â") never sees
them and cannot rewrite a barcode. Keycodes are mapped to characters for a US layout, the layout
scanners emulate out of the box. The decoding is pure Python over plain integers so it is tested
without a device; python-evdev is only imported when a device is opened.
"""

from __future__ import annotations

import logging
import select
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from hardware.readers import Backoff, ReadCallback, ReconnectingReader, StatusCallback, mask
from hardware.scanners.wedge import ENTER, TAB

logger = logging.getLogger(__name__)

EV_KEY = 1
KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2
KEY_LEFTSHIFT, KEY_RIGHTSHIFT, KEY_CAPSLOCK = 42, 54, 58

_ROWS: tuple[tuple[int, str, str], ...] = (
    (2, "1234567890-=", "!@#$%^&*()_+"),
    (16, "qwertyuiop[]", "QWERTYUIOP{}"),
    (30, "asdfghjkl;'`", 'ASDFGHJKL:"~'),
    (43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
)
_KEYPAD = {55: "*", 71: "7", 72: "8", 73: "9", 74: "-", 75: "4", 76: "5", 77: "6", 78: "+",
           79: "1", 80: "2", 81: "3", 82: "0", 83: ".", 98: "/"}
_NAMED = {28: ENTER, 96: ENTER, 15: TAB, 14: "Backspace", 1: "Escape"}


def _build_keymap() -> dict[int, tuple[str, str]]:
    keymap: dict[int, tuple[str, str]] = {57: (" ", " ")}
    for first_code, plain, shifted in _ROWS:
        for offset, (low, high) in enumerate(zip(plain, shifted, strict=True)):
            keymap[first_code + offset] = (low, high)
    for code, char in _KEYPAD.items():
        keymap[code] = (char, char)
    return keymap


KEYMAP = _build_keymap()


def decode_key(code: int, shift: bool = False, capslock: bool = False) -> str | None:
    """The character or key name (Enter, Tab, ...) for a key press, or None for unmapped keys."""
    if code in _NAMED:
        return _NAMED[code]
    pair = KEYMAP.get(code)
    if pair is None:
        return None
    low, high = pair
    if low.isalpha() and capslock:
        shift = not shift
    return high if shift else low


class ScanAssembler:
    """Turns a stream of key events from a grabbed scanner into complete codes.

    Everything from a grabbed device is scanner output, so no timing test is needed to tell it from
    typing; a gap longer than `idle_timeout` only discards a fragment whose suffix was lost.
    """

    def __init__(self, suffix: Iterable[str] = (ENTER,), idle_timeout: float = 0.5,
                 max_length: int = 128) -> None:
        self.suffix = frozenset(suffix)
        self.idle_timeout = idle_timeout
        self.max_length = max_length
        self._chars: list[str] = []
        self._last = 0.0
        self._shift: set[int] = set()
        self._capslock = False

    def feed(self, ev_type: int, code: int, value: int, timestamp: float) -> str | None:
        if ev_type != EV_KEY:
            return None
        if code in (KEY_LEFTSHIFT, KEY_RIGHTSHIFT):
            if value == KEY_UP:
                self._shift.discard(code)
            else:
                self._shift.add(code)
            return None
        if value != KEY_DOWN:
            return None
        if code == KEY_CAPSLOCK:
            self._capslock = not self._capslock
            return None
        if self._chars and timestamp - self._last > self.idle_timeout:
            self._chars.clear()
        self._last = timestamp
        key = decode_key(code, bool(self._shift), self._capslock)
        if key is None:
            return None
        if key in self.suffix:
            code_text = "".join(self._chars).strip()
            self._chars.clear()
            return code_text or None
        if len(key) == 1 and len(self._chars) < self.max_length:
            self._chars.append(key)
        return None


def decode_events(events: Iterable[tuple[int, int, int, float]],
                  suffix: Iterable[str] = (ENTER,)) -> list[str]:
    """All complete codes in a sequence of (type, code, value, timestamp) events."""
    assembler = ScanAssembler(suffix)
    codes = (assembler.feed(*event) for event in events)
    return [code for code in codes if code is not None]


class InputDeviceLike(Protocol):
    """The part of evdev.InputDevice this reader uses."""

    def fileno(self) -> int: ...

    def grab(self) -> None: ...

    def ungrab(self) -> None: ...

    def read(self) -> Iterable[Any]: ...

    def close(self) -> None: ...


def _open_evdev(path: str) -> InputDeviceLike:
    import evdev

    return evdev.InputDevice(path)


class EvdevWedgeReader(ReconnectingReader[InputDeviceLike]):
    """One grabbed input device (scanner or HID card reader) delivering codes to `on_read`."""

    kind = "scanner"

    def __init__(
        self,
        path: str,
        on_read: ReadCallback | None = None,
        *,
        suffix: Iterable[str] = (ENTER,),
        name: str | None = None,
        kind: str = "scanner",
        on_status: StatusCallback | None = None,
        backoff: Backoff | None = None,
        poll_interval: float = 0.1,
        opener: Callable[[str], InputDeviceLike] = _open_evdev,
    ) -> None:
        super().__init__(name or f"evdev:{path}", on_status, backoff)
        self.kind = kind
        self.path = path
        self._suffix = tuple(suffix)
        self._on_read = on_read
        self._poll_interval = poll_interval
        self._opener = opener
        self._assembler = ScanAssembler(self._suffix)

    def _describe(self) -> str:
        return self.path

    def _open(self) -> InputDeviceLike:
        device = self._opener(self.path)
        try:
            device.grab()
        except OSError:
            device.close()
            raise
        self._assembler = ScanAssembler(self._suffix)
        return device

    def _read_once(self, handle: InputDeviceLike) -> None:
        ready, _, _ = select.select([handle.fileno()], [], [], self._poll_interval)
        if not ready:
            return
        try:
            events = list(handle.read())
        except BlockingIOError:
            return
        for event in events:
            code = self._assembler.feed(event.type, event.code, event.value, event.timestamp())
            if code is not None:
                logger.debug("%s read %s", self.name, mask(code))
                self._deliver(self._on_read, code)

    def _close(self, handle: InputDeviceLike) -> None:
        try:
            handle.ungrab()
        except OSError:
            pass
        handle.close()
