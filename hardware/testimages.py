"""Synthetic barcode images for tests, benchmarks and the fake camera.

Everything is rendered in code from a seeded RNG, so the repository holds no binary test images and
a failing case can be reproduced from its seed. The EAN/UPC encoder is our own so that tests can
force a wrong check digit, which real encoders refuse to print.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import cv2
import numpy as np
import qrcode
from barcode.codex import Code39, Code128

_L = ("0001101", "0011001", "0010011", "0111101", "0100011",
      "0110001", "0101111", "0111011", "0110111", "0001011")
_G = tuple(code.translate(str.maketrans("01", "10"))[::-1] for code in _L)
_R = tuple(code.translate(str.maketrans("01", "10")) for code in _L)
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
           "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")

KINDS = ("blur", "rotation", "perspective", "low_contrast", "noise", "small", "combined")


class Sample(NamedTuple):
    image: np.ndarray
    text: str
    format: str
    degradation: str


def ean_check_digit(body: str) -> str:
    """Check digit for the EAN/UPC family (GTIN): weights 3,1,3,... from the rightmost body digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def _complete(digits: str, length: int) -> str:
    """Append the check digit when it is missing; a full-length code is kept as given (even if wrong)."""
    if not digits.isdigit() or len(digits) not in (length - 1, length):
        raise ValueError(f"expected {length - 1} or {length} digits, got {digits!r}")
    return digits if len(digits) == length else digits + ean_check_digit(digits)


def ean13_modules(digits: str) -> str:
    code = _complete(digits, 13)
    parity = _PARITY[int(code[0])]
    left = "".join((_L if p == "L" else _G)[int(d)] for p, d in zip(parity, code[1:7]))
    right = "".join(_R[int(d)] for d in code[7:])
    return "101" + left + "01010" + right + "101"


def ean8_modules(digits: str) -> str:
    code = _complete(digits, 8)
    left = "".join(_L[int(d)] for d in code[:4])
    right = "".join(_R[int(d)] for d in code[4:])
    return "101" + left + "01010" + right + "101"


def render_modules(modules: str, scale: int = 2, height: int | None = None, quiet: int = 11) -> np.ndarray:
    """Draw a 1-D module string ('1' = bar) as a white-background grayscale image."""
    row = np.array([0 if m == "1" else 255 for m in "0" * quiet + modules + "0" * quiet], np.uint8)
    row = np.repeat(row, scale)
    height = height or max(20, int(len(modules) * scale * 0.45))
    pad = 4 * scale
    img = np.full((height + 2 * pad, row.size), 255, np.uint8)
    img[pad:pad + height] = row
    return img


def render_ean13(digits: str, scale: int = 2) -> np.ndarray:
    return render_modules(ean13_modules(digits), scale)


def render_ean8(digits: str, scale: int = 2) -> np.ndarray:
    return render_modules(ean8_modules(digits), scale)


def render_upca(digits: str, scale: int = 2) -> np.ndarray:
    """UPC-A is EAN-13 with an implicit leading zero, so the bars are identical."""
    return render_modules(ean13_modules("0" + digits), scale)


def render_code128(text: str, scale: int = 2) -> np.ndarray:
    return render_modules(Code128(text).build()[0], scale, quiet=12)


def render_code39(text: str, scale: int = 2) -> np.ndarray:
    return render_modules(Code39(text, add_checksum=False).build()[0], scale, quiet=12)


def render_qr(text: str, scale: int = 4) -> np.ndarray:
    qr = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=True)
    matrix = np.array(qr.get_matrix(), dtype=bool)
    img = np.where(matrix, 0, 255).astype(np.uint8)
    return np.kron(img, np.ones((scale, scale), np.uint8))


def _on_canvas(img: np.ndarray, rng: np.random.Generator, margin: float = 0.35) -> np.ndarray:
    """Place a code on a paper-grey page so that geometric warps have somewhere to go."""
    h, w = img.shape
    mh, mw = int(h * margin) + 8, int(w * margin) + 8
    page = np.full((h + 2 * mh, w + 2 * mw), int(rng.integers(200, 245)), np.uint8)
    page[mh:mh + h, mw:mw + w] = np.minimum(img, page[mh:mh + h, mw:mw + w])
    return page


def _rotate(img: np.ndarray, angle: float, fill: int) -> np.ndarray:
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(img, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=fill)


