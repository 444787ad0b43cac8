"""Sync benchmark: bytes on the wire, apply throughput, a throttled link, snapshot bootstrap.

Run ``python -m bench.sync_bench`` as root (the link section uses network namespaces).
It works on copies of the core bench's demo databases (built and cached under ``--out``
if missing), so the events are the demo's realistic mix, not synthetic ones. Each
section prints its figures; whatever is skipped is listed at the end with the reason.
Target from the design: at most 120 gzip'd bytes per loan event in steady state.
"""

from __future__ import annotations

import argparse
import json
import select
import shutil
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from bench.core_bench import demo_db
from bench.throttled_link import SERVER_ADDRESS, Link
from kiosk import __version__
from kiosk.app import open_library
from kiosk.core.node import init_library
from kiosk.store.eventlog import Event
from kiosk.store.migrations import SCHEMA_VERSION
from sync import identity, protocol, replica, snapshot
from sync.validate import event_to_wire

BATCH = replica.BATCH_SIZE
TAIL = 10_000
KINDS = {
    "loan event (checkout)": "type = 'loan.checkout'",
    "loan event (checkin)": "type = 'loan.checkin'",
    "catalogue record (record.put, records)": "type = 'record.put' AND "
                                              "json_extract(payload, '$.table') = 'records'",
    "steady-state mix (last events)": "1",
}


def copy_db(source: Path, target: Path) -> Path:
    """A consistent copy (WAL included) that leaves the cached source untouched."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()
    return target


def _batch(conn: sqlite3.Connection, where: str) -> list[dict]:
    rows = conn.execute(f"SELECT * FROM events WHERE {where} ORDER BY hlc DESC LIMIT ?",
                        (BATCH,)).fetchall()
    return [event_to_wire(Event.from_row(r)) for r in reversed(rows)]


def _size(data) -> int:
    return len(protocol.encode(data))


def _rounds(events: list[dict], vector: dict, hello: dict) -> tuple[float, float, float]:
    """Gzip'd body bytes per event of a pull round and of a push round, and raw JSON per event."""
    n = len(events)
    pull = _size({"vector": vector, "limit": BATCH}) + _size(
        {"events": events, "more": True, "vector": vector, **hello})
    push = _size({"events": events, "status": {"version": __version__, "conflicts": 0}}) + _size(
        {"applied": n, "duplicates": 0, "held_back": 0, "future_stamps": 0, "vector": vector})
    raw = len(json.dumps(events, ensure_ascii=False, separators=(",", ":")).encode())
    return pull / n, push / n, raw / n


def _ablation(events: list[dict]) -> list[tuple[str, float]]:
    """Bytes per event saved if each part were constant: what dominates the gzip'd size."""
    base = _size(events)
    n = len(events)

    def without(change) -> float:
        return (base - _size([change(dict(e, payload=dict(e["payload"]))) for e in events])) / n

    def const(field):
        return lambda e: {**e, field: 0}

    def const_payload(e):
        e["payload"] = {k: 0 for k in e["payload"]}
        return e

    def short_keys(e):
        return {k[:1] + str(i): v for i, (k, v) in enumerate(e.items())}

    parts = [(f"{f}", without(const(f))) for f in ("uuid", "origin_id", "seq", "hlc",
                                                    "wall_time", "library_id", "type")]
    parts += [("payload values (item/patron/loan ids, due date)", without(const_payload)),
              ("top-level JSON keys (vs 2-char keys)", without(short_keys))]
    return sorted(parts, key=lambda p: -p[1])


def wire_section(demo: Path) -> None:
    print(f"\n== bytes on the wire (gzip'd JSON bodies, batches of {BATCH}, events from {demo.name})")
    conn = sqlite3.connect(f"file:{demo}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    vector = {r[0]: r[1] for r in conn.execute(
        "SELECT origin_id, MAX(seq) FROM events GROUP BY origin_id")}
    code = conn.execute("SELECT value FROM meta WHERE key = 'library_code'").fetchone()[0]
    hello = {"device_id": "0" * 32, "library_id": code, "role": "node",
             "schema_version": SCHEMA_VERSION, "version": __version__}
    for label, where in KINDS.items():
        pull, push, raw = _rounds(_batch(conn, where), vector, hello)
        verdict = "" if "loan" not in label else ("  within 120" if max(pull, push) <= 120
                                                  else "  ABOVE the 120 target")
        print(f"  {label:40s} pull {pull:6.1f} B/event  push {push:6.1f} B/event  "
              f"(raw JSON {raw:.0f} B){verdict}")
    checkouts = _batch(conn, KINDS["loan event (checkout)"])
    print("  what a checkout's gzip'd bytes are made of (bytes/event saved if the part were constant):")
    for name, saved in _ablation(checkouts):
        print(f"    {name:50s} {saved:6.1f}")
    conn.close()


