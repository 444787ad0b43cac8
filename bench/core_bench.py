"""Core benchmark: search, circulation and import latency on demo libraries of growing size.

Run ``python -m bench.core_bench [--sizes 10000,100000,200000] [--out DIR]``. Demo
databases are built once per (size, seed) and cached under ``--out``; circulation and
import run on a scratch copy so the cache stays as built. Targets from the design: search
p95 < 30 ms at 200,000 records, checkout p95 < 50 ms with ``synchronous=FULL``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Callable

from kiosk.app import open_library
from kiosk.core import isbn as isbnlib
from kiosk.core.clock import FixedClock
from kiosk.core.library import Library
from kiosk.core.node import init_library
from kiosk.demo import build_demo
from bench.marc_fixture import add_batched, write_marc

END = "2026-06-01T08:00:00"
TYPED = ["dế mèn", "de men", "lua chat luong", "Đồng Tháp", "dong thap", "truyện kiều",
         "truyen kieu", "nguyễn nhật ánh", "ky thuat nuoi ca", "tram chim", "sếu đầu đỏ",
         "luat dat dai", "vườn quốc gia", "cham soc suc khoe", "thuỷ sản"]
TYPED_AS_YOU_GO = ["nguyen nhat anh", "nuoi ca loc", "dong thap muoi", "truyện kiều", "sếu"]
SHORT_PREFIX = 2


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def line(label: str, samples: list[float]) -> str:
    p50, p95 = percentiles(samples)
    return f"  {label:<34} n={len(samples):<5} p50={p50:8.2f} ms  p95={p95:8.2f} ms"


def fsync_ms(directory: Path, rounds: int = 50) -> float:
    """What one fsync costs here: commit latency under synchronous=FULL scales with it."""
    probe = directory / "fsync-probe"
    fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        start = time.perf_counter()
        for _ in range(rounds):
            os.write(fd, b"x" * 512)
            os.fsync(fd)
        return (time.perf_counter() - start) * 1000 / rounds
    finally:
        os.close(fd)
        probe.unlink()


def checkpoint_and_size(path: Path) -> int:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    wal = Path(str(path) + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def remove_db(path: Path) -> None:
    for stale in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        stale.unlink(missing_ok=True)


def demo_db(out: Path, size: int, seed: int, history_days: int) -> tuple[Path, dict]:
    """The cached demo database for (size, seed), built if missing."""
    path = out / f"demo-{size}-s{seed}-h{history_days}.db"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())
    tmp = path.with_suffix(".building")
    remove_db(tmp)
    lib = open_library(tmp, FixedClock(END))
    summary = build_demo(lib, books=size, seed=seed, history_days=history_days)
    lib.store.close()
    checkpoint_and_size(tmp)
    remove_db(path)
    os.replace(tmp, path)
    meta.write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    return path, summary


def prefixes(phrase: str) -> list[str]:
    return [phrase[:i] for i in range(1, len(phrase) + 1) if not phrase[:i].endswith(" ")]


def hyphenated(code: str) -> str:
    return f"{code[:3]}-{code[3:6]}-{code[6:8]}-{code[8:12]}-{code[12]}"


def bench_search(lib: Library, reps: int) -> dict[str, tuple[list[float], str]]:
    search = lib.search.search
    typed_prefix = [p for phrase in TYPED_AS_YOU_GO for p in prefixes(phrase)]
    short = [p for p in typed_prefix if len(p.split()[-1]) <= SHORT_PREFIX]
    longer = [p for p in typed_prefix if len(p.split()[-1]) > SHORT_PREFIX]
    codes = [r[0] for r in lib.store.all(
        "SELECT isbn13 FROM records WHERE isbn13 IS NOT NULL ORDER BY rid")]
    picks = random.Random(1).sample(codes, min(50, len(codes)))
    isbns = {"isbn-13": picks, "isbn-10": [isbnlib.isbn13_to_10(c) for c in picks],
             "isbn hyphenated": [hyphenated(c) for c in picks]}
    groups = {"typed words": TYPED, f"prefix, last word <= {SHORT_PREFIX} chars": short,
              f"prefix, last word > {SHORT_PREFIX} chars": longer, **isbns}
    for queries in groups.values():
        for q in queries:
            search(q)
    results: dict[str, tuple[list[float], str]] = {}
    for name, queries in groups.items():
        samples = [(timed(lambda q=q: search(q)), q) for _ in range(reps) for q in queries]
        worst_ms, worst = max(samples)
        results[name] = ([ms for ms, _ in samples], f"slowest {worst!r} {worst_ms:.1f} ms")
    for kind, queries in isbns.items():
        wrong = [q for q in queries if not search(q) or search(q)[0].match != "isbn"]
        if wrong:
            raise AssertionError(f"{kind} lookups found nothing for {wrong[:3]}")
    return results


def bench_circulation(lib: Library, clock: FixedClock, loans: int) -> dict[str, list[float]]:
    """Checkout then checkin ``loans`` available copies, each write its own fsync'd commit."""
    sync = lib.store.scalar("PRAGMA synchronous")
    assert sync == 2, f"expected synchronous=FULL (2), got {sync}"
    barcodes = [r[0] for r in lib.store.all(
        "SELECT i.barcode FROM items i WHERE i.item_type = 'book' AND i.status = 'available' "
        "AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id) "
        "AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.item_id = i.id AND h.status = 'trapped') "
        "AND NOT EXISTS (SELECT 1 FROM holds h JOIN items j ON j.record_id = h.record_id "
        "WHERE j.id = i.id AND h.status = 'waiting') ORDER BY i.barcode")]
    barcodes = random.Random(2).sample(barcodes, loans)
    with lib.transaction():
        cards = [lib.patrons.add(f"Bạn đọc thử {i}", "adult")["card_number"]
                 for i in range(-(-loans // 5))]
    out: dict[str, list[float]] = {"checkout": [], "checkin": []}
    for i, barcode in enumerate(barcodes):
        clock.advance(seconds=20)
        out["checkout"].append(timed(lambda: lib.circulation.checkout(cards[i // 5], barcode)))
    for barcode in barcodes:
        clock.advance(seconds=20)
        out["checkin"].append(timed(lambda: lib.circulation.checkin(barcode)))
    return out


def bench_import(lib: Library, out: Path, records: int, label: str) -> str:
    try:
        from kiosk.io.importer import import_file
    except ImportError:
        import_file = None
    if import_file is not None:
        marc = out / f"import-{records}.mrc"
        if not marc.exists():
            write_marc(marc, records, seed=11)
        start = time.perf_counter()
        report = import_file(lib, marc)
        seconds = time.perf_counter() - start
        done = report.created + report.updated
        return (f"  import_file (MARC, {label}): {done} records + {report.items_created} items "
                f"in {seconds:.1f} s = {done / seconds:.0f} records/s")
    start = time.perf_counter()
    add_batched(lib, records, seed=11)
    seconds = time.perf_counter() - start
    return (f"  kiosk.io.importer absent: add_record+add_item batched ({label}): "
            f"{records} records in {seconds:.1f} s = {records / seconds:.0f} records/s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,200000")
    parser.add_argument("--out", default=str(Path(__file__).parent / "out"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--history-days", type=int, default=120)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--loans", type=int, default=200)
    parser.add_argument("--import-records", type=int, default=5000)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    print(f"core bench  sqlite {sqlite3.sqlite_version}  seed {args.seed}  "
          f"history {args.history_days} days  out {out}  "
          f"cpus {os.cpu_count()}  load {os.getloadavg()[0]:.2f}")
    largest = None
    for size in sizes:
        start = time.perf_counter()
        path, summary = demo_db(out, size, args.seed, args.history_days)
        took = time.perf_counter() - start
        built = (f"built in {summary['seconds']:.0f} s "
                 f"(catalogue {summary['catalogue_seconds']:.0f} s, then history)"
                 if took > 5 else f"cached (built in {summary['seconds']:.0f} s)")
        total = checkpoint_and_size(path)
        print(f"\n== {size:,} records: {summary['items']:,} items, {summary['patrons']:,} patrons, "
              f"{summary['events']:,} events; {built}")
        print(f"  database {total / 1e6:.1f} MB incl. WAL after checkpoint = "
              f"{total / summary['records']:.0f} bytes/record")
        lib = open_library(path, FixedClock(END))
        print("  search (ms, warm, limit 20, includes availability counts):")
        for name, (samples, slowest) in bench_search(lib, args.reps).items():
            print(line(name, samples) + "  " + slowest)
        lib.store.close()
        largest = path
    assert largest is not None
    scratch = out / "scratch.db"
    remove_db(scratch)
    shutil.copyfile(largest, scratch)
    clock = FixedClock(dt.datetime.fromisoformat(END) + dt.timedelta(hours=1))
    lib = open_library(scratch, clock)
    print(f"\n== circulation on a copy of {largest.name} (synchronous=FULL, one commit each)")
    print(f"  fsync on this filesystem: {fsync_ms(out):.3f} ms per call (commit latency "
          "scales with it; measure again on the Pi's SD card)")
    for name, samples in bench_circulation(lib, clock, args.loans).items():
        print(line(name, samples))
    print("\n== import rate")
    print(bench_import(lib, out, args.import_records, f"into the {sizes[-1]:,} database"))
    lib.store.close()
    fresh = out / "import-fresh.db"
    remove_db(fresh)
    lib = open_library(fresh, FixedClock(END))
    init_library(lib, "TN-PHUTHO", "Thư viện xã Phú Thọ", commune="Phú Thọ")
    print(bench_import(lib, out, args.import_records, "into an empty database"))
    lib.store.close()


if __name__ == "__main__":
    main()