def _perspective(img: np.ndarray, strength: float, rng: np.random.Generator, fill: int) -> np.ndarray:
    h, w = img.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = rng.uniform(-strength, strength, (4, 2)) * np.float32([w, h])
    dst = (src + jitter).astype(np.float32)
    dst -= dst.min(axis=0)
    size = (int(dst[:, 0].max()) + 1, int(dst[:, 1].max()) + 1)
    return cv2.warpPerspective(img, cv2.getPerspectiveTransform(src, dst), size,
                               flags=cv2.INTER_LINEAR, borderValue=fill)


def _noise(img: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    return np.clip(img + rng.normal(0, sigma, img.shape), 0, 255).astype(np.uint8)


def _low_contrast(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Squash the range and add an illumination gradient, as under a kiosk's uneven lighting."""
    span = rng.uniform(12, 34)
    base = rng.uniform(60, 180)
    h, w = img.shape
    ramp = np.linspace(0, rng.uniform(-40, 40), w)[None, :] + np.linspace(0, rng.uniform(-25, 25), h)[:, None]
    out = base + (img.astype(np.float32) / 255.0) * span + ramp
    return _noise(out, rng.uniform(1.5, 3.5), rng)


def degrade(img: np.ndarray, kind: str, rng: np.random.Generator) -> np.ndarray:
    """Apply one named, hard-but-plausible camera degradation to a rendered grayscale code."""
    page = _on_canvas(img, rng)
    fill = int(page[0, 0])
    if kind == "blur":
        return cv2.GaussianBlur(page, (0, 0), rng.uniform(1.0, 1.6))
    if kind == "rotation":
        return _noise(_rotate(page, rng.uniform(-180, 180), fill), 4, rng)
    if kind == "perspective":
        return _noise(_perspective(page, rng.uniform(0.15, 0.3), rng, fill), 4, rng)
    if kind == "low_contrast":
        return _low_contrast(page, rng)
    if kind == "noise":
        return _noise(cv2.GaussianBlur(page, (0, 0), 0.8), rng.uniform(18, 40), rng)
    if kind == "small":
        factor = rng.uniform(0.58, 0.85)
        small = cv2.resize(page, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        return _noise(small, 3, rng)
    if kind == "combined":
        out = _rotate(page, rng.uniform(-40, 40), fill)
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.6, 1.1))
        out = cv2.convertScaleAbs(out, alpha=rng.uniform(0.3, 0.6), beta=rng.uniform(40, 110))
        return _noise(out, rng.uniform(4, 9), rng)
    raise ValueError(f"unknown degradation {kind!r}")


def _random_isbn(rng: np.random.Generator) -> str:
    body = rng.choice(["978604", "978", "979"]) + "".join(str(d) for d in rng.integers(0, 10, 9))
    return body[:12] + ean_check_digit(body[:12])


def random_code(rng: np.random.Generator) -> tuple[np.ndarray, str, str]:
    """One clean rendered code of a random library-relevant symbology: (image, text, format)."""
    choice = int(rng.integers(0, 10))
    if choice < 4:
        text = _random_isbn(rng)
        return render_ean13(text, 2), text, "EAN13"
    if choice == 4:
        body = "".join(str(d) for d in rng.integers(0, 10, 7))
        text = body + ean_check_digit(body)
        return render_ean8(text, 2), text, "EAN8"
    if choice == 5:
        body = "".join(str(d) for d in rng.integers(0, 10, 11))
        text = body + ean_check_digit(body)
        return render_upca(text, 2), text, "UPCA"
    if choice < 8:
        if rng.random() < 0.6:
            text = f"TN{int(rng.integers(0, 10**7)):07d}"
        else:
            year, month = int(rng.integers(2024, 2031)), int(rng.integers(1, 13))
            text = f"GD-{year}{month:02d}-{int(rng.integers(0, 10**6)):06d}"
        return render_code128(text, 2), text, "CODE128"
    if rng.random() < 0.5:
        text = f"PATRON:VN-{int(rng.integers(0, 10**6)):06d}"
    else:
        item, commune = int(rng.integers(0, 10**6)), int(rng.integers(1, 99))
        text = f"https://opac.thuvien.example.vn/item/{item}?lib=xa{commune}"
    return render_qr(text, 3), text, "QR"


def hard_set(n: int, seed: int = 1) -> Iterator[Sample]:
    """n degraded samples cycling through KINDS; the same (n, seed) always yields the same images."""
    rng = np.random.default_rng(seed)
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        img, text, fmt = random_code(rng)
        yield Sample(degrade(img, kind, rng), text, fmt, kind)


def as_bgr(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR) if img.ndim == 2 else img


def blank(height: int = 240, width: int = 320, value: int = 255) -> np.ndarray:
    return np.full((height, width), value, np.uint8)

