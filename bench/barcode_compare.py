"""Compare barcode decoders on the seeded hard set of `hardware.testimages`.

    python -m bench.barcode_compare [--n N] [--seed S]

Prints, per decoder, the share decoded correctly, the misreads (any returned code that is not the
expected one), and median / p95 milliseconds per image, overall and per degradation kind, then the
ratio of our median time to plain zxing-cpp's. Decoders run one after another on the same image so
that load from other processes affects them alike.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from collections.abc import Callable

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from hardware import barcode
from hardware.testimages import KINDS, hard_set

Reading = set[tuple[str, str]]

_NAMES = {"CODE128": "CODE128", "CODE39": "CODE39", "QRCODE": "QR", "EAN_13": "EAN13",
          "EAN_8": "EAN8", "UPC_A": "UPCA", "QR_CODE": "QR"}


def _loose(text: str, fmt: str) -> tuple[str, str]:
    """Name formats alike without validating, so other decoders' misreads are counted, not hidden."""
    fmt = _NAMES.get(fmt.upper().replace("-", ""), fmt.upper().replace("-", ""))
    if fmt == "EAN13" and len(text) == 13 and text.startswith("0"):
        return text[1:], "UPCA"
    return text, fmt


def read_pyzbar(img: np.ndarray) -> Reading:
    out = set()
    for symbol in pyzbar.decode(img):
        out.add(_loose(symbol.data.decode("utf-8", "replace"), symbol.type))
    return out


def read_zxing(img: np.ndarray) -> Reading:
    return {_loose(b.text, b.format.name) for b in zxingcpp.read_barcodes(img)}


_cv_barcode = cv2.barcode.BarcodeDetector()
_cv_qr = cv2.QRCodeDetector()


def read_opencv(img: np.ndarray) -> Reading:
    out = set()
    ok, texts, types, _ = _cv_barcode.detectAndDecodeWithType(img)
    if ok:
        out |= {_loose(t, k.replace("_", "")) for t, k in zip(texts, types) if t}
    text, _, _ = _cv_qr.detectAndDecode(img)
    if text:
        out.add((text, "QR"))
    return out


def read_ours(img: np.ndarray) -> Reading:
    return {(r.text, r.format) for r in barcode.decode(img)}


DECODERS: dict[str, Callable[[np.ndarray], Reading]] = {
    "pyzbar": read_pyzbar, "zxing-cpp": read_zxing, "opencv": read_opencv, "ours": read_ours,
}


def _row(label: str, outcomes: list[tuple[bool, bool, float]]) -> str:
    n = len(outcomes)
    correct = sum(ok for ok, _, _ in outcomes)
    wrong = sum(bad for _, bad, _ in outcomes)
    ms = [t * 1000 for _, _, t in outcomes]
    p95 = float(np.percentile(ms, 95))
    return (f"  {label:<14} {100 * correct / n:6.1f}% {wrong:5d} misread "
            f"{statistics.median(ms):8.2f} ms median {p95:8.2f} ms p95  (n={n})")


def run(n: int, seed: int) -> dict[str, dict[str, list[tuple[bool, bool, float]]]]:
    results: dict[str, dict[str, list]] = {name: defaultdict(list) for name in DECODERS}
    warm = np.full((50, 50), 255, np.uint8)
    for read in DECODERS.values():
        read(warm)
    for sample in hard_set(n, seed):
        expected = (sample.text, sample.format)
        for name, read in DECODERS.items():
            start = time.perf_counter()
            got = read(sample.image)
            elapsed = time.perf_counter() - start
            outcome = (got == {expected}, bool(got - {expected}), elapsed)
            results[name]["all"].append(outcome)
            results[name][sample.degradation].append(outcome)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=700, help="number of images (default 700)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    results = run(args.n, args.seed)
    for group in ("all", *KINDS):
        print(f"[{group}]")
        for name in DECODERS:
            if results[name][group]:
                print(_row(name, results[name][group]))
    ours = statistics.median(t for _, _, t in results["ours"]["all"])
    plain = statistics.median(t for _, _, t in results["zxing-cpp"]["all"])
    print(f"our median / zxing-cpp median = {ours / plain:.2f}")


if __name__ == "__main__":
    main()
