"""Decode library barcodes (ISBN/EAN, UPC, Code128 item ids, QR patron cards) from camera images.

Measured on the degraded set of `hardware.testimages` (see `bench/barcode_compare.py`): zxing-cpp
reads most images fastest, so it runs first on the whole image, restricted to the formats a
library uses. Only when that yields nothing trustworthy do we try preprocessed variants (local
contrast equalisation, upscaling, deskewing, sharpening, contrast stretch) with zxing and with
zbar, which reads faint and thin codes zxing gives up on or gets wrong.

A misread is worse than a miss: a wrong ISBN lends the wrong book. EAN/UPC check digits are
validated, but one garbage reading in ten passes that check, and zxing was measured misreading even
Code128 (checksum included) on thin modules. So a linear code is returned only when a second,
differently prepared reading agrees (see `_Ballot`); the first confirmation is a cheap resampled
crop around the code, so the common case costs about one extra small decode.
"""

from __future__ import annotations

import logging
import time
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
MIN_SKEW_DEGREES = 4.0
THIN_MODULE_PX = 1.5

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
    """One decoded code. `decoder` names the pass that produced it, `box` (x0, y0, x1, y1) where it
    was found and `module_px` the width of an EAN/UPC module in pixels, when known; these are
    diagnostics and take no part in equality."""

    text: str
    format: str
    decoder: str = field(default="zxing", compare=False)
    box: tuple[int, int, int, int] | None = field(default=None, compare=False)
    module_px: float | None = field(default=None, compare=False)


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
        results = []
        for b in zxingcpp.read_barcodes(gray, formats=self._zx_formats):
            result = self._make(b.text, _ZXING_NAMES.get(b.format.name, b.format.name), _box(b.position))
            if result is not None and result.format in _MODULES:
                result = replace(result, module_px=_length(b.position) / _MODULES[result.format])
            if result is not None:
                results.append(result)
        return results

    def zbar(self, gray: np.ndarray) -> list[BarcodeResult]:
        results = []
        for symbol in pyzbar.decode(gray, symbols=self._zbar_symbols):
            try:
                text = symbol.data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            r = symbol.rect
            result = self._make(text, _ZBAR_NAMES.get(symbol.type, symbol.type),
                                (r.left, r.top, r.left + r.width, r.top + r.height))
            if result is not None:
                results.append(result)
        return results

    def _make(self, text: str, fmt: str, box: tuple[int, int, int, int]) -> BarcodeResult | None:
        result = normalise(text, fmt)
        if result is None or result.format not in self.formats:
            return None
        return replace(result, box=box)


_MODULES = {"EAN13": 95, "UPCA": 95, "EAN8": 67}


def _length(position) -> float:
    """Length of a found linear code along its reading direction, in pixels."""
    p = position
    return max(float(np.hypot(p.top_right.x - p.top_left.x, p.top_right.y - p.top_left.y)),
               float(np.hypot(p.bottom_right.x - p.bottom_left.x, p.bottom_right.y - p.bottom_left.y)))


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


def _deskew(gray: np.ndarray) -> np.ndarray | None:
    """Turn the dominant edge direction (the bars of a linear code) upright.

    zxing scans rows and columns, so a linear code far from 0 or 90 degrees is missed; the
    structure tensor gives the bar angle in one cheap pass. None when the image is already
    upright: rotating it anyway only resamples it, which has produced misreads.
    """
    small = gray
    if max(gray.shape) > 400:
        small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1, ksize=3)
    angle = 0.5 * np.degrees(np.arctan2(2 * float((gx * gy).sum()), float((gx * gx - gy * gy).sum())))
    off_axis = abs((angle + 45) % 90 - 45)
    return _rotate(gray, angle) if off_axis > MIN_SKEW_DEGREES else None


def _rotate45(gray: np.ndarray) -> np.ndarray:
    return _rotate(gray, 45)


def _sharpen(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 2.5, cv2.GaussianBlur(gray, (0, 0), 2.0), -1.5, 0)


def _sharpen_light(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 2.0, cv2.GaussianBlur(gray, (0, 0), 1.2), -1.0, 0)


def _upscale(gray: np.ndarray) -> np.ndarray:
    """Linear 2x upscaling helps thin modules and, by widening zxing's local window, heavy noise."""
    return cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_LINEAR)


