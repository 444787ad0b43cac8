"""Decode library barcodes (ISBN/EAN, UPC, Code128 item ids, QR patron cards) from camera images.

Measured on the degraded set of `hardware.testimages` (see `bench/barcode_compare.py`): zxing-cpp
reads most images fastest, so it runs first and alone on the common case. Only when it finds
nothing do we try preprocessed variants (local contrast equalisation, upscaling, deskewing,
sharpening, contrast stretch) with zxing and with zbar, which reads faint codes zxing gives up on.

A misread is worse than a miss: a wrong ISBN lends the wrong book. Every EAN/UPC result must carry
a valid check digit, and because one digit in ten passes that check by chance, an EAN/UPC read from
a preprocessed variant is only returned when a second, independent decoding agrees with it.
Code128 (mod-103 checksum) and QR (Reed-Solomon) are self-checking strongly enough to stand alone.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

log = logging.getLogger(__name__)

DEFAULT_FORMATS = frozenset({"EAN13", "EAN8", "UPCA", "CODE128", "CODE39", "QR"})
WEAK_FORMATS = frozenset({"EAN13", "EAN8", "UPCA"})
SELF_CHECKING_FORMATS = frozenset({"QR"})
MIN_PIXELS_PER_MODULE = 1.6

_ZXING_NAMES = {"EAN13": "EAN13", "EAN8": "EAN8", "UPCA": "UPCA", "Code128": "CODE128",
                "Code39": "CODE39", "Code39Std": "CODE39", "Code39Ext": "CODE39", "QRCode": "QR",
                "QRCodeModel2": "QR", "QRCodeModel1": "QR"}
_TO_ZXING = {"EAN13": "EAN13", "EAN8": "EAN8", "UPCA": "UPCA", "CODE128": "Code128",
             "CODE39": "Code39", "QR": "QRCode"}
_ZBAR_NAMES = {"EAN13": "EAN13", "EAN8": "EAN8", "UPCA": "UPCA", "CODE128": "CODE128",
               "CODE39": "CODE39", "QRCODE": "QR"}
_TO_ZBAR = {"EAN13": pyzbar.ZBarSymbol.EAN13, "EAN8": pyzbar.ZBarSymbol.EAN8,
            "UPCA": pyzbar.ZBarSymbol.UPCA, "CODE128": pyzbar.ZBarSymbol.CODE128,
            "CODE39": pyzbar.ZBarSymbol.CODE39, "QR": pyzbar.ZBarSymbol.QRCODE}


@dataclass(frozen=True)
class BarcodeResult:
    """One decoded code. `decoder` names the pass that produced it and `box` (x0, y0, x1, y1) where
    it was found, when known; both are diagnostics and take no part in equality."""

    text: str
    format: str
    decoder: str = field(default="zxing", compare=False)
    box: tuple[int, int, int, int] | None = field(default=None, compare=False)


def gtin_valid(digits: str) -> bool:
    """True when an EAN-8, UPC-A or EAN-13 (hence ISBN-13) string has a correct check digit."""
    if not digits.isdigit() or len(digits) not in (8, 12, 13):
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(reversed(digits[:-1]), start=1))
    return (10 - total % 10) % 10 == int(digits[-1])


def normalise(text: str, fmt: str) -> BarcodeResult | None:
    """Map a decoder's answer onto our conventions, or None when it fails validation.

    UPC-A is an EAN-13 with a leading zero; decoders report it either way, so it is always
    returned as UPCA with its 12 digits.
    """
    if not text:
        return None
    if fmt == "EAN13" and len(text) == 13 and text.startswith("0"):
        fmt, text = "UPCA", text[1:]
    if fmt in WEAK_FORMATS:
        expected = {"EAN13": 13, "UPCA": 12, "EAN8": 8}[fmt]
        if len(text) != expected or not gtin_valid(text):
            return None
    elif not text.isprintable() or (fmt != "QR" and not text.isascii()):
        return None
    return BarcodeResult(text, fmt)


def _to_gray(image: np.ndarray) -> np.ndarray:
    if image.dtype != np.uint8:
        raise TypeError(f"expected a uint8 image, got {image.dtype}")
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] == 1:
        return image[:, :, 0]
    if image.ndim == 3 and image.shape[2] == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    raise ValueError(f"unsupported image shape {image.shape}")


class _Readers:
    """The two decoding engines, bound to one set of wanted formats."""

    def __init__(self, formats: frozenset[str]):
        self.formats = formats
        self._zx_formats = zxingcpp.barcode_formats_from_str(",".join(_TO_ZXING[f] for f in sorted(formats)))
        self._zbar_symbols = [_TO_ZBAR[f] for f in sorted(formats)]

    def zxing(self, gray: np.ndarray) -> list[BarcodeResult]:
        return self.zxing_measured(gray)[0]

    def zxing_measured(self, gray: np.ndarray) -> tuple[list[BarcodeResult], dict[BarcodeResult, float]]:
        """Results plus each code's length in pixels along its reading direction."""
        found = zxingcpp.read_barcodes(gray, formats=self._zx_formats)
        results = self._keep((b.text, _ZXING_NAMES.get(b.format.name, b.format.name), _box(b.position))
                             for b in found)
        lengths: dict[BarcodeResult, float] = {}
        for b in found:
            p = b.position
            length = max(np.hypot(p.top_right.x - p.top_left.x, p.top_right.y - p.top_left.y),
                         np.hypot(p.bottom_right.x - p.bottom_left.x, p.bottom_right.y - p.bottom_left.y))
            for result in results:
                if result.text in (b.text, b.text[1:]):
                    lengths[result] = max(lengths.get(result, 0.0), float(length))
        return results, lengths

    def zbar(self, gray: np.ndarray) -> list[BarcodeResult]:
        answers = []
        for symbol in pyzbar.decode(gray, symbols=self._zbar_symbols):
            try:
                text = symbol.data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            r = symbol.rect
            box = (r.left, r.top, r.left + r.width, r.top + r.height)
            answers.append((text, _ZBAR_NAMES.get(symbol.type, symbol.type), box))
        return self._keep(answers)

    def _keep(self, answers: Iterable[tuple[str, str, tuple[int, int, int, int]]]) -> list[BarcodeResult]:
        results = []
        for text, fmt, box in answers:
            result = normalise(text, fmt)
            if result is not None and result.format in self.formats:
                results.append(replace(result, box=box))
        return results


