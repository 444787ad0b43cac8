"""ESC/POS command bytes for a raster-printed slip.

Slips are sent as `GS v 0` raster bit images because the printers' text code pages cannot
print Vietnamese reliably. Tall images are split into bands: cheap printers have small receive
buffers, and a band height that fits one byte (yH = 0) is accepted by every model we know.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

ESC = b"\x1b"
GS = b"\x1d"
INITIALIZE = ESC + b"@"
RASTER_PREFIX = GS + b"v0"
MAX_BAND_ROWS = 255
MAX_WIDTH_BYTES = 0xFFFF


def feed_lines(lines: int) -> bytes:
    """ESC d n: print the buffer and feed `lines` lines."""
    if not 0 <= lines <= 255:
        raise ValueError(f"feed must be 0..255 lines, got {lines}")
    return ESC + b"d" + bytes([lines])


def cut(partial: bool = False) -> bytes:
    """GS V m: cut the paper (m=0 full, m=1 partial)."""
    return GS + b"V" + (b"\x01" if partial else b"\x00")


def image_to_bits(image: Image.Image) -> np.ndarray:
    """A boolean array, True where the printer should burn a dot (black pixel)."""
    if image.mode != "1":
        image = image.convert("L").point(lambda v: 255 if v >= 128 else 0, mode="1")
    return ~np.asarray(image, dtype=bool)


def raster_band(bits: np.ndarray) -> bytes:
    """One `GS v 0` command (normal density, m=0) for a band of at most 65535 rows."""
    rows, columns = bits.shape
    if rows == 0 or columns == 0:
        raise ValueError("a raster band needs at least one row and one column")
    width_bytes = (columns + 7) // 8
    if width_bytes > MAX_WIDTH_BYTES or rows > 0xFFFF:
        raise ValueError(f"raster band too large: {columns}x{rows}")
    packed = np.packbits(bits, axis=1)
    header = RASTER_PREFIX + bytes(
        [0, width_bytes & 0xFF, width_bytes >> 8, rows & 0xFF, rows >> 8]
    )
    return header + packed.tobytes()


def raster_image(image: Image.Image, band_rows: int = MAX_BAND_ROWS) -> bytes:
    """The whole image as consecutive `GS v 0` bands of at most `band_rows` rows."""
    if not 0 < band_rows <= 0xFFFF:
        raise ValueError(f"band height must be 1..65535, got {band_rows}")
    bits = image_to_bits(image)
    return b"".join(
        raster_band(bits[top : top + band_rows]) for top in range(0, bits.shape[0], band_rows)
    )


def slip_job(image: Image.Image, *, feed: int = 4, partial_cut: bool = False) -> bytes:
    """A complete print job: reset, the raster image, a feed past the cutter, and a cut."""
    return INITIALIZE + raster_image(image) + feed_lines(feed) + cut(partial_cut)
