"""Reading an ESC/POS byte stream back: the commands this package sends, plus DLE EOT.

The recording fake printer uses the incremental scanner to answer status queries without
mistaking raster data for commands (a raster band may well contain the bytes 10 04), and tests
use `raster_images` to rebuild the printed pictures from captured bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Command:
    """One command: `name` is raster, status_query, init, feed, cut or byte."""

    name: str
    args: tuple[int, ...] = ()
    data: bytes = b""


class IncompleteCommand(ValueError):
    """The stream ends in the middle of a command."""


def scan(buf: bytes, pos: int) -> tuple[Command | None, int]:
    """The command starting at `pos` and the position after it; (None, pos) if incomplete."""
    end = len(buf)
    if pos >= end:
        return None, pos
    first = buf[pos]
    if first == 0x10 and buf[pos + 1 : pos + 2] in (b"\x04", b""):
        if pos + 3 > end:
            return None, pos
        return Command("status_query", (buf[pos + 2],)), pos + 3
    if first == 0x1B:
        if pos + 2 > end:
            return None, pos
        if buf[pos + 1] == ord("@"):
            return Command("init"), pos + 2
        if buf[pos + 1] == ord("d"):
            if pos + 3 > end:
                return None, pos
            return Command("feed", (buf[pos + 2],)), pos + 3
        return Command("byte", (first,)), pos + 1
    if first == 0x1D:
        if pos + 2 > end:
            return None, pos
        second = buf[pos + 1]
        if second == ord("V"):
            if pos + 3 > end:
                return None, pos
            mode = buf[pos + 2]
            if mode in (65, 66):
                if pos + 4 > end:
                    return None, pos
                return Command("cut", (mode, buf[pos + 3])), pos + 4
            return Command("cut", (mode,)), pos + 3
        if second == ord("v"):
            if pos + 8 > end:
                return None, pos
            if buf[pos + 2] not in (0x30, 0x00):
                return Command("byte", (first,)), pos + 1
            mode, xl, xh, yl, yh = buf[pos + 3 : pos + 8]
            width_bytes, rows = xl | xh << 8, yl | yh << 8
            stop = pos + 8 + width_bytes * rows
            if stop > end:
                return None, pos
            return Command("raster", (mode, width_bytes, rows), bytes(buf[pos + 8 : stop])), stop
        return Command("byte", (first,)), pos + 1
    return Command("byte", (first,)), pos + 1


def parse(data: bytes) -> list[Command]:
    """Every command in a complete stream; raises IncompleteCommand on a truncated tail."""
    commands: list[Command] = []
    pos = 0
    while pos < len(data):
        command, pos = scan(data, pos)
        if command is None:
            raise IncompleteCommand(f"stream truncated at byte {pos} of {len(data)}")
        commands.append(command)
    return commands


def band_to_bits(command: Command) -> np.ndarray:
    """A raster band as a boolean array (True = black dot), width in dots = 8 * width bytes."""
    _mode, width_bytes, rows = command.args
    packed = np.frombuffer(command.data, dtype=np.uint8).reshape(rows, width_bytes)
    return np.unpackbits(packed, axis=1).astype(bool)


def raster_images(data: bytes) -> list[np.ndarray]:
    """Rebuild each printed image: consecutive bands of equal width are stacked.

    Returns uint8 greyscale arrays (0 black, 255 white), the form barcode decoders expect.
    Status queries between bands do not split an image; any other command does.
    """
    images: list[np.ndarray] = []
    bands: list[np.ndarray] = []

    def flush() -> None:
        if bands:
            images.append(np.where(np.vstack(bands), 0, 255).astype(np.uint8))
            bands.clear()

    for command in parse(data):
        if command.name == "raster":
            bits = band_to_bits(command)
            if bands and bands[-1].shape[1] != bits.shape[1]:
                flush()
            bands.append(bits)
        elif command.name != "status_query":
            flush()
    flush()
    return images
