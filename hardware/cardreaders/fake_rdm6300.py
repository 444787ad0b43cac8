"""A fake RDM6300 that writes real frames, with correct checksums, into a `PtyLink`.

It lets the real reader, the CLI and a demo kiosk run through pyserial with no hardware, and can
add the power-up noise and corrupted frames a real UART line produces.
"""

from __future__ import annotations

import random
import threading

from hardware.cardreaders.rdm6300 import ETX, STX, checksum
from hardware.ptylink import PtyLink


def encode_frame(tag: str) -> bytes:
    """The exact bytes an RDM6300 sends for a 10-hex-digit tag."""
    tag = tag.upper()
    if len(tag) != 10:
        raise ValueError("an RDM6300 tag has 10 hex digits")
    return bytes([STX]) + f"{tag}{checksum(tag):02X}".encode("ascii") + bytes([ETX])


def tag_for_card(card_number: int, version: int = 0x01) -> str:
    """The tag whose last 4 bytes are `card_number`, as printed (decimal10) on the card."""
    return f"{version:02X}{card_number:08X}"


class FakeRdm6300:
    def __init__(self, link: PtyLink, noise_seed: int | None = None) -> None:
        self.link = link
        self._random = random.Random(noise_seed) if noise_seed is not None else None

    @property
    def port(self) -> str:
        return self.link.port

    def present(self, tag: str, frames: int = 3, interval: float = 0.0,
                stop: threading.Event | None = None) -> None:
        """Hold a card on the antenna for `frames` repeats, `interval` seconds apart."""
        waiter = stop or threading.Event()
        for index in range(frames):
            if index and waiter.wait(interval):
                return
            self.link.write(self._noise() + encode_frame(tag))

    def hold(self, tag: str, stop: threading.Event, interval: float = 0.05) -> None:
        """Keep presenting until `stop` is set, like a card left on the reader."""
        while not stop.is_set():
            self.link.write(self._noise() + encode_frame(tag))
            stop.wait(interval)

    def write_raw(self, data: bytes) -> None:
        self.link.write(data)

    def _noise(self) -> bytes:
        if self._random is None:
            return b""
        length = self._random.randint(0, 6)
        return bytes(self._random.choice(b"\x00\xff\x7fAZ09\x03\r\n") for _ in range(length))
