"""RDM6300 125 kHz RFID reader on a UART (9600 8N1).

Each frame is STX (0x02), 10 ASCII hex characters (5 data bytes: version and tag id), 2 ASCII hex
characters of checksum (XOR of the 5 data bytes) and ETX (0x03). The module repeats the frame as
long as the card lies on the antenna and the line picks up noise when the reader is powered up, so
frames are validated byte by byte and repeats of the same card are folded into one presentation.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import serial

from hardware.readers import Backoff, ReadCallback, ReconnectingReader, StatusCallback, mask

logger = logging.getLogger(__name__)

STX, ETX = 0x02, 0x03
PAYLOAD_LENGTH = 12
_HEX = frozenset(b"0123456789ABCDEFabcdef")


def checksum(data_hex: str) -> int:
    value = 0
    for byte in bytes.fromhex(data_hex):
        value ^= byte
    return value


@dataclass
class ParserStats:
    frames: int = 0
    bad_checksum: int = 0
    malformed: int = 0
    garbage_bytes: int = 0


class Rdm6300Parser:
    """Incremental frame parser: feed bytes in any chunking, get the 10-hex-digit tags of valid frames."""

    def __init__(self) -> None:
        self.stats = ParserStats()
        self._frame: bytearray | None = None

    def feed(self, chunk: bytes) -> list[str]:
        tags: list[str] = []
        for byte in chunk:
            tag = self._feed_byte(byte)
            if tag is not None:
                tags.append(tag)
        return tags

    def reset(self) -> None:
        """Forget a partial frame, e.g. after the port was reopened; the counters stay."""
        self._frame = None

    def _feed_byte(self, byte: int) -> str | None:
        if self._frame is None:
            if byte == STX:
                self._frame = bytearray()
            else:
                self.stats.garbage_bytes += 1
            return None
        if byte == STX:
            self.stats.malformed += 1
            self._frame = bytearray()
            return None
        if byte != ETX:
            self._frame.append(byte)
            if len(self._frame) > PAYLOAD_LENGTH:
                self.stats.malformed += 1
                self._frame = None
            return None
        payload, self._frame = bytes(self._frame), None
        return self._validate(payload)

    def _validate(self, payload: bytes) -> str | None:
        if len(payload) != PAYLOAD_LENGTH or not all(b in _HEX for b in payload):
            self.stats.malformed += 1
            return None
        text = payload.decode("ascii").upper()
        if checksum(text[:10]) != int(text[10:], 16):
            self.stats.bad_checksum += 1
            return None
        self.stats.frames += 1
        return text[:10]


class Debouncer:
    """One read per presentation: a tag seen again within `hold` seconds of its last frame is a repeat."""

    def __init__(self, hold: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.hold = hold
        self._clock = clock
        self._last_tag: str | None = None
        self._last_seen = 0.0

    def accept(self, tag: str) -> bool:
        now = self._clock()
        repeat = tag == self._last_tag and now - self._last_seen < self.hold
        self._last_tag = tag
        self._last_seen = now
        return not repeat


def decimal10(tag: str) -> str:
    """The last 4 bytes as a 10-digit decimal: the number printed on most EM4100 cards."""
    return f"{int(tag[2:], 16):010d}"


def wiegand26(tag: str) -> str:
    """Facility code and card number ("123,45678"), the other common printed form."""
    return f"{int(tag[4:6], 16):03d},{int(tag[6:], 16):05d}"


def hex_tag(tag: str) -> str:
    return tag.upper()


CARD_NUMBER_FORMATS: dict[str, Callable[[str], str]] = {
    "decimal10": decimal10,
    "wiegand26": wiegand26,
    "hex": hex_tag,
}


def card_number_format(name: str) -> Callable[[str], str]:
    try:
        return CARD_NUMBER_FORMATS[name]
    except KeyError:
        raise ValueError(
            f"unknown card number format {name!r}; use one of {', '.join(CARD_NUMBER_FORMATS)}"
        ) from None


class Rdm6300Reader(ReconnectingReader[serial.Serial]):
    """An RDM6300 on a serial port; each card presentation goes to `on_read` as a card number."""

    kind = "card_reader"

    def __init__(
        self,
        port: str,
        on_read: ReadCallback | None = None,
        *,
        card_number: Callable[[str], str] = decimal10,
        debounce: float = 1.0,
        name: str | None = None,
        on_status: StatusCallback | None = None,
        backoff: Backoff | None = None,
        poll_interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(name or f"rdm6300:{port}", on_status, backoff)
        self.port = port
        self.parser = Rdm6300Parser()
        self.debouncer = Debouncer(debounce, clock)
        self._card_number = card_number
        self._on_read = on_read
        self._poll_interval = poll_interval

    @property
    def stats(self) -> ParserStats:
        return self.parser.stats

    def _describe(self) -> str:
        return self.port

    def _open(self) -> serial.Serial:
        self.parser.reset()
        return serial.Serial(self.port, 9600, timeout=self._poll_interval, exclusive=True)

    def _read_once(self, handle: serial.Serial) -> None:
        chunk = handle.read(max(1, handle.in_waiting))
        for tag in self.parser.feed(chunk):
            if not self.debouncer.accept(tag):
                continue
            try:
                number = self._card_number(tag)
            except ValueError:
                logger.warning("%s: cannot map tag %s to a card number", self.name, mask(tag))
                continue
            logger.debug("%s read card %s", self.name, mask(number))
            self._deliver(self._on_read, number)

    def _close(self, handle: serial.Serial) -> None:
        handle.close()
