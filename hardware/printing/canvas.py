"""Drawing primitives for slips: wrapped Vietnamese text, rules, Code128 and QR codes.

A slip is built top to bottom as a stack of full-width blocks, then thresholded to a 1-bit
image. Text is drawn with DejaVu Sans (it has every precomposed Vietnamese letter); barcodes
are drawn from their module patterns at a whole number of dots per module, because scaled,
resampled bars are what makes thermal barcodes unreadable.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import barcode
import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFont

from .slips import nfc

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
)
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
FONT_DIR_ENV = "KIOSK_SLIP_FONT_DIR"
MARGIN = 8
LINE_GAP = 4
QUIET_MODULES = 10
TALL_LETTERS = "ẤẦẨẪẬỖỠỮỸ"


class FontMissing(RuntimeError):
    """DejaVu Sans is not installed (Debian package fonts-dejavu-core)."""


@functools.lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The slip font; the directory can be overridden by $KIOSK_SLIP_FONT_DIR."""
    override = os.environ.get(FONT_DIR_ENV)
    dirs = (Path(override),) if override else FONT_DIRS
    for directory in dirs:
        path = directory / FONT_FILES[bold]
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    raise FontMissing(f"{FONT_FILES[bold]} not found in {', '.join(map(str, dirs))}")


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap to `width` pixels; a word longer than a line is split by characters."""
    lines: list[str] = []
    for paragraph in nfc(text).split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if face.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in word:
                if face.getlength(line + char) > width and line:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    return lines


def code128_modules(data: str) -> str:
    """The Code128 bar pattern ('1' = bar) including start, check and stop symbols."""
    return barcode.get("code128", data).build()[0]


def qr_matrix(data: str) -> np.ndarray:
    """The QR module matrix (True = dark) with the standard 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return np.array(code.get_matrix(), dtype=bool)


class Canvas:
    """A growing slip of fixed width in printer dots."""

    def __init__(self, width: int) -> None:
        if width < 128:
            raise ValueError(f"slip width {width} dots is too narrow")
        self.width = width
        self.inner = width - 2 * MARGIN
        self._blocks: list[Image.Image] = []

    def _add(self, block: Image.Image) -> None:
        self._blocks.append(block)

    def space(self, height: int) -> None:
        self._add(Image.new("L", (self.width, height), 255))

    def text(self, text: str, size: int = 22, *, bold: bool = False, align: str = "left") -> None:
        face = font(size, bold)
        ascent, descent = face.getmetrics()
        top = max(0, -face.getbbox(TALL_LETTERS)[1]) + 1
        line_height = top + ascent + descent + LINE_GAP
        for line in wrap(text, face, self.inner):
            block = Image.new("L", (self.width, line_height), 255)
            length = face.getlength(line)
            if align == "center":
                x = MARGIN + (self.inner - length) / 2
            elif align == "right":
                x = MARGIN + self.inner - length
            else:
                x = MARGIN
            ImageDraw.Draw(block).text((x, top), line, font=face, fill=0)
            self._add(block)

    def rule(self, thickness: int = 2, dashed: bool = True) -> None:
        block = Image.new("L", (self.width, thickness + 12), 255)
        draw = ImageDraw.Draw(block)
        step = 8 if dashed else self.inner
        for x in range(MARGIN, MARGIN + self.inner, step):
            end = min(x + (4 if dashed else self.inner), MARGIN + self.inner) - 1
            draw.rectangle((x, 6, end, 6 + thickness - 1), fill=0)
        self._add(block)

    def code128(self, data: str, height: int = 80, *, max_module: int = 3) -> None:
        """A Code128 centred with its quiet zones; the widest whole-dot module that fits."""
        modules = code128_modules(data)
        module = min(max_module, self.width // (len(modules) + 2 * QUIET_MODULES))
        if module < 1:
            raise ValueError(f"barcode {data!r} is too long for a {self.width}-dot slip")
        bars = np.repeat(np.array([c == "1" for c in modules]), module)
        row = np.full(self.width, 255, dtype=np.uint8)
        left = (self.width - bars.size) // 2
        row[left : left + bars.size][bars] = 0
        self._add(Image.fromarray(np.tile(row, (height, 1)), mode="L"))

    def qr(self, data: str, *, max_box: int = 6, max_fraction: float = 0.6) -> None:
        """A QR code centred, scaled by a whole number of dots per module."""
        matrix = qr_matrix(data)
        box = max(1, min(max_box, int(self.width * max_fraction) // matrix.shape[0]))
        scaled = np.kron(matrix, np.ones((box, box), dtype=bool))
        block = np.full((scaled.shape[0], self.width), 255, dtype=np.uint8)
        left = (self.width - scaled.shape[1]) // 2
        block[:, left : left + scaled.shape[1]][scaled] = 0
        self._add(Image.fromarray(block, mode="L"))

    def ruler(self) -> None:
        """A full-width bar with ticks every 8 dots: shows whether the printer clips the edges."""
        block = np.full((24, self.width), 255, dtype=np.uint8)
        block[:8, :] = 0
        for x in range(0, self.width, 8):
            block[8 : 16 if x % 64 else 24, x : x + 2] = 0
        block[8:24, self.width - 2 :] = 0
        self._add(Image.fromarray(block, mode="L"))

    def image(self) -> Image.Image:
        """The slip as a 1-bit image: black where the printer burns a dot."""
        height = sum(block.height for block in self._blocks) or 1
        sheet = Image.new("L", (self.width, height), 255)
        top = 0
        for block in self._blocks:
            sheet.paste(block, (0, top))
            top += block.height
        return sheet.point(lambda v: 255 if v >= 128 else 0, mode="1")
