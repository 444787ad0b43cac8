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
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

log = logging.getLogger(__name__)

DEFAULT_FORMATS = frozenset({"EAN13", "EAN8", "UPCA", "CODE128", "CODE39", "QR"})
WEAK_FORMATS = frozenset({"EAN13", "EAN8", "UPCA"})

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
    """One decoded code. `decoder` names the pass that produced it, for diagnostics only."""

    text: str
    format: str
    decoder: str = "zxing"


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
    elif not text.isprintable():
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
        found = zxingcpp.read_barcodes(gray, formats=self._zx_formats)
        return self._keep((b.text, _ZXING_NAMES.get(b.format.name, b.format.name)) for b in found)

    def zbar(self, gray: np.ndarray) -> list[BarcodeResult]:
        answers = []
        for symbol in pyzbar.decode(gray, symbols=self._zbar_symbols):
            try:
                text = symbol.data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            answers.append((text, _ZBAR_NAMES.get(symbol.type, symbol.type)))
        return self._keep(answers)

    def _keep(self, answers: Iterable[tuple[str, str]]) -> list[BarcodeResult]:
        results = []
        for text, fmt in answers:
            result = normalise(text, fmt)
            if result is not None and result.format in self.formats:
                results.append(result)
        return results


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
    """Counts independent readings; a weak-checksum code needs two agreeing ones."""

    def __init__(self) -> None:
        self._votes: Counter[tuple[str, str]] = Counter()
        self._first: dict[tuple[str, str], BarcodeResult] = {}

    def add(self, results: Iterable[BarcodeResult], decoder: str) -> None:
        for result in set(results):
            key = (result.text, result.format)
            self._votes[key] += 1
            self._first.setdefault(key, BarcodeResult(result.text, result.format, decoder))

    def pending_weak(self) -> bool:
        return any(fmt in WEAK_FORMATS and n < 2 for (_, fmt), n in self._votes.items())

    def accepted(self) -> list[BarcodeResult]:
        return [self._first[key] for key, n in self._votes.items()
                if n >= (2 if key[1] in WEAK_FORMATS else 1)]


def decode(image: np.ndarray, formats: Iterable[str] = DEFAULT_FORMATS) -> list[BarcodeResult]:
    """All codes readable in a grayscale or BGR uint8 image; [] when nothing trustworthy is found."""
    gray = _to_gray(image)
    if gray.size == 0 or int(gray.max()) - int(gray.min()) < 4:
        return []
    readers = _Readers(frozenset(formats))
    first = readers.zxing(gray)
    if first:
        return first
    variants = _Variants(gray)
    ballot = _Ballot()
    for chain, engine in _PASSES:
        image = variants.get(chain)
        ballot.add(readers.zbar(image) if engine == "zbar" else readers.zxing(image), "+".join((*chain, engine)))
        accepted = ballot.accepted()
        if accepted:
            return accepted
    if ballot.pending_weak():
        log.debug("dropped unconfirmed EAN/UPC candidates")
    return []
