"""Offline evaluation of "Bạn đọc mượn cuốn này cũng mượn…" on the demo's borrowing history.

Run ``python -m bench.recommend_eval [--books 1000] [--patrons 400] [--days 180] [--seed 7]
[--db PATH]``: by default a commune library of 1,000 titles, 400 patrons and half a year of
loans (the privacy floor needs that many readers before pairs pass it; the ``kiosk demo``
default of 2,000 titles, 200 patrons and 120 days passes only a dozen). A demo library is
generated through the real core (``kiosk.demo``) into a temporary file (or ``--db``,
reused when it exists). Then, for every patron with at
least two different titles, the title they borrowed last is held out; the co-borrowing
model (``kiosk.core.recommend``, privacy floor included) is built from everything else,
and each patron gets ten suggestions from the rest of their own history. A hit is the
held-out title among the ten. The baseline suggests the ten titles borrowed by the most
patrons, minus what the patron already borrowed. Both hit rates at 10 are printed, with
how many patrons got any co-borrowing suggestion at all (coverage) and the hit rate of
co-borrowing filled up with popular titles when it has fewer than ten.

The demo first chose each loan's title at random (a tenth of them among its best-known
titles): with that history co-borrowing has nothing to learn and loses (2026-12, default
arguments: 0.039 against 0.062 for popularity). ``kiosk/demo_history.py`` now gives
patrons interests by age group, favourites within a shelf and follow-up loans of the same
title or shelf; with it: 0.130 against 0.031.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.recommend import FLOOR, CoBorrowing, borrowings
from kiosk.demo import build_demo

NOW = "2026-06-01T08:00:00"
K = 10


def split(pairs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(training pairs, held-out title per patron): each patron's last new title out."""
    by_patron: dict[str, list[str]] = defaultdict(list)
    for patron, unit in pairs:
        by_patron[patron].append(unit)
    held = {p: titles[-1] for p, titles in by_patron.items() if len(titles) >= 2}
    train = [(p, u) for p, u in pairs if held.get(p) != u]
    return train, held


def evaluate(pairs: list[tuple[str, str]], floor: int = FLOOR, k: int = K) -> dict[str, float]:
    train, held = split(pairs)
    model = CoBorrowing.build(train, floor)
    history: dict[str, list[str]] = defaultdict(list)
    for patron, unit in train:
        history[patron].append(unit)
    readers = Counter(u for _, u in train)  # in order of first loan: ties break the same
    ranked = [u for u, _ in sorted(readers.items(), key=lambda p: -p[1])]  # way every run
    hits = Counter()
    covered = 0
    for patron, target in held.items():
        mine = set(history[patron])
        popular = [u for u in ranked if u not in mine][:k]
        suggested = model.for_history(history[patron], k)
        covered += bool(suggested)
        filled = suggested + [u for u in popular if u not in suggested][:k - len(suggested)]
        hits["popularity"] += target in popular
        hits["co_borrowing"] += target in suggested
        hits["co_borrowing_filled"] += target in filled
    n = max(1, len(held))
    return {"patrons": len(held), "pairs": model.pairs, "titles_with_neighbours":
            len(model.neighbours), "coverage": covered / n,
            **{name: hits[name] / n for name in ("co_borrowing", "popularity",
                                                  "co_borrowing_filled")}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=1000)
    parser.add_argument("--patrons", type=int, default=400)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "demo.db"
        fresh = not path.exists()
        lib = open_library(path, FixedClock(NOW))
        started = time.perf_counter()
        if fresh:
            build_demo(lib, books=args.books, patrons=args.patrons, seed=args.seed,
                       history_days=args.days)
        built = time.perf_counter() - started
        pairs = borrowings(lib.store, lib.code)
        started = time.perf_counter()
        result = evaluate(pairs)
        took = time.perf_counter() - started
        lib.store.close()
    print(f"demo library: {args.books} titles, {result['patrons']}"
          f" patrons evaluated, {len(pairs)} distinct borrowings"
          f"{f', built in {built:.1f} s' if fresh else ''}; split and scoring {took:.2f} s")
    print(f"privacy floor: {FLOOR} patrons per pair; {result['pairs']} pairs pass, "
          f"{result['titles_with_neighbours']} titles have related titles")
    print(f"hit rate @{K}  co-borrowing:            {result['co_borrowing']:.3f}"
          f"  (patrons with any suggestion: {result['coverage']:.0%})")
    print(f"hit rate @{K}  popularity baseline:     {result['popularity']:.3f}")
    print(f"hit rate @{K}  co-borrowing + popular:  {result['co_borrowing_filled']:.3f}")


if __name__ == "__main__":
    main()