def _node(path: Path, code: str):
    lib = open_library(path)
    if lib.store.get_meta("library_code") is None:
        init_library(lib, code, "Thư viện đo thử")
    identity.make_keys(lib.store)
    return lib


def _trust(server_db: Path, client_db: Path) -> None:
    """Register the client's key on the server, as pairing would."""
    server, client = open_library(server_db), open_library(client_db)
    device, public = identity.make_keys(client.store)
    identity.register(server, device, public, name="bench client", role="kiosk")
    server.store.close()
    client.store.close()


def _apply(server, client, count: int) -> tuple[float, float, dict[str, int]]:
    """Move ``count`` events server -> client in batches; seconds fetching, seconds applying."""
    fetching = applying = 0.0
    kinds = {"record": 0, "circulation": 0}
    while count > 0:
        start = time.perf_counter()
        events, _ = replica.events_since(server.store, replica.vector(client.store), None,
                                         min(BATCH, count))
        fetching += time.perf_counter() - start
        if not events:
            break
        start = time.perf_counter()
        replica.apply_batch(client, events)
        applying += time.perf_counter() - start
        count -= len(events)
        for e in events:
            kinds["record" if e.type.startswith("record.") else "circulation"] += 1
    return fetching, applying, kinds


def apply_section(demo: Path, work: Path) -> tuple[Path, Path, str]:
    """Replicates the demo into an empty node; returns server, client-lacking-the-tail, code."""
    print(f"\n== apply_batch throughput (in-process, {BATCH}-event batches, synchronous=FULL)")
    server_path = copy_db(demo, work / "server.db")
    server = _node(server_path, "")
    code = server.code
    client = _node(work / "client.db", code)
    total = server.store.scalar("SELECT COUNT(*) FROM events")
    for label, count in (("bootstrap event by event", total - TAIL), ("steady-state tail", TAIL)):
        if label == "steady-state tail":
            client.store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            copy_db(work / "client.db", work / "client-cut.db")
        fetching, applying, kinds = _apply(server, client, count)
        moved = sum(kinds.values())
        print(f"  {label:26s} {moved:6,} events ({kinds['record']:,} record, "
              f"{kinds['circulation']:,} circulation): apply {moved / applying:7,.0f} events/s, "
              f"events_since {moved / fetching:7,.0f} events/s")
    server.store.close()
    client.store.close()
    return server_path, work / "client-cut.db", code


def _line(proc: subprocess.Popen, timeout: float) -> dict:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    line = proc.stdout.readline() if ready else ""
    if not line:
        proc.kill()
        raise RuntimeError(f"node gave no answer: {proc.stderr.read()[-2000:]}")
    return json.loads(line)


def _served(link: Link, db: Path, action: str, client_db: Path, timeout: float) -> tuple[dict, dict]:
    _trust(db, client_db)
    server = link.run(link.server, "serve", str(db), str(link.relay_delay), stdin=subprocess.PIPE)
    try:
        port = _line(server, 60)["port"]
        client = link.run(link.client, action, str(client_db), f"http://{SERVER_ADDRESS}:{port}")
        result = _line(client, timeout)
        client.wait(30)
    finally:
        server.stdin.close()
    counts = _line(server, 30)
    server.wait(30)
    return result, counts


def _small_library(demo: Path, path: Path, code: str, records: int) -> None:
    conn = sqlite3.connect(f"file:{demo}?mode=ro", uri=True)
    lib = _node(path, code)
    for title, authors in conn.execute("SELECT title, authors FROM records LIMIT ?", (records,)):
        lib.catalogue.add_record({"title": title, "authors": json.loads(authors or "[]")})
    lib.store.close()
    conn.close()


