"""Kiosk window benchmark: cold start, scan-to-feedback latency, memory on a large catalogue.

    .venv/bin/python -m bench.ui_bench [--scans 60] [--db bench/out/demo-200000-s7-h120.db]

Runs offscreen through the real widgets. Cold start is measured in a fresh interpreter
(imports included) up to the attract screen being shown with its data loaded. Scan latency
is from the scan reaching the borrow screen to the due date (or refusal) being on screen.
RSS is read after opening the large catalogue, running a few searches and showing the
attract screen's new arrivals.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

OUT = Path(__file__).parent / "out"


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _pump(app, runtime, until, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not until() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.0005)


def cold_start_child(db: str) -> None:
    """Runs in a fresh interpreter: prints ms from interpreter start to the attract screen."""
    from kiosk.app import open_library
    from kiosk.ui.app import application, build_runtime

    app = application()
    runtime = build_runtime(open_library(db), environ={})
    attract = runtime.shell.screens["attract"]
    _pump(app, runtime, lambda: bool(attract.name.text()) and runtime.shell.isVisible())
    started = float(os.environ["BENCH_T0"])
    print(json.dumps({"cold_start_ms": round((time.time() - started) * 1000, 1)}))
    runtime.shutdown()


def cold_start(db: Path, runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        env = {**os.environ, "BENCH_T0": repr(time.time())}
        out = subprocess.run([sys.executable, "-m", "bench.ui_bench", "--cold-child", str(db)],
                             env=env, capture_output=True, text=True, check=True).stdout
        times.append(json.loads(out.strip().splitlines()[-1])["cold_start_ms"])
    return times


def scan_latency(db: Path, scans: int) -> dict:
    from kiosk.app import open_library
    from kiosk.core.policy import Rule
    from kiosk.ui.app import application, build_runtime

    app = application()
    lib = open_library(db)
    rows = lib.store.all(
        "SELECT i.barcode FROM items i WHERE i.status = 'available' AND i.item_type = 'book' "
        "AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id) ORDER BY i.barcode LIMIT ?",
        (scans,))
    barcodes = [r[0] for r in rows]
    for item_type in ("book", "*"):
        lib.policy.set_rule("adult", item_type, Rule(14, 10_000, 2))
    card = lib.patrons.add("Người Đo Thử", "adult")["card_number"]
    runtime = build_runtime(lib, environ={}, settings={"idle_seconds": 3600})
    shell = runtime.shell
    shell.go("identify", then="borrow")
    shell.deliver_scan(card)
    _pump(app, runtime, lambda: shell.current == "borrow")
    borrow = shell.screens["borrow"]
    latencies: list[float] = []
    borrow.feedback.connect(lambda _code, seconds: latencies.append(seconds * 1000))
    refused = 0
    for n, barcode in enumerate(barcodes, 1):
        shell.deliver_scan(barcode)
        _pump(app, runtime, lambda n=n: len(latencies) >= n)
        refused += borrow.rows.rows[-1].detail.property("state") == "error"
    runtime.shutdown()
    latencies.sort()
    return {"scans": len(latencies), "refused": refused,
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 1)}


def large_catalogue_rss(db: Path) -> dict:
    from kiosk.app import open_library
    from kiosk.ui.app import application, build_runtime

    app = application()
    before = rss_mb()
    lib = open_library(db)
    runtime = build_runtime(lib, environ={})
    shell = runtime.shell
    attract = shell.screens["attract"]
    _pump(app, runtime, lambda: bool(attract.arrival_title.text()))
    shell.go("search")
    search = shell.screens["search"]
    for query in ("nguyen", "ky thuat trong lua", "đồng tháp", "cá"):
        search.query.setText(query)
        search.timer.stop()
        search.search()
        _pump(app, runtime, lambda: not runtime.ctx.ops.busy)
    after = rss_mb()
    records = lib.catalogue.count()
    runtime.shutdown()
    return {"records": records, "rss_mb": round(after, 1), "rss_before_open_mb": round(before, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=60)
    parser.add_argument("--db", help="large catalogue (default: bench/out/demo-200000*.db)")
    parser.add_argument("--cold-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cold_child:
        cold_start_child(args.cold_child)
        return 0
    from kiosk.app import open_library
    from kiosk.demo import build_demo

    work = Path(tempfile.mkdtemp(prefix="kiosk-ui-bench-"))
    try:
        small = work / "demo-1500.db"
        lib = open_library(small)
        build_demo(lib, books=1500)
        lib.store.close()
        results: dict = {"cold_start_ms": cold_start(small)}
        scan_db = work / "scan.db"
        shutil.copy(small, scan_db)
        results["scan_to_feedback"] = scan_latency(scan_db, args.scans)
        large = args.db or next(iter(sorted(glob.glob(str(OUT / "demo-200000*.db")))), None)
        note = "existing benchmark database"
        if large is None:
            large = str(work / "demo-20000.db")
            lib = open_library(large)
            build_demo(lib, books=20_000)
            lib.store.close()
            note = "no bench/out/demo-200000*.db: built a 20,000-title demo instead"
        results["large_catalogue"] = {**large_catalogue_rss(Path(large)), "source": note}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