def _box(position) -> tuple[int, int, int, int]:
    corners = [position.top_left, position.top_right, position.bottom_right, position.bottom_left]
    xs, ys = [p.x for p in corners], [p.y for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _rotate(gray: np.ndarray, degrees: float) -> np.ndarray:
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos) + 1, int(h * cos + w * sin) + 1
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(gray, m, (nw, nh), borderValue=int(np.median(gray)))


def _deskew(gray: np.ndarray) -> np.ndarray:
    """Turn the dominant edge direction (the bars of a linear code) upright.

    zxing scans rows and columns, so a linear code far from 0 or 90 degrees is missed; the
    structure tensor gives the bar angle in one cheap pass.
    """
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA) if max(gray.shape) > 400 else gray
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1, ksize=3)
    angle = 0.5 * np.degrees(np.arctan2(2 * float((gx * gy).sum()), float((gx * gx - gy * gy).sum())))
    return _rotate(gray, angle)


def _rotate45(gray: np.ndarray) -> np.ndarray:
    return _rotate(gray, 45)


def _sharpen(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 2.5, cv2.GaussianBlur(gray, (0, 0), 2.0), -1.5, 0)


def _sharpen_light(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 2.0, cv2.GaussianBlur(gray, (0, 0), 1.2), -1.0, 0)


def _upscale(gray: np.ndarray) -> np.ndarray:
    """Linear 2x upscaling helps thin modules and, by widening zxing's local window, heavy noise."""
    return cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_LINEAR)


def _stretch(gray: np.ndarray) -> np.ndarray:
    lo, hi = np.percentile(gray, (1, 99))
    scaled = (gray.astype(np.float32) - lo) * (255.0 / max(float(hi - lo), 1.0))
    return np.clip(scaled, 0, 255).astype(np.uint8)


def _smooth(gray: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(gray, (0, 0), 1.0)


def _clahe(gray: np.ndarray) -> np.ndarray:
    """Local contrast equalisation: lifts faint codes under uneven light without a global threshold."""
    return cv2.createCLAHE(clipLimit=4.0, tileGridSize=(4, 4)).apply(gray)


_STEPS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "deskew": _deskew, "rotate45": _rotate45, "sharpen": _sharpen, "sharpen_light": _sharpen_light,
    "upscale": _upscale, "stretch": _stretch, "smooth": _smooth, "clahe": _clahe,
}

# Rescue passes, run in order only when plain zxing finds nothing: (preprocessing chain, engine).
# The order is a greedy cover measured on the hard set, best gain per millisecond first.
_PASSES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("smooth", "clahe"), "zxing"),
    (("upscale",), "zxing"),
    (("smooth", "stretch"), "zbar"),
    (("deskew", "sharpen"), "zxing"),
    (("deskew",), "zxing"),
    (("sharpen",), "zxing"),
    (("upscale", "sharpen"), "zxing"),
    (("stretch", "sharpen"), "zxing"),
    (("deskew",), "zbar"),
    (("deskew", "stretch"), "zbar"),
    (("sharpen_light",), "zxing"),
    (("rotate45",), "zxing"),
    (("upscale",), "zbar"),
)


