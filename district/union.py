"""The union catalogue: every library's records merged into one entry per work.

Each library catalogues its own copy of a title, so the district holds several records of
one work. Records with the same ISBN-13 are one work; records without an ISBN are one work
when their folded title, first author and year agree. The key of each record is kept in
``union_keys`` and brought up to date from the event log: every record version reaches the
district as a ``record.put`` event, so "events after the last one looked at" names exactly
the records to re-key, whatever their clocks said (a device offline for a week sends edits
with old ``updated_at`` stamps, which a watermark on ``updated_at`` would miss).

Availability is read live from the synced circulation (items, loans, holds), per library.
Keys are brought up to date on the hub's writer after each write (``District.catch_up``);
everything else here only reads, on whichever connection it is given.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from kiosk.core.library import Library
from kiosk.core.text import fold, words

MARK = "union_keys_event_rowid"


@dataclass
class Holding:
    library: str
    library_name: str
    record_id: str
    copies: int = 0
    available: int = 0
    on_loan: int = 0
    held: int = 0
    waiting_holds: int = 0
    call_numbers: list[str] = field(default_factory=list)
    item_types: list[str] = field(default_factory=list)


@dataclass
class Work:
    key: str
    title: str
    subtitle: str | None
    authors: list[str]
    year: int | None
    isbn13: str | None
    publisher: str | None
    place: str | None
    edition: str | None
    ddc: str | None
    subjects: list[str]
    physical: str | None
    notes: str | None
    record_ids: list[str]
    holdings: list[Holding]

    @property
    def available(self) -> int:
        return sum(h.available for h in self.holdings)

    @property
    def copies(self) -> int:
        return sum(h.copies for h in self.holdings)

    @property
    def item_types(self) -> list[str]:
        return sorted({t for h in self.holdings for t in h.item_types})

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "available": self.available, "copies": self.copies}


def work_key(isbn13: str | None, title: str, authors: list[str], year: int | None) -> str:
    """``i`` + ISBN-13, or ``t`` + a digest of folded title, first author and year."""
    if isbn13:
        return "i" + isbn13
    first = authors[0] if authors else ""
    basis = "|".join([" ".join(words(fold(title))), " ".join(words(fold(first))),
                      str(year or "")])
    return "t" + hashlib.sha1(basis.encode()).hexdigest()[:20]


def _key_of_row(row) -> str:
    return work_key(row["isbn13"], row["title"], json.loads(row["authors"] or "[]"), row["year"])


def decade(year: int | None) -> int | None:
    return None if year is None else year // 10 * 10


class UnionCatalogue:
    """Views over the hub database (``union_keys`` is made by ``district/schema.py``);
    only :meth:`refresh` writes, and only the hub's writer calls it."""

    def __init__(self, library: Library):
        self.lib = library
        self.store = library.store

    # Keys

    def refresh(self) -> int:
        """Re-key the records changed since the last refresh; returns how many."""
        mark = int(self.store.get_meta(MARK, "0"))
        top = self.store.scalar("SELECT COALESCE(MAX(rowid), 0) FROM events")
        if top == mark:
            return 0
        if mark == 0:
            rows = self.store.all("SELECT id, isbn13, title, authors, year FROM records")
        else:
            # "+type": walk the rowid range, not the (much larger) index of every record.put
            changed = sorted({r[0] for r in self.store.all(
                "SELECT json_extract(payload, '$.id') FROM events WHERE rowid > ? AND rowid <= ? "
                "AND +type = 'record.put' AND json_extract(payload, '$.table') = 'records'",
                (mark, top))})
            rows = [row for start in range(0, len(changed), 500) for row in self.store.all(
                "SELECT id, isbn13, title, authors, year FROM records WHERE id IN "
                f"({','.join('?' * len(changed[start:start + 500]))})",
                changed[start:start + 500])]
        with self.store.transaction():
            self.store.conn.executemany(
                "INSERT OR REPLACE INTO union_keys (record_id, work_key) VALUES (?, ?)",
                [(r["id"], _key_of_row(r)) for r in rows])
            self.store.set_meta(MARK, str(top))
        return len(rows)

    def key_of_record(self, record_id: str) -> str | None:
        return self.store.scalar("SELECT work_key FROM union_keys WHERE record_id = ?",
                                 (record_id,))

    # Works

    def work(self, key: str) -> Work | None:
        works = self.works([key])
        return works[0] if works else None

    def works(self, keys: Iterable[str]) -> list[Work]:
        """The works of ``keys`` in that order, with holdings and live availability."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        records = self.store.all(
            f"SELECT u.work_key, r.* FROM union_keys u JOIN records r ON r.id = u.record_id "
            f"WHERE u.work_key IN ({marks}) ORDER BY r.rid", keys)
        by_key: dict[str, list] = {}
        for row in records:
            by_key.setdefault(row["work_key"], []).append(row)
        holdings = self._holdings([r["id"] for r in records])
        out = []
        for key in keys:
            rows = by_key.get(key)
            if rows:
                out.append(self._work(key, rows, holdings))
        return out

    def _work(self, key: str, rows: list, holdings: dict[str, list[Holding]]) -> Work:
        best = max(rows, key=lambda r: sum(v is not None for v in tuple(r)))
        subjects: list[str] = []
        for row in rows:
            for subject in json.loads(row["subjects"] or "[]"):
                if subject not in subjects:
                    subjects.append(subject)
        merged: dict[str, Holding] = {}
        for row in rows:
            for h in holdings.get(row["id"], []):
                if h.library not in merged:
                    merged[h.library] = h
                    continue
                m = merged[h.library]
                for name in ("copies", "available", "on_loan", "held", "waiting_holds"):
                    setattr(m, name, getattr(m, name) + getattr(h, name))
                m.call_numbers = sorted(set(m.call_numbers) | set(h.call_numbers))
                m.item_types = sorted(set(m.item_types) | set(h.item_types))
        return Work(
            key=key, title=best["title"], subtitle=best["subtitle"],
            authors=json.loads(best["authors"] or "[]"), year=best["year"],
            isbn13=best["isbn13"], publisher=best["publisher"], place=best["place"],
            edition=best["edition"], ddc=best["ddc"], subjects=subjects,
            physical=best["physical"], notes=best["notes"],
            record_ids=[r["id"] for r in rows],
            holdings=sorted(merged.values(), key=lambda h: h.library_name),
        )

    def _holdings(self, record_ids: list[str]) -> dict[str, list[Holding]]:
        """Per record and library: copies, call numbers, and what is on the shelf now."""
        if not record_ids:
            return {}
        marks = ",".join("?" * len(record_ids))
        rows = self.store.all(
            "SELECT i.record_id, i.library_id, COALESCE(lb.name, i.library_id) AS library_name, "
            "COUNT(*) AS copies, "
            "SUM(l.id IS NOT NULL) AS on_loan, "
            "SUM(l.id IS NULL AND h.id IS NOT NULL) AS held, "
            "SUM(l.id IS NULL AND h.id IS NULL AND i.status = 'available') AS available, "
            "json_group_array(DISTINCT i.call_number) AS call_numbers, "
            "json_group_array(DISTINCT i.item_type) AS item_types "
            "FROM items i LEFT JOIN loans l ON l.item_id = i.id "
            "LEFT JOIN holds h ON h.item_id = i.id AND h.status = 'trapped' "
            "LEFT JOIN libraries lb ON lb.code = i.library_id "
            f"WHERE i.record_id IN ({marks}) AND i.status != 'withdrawn' "
            "GROUP BY i.record_id, i.library_id", record_ids)
        waiting = {(r[0], r[1]): r[2] for r in self.store.all(
            "SELECT record_id, pickup_library, COUNT(*) FROM holds WHERE status = 'waiting' "
            f"AND record_id IN ({marks}) GROUP BY record_id, pickup_library", record_ids)}
        out: dict[str, list[Holding]] = {}
        for r in rows:
            out.setdefault(r["record_id"], []).append(Holding(
                library=r["library_id"], library_name=r["library_name"],
                record_id=r["record_id"], copies=r["copies"], available=int(r["available"] or 0),
                on_loan=int(r["on_loan"] or 0), held=int(r["held"] or 0),
                waiting_holds=waiting.get((r["record_id"], r["library_id"]), 0),
                call_numbers=sorted(c for c in json.loads(r["call_numbers"]) if c),
                item_types=sorted(json.loads(r["item_types"])),
            ))
        return out

    # Search and browsing

    def search(self, query: str, *, library: str | None = None, subject: str | None = None,
               year: int | None = None, item_type: str | None = None,
               limit: int = 20, page: int = 1) -> dict[str, Any]:
        """Core search (diacritic-insensitive FTS), grouped into works, filtered, faceted.

        The total and the facets count every work that matches, not just the best
        records (``district/union_search.py``); ``page`` pages through them, best first.
        """
        from district.union_search import MatchSet

        found = MatchSet(self.lib, query, library_code=library, subject=subject, year=year,
                         item_type=item_type)
        page = max(1, page)
        keys = found.page_keys(page, limit)
        return {"query": query, "total": found.total, "works": self.works(keys),
                "facets": found.facets(), "page": page, "per_page": limit,
                "pages": max(1, -(-found.total // limit))}

    def new_arrivals(self, library: str | None = None, limit: int = 20) -> list[Work]:
        """Works whose newest copy arrived most recently, district-wide or at one library."""
        sql, params = "SELECT record_id FROM items", []
        if library:
            sql += " WHERE library_id = ?"
            params.append(library)
        rows = self.store.all(sql + " ORDER BY created_at DESC LIMIT ?", (*params, limit * 10))
        ids = list(dict.fromkeys(r[0] for r in rows))
        if not ids:
            return []
        known = dict(self.store.all(
            f"SELECT record_id, work_key FROM union_keys WHERE record_id IN "
            f"({','.join('?' * len(ids))})", ids))
        keys = list(dict.fromkeys(known[i] for i in ids if i in known))[:limit]
        return self.works(keys)

    def libraries(self) -> list[dict[str, Any]]:
        """Libraries that hold copies, for choosing where to borrow."""
        return [dict(r) for r in self.store.all(
            "SELECT code, name FROM libraries WHERE code IN (SELECT DISTINCT library_id FROM items) "
            "ORDER BY name")]

    def attachment(self, attachment_id: str) -> dict[str, Any] | None:
        row = self.store.one("SELECT * FROM attachments WHERE id = ?", (attachment_id,))
        return dict(row) if row else None

    def attachments(self, record_ids: list[str]) -> list[dict[str, Any]]:
        if not record_ids:
            return []
        return [dict(r) for r in self.store.all(
            f"SELECT * FROM attachments WHERE record_id IN ({','.join('?' * len(record_ids))}) "
            "ORDER BY label", record_ids)]
