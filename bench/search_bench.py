"""Search benchmark: the kiosk's search beside a plain SQLite FTS5 baseline, same queries.

Run ``python -m bench.search_bench [--sizes 50000,200000] [--out DIR] [--reps 5]``.

For each size a catalogue of demo titles (the classics, then :func:`kiosk.demo.generated_record`
with 1–3 copies each) is written straight into the tables and indexed with
:func:`kiosk.core.search_index.reindex_all`: no event log, since only the search tables
matter here, and 200,000 titles build in minutes rather than an hour. It is cached under
``--out``. The baseline is a separate database holding one FTS5 table over the same fields
(``unicode61 remove_diacritics 2``, the same prefix indexes) queried as
``MATCH ... ORDER BY bm25 LIMIT 20`` returning rowid and title, its index merged into one
segment (FTS5 ``optimize``) as ours is after a rebuild; beside it the same query
over folded text (``đ`` -> ``d`` as ours folds, so it finds what ours finds: the plain
baseline misses ``Đồng Tháp`` for ``dong thap``), shown for reference. Both connections
read through a memory map (``kiosk.store.db.MMAP_BYTES``). Ours is ``Library.search.find``
until the hits are in hand, as the kiosk and counter screens call it
(``count=False``): Telex/VNI reading, ranking, availability counts of the baseline's 20
rows, a suggestion when few records answer; the screens show the hits, then "N kết quả"
when :meth:`Search.count` has it, timed on a line of its own for the queries whose hits
did not already say. Each query runs ours then the baseline back to back, so both see
the same machine load. The target: p50 and p95 of ours at most 1.5x the baseline's, per
group of queries.

With ``--filters`` the typed words are also searched as the patron screen does once a
filter is touched (issue 16): "Còn sách", the most frequent subject among the matches, the
2010s, and the choices themselves (``Search.facets``). The baseline has no filters, so
these are ours alone, for the record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import uuid
from pathlib import Path

from bench.core_bench import TYPED, TYPED_AS_YOU_GO, SHORT_PREFIX, percentiles, prefixes, timed
from kiosk import demo_data as data
from kiosk.app import open_library
from kiosk.core import search_index
from kiosk.core.clock import FixedClock
from kiosk.core.node import init_library
from kiosk.core.search_filters import Filters
from kiosk.core.text import fold, words
from kiosk.demo import generated_record
from kiosk.store.db import MMAP_BYTES

NOW = "2026-06-01T08:00:00"
LIBRARY = "TN-TRAMCHIM"
TARGET = 1.5


def _records(size: int, seed: int):
    rng = random.Random(seed)
    classics = [
        {"title": t, "authors": a, "publisher": data.PUBLISHERS[p][0], "year": y, "ddc": d,
         "subjects": s, "series": series}
        for t, a, p, y, d, s, _, series in data.CLASSICS][:size]
    yield from classics
    for _ in range(size - len(classics)):
        fields, publisher, _ = generated_record(rng)
        yield {**fields, "publisher": data.PUBLISHERS[publisher][0]}


def write_title(store, fields: dict, library: str, copies: int, first_barcode: int,
                barcode_format: str, now: str) -> None:
    """One record and its copies straight into the tables (no event log): the benchmarks'
    catalogues are too large to build through the domain in reasonable time."""
    record_id = uuid.uuid4().hex
    store.execute(
        "INSERT INTO records (id, title, subtitle, authors, publisher, year, language, "
        "subjects, ddc, series, created_at, updated_at, library_id) "
        "VALUES (?, ?, ?, ?, ?, ?, 'vie', ?, ?, ?, ?, ?, ?)",
        (record_id, fields["title"], fields.get("subtitle"),
         json.dumps(fields["authors"], ensure_ascii=False), fields["publisher"],
         fields["year"], json.dumps(fields["subjects"], ensure_ascii=False),
         fields["ddc"], fields.get("series"), now, now, library))
    for n in range(first_barcode, first_barcode + copies):
        store.execute(
            "INSERT INTO items (id, barcode, record_id, library_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (uuid.uuid4().hex, barcode_format.format(n), record_id, library, now))


def copies(rng: random.Random) -> int:
    return rng.choices([1, 2, 3], [50, 35, 15])[0]


def build(path: Path, size: int, seed: int) -> None:
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    lib = open_library(tmp, FixedClock(NOW))
    init_library(lib, LIBRARY, "Thư viện thị trấn Tràm Chim", commune="Tràm Chim")
    rng = random.Random(seed + 1)
    store = lib.store
    with lib.transaction():
        barcode = 1
        for fields in _records(size, seed):
            count = copies(rng)
            write_title(store, fields, LIBRARY, count, barcode, "TC{:07d}", NOW)
            barcode += count
        search_index.reindex_all(store)
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    os.replace(tmp, path)


def build_baseline(source: Path, path: Path) -> None:
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    conn = sqlite3.connect(tmp)
    for table, form in (("base", str), ("folded", fold)):
        conn.execute(f"CREATE VIRTUAL TABLE {table} USING fts5 (title, authors, series, "
                     "publisher, subjects, tokenize = 'unicode61 remove_diacritics 2', "
                     "prefix = '1 2 3')")
        rows = src.execute("SELECT rid, title, subtitle, authors, series, publisher, subjects "
                           "FROM records")
        conn.executemany(
            f"INSERT INTO {table} (rowid, title, authors, series, publisher, subjects) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((r[0], form(" ".join(filter(None, [r[1], r[2]]))), form(" ; ".join(json.loads(r[3]))),
              form(r[4] or ""), form(r[5] or ""), form(" ; ".join(json.loads(r[6]))))
             for r in rows))
        # Merged into one segment, as ours is after a rebuild (search_index.optimize).
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    conn.commit()
    conn.close()
    src.close()
    os.replace(tmp, path)


class Baseline:
    def __init__(self, path: Path):
        self.conn = sqlite3.connect(path)
        # Read through a memory map as the kiosk's own connections do (kiosk.store.db).
        self.conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")

    def search(self, query: str, table: str = "base") -> list[tuple[int, str]]:
        """The plain query; on ``folded`` (đ -> d, as ours folds) the query is folded too."""
        text = fold(query) if table == "folded" else query.lower()
        terms = [f'"{w}"' for w in words(text)]
        terms[-1] += "*"
        return self.conn.execute(
            f"SELECT rowid, title FROM {table} WHERE {table} MATCH ? "
            f"ORDER BY bm25({table}) LIMIT 20", (" AND ".join(terms),)).fetchall()


def groups() -> dict[str, list[str]]:
    typed_prefix = [p for phrase in TYPED_AS_YOU_GO for p in prefixes(phrase)]
    return {
        "typed words": TYPED,
        f"prefix, last word <= {SHORT_PREFIX} chars":
            [p for p in typed_prefix if len(p.split()[-1]) <= SHORT_PREFIX],
        f"prefix, last word > {SHORT_PREFIX} chars":
            [p for p in typed_prefix if len(p.split()[-1]) > SHORT_PREFIX],
    }


def _row(name: str, n: int, ours, base, folded) -> str:
    (o50, o95), (b50, b95), (f50, f95) = percentiles(ours), percentiles(base), percentiles(folded)
    held = o50 <= TARGET * b50 and o95 <= TARGET * b95
    return (f"  {name:<28} n={n:<4} ours {o50:6.2f} {o95:6.2f} | fts5 {b50:6.2f} {b95:6.2f} "
            f"x{o50 / b50:4.2f} x{o95 / b95:4.2f} {'ok  ' if held else 'OVER'} | "
            f"fts5 folded {f50:6.2f} {f95:6.2f} x{o50 / f50:4.2f} x{o95 / f95:4.2f}"), held


def run_filters(path: Path, reps: int) -> None:
    lib = open_library(path, FixedClock(NOW))
    search = lib.search
    subject = {q: (search.facets(q).subjects or [None])[0] for q in TYPED}
    chosen = {
        "Còn sách": lambda q: Filters(available=True),
        "most frequent subject": lambda q: Filters(subject=subject[q]) if subject[q] else None,
        "2010-2019": lambda q: Filters(year_from=2010, year_to=2019),
    }
    work = {"facets (the choices)": lambda q: search.facets(q)}
    for name, pick in chosen.items():       # as the patron screen: the hits, then the count
        work[name] = lambda q, pick=pick: search.find(q, filters=pick(q), count=False)
        work[name + ": count"] = lambda q, pick=pick: search.count(q, filters=pick(q))
    print("  filters on the typed words, ours only: p50 p95 max in ms")
    for name, fn in work.items():
        for q in TYPED:
            fn(q)
        samples = [timed(lambda q=q: fn(q)) for _ in range(reps) for q in TYPED]
        p50, p95 = percentiles(samples)
        print(f"  {name:<28} n={len(samples):<4} {p50:7.2f} {p95:7.2f} {max(samples):7.2f}")
    lib.store.close()


def _answers(lib, base: Baseline, queries: list[str]) -> dict[str, tuple[int, int]]:
    """How many hits each query gets from ours and from the plain baseline."""
    return {q: (len(lib.search.find(q, count=False).hits), len(base.search(q))) for q in queries}


def _unanswered(answers: dict[str, tuple[int, int]], queries: list[str],
                samples: list[list[float]]) -> str:
    """The queries the plain baseline answers with nothing while ours finds records (it
    does not fold ``đ``: ``luat dat dai`` misses ``Luật đất đai``), and the ratios without
    them: the time of an empty answer says little about the time of finding."""
    missed = {q for q in queries if answers[q][0] and not answers[q][1]}
    if not missed:
        return "    the plain baseline finds something for every query ours answers"
    kept = [[ms for i, ms in enumerate(group) if queries[i % len(queries)] not in missed]
            for group in samples]
    (o50, o95), (b50, b95) = percentiles(kept[0]), percentiles(kept[1])
    shown = ", ".join(sorted(missed)[:4]) + (" ..." if len(missed) > 4 else "")
    return (f"    the plain baseline finds nothing for {len(missed)} of {len(queries)} ({shown}); "
            f"without them: ours {o50:.2f} {o95:.2f} | fts5 {b50:.2f} {b95:.2f} "
            f"x{o50 / b50:4.2f} x{o95 / b95:4.2f}")


def _per_query(answers: dict[str, tuple[int, int]], queries: list[str],
               samples: list[list[float]]) -> str:
    """Each query's median, ours beside the baseline's, in the baseline's order: a pooled
    median of a few queries lands on one of them, and which one says what it measures."""
    def median(group: list[float], i: int) -> float:
        return percentiles(group[i::len(queries)])[0]
    rows = sorted((median(samples[1], i), median(samples[0], i), q)
                  for i, q in enumerate(queries))
    lines = ["    each query, p50 in ms (fts5 order; hits found by ours / by fts5):"]
    for b50, o50, q in rows:
        ours, plain = answers[q]
        lines.append(f"      {q:<20} ours {o50:6.2f} | fts5 {b50:6.2f} x{o50 / b50:5.2f}  "
                     f"{ours}/{plain}")
    return "\n".join(lines)


def _counted(lib, queries: list[str], reps: int) -> str:
    """What "N kết quả" costs after the hits, where they did not say it themselves."""
    later = [q for q in queries if lib.search.find(q, count=False).total is None]
    if not later:
        return "    every total came with its hits"
    samples = [timed(lambda q=q: lib.search.count(q)) for _ in range(reps) for q in later]
    p50, p95 = percentiles(samples)
    return (f"    then \"N kết quả\" for {len(later)} of {len(queries)} (Search.count): "
            f"p50 {p50:.2f} p95 {p95:.2f} max {max(samples):.2f} ms")


def run(path: Path, baseline_path: Path, reps: int) -> bool:
    lib = open_library(path, FixedClock(NOW))
    base = Baseline(baseline_path)
    ok = True
    every: list[list[float]] = [[], [], []]
    print("  p50 p95 in ms; x = ours / baseline; target <= 1.5x against fts5")
    for name, queries in groups().items():
        for q in queries:
            lib.search.find(q)
            base.search(q)
            base.search(q, "folded")
        samples: list[list[float]] = [[], [], []]
        for _ in range(reps):
            for q in queries:
                samples[0].append(timed(lambda q=q: lib.search.find(q, count=False)))
                samples[1].append(timed(lambda q=q: base.search(q)))
                samples[2].append(timed(lambda q=q: base.search(q, "folded")))
        text, held = _row(name, len(samples[0]), *samples)
        print(text)
        ok = ok and held
        answers = _answers(lib, base, queries)
        print(_unanswered(answers, queries, samples))
        if name == "typed words":
            print(_per_query(answers, queries, samples))
        print(_counted(lib, queries, reps))
        for kept, new in zip(every, samples):
            kept += new
    print(_row("all queries", len(every[0]), *every)[0])
    lib.store.close()
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,200000")
    parser.add_argument("--out", default=str(Path(__file__).parent / "out"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--filters", action="store_true",
                        help="also time filtered searches and their choices (ours only)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"search bench  sqlite {sqlite3.sqlite_version}  seed {args.seed}  reps {args.reps}  "
          f"cpus {os.cpu_count()}  load {os.getloadavg()[0]:.2f}  target <= {TARGET}x")
    ok = True
    for size in sorted(int(s) for s in args.sizes.split(",")):
        path = out / f"search-{size}-s{args.seed}.db"
        baseline = out / f"search-{size}-s{args.seed}-fts5.db"
        started = dt.datetime.now()
        if not path.exists():
            build(path, size, args.seed)
        if not baseline.exists():
            build_baseline(path, baseline)
        took = (dt.datetime.now() - started).total_seconds()
        print(f"\n== {size:,} titles ({'built in %.0f s' % took if took > 2 else 'cached'})")
        ok = run(path, baseline, args.reps) and ok
        if args.filters:
            run_filters(path, args.reps)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