class _Variants:
    """Preprocessed images of one input, each chain computed at most once per decode."""

    def __init__(self, gray: np.ndarray):
        self._cache: dict[tuple[str, ...], np.ndarray] = {(): gray}

    def get(self, chain: tuple[str, ...]) -> np.ndarray:
        if chain not in self._cache:
            self._cache[chain] = _STEPS[chain[-1]](self.get(chain[:-1]))
        return self._cache[chain]


class _Ballot:
    """Collects readings by family (see `_family`): two passes over related images can repeat one
    misread, so they count once. QR's Reed-Solomon code is trusted from one reading; a linear code read from a
    preprocessed image needs two families to agree."""

    def __init__(self) -> None:
        self._families: dict[BarcodeResult, set[tuple[str, str]]] = {}
        self._first: dict[BarcodeResult, BarcodeResult] = {}
        self._vouched: set[BarcodeResult] = set()

    def add(self, results: Iterable[BarcodeResult], family: tuple[str, str], decoder: str,
            vouch: Callable[[BarcodeResult], bool] = lambda result: False) -> None:
        for result in results:
            self._families.setdefault(result, set()).add(family)
            self._first.setdefault(result, replace(result, decoder=decoder))
            if vouch(result):
                self._vouched.add(result)

    def _trusted(self, result: BarcodeResult) -> bool:
        return (result.format in SELF_CHECKING_FORMATS or result in self._vouched
                or len(self._families[result]) > 1)

    def pending(self) -> list[BarcodeResult]:
        return [self._first[r] for r in self._families if not self._trusted(r)]

    def accepted(self) -> list[BarcodeResult]:
        """Trusted results; rival linear readings (one code read two ways) keep only the one more
        families agree on, or neither when they tie."""
        trusted = [r for r in self._families if self._trusted(r)]
        linear = [r for r in trusted if r.format not in SELF_CHECKING_FORMATS and r not in self._vouched]
        if len(linear) > 1:
            support = sorted((len(self._families[r]) for r in linear), reverse=True)
            best = max(linear, key=lambda r: len(self._families[r]))
            keep = {best} if support[0] > support[1] else set()
            trusted = [r for r in trusted if r not in linear or r in keep]
        return [self._first[r] for r in trusted]


def _code128_symbols(text: str) -> int:
    """Data symbols of a Code128 encoding: runs of four or more digits pack two to a symbol in
    code set C, at the cost of a code switch."""
    symbols, run = 0, 0
    for ch in text + "\0":
        if ch.isdigit():
            run += 1
            continue
        symbols += run // 2 + run % 2 + 1 if run >= 4 else run
        run = 0
        symbols += ch != "\0"
    return symbols


def _modules(result: BarcodeResult) -> int:
    """Module count of a linear code (Code39 assumes wide bars three modules wide)."""
    fixed = {"EAN13": 95, "UPCA": 95, "EAN8": 67}
    if result.format in fixed:
        return fixed[result.format]
    if result.format == "CODE128":
        return 11 * (_code128_symbols(result.text) + 2) + 13
    return 16 * (len(result.text) + 2)


def _well_resolved(result: BarcodeResult, length: float) -> bool:
    """zxing's reading of the untouched image is trusted when its bars are wide enough on the
    sensor; at 1.5 px per module it has been seen to misread Code128."""
    return length / _modules(result) >= MIN_PIXELS_PER_MODULE


def _family(chain: tuple[str, ...], engine: str) -> tuple[str, str]:
    """Sharpening rings, and its ringing can fool zxing the same way twice, so every sharpened
    image is one family; otherwise the first (geometric or photometric) step names it."""
    if any(step.startswith("sharpen") for step in chain):
        return engine, "sharpen"
    return engine, chain[0]


def decode(image: np.ndarray, formats: Iterable[str] = DEFAULT_FORMATS) -> list[BarcodeResult]:
    """All codes readable in a grayscale or BGR uint8 image; [] when nothing trustworthy is found."""
    gray = _to_gray(image)
    if gray.size == 0 or int(gray.max()) - int(gray.min()) < 4:
        return []
    readers = _Readers(frozenset(formats))
    ballot = _Ballot()
    first, lengths = readers.zxing_measured(gray)
    ballot.add(first, ("", "zxing"), "zxing", lambda r: _well_resolved(r, lengths[r]))
    if ballot.accepted() and not ballot.pending():
        return ballot.accepted()
    variants = _Variants(gray)
    for chain, engine in _PASSES:
        image = variants.get(chain)
        found = readers.zbar(image) if engine == "zbar" else readers.zxing(image)
        ballot.add(found, _family(chain, engine), "+".join((*chain, engine)))
        if ballot.accepted() and not ballot.pending():
            break
    for candidate in ballot.pending():
        log.debug("dropped an unconfirmed %s reading", candidate.format)
    return ballot.accepted()