def _upscale_cubic(gray: np.ndarray, factor: float) -> np.ndarray:
    return cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def _stretch(gray: np.ndarray) -> np.ndarray:
    lo, hi = np.percentile(gray, (1, 99))
    scaled = (gray.astype(np.float32) - lo) * (255.0 / max(float(hi - lo), 1.0))
    return np.clip(scaled, 0, 255).astype(np.uint8)


def _smooth(gray: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(gray, (0, 0), 1.0)


def _clahe(gray: np.ndarray) -> np.ndarray:
    """Local contrast equalisation: lifts faint codes under uneven light without a global threshold."""
    return cv2.createCLAHE(clipLimit=4.0, tileGridSize=(4, 4)).apply(gray)


_SCALES = {"upscale": 2.0, "cubic1.5": 1.5, "cubic2": 2.0, "cubic3": 3.0}
_ROTATIONS = frozenset({"deskew", "rotate45"})

_STEPS: dict[str, Callable[[np.ndarray], np.ndarray | None]] = {
    "deskew": _deskew, "rotate45": _rotate45, "sharpen": _sharpen, "sharpen_light": _sharpen_light,
    "upscale": _upscale, "stretch": _stretch, "smooth": _smooth, "clahe": _clahe,
    "cubic1.5": lambda gray: _upscale_cubic(gray, 1.5), "cubic2": lambda gray: _upscale_cubic(gray, 2),
    "cubic3": lambda gray: _upscale_cubic(gray, 3),
}

# Rescue passes, run in order only when plain zxing finds nothing: (preprocessing chain, engine).
# The order is a greedy cover measured on the hard set, best gain per millisecond first; the
# cubic upscales at the end rescue the thinnest modules and confirm what plain upscaling read.
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
    (("cubic3",), "zxing"),
    (("cubic2",), "zbar"),
    (("cubic1.5",), "zbar"),
    (("upscale", "sharpen"), "zbar"),
    (("cubic2",), "zxing"),
)


class _Variants:
    """Preprocessed images of one input, each chain computed at most once per decode; None for a
    chain with a step that has nothing to do on this image."""

    def __init__(self, gray: np.ndarray):
        self._cache: dict[tuple[str, ...], np.ndarray | None] = {(): gray}

    def get(self, chain: tuple[str, ...]) -> np.ndarray | None:
        if chain not in self._cache:
            source = self.get(chain[:-1])
            self._cache[chain] = None if source is None else _STEPS[chain[-1]](source)
        return self._cache[chain]


def _in_original(results: list[BarcodeResult], chain: tuple[str, ...],
                 offset: tuple[int, int] = (0, 0)) -> list[BarcodeResult]:
    """Express boxes and module widths read from a variant in the input image's pixels; a
    rotated variant's box has no simple counterpart and is dropped."""
    if any(step in _ROTATIONS for step in chain):
        return [replace(r, box=None) for r in results]
    scale = float(np.prod([_SCALES.get(step, 1.0) for step in chain]))
    mapped = []
    for r in results:
        box = None if r.box is None else tuple(
            int(v / scale) + offset[i % 2] for i, v in enumerate(r.box))
        module_px = None if r.module_px is None else r.module_px / scale
        mapped.append(replace(r, box=box, module_px=module_px))
    return mapped


def _family(chain: tuple[str, ...]) -> str:
    """Images whose first step is the same are too alike to confirm each other."""
    return chain[0] if chain else "original"


