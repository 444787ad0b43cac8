"""Bootstrap and rural-link figures: ``python -m bench.bootstrap_bench [--books 50000 200000]``.

Prints, for each demo library size (``kiosk demo --books N``, built once into ``--dir``):

- bytes per catalogue record of the bootstrap file under gzip -9, xz -6 (the default), xz -9
  and zstd -19 (when the optional ``zstandard`` package is installed), next to the minimal
  CSV export of the same library (``kiosk export``: catalogue with items, and patrons) under
  the same compressors; and the transfer time of the default file at 256 kbit/s;
- make and install time and peak RSS (each in a process of its own);
- a download cut at 50 % and at 90 % and resumed: bytes on the wire against the file's size;
- with ``--columns``, the bytes of each column of the default file compressed on its own;

and, once, the time to sync 10,000 events through :mod:`bench.lossy_proxy` at 256 kbit/s and
300 ms RTT with 2 % loss against the same link without loss.
"""

from __future__ import annotations

import argparse
import gzip
import json
import lzma
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTITION_OF = {"TN-TRAMCHIM", "*"}
LINK = 32_000  # bytes/s: 256 kbit/s


def _zstd():
    try:
        import zstandard
    except ImportError:
        return None
    return zstandard


def _child(*args: str) -> dict:
    """Run a step in a fresh interpreter; it prints one JSON line with its peak RSS."""
    done = subprocess.run([sys.executable, "-m", "bench.bootstrap_bench", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _peak_mb() -> float:
    """This process's peak RSS (``VmHWM``: ``ru_maxrss`` would include the parent's, as it
    survives ``execve``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_make(db: str, out: str, compression: str, level: str) -> None:
    from sync import bootstrap

    started = time.perf_counter()
    made = bootstrap.make(db, PARTITION_OF, out, library="TN-TRAMCHIM", compression=compression,
                          preset=None if level == "-" else int(level))
    print(json.dumps({"seconds": time.perf_counter() - started, "bytes": made.size,
                      "rows": made.rows, "rss_mb": _peak_mb()}))


def step_install(source: str, target: str) -> None:
    from sync import snapshot

    started = time.perf_counter()
    counts = snapshot.install(Path(source), Path(target), "TN-TRAMCHIM", "Tràm Chim")
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": counts["rows"],
                      "rss_mb": _peak_mb()}))


def step_csv(db: str, folder: str) -> None:
    from kiosk.app import open_library
    from kiosk.io.importer import export_file

    lib = open_library(db)
    sizes = {}
    for what in ("catalogue", "patrons"):
        path = Path(folder) / f"{what}.csv"
        export_file(lib, path, format="csv", what=what)
        sizes[what] = str(path)
    ids = Path(folder) / "ids.csv"  # what no export has but a device cannot do without
    with open(ids, "w") as out:
        for sql in ("SELECT id FROM items ORDER BY record_id, barcode",
                    "SELECT id FROM patrons ORDER BY card_number"):
            out.writelines(f"{row[0]}\n" for row in lib.store.all(sql))
    print(json.dumps({"files": sizes, "ids": str(ids), "records": lib.catalogue.count(),
                      "rss_mb": _peak_mb()}))


def step_columns(source: str, folder: str) -> None:
    """xz -6 bytes of each column of a bootstrap file compressed on its own: where the
    bytes go. Values are spilled to one file per column (bounded memory), then each file
    is compressed in turn."""
    from sync import bootstrap

    spill = Path(folder)
    spill.mkdir(parents=True, exist_ok=True)
    outs: dict[tuple[str, str], object] = {}
    section = None
    for item in bootstrap.read(source):
        if isinstance(item, bootstrap.Section):
            section = item
        elif isinstance(item, list) and section is not None:
            for column, value in zip(section.columns, item):
                key = (section.table, column)
                if key not in outs:
                    outs[key] = open(spill / f"{len(outs)}.col", "wb")
                outs[key].write(json.dumps(value, ensure_ascii=False).encode() + b"\n")
    sizes = []
    for (table, column), out in outs.items():
        out.close()
        packer, size = lzma.LZMACompressor(preset=6), 0
        with open(out.name, "rb") as f:
            while block := f.read(1 << 20):
                size += len(packer.compress(block))
        size += len(packer.flush())
        Path(out.name).unlink()
        sizes.append([table, column, size])
    print(json.dumps({"columns": sorted(sizes, key=lambda c: -c[2]), "rss_mb": _peak_mb()}))


def _compressed(data: bytes) -> dict[str, int]:
    out = {"gzip-9": len(gzip.compress(data, 9)), "xz-6": len(lzma.compress(data, preset=6)),
           "xz-9": len(lzma.compress(data, preset=9))}
    zstd = _zstd()
    if zstd is not None:
        out["zstd-19"] = len(zstd.ZstdCompressor(level=19).compress(data))
    return out


def demo(folder: Path, books: int) -> Path:
    db = folder / f"demo{books // 1000}k.db"
    if not db.exists():
        print(f"building the {books}-title demo library (minutes)...", flush=True)
        subprocess.run([sys.executable, "-m", "kiosk", "--db", str(db), "demo", "--books",
                        str(books)], cwd=ROOT, check=True, capture_output=True)
    return db


def resume_after_cut(file: Path, fraction: float) -> dict:
    """Serve ``file`` as a bootstrap file, cut the download at ``fraction``, resume it."""
    from bench.lossy_proxy import LinkProfile, LossyProxy
    from kiosk.app import open_library
    from sync import auth, bootstrap, bootstrap_serve, joining, pairing
    from sync.bootstrap_fetch import Download, DownloadFailed
    from sync.server import SyncServer
    from sync.service import SyncService

    with tempfile.TemporaryDirectory() as folder:
        lib = open_library(Path(folder) / "counter.db")
        joining.found_library(lib, "TN-TRAMCHIM", "Tràm Chim")
        service = SyncService(lib)
        files = service.bootstrap_files
        files.folder.mkdir(parents=True)
        sha, size = bootstrap.file_sha256(file)
        key = bootstrap_serve.key_of({"TN-TRAMCHIM", "*"})
        os.link(file, files.folder / f"{key}-{sha}{bootstrap.SUFFIX}")
        (files.folder / f"{key}-{sha}.json").write_text(json.dumps(
            {"version": bootstrap.VERSION, "sha256": sha, "size": size, "floors": {},
             "created": time.time(),
             "seconds": 3600}))  # served as just made: the cut is what is measured
        private, public = auth.new_keypair()
        code, _ = pairing.issue_code(lib)
        device = pairing.pair_device(lib, code, public, "bench", "kiosk")["device_id"]
        server = SyncServer(service, "127.0.0.1", 0)
        server.start()
        target = Path(folder) / "device.kboot"
        wire = 0
        try:
            cut = LinkProfile(rate=20_000_000, rtt=0.01,
                              reset_after=(int(size * fraction),) + (0,) * 8)
            with LossyProxy(("127.0.0.1", server.port), cut) as proxy:
                try:
                    Download(proxy.url, device, private, retries=2, backoff=0.01).fetch(target)
                except DownloadFailed:
                    pass
                wire += proxy.down
            kept = (target.with_name(target.name + ".part")).stat().st_size
            with LossyProxy(("127.0.0.1", server.port), LinkProfile(rate=20_000_000, rtt=0.01)) as proxy:
                Download(proxy.url, device, private).fetch(target)
                wire += proxy.down
            ok = bootstrap.file_sha256(target)[0] == sha
        finally:
            server.stop()
    return {"cut_at": fraction, "kept_bytes": kept, "file_bytes": size, "wire_bytes": wire,
            "overhead": round(wire / size - 1, 4), "sha256_ok": ok}


def lossy_sync(events_wanted: int = 10_000) -> dict:
    """10,000 events pulled through the lossy proxy, with and without 2 % loss."""
    from bench.lossy_proxy import LinkProfile, LossyProxy
    from kiosk.app import open_library
    from kiosk.core.clock import FixedClock
    from sync import auth, joining, pairing
    from sync.client import PeerClient
    from sync.server import SyncServer
    from sync.service import SyncService

    out = {}
    with tempfile.TemporaryDirectory() as folder:
        lib = open_library(Path(folder) / "counter.db", FixedClock("2026-11-20T09:00:00"))
        joining.found_library(lib, "TN-TRAMCHIM", "Tràm Chim")
        with lib.transaction():
            n = 0
            while lib.store.scalar("SELECT COUNT(*) FROM events") < events_wanted:
                record = lib.catalogue.add_record({"title": f"Sách {n} về đồng bằng sông Cửu Long",
                                                   "authors": [f"Tác giả {n % 97}"]})
                lib.catalogue.add_item(record, f"TC{n:06d}")
                n += 1
        total = lib.store.scalar("SELECT COUNT(*) FROM events")
        server = SyncServer(SyncService(lib), "127.0.0.1", 0)
        server.start()
        try:
            for name, loss, resets in (("clean", 0.0, 0.0), ("lossy", 0.02, 400_000.0)):
                device = open_library(Path(folder) / f"{name}.db")
                device.store.set_meta("library_code", "TN-TRAMCHIM")
                private, public = auth.new_keypair()
                code, _ = pairing.issue_code(lib)
                reply = pairing.pair_device(lib, code, public, name, "kiosk")
                with device.store.transaction():
                    device.store.set_meta("device_id", reply["device_id"])
                    device.store.set_meta("device_private_key", private)
                profile = LinkProfile(rate=LINK, rtt=0.3, loss=loss, reorder=loss / 2,
                                      reset_every=resets, seed=13)
                with LossyProxy(("127.0.0.1", server.port), profile) as proxy:
                    started = time.perf_counter()
                    rounds = 0
                    while rounds < 5:
                        rounds += 1
                        result = PeerClient(device, proxy.url, timeout=(10.0, 60.0),
                                            backoff=0.5, retries=6).round()
                        if result.ok:
                            break
                    seconds = time.perf_counter() - started
                held = device.store.scalar("SELECT COUNT(*) FROM events")
                unique = device.store.scalar("SELECT COUNT(DISTINCT uuid) FROM events")
                mine = {r[0] for r in device.store.all("SELECT uuid FROM events")}
                theirs = {r[0] for r in lib.store.all("SELECT uuid FROM events")}
                out[name] = {"seconds": round(seconds, 1), "events": held, "source_events": total,
                             "duplicates": held - unique, "missing": len(theirs - mine),
                             "rounds": rounds, "resets": proxy.resets, "lost_segments": proxy.lost,
                             "bytes_down": proxy.down}
        finally:
            server.stop()
    out["ratio"] = round(out["lossy"]["seconds"] / out["clean"]["seconds"], 2)
    return out


COMPRESSORS = (("gzip-9", "gzip", "9"), ("xz-6", "xz", "6"), ("xz-9", "xz", "9"),
               ("zstd-19", "zstd", "19"))


def size_figures(db: Path, work: Path, only: set[str] | None = None,
                 columns: bool = False) -> dict:
    books = {}
    csv = _child("_csv", str(db), str(work))
    data = b"".join(Path(p).read_bytes() for p in csv["files"].values())
    records = csv["records"]
    books["records"] = records
    books["csv"] = {k: v for k, v in _compressed(data).items()}
    with_ids = data + Path(csv["ids"]).read_bytes()
    books["csv_ids_xz9"] = len(lzma.compress(with_ids, preset=9))
    bare = b"".join(line.split(b",", 1)[1] for line in Path(csv["files"]["catalogue"]).read_bytes()
                    .splitlines(keepends=True)) + Path(csv["files"]["patrons"]).read_bytes()
    books["csv_bare_xz9"] = len(lzma.compress(bare, preset=9))
    files = {}
    for label, compression, level in COMPRESSORS:
        if (compression == "zstd" and _zstd() is None) or (only and label not in only | {"xz-6"}):
            continue
        made = _child("_make", str(db), str(work / f"b-{label}.kboot"), compression, level)
        files[label] = made
    books["bootstrap"] = {k: v["bytes"] for k, v in files.items()}
    books["rows"] = files["xz-6"]["rows"]
    books["make"] = {"seconds": round(files["xz-6"]["seconds"], 1),
                     "rss_mb": round(files["xz-6"]["rss_mb"])}
    for leftover in work.glob("device.db*"):
        leftover.unlink()
    installed = _child("_install", str(work / "b-xz-6.kboot"), str(work / "device.db"))
    books["install"] = {"seconds": round(installed["seconds"], 1),
                        "rss_mb": round(installed["rss_mb"])}
    books["resume"] = [resume_after_cut(work / "b-xz-6.kboot", f) for f in (0.5, 0.9)]
    if columns:
        books["columns"] = _child("_columns", str(work / "b-xz-6.kboot"),
                                  str(work / "columns"))["columns"]
    return books


def report(sizes: dict, lossy: dict | None) -> str:
    lines = []
    for books, s in sizes.items():
        n = s["records"]
        lines.append(f"\n## {books:,} titles ({n:,} records, {s['rows'].get('items', 0):,} items, "
                     f"{s['rows'].get('patrons', 0):,} patrons, {s['rows'].get('events', 0):,} "
                     "circulation events)")
        lines.append("| compressor | bootstrap B/record | bootstrap MB | minimal CSV B/record | "
                     "ratio to CSV xz-9 | ratio to CSV + item and patron ids xz-9 |")
        lines.append("|---|---|---|---|---|---|")
        base, with_ids = s["csv"]["xz-9"], s.get("csv_ids_xz9")
        for label, size in s["bootstrap"].items():
            csv = s["csv"].get(label)
            lines.append(f"| {label} | {size / n:.0f} | {size / 1e6:.2f} | "
                         f"{f'{csv / n:.0f}' if csv else '—'} | {size / base:.2f} | "
                         f"{f'{size / with_ids:.2f}' if with_ids else '—'} |")
        if with_ids:
            lines.append(f"\nminimal CSV xz-9: {base / 1e6:.2f} MB; with the item and patron ids "
                         f"(not in any export, needed by every event): {with_ids / 1e6:.2f} MB")
        default = s["bootstrap"]["xz-6"]
        if s.get("csv_bare_xz9"):
            lines.append(f"the same CSV without its record id column (no id at all) xz-9: "
                         f"{s['csv_bare_xz9'] / 1e6:.2f} MB; default file "
                         f"{default / s['csv_bare_xz9']:.2f}x that")
        best = min(s["bootstrap"].values())
        lines.append(f"target bootstrap <= 1.3x the minimal CSV xz-9: smallest file "
                     f"{best / base:.2f}x, default file {default / base:.2f}x "
                     f"({'met' if default <= 1.3 * base else 'NOT met'})")
        lines.append(f"\ntransfer of the default file (xz-6) at 256 kbit/s: "
                     f"{default / LINK / 60:.1f} min (target at 200k titles: under 10 min)")
        lines.append(f"make: {s['make']['seconds']} s, peak RSS {s['make']['rss_mb']} MB; "
                     f"install (load, refold, search index): {s['install']['seconds']} s, "
                     f"peak RSS {s['install']['rss_mb']} MB (target: under 150 MB at 200k)")
        if s.get("columns"):
            lines.append("\nwhere the bytes go (each column's values as JSON text, under xz -6 on its "
                         "own, B/record): " +
                         ", ".join(f"{t}.{c} {b / n:.1f}" for t, c, b in s["columns"][:15]))
        for r in s["resume"]:
            lines.append(f"cut at {int(r['cut_at'] * 100)} %: {r['kept_bytes']:,} of "
                         f"{r['file_bytes']:,} bytes kept, {r['wire_bytes']:,} on the wire in all "
                         f"({r['overhead'] * 100:+.1f} %), SHA-256 ok: {r['sha256_ok']}")
    if lossy:
        c, l = lossy["clean"], lossy["lossy"]
        lines.append(f"\n## lossy link: {c['source_events']:,} events at 256 kbit/s, 300 ms RTT")
        lines.append(f"without loss: {c['seconds']} s; with 2 % loss, 1 % reordering and "
                     f"{l['resets']} resets: {l['seconds']} s (ratio {lossy['ratio']}); "
                     f"missing {l['missing']}, duplicated {l['duplicates']}, "
                     f"{l['lost_segments']} segments lost")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0].startswith("_"):
        {"_make": step_make, "_install": step_install, "_csv": step_csv,
         "_columns": step_columns}[argv[0]](*argv[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, nargs="*", default=[50_000, 200_000])
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / "out" / "bootstrap")
    parser.add_argument("--no-lossy", action="store_true")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--compressors", nargs="*", help="bootstrap files to make "
                        "(default: all of gzip-9 xz-6 xz-9 zstd-19; xz-6 is always made)")
    parser.add_argument("--columns", action="store_true",
                        help="also print the bytes of each column of the default file")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for books in args.books:
        db = demo(args.dir, books)
        work = args.dir / f"work{books // 1000}k"
        work.mkdir(exist_ok=True)
        sizes[books] = size_figures(db, work, set(args.compressors or ()) or None, args.columns)
        print(report({books: sizes[books]}, None), flush=True)
    lossy = None if args.no_lossy else lossy_sync(args.events)
    if lossy:
        print(report({}, lossy), flush=True)
    (args.dir / "results.json").write_text(json.dumps({"sizes": sizes, "lossy": lossy}, indent=1))


if __name__ == "__main__":
    main()
