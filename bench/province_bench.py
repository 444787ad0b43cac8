"""Province benchmark: one hub, 100 libraries, 1,000 enrolled devices, 200,000 titles.

Run ``python -m bench.province_bench`` (loopback only; bounded: about a minute per
phase once the database is cached). It prints, for 50, 200 and 1,000 devices syncing,
pull and push p50/p95, OPAC search p50/p95 measured at the same time, errors and the
hub's memory (RSS).

The hub is the real thing: ``district serve`` in its own process on 127.0.0.1. Each
simulated device has its own Ed25519 key, enrolled at the hub with an enrolment code,
its own origin and gap-free sequence, and speaks the real protocol: a signed pull with
its version vector (again while the hub says there is more), then a signed push of the
1–5 events it made since (in its library's partition: half of them visits, half loans
and returns of three copies of its library that are its own), every
``--period`` seconds (default 10, six times the kiosk daemon's 60 s), starting at a
random moment in the first period so the devices do not beat in step. A device pulls
what the other devices of its library pushed. An OPAC client meanwhile runs one search
after another (``/api/tim``, the JSON form of the results page: full counts, facets,
the first page of works with live holdings). Last it times one late push on the writer,
in process, as the hub refolds it (its library only) and with a full refold.

The catalogue is written straight into the tables, as ``bench/search_bench.py`` does
(replicating 200,000 records through the event log would take an hour and measures
nothing this benchmark is about), spread over the 100 libraries with 1–3 copies each,
then indexed, keyed into works and stamped for OAI as the hub does on start-up. It is
cached under ``--out`` with the devices' keys (bench keys only) and copied for each run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.search_bench import _records, copies, write_title
from kiosk.app import open_library
from kiosk.core import search_index
from kiosk.core.clock import FixedClock
from kiosk.core.node import init_library
from kiosk.store import hlc as hlclib
from sync import auth, enrolment, protocol

NOW = "2026-11-20T08:00:00"
HUB = "DONGTHAP"
LIBRARIES = 100
DEVICES = 1000
TITLES = 200_000
PHASES = (50, 200, 1000)
QUERIES = ("nguyen", "lua", "ky thuat nuoi", "truyen", "dong thap", "lich su viet nam",
           "suc khoe", "tre em", "phap luat", "trong rau", "ca tra", "tieng anh", "toan 6",
           "dế mèn", "van hoc", "cay an qua", "hoi dap", "benh", "chan nuoi", "ho chi minh")


def code_of(n: int) -> str:
    return f"DT-{n:03d}"


# Building the hub database


def build(path: Path, titles: int, seed: int = 11) -> None:
    """The hub with its libraries, catalogue and enrolled devices; keys in ``path``.keys.json."""
    from district import received
    from district.accounts import ensure_schema
    from district.union import UnionCatalogue

    tmp = path.with_suffix(".building")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.monotonic()
    hub = open_library(tmp, FixedClock(NOW))
    init_library(hub, HUB, "Thư viện tỉnh Đồng Tháp", kind="district")
    hub.store.set_meta("role", enrolment.DISTRICT_ROLE)
    ensure_schema(hub)
    codes = [code_of(n) for n in range(1, LIBRARIES + 1)]
    with hub.transaction():
        for n, code in enumerate(codes, start=1):
            hub.put("libraries", code, {"name": f"Thư viện xã số {n:03d}", "kind": "public"},
                    library_id=code)
    rng = random.Random(seed)
    store = hub.store
    with hub.transaction():
        barcode = 1
        for fields in _records(titles, seed):
            home = rng.choice(codes)
            count = copies(rng)
            write_title(store, fields, home, count, barcode, "B{:08d}", NOW)
            barcode += count
        search_index.reindex_all(store)
    print(f"  catalogue of {titles} titles written and indexed in "
          f"{time.monotonic() - started:.0f} s", flush=True)
    keys = []
    for n in range(DEVICES):
        private, public = auth.new_keypair()
        code = codes[n % LIBRARIES]
        creds = enrolment.enrol_device(hub, enrolment.issue_code(hub, code), f"kiosk {n}",
                                       "bench", public)
        keys.append({"device_id": creds["device_id"], "private": private, "library": code})
    UnionCatalogue(hub).refresh()
    received.catch_up(hub)
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    Path(f"{path}.keys.json").write_text(json.dumps(keys))
    os.replace(tmp, path)
    print(f"  built in {time.monotonic() - started:.0f} s: {path}", flush=True)


# The simulated devices


@dataclass
class Device:
    device_id: str
    private: str
    library: str
    origin: str = field(default_factory=lambda: uuid.uuid4().hex)
    seq: int = 0
    last_hlc: int = 0
    vector: dict[str, int] = field(default_factory=dict)
    unsent: list[dict] = field(default_factory=list)  # made, not yet confirmed by the hub
    copies: list[str] = field(default_factory=list)  # item ids this device lends
    lent: set[str] = field(default_factory=set)

    def _activity(self) -> tuple[str, dict]:
        if not self.copies or random.random() < 0.5:
            return "visit", {"patron_id": None}
        item = random.choice(self.copies)
        if item in self.lent:
            self.lent.discard(item)
            return "loan.checkin", {"item_id": item}
        self.lent.add(item)
        return "loan.checkout", {"item_id": item, "patron_id": f"bench-{self.device_id[:12]}",
                                 "due_date": "2026-12-04"}

    def events(self, count: int) -> list[dict]:
        """The events the hub lacks: any a failed push left, and ``count`` new ones."""
        out = self.unsent
        for _ in range(count):
            self.seq += 1
            stamp = hlclib.pack(int(time.time() * 1000), 0)
            self.last_hlc = max(stamp, self.last_hlc + 1)
            kind, payload = self._activity()
            out.append({"origin_id": self.origin, "seq": self.seq, "uuid": uuid.uuid4().hex,
                        "hlc": self.last_hlc,
                        "wall_time": time.strftime("%Y-%m-%dT%H:%M:%S+07:00"),
                        "library_id": self.library, "type": kind, "payload": payload})
        self.vector[self.origin] = self.seq
        self.unsent = out
        return out

    def confirmed(self, hub_vector: dict[str, int]) -> None:
        held = int(hub_vector.get(self.origin, 0))
        self.unsent = [e for e in self.unsent if e["seq"] > held]


@dataclass
class Results:
    pull: list[float] = field(default_factory=list)
    push: list[float] = field(default_factory=list)
    opac: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    rounds: int = 0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def signed(http: httpx.AsyncClient, device: Device, path: str, data: dict) -> dict:
    body = protocol.encode(data)
    headers = {**auth.sign_headers(device.private, device.device_id, "POST", path, body),
               "Content-Type": "application/json", "Content-Encoding": "gzip"}
    reply = await http.post(path, content=body, headers=headers)
    if reply.status_code != 200:
        raise RuntimeError(f"{path.rsplit('/', 1)[1]} HTTP {reply.status_code}")
    return reply.json()


async def sync_round(http: httpx.AsyncClient, device: Device, results: Results) -> None:
    while True:
        started = time.perf_counter()
        reply = await signed(http, device, protocol.PULL, {"vector": device.vector,
                                                           "limit": 500})
        results.pull.append((time.perf_counter() - started) * 1000)
        for event in reply["events"]:
            if event["seq"] > device.vector.get(event["origin_id"], 0):
                device.vector[event["origin_id"]] = event["seq"]
        if not reply.get("more"):
            break
    events = device.events(random.randint(1, 5))
    started = time.perf_counter()
    reply = await signed(http, device, protocol.PUSH, {"events": events,
                                                       "status": {"version": "bench"}})
    results.push.append((time.perf_counter() - started) * 1000)
    if reply.get("held_back"):
        results.error("push held back")
    device.confirmed(reply.get("vector", {}))
    results.rounds += 1


async def run_device(http, device: Device, results: Results, period: float, stop: float):
    await asyncio.sleep(random.uniform(0, period))
    while time.monotonic() < stop:
        began = time.monotonic()
        try:
            await sync_round(http, device, results)
        except (httpx.HTTPError, RuntimeError, ValueError) as exc:
            results.error(type(exc).__name__ if isinstance(exc, httpx.HTTPError) else str(exc))
        await asyncio.sleep(max(0.0, period - (time.monotonic() - began)))


async def run_opac(http, results: Results, stop: float) -> None:
    n = 0
    while time.monotonic() < stop:
        query = QUERIES[n % len(QUERIES)]
        n += 1
        started = time.perf_counter()
        try:
            reply = await http.get("/api/tim", params={"q": query})
            if reply.status_code != 200:
                results.error(f"opac HTTP {reply.status_code}")
            else:
                results.opac.append((time.perf_counter() - started) * 1000)
        except httpx.HTTPError as exc:
            results.error(f"opac {type(exc).__name__}")
        await asyncio.sleep(0.05)


async def phase(url: str, devices: list[Device], period: float, seconds: float) -> Results:
    results = Results()
    # A device keeps its connection no longer than the hub does (uvicorn: 5 s idle).
    limits = httpx.Limits(max_connections=len(devices) + 8,
                          max_keepalive_connections=len(devices) + 8, keepalive_expiry=4.0)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http, \
            httpx.AsyncClient(base_url=url, timeout=30) as opac:
        stop = time.monotonic() + seconds
        await asyncio.gather(run_opac(opac, results, stop),
                             *(run_device(http, d, results, period, stop) for d in devices))
    return results


# The hub process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> tuple[float, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":")
            values[key] = int(value.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def start_hub(db: Path, port: int, log) -> subprocess.Popen:
    hub = subprocess.Popen([sys.executable, "-m", "district", "--db", str(db), "serve",
                            "--host", "127.0.0.1", "--port", str(port), "--level", "tinh"],
                           stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{protocol.HELLO}", timeout=2).status_code == 200:
                return hub
        except httpx.HTTPError:
            time.sleep(0.5)
    hub.kill()
    raise RuntimeError("the hub did not start: see the log")


def pct(samples: list[float]) -> str:
    if not samples:
        return "–"
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return f"{statistics.median(ordered):.0f} / {p95:.0f}"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))] if ordered else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="bench/out", help="cache folder")
    parser.add_argument("--titles", type=int, default=TITLES)
    parser.add_argument("--period", type=float, default=10.0, help="seconds between a "
                        "device's sync rounds (the kiosk daemon: 60)")
    parser.add_argument("--seconds", type=float, default=45.0, help="length of each phase")
    parser.add_argument("--phases", default=",".join(map(str, PHASES)))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cached = out / f"province-{args.titles}.db"
    if not cached.exists():
        print(f"building {cached} (once; cached afterwards)", flush=True)
        build(cached, args.titles)
    work = out / "province-run.db"
    for side in ("", "-wal", "-shm"):
        Path(f"{work}{side}").unlink(missing_ok=True)
    shutil.copyfile(cached, work)
    keys = json.loads(Path(f"{cached}.keys.json").read_text())
    devices = [Device(k["device_id"], k["private"], k["library"]) for k in keys]
    lend_copies(work, devices)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = out / "province-hub.log"
    with log_path.open("w") as log:
        hub = start_hub(work, port, log)
        try:
            started = time.monotonic()
            httpx.get(f"{url}/api/tim", params={"q": "sach"}, timeout=300)
            first = time.monotonic() - started
            print(f"hub up; first OPAC search (waits for the catalogue facts to load) "
                  f"{first:.1f} s", flush=True)
            rows = []
            for count in map(int, args.phases.split(",")):
                print(f"phase: {count} devices syncing every {args.period:g} s for "
                      f"{args.seconds:g} s", flush=True)
                results = asyncio.run(phase(url, devices[:count], args.period, args.seconds))
                rss, peak = rss_mb(hub.pid)
                rows.append((count, results, rss, peak))
                print(f"  rounds {results.rounds}, errors {sum(results.errors.values())} "
                      f"{results.errors or ''}", flush=True)
        finally:
            hub.terminate()
            hub.wait(timeout=30)
    print()
    print(f"Province hub: {LIBRARIES} libraries, {len(devices)} enrolled devices, "
          f"{args.titles} titles; each device syncs every {args.period:g} s; "
          f"{os.cpu_count()} cores")
    print("| devices syncing | sync rounds/s | pull p50 / p95 ms | push p50 / p95 ms | "
          "OPAC search p50 / p95 ms | errors | hub RSS MB (peak) |")
    print("|---|---|---|---|---|---|---|")
    ok = True
    for count, r, rss, peak in rows:
        print(f"| {count} | {r.rounds / args.seconds:.1f} | {pct(r.pull)} | {pct(r.push)} | "
              f"{pct(r.opac)} ({len(r.opac)} searches) | {sum(r.errors.values())} | "
              f"{rss:.0f} ({peak:.0f}) |")
        if count == 200:
            ok = (max(p95(r.pull), p95(r.push)) < 1000 and p95(r.opac) < 300
                  and not r.errors)
    print(f"\nTarget at 200 devices (sync p95 < 1 s, OPAC p95 < 300 ms, 0 errors): "
          f"{'met' if ok else 'NOT met'}. Hub log: {log_path}")
    print(refold_cost(work))
    print(late_push_cost(work, devices))
    return 0 if ok else 1


def lend_copies(db: Path, devices: list[Device], each: int = 3) -> None:
    """Give each device ``each`` copies of its library to lend, none shared."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        by_library: dict[str, list[str]] = {}
        for item_id, library in conn.execute(
                "SELECT id, library_id FROM (SELECT id, library_id, ROW_NUMBER() OVER "
                "(PARTITION BY library_id ORDER BY rowid) AS n FROM items) WHERE n <= ?",
                (each * DEVICES // LIBRARIES,)):
            by_library.setdefault(library, []).append(item_id)
    finally:
        conn.close()
    for device in devices:
        pool = by_library.get(device.library, [])
        device.copies, by_library[device.library] = pool[:each], pool[each:]


def refold_cost(db: Path) -> str:
    """What one push costs the writer when its events sort before what is already folded
    (devices' events arrive out of stamp order all the time): the hub refolds that
    library's circulation (``district/refold.py``); a full refold is what it used to do."""
    from district import refold
    from kiosk.core import fold

    hub = open_library(db)
    try:
        store = hub.store
        events = store.scalar("SELECT COUNT(*) FROM events WHERE type NOT LIKE 'record.%'")
        started = time.perf_counter()
        replayed = refold.refold_libraries(store, refold.group(store, {code_of(1)}))
        one = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        with store.transaction():
            fold.rebuild_circulation(store)
        full = (time.perf_counter() - started) * 1000
    finally:
        hub.store.close()
    return (f"A late push refolds its library: {one:.0f} ms ({replayed} events of {code_of(1)}); "
            f"a full circulation refold (before) takes {full:.0f} ms over {events} "
            f"circulation events.")


def late_push_cost(db: Path, devices: list[Device], pushes: int = 20) -> str:
    """The writer's time for one late push (3 loans or returns stamped a minute before the
    newest event the hub has folded), in process and without the load generator, as the hub
    does it and with a full refold. Back to back, so they compare even on a busy machine."""
    from district.app import District
    from kiosk.core import fold

    hub = District(open_library(db))
    figures = {}
    try:
        for label, refold in (("per library", hub.sync.writer.refold), ("full refold", None)):
            hub.sync.writer.refold = refold
            took = []
            for device in devices[:pushes]:
                stamp = fold.fold_key(hub.library.store)[0] - hlclib.pack(60_000, 0)
                events = []
                for n in range(3):
                    device.seq += 1
                    kind, payload = device._activity()
                    while kind == "visit":
                        kind, payload = device._activity()
                    events.append({"origin_id": device.origin, "seq": device.seq,
                                   "uuid": uuid.uuid4().hex, "hlc": stamp + n,
                                   "wall_time": time.strftime("%Y-%m-%dT%H:%M:%S+07:00"),
                                   "library_id": device.library, "type": kind,
                                   "payload": payload})
                body = protocol.encode({"events": device.unsent + events,
                                        "status": {"version": "bench"}})
                headers = {**auth.sign_headers(device.private, device.device_id, "POST",
                                               protocol.PUSH, body),
                           "Content-Type": "application/json", "Content-Encoding": "gzip"}
                started = time.perf_counter()
                reply = hub.sync.handle("POST", protocol.PUSH, headers, body)
                took.append((time.perf_counter() - started) * 1000)
                if reply.status != 200:
                    raise RuntimeError(f"late push refused: {reply.status} {reply.body[:200]!r}")
                device.unsent = []
            figures[label] = statistics.median(took)
    finally:
        hub.library.store.close()
    return (f"One late push on the writer (median of {pushes}, in process): "
            f"{figures['per library']:.0f} ms as the hub does it now, "
            f"{figures['full refold']:.0f} ms with a full refold.")


if __name__ == "__main__":
    raise SystemExit(main())