class _Ballot:
    """Readings gathered per candidate code, by engine and image family.

    Measured failure modes: zxing can misread a thin or blurred linear code identically in
    closely related variants of one image (a small rotation, an upscale plus sharpening), yet not
    in differently prepared ones, and zbar, a different design, misreads differently again. So a
    linear code is trusted when two families or both engines read it, and an EAN/UPC with modules
    under THIN_MODULE_PX only when both engines do: there zxing misreads the left half the same way
    in every variant. QR's Reed-Solomon code is trusted from one reading. A camera frame holds one
    linear code, so rival linear readings are settled by support, and a tie returns nothing.
    """

    def __init__(self) -> None:
        self._seen: dict[BarcodeResult, set[tuple[str, str]]] = {}
        self._first: dict[BarcodeResult, BarcodeResult] = {}
        self._thin: set[BarcodeResult] = set()

    def add(self, results: Iterable[BarcodeResult], engine: str, family: str, decoder: str) -> None:
        for result in results:
            self._seen.setdefault(result, set()).add((engine, family))
            self._first.setdefault(result, replace(result, decoder=decoder))
            if result.module_px is not None and result.module_px < THIN_MODULE_PX:
                self._thin.add(result)

    def _support(self, result: BarcodeResult) -> tuple[int, int]:
        seen = self._seen[result]
        return len({engine for engine, _ in seen}), len(seen)

    def _trusted(self, result: BarcodeResult) -> bool:
        engines, families = self._support(result)
        if result.format in SELF_CHECKING_FORMATS or engines > 1:
            return True
        return families > 1 and result not in self._thin

    def settled(self) -> bool:
        """True when more passes cannot change the answer: something is accepted and no linear
        candidate is waiting for confirmation."""
        return bool(self.accepted()) and all(self._trusted(r) for r in self._seen)

    def accepted(self) -> list[BarcodeResult]:
        matrix = [r for r in self._seen if r.format in SELF_CHECKING_FORMATS]
        linear = sorted((r for r in self._seen if r.format not in SELF_CHECKING_FORMATS),
                        key=self._support, reverse=True)
        best = linear[:1]
        if len(linear) > 1 and self._support(linear[0]) == self._support(linear[1]):
            best = []
        return [self._first[r] for r in matrix + best if self._trusted(r)]

    def is_thin(self, result: BarcodeResult) -> bool:
        return result in self._thin

    def linear_pending(self) -> list[BarcodeResult]:
        return [self._first[r] for r in self._seen if not self._trusted(r)]


def _around(gray: np.ndarray, box: tuple[int, int, int, int]) -> tuple[np.ndarray, tuple[int, int]]:
    """The found code with room for its quiet zone, and the crop's offset in the image."""
    x0, y0, x1, y1 = box
    mx, my = (x1 - x0) // 4 + 8, (y1 - y0) // 4 + 8
    h, w = gray.shape
    left, top = max(0, x0 - mx), max(0, y0 - my)
    return gray[top:min(h, y1 + my), left:min(w, x1 + mx)], (left, top)


def decode(image: np.ndarray, formats: Iterable[str] = DEFAULT_FORMATS,
           time_budget: float | None = None) -> list[BarcodeResult]:
    """All codes readable in a grayscale or BGR uint8 image; [] when nothing trustworthy is found.

    A frame without any code runs every rescue pass (hundreds of milliseconds for 640x480 here,
    several times that on a Pi), so a live camera passes `time_budget` in seconds: no rescue pass
    starts after it is spent. The first pass and its confirmation always run.
    """
    started = time.perf_counter()
    gray = _to_gray(image)
    if gray.size == 0 or int(gray.max()) - int(gray.min()) < 4:
        return []
    readers = _Readers(frozenset(formats))
    ballot = _Ballot()
    ballot.add(readers.zxing(gray), "zxing", "original", "zxing")
    for candidate in ballot.linear_pending():
        # Resampling the crop at 1.5x gives a second, cheap look on a different pixel grid, so a
        # sampling-phase misread is unlikely to repeat; thin EAN/UPC modules need zbar's look.
        crop, offset = _around(gray, candidate.box)
        resampled = _STEPS["cubic1.5"](crop)
        found = _in_original(readers.zxing(resampled), ("cubic1.5",), offset)
        ballot.add(found, "zxing", "resampled", "zxing")
        if ballot.is_thin(candidate):
            found = _in_original(readers.zbar(resampled), ("cubic1.5",), offset)
            ballot.add(found, "zbar", "resampled", "zbar")
    if ballot.settled():
        return ballot.accepted()
    variants = _Variants(gray)
    for chain, engine in _PASSES:
        if time_budget is not None and time.perf_counter() - started > time_budget:
            log.debug("rescue passes cut short by the time budget")
            break
        image = variants.get(chain)
        if image is None:
            continue
        found = readers.zbar(image) if engine == "zbar" else readers.zxing(image)
        ballot.add(_in_original(found, chain), engine, _family(chain), "+".join((*chain, engine)))
        if ballot.settled():
            break
    for candidate in ballot.linear_pending():
        log.debug("dropped an unconfirmed %s reading", candidate.format)
    return ballot.accepted()