def link_section(server_db: Path, client_db: Path, demo: Path, work: Path, code: str,
                 records: int, skipped: list[str]) -> float:
    """Returns the measured snapshot goodput in bytes/s."""
    with Link() as link:
        print(f"\n== over a throttled link ({link.mode})")
        if link.relay_delay:
            skipped.append("2% packet loss (no netem in this kernel; rate and delay emulated)")
        result, wire = _served(link, server_db, "pull", client_db, 600)
        if result["errors"]:
            raise RuntimeError(f"sync over the link failed: {result['errors']}")
        moved = result["pulled"] + result["pushed"]
        total = wire["up"] + wire["down"]
        print(f"  sync of {result['pulled']:,} events pulled (+{result['pushed']} pushed): "
              f"{result['seconds']:.1f} s = {moved / result['seconds']:.0f} events/s over "
              f"{wire['connections']} HTTP requests")
        print(f"  relay counted {wire['up']:,} B up + {wire['down']:,} B down incl. HTTP headers "
              f"= {total / moved:.1f} B/event")
        _small_library(demo, work / "small.db", code, records)
        result, wire = _served(link, work / "small.db", "snapshot", client_db, 600)
        goodput = result["bytes"] / result["seconds"]
        print(f"  snapshot of a {records}-record library: {result['bytes']:,} B gzip'd in "
              f"{result['seconds']:.1f} s = {goodput / 1024:.1f} KiB/s "
              f"({goodput * 8 / 1000:.0f} kbit/s of the link's 256)")
        return goodput


def bootstrap_section(demo: Path, work: Path, goodput: float | None) -> None:
    print(f"\n== bootstrap from a snapshot of {demo.name} (in-process)")
    big = copy_db(demo, work / "big.db")
    lib = open_library(big)
    code = lib.code
    records = lib.store.scalar("SELECT COUNT(*) FROM records")
    start = time.perf_counter()
    data, vector = snapshot.make(lib, {code, replica.EVERYWHERE})
    made = time.perf_counter() - start
    lib.store.close()
    big.unlink()
    start = time.perf_counter()
    snapshot.install(data, work / "installed.db", code, None)
    installed = time.perf_counter() - start
    check = open_library(work / "installed.db")
    held = check.store.scalar("SELECT COUNT(*) FROM records")
    check.store.close()
    print(f"  {records:,} records, {sum(vector.values()):,} events: snapshot.make {made:.1f} s, "
          f"{len(data) / 1e6:.1f} MB gzip'd; snapshot.install {installed:.1f} s; "
          f"installed copy holds {held:,} records")
    line_rate = 256_000 / 8
    print(f"  download at the full 256 kbit/s: {len(data) / line_rate / 3600:.1f} h"
          + (f"; at the goodput measured above: {len(data) / goodput / 3600:.1f} h" if goodput else "")
          + " (extrapolated, not transferred)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).parent / "out"))
    parser.add_argument("--small", type=int, default=10_000, help="demo size for wire/apply/link")
    parser.add_argument("--large", type=int, default=200_000, help="demo size for the bootstrap")
    parser.add_argument("--snapshot-records", type=int, default=300)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    skipped = []
    demo, _ = demo_db(out, args.small, 7, 120)
    print(f"sync bench  sqlite {sqlite3.sqlite_version}  demo {demo.name}")
    wire_section(demo)
    with tempfile.TemporaryDirectory(prefix="sync-bench-", dir=out) as folder:
        work = Path(folder)
        server_db, client_db, code = apply_section(demo, work)
        goodput = None
        if shutil.which("ip") is None:
            skipped.append("throttled link: iproute2 not installed")
        else:
            try:
                goodput = link_section(server_db, client_db, demo, work, code,
                                       args.snapshot_records, skipped)
            except (subprocess.CalledProcessError, RuntimeError) as exc:
                skipped.append(f"throttled link: {exc}")
        large = out / f"demo-{args.large}-s7-h120.db"
        if large.exists():
            bootstrap_section(large, work, goodput)
        else:
            skipped.append(f"bootstrap: {large.name} missing (run python -m bench.core_bench "
                           f"--sizes {args.large} first; it takes a while)")
    print("\nskipped: " + ("; ".join(skipped) if skipped else "nothing"))


if __name__ == "__main__":
    main()
