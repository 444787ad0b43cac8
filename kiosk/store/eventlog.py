"""The append-only event log: every change a node makes, in one replicable sequence.

Each event is identified by ``(origin_id, seq)``, gap-free per origin, plus a UUID. The
origin is random per database incarnation (a restore or a cloned SD card mints a new one).
Several processes (kiosk UI, CLI, sync daemon) share one file and one origin, so the next
``seq``, the clock floor and the entity-id counter are read inside the write transaction,
never cached.

**Entity ids** (records, items, patrons, holds, requests, attachments) keep the 32-hex shape
of a UUID but are minted by the node (:meth:`EventLog.new_entity_id`): a prefix of
:data:`ORIGIN_HEX` hex digits of the origin and :data:`RUN_HEX` random digits drawn when the
log is opened, then a counter of :data:`COUNTER_HEX` digits kept in ``meta``. The ids a node
mints share a prefix and rise, so a bootstrap file carries a fraction of a byte per id
instead of 16 random ones (:mod:`sync.bootstrap_ids`). The random part of the prefix is for
clones: a cloned card, or a database restored by copying, writes under its original's
origin, counter included, until the fork is found (``docs/sync.md``, "Identity"); it runs in
a process of its own, so it draws its own prefix and the two never give one id to two
patrons. Origins, device ids, event uuids (fork detection tells two histories apart by
them) and anything that must be unguessable stay :func:`new_id`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import uuid
from dataclasses import dataclass
from typing import Any, Iterator, Protocol

from kiosk.store.db import Store
from kiosk.store.hlc import DEFAULT_DRIFT_BOUND_MS, MAX_STAMP, HybridLogicalClock, pack

FLOOR_KEY = "hlc_floor"
ID_COUNTER_KEY = "entity_id_counter"
ORIGIN_HEX, RUN_HEX, COUNTER_HEX = 8, 8, 16
PREFIX_HEX = ORIGIN_HEX + RUN_HEX
COUNTER_LIMIT = 16 ** COUNTER_HEX
_HEX = re.compile(f"[0-9a-f]{{{ORIGIN_HEX}}}")


class WallClock(Protocol):
    def now(self) -> dt.datetime: ...


@dataclass(frozen=True)
class Event:
    origin_id: str
    seq: int
    uuid: str
    hlc: int
    wall_time: str
    library_id: str
    type: str
    payload: dict[str, Any]

    @classmethod
    def from_row(cls, row: Any) -> "Event":
        return cls(
            row["origin_id"], row["seq"], row["uuid"], row["hlc"], row["wall_time"],
            row["library_id"], row["type"], json.loads(row["payload"]),
        )


def new_id() -> str:
    """A random id: origins, device ids, event uuids, and any id that must be unguessable."""
    return uuid.uuid4().hex


class EventLog:
    def __init__(self, store: Store, wall: WallClock):
        self.store = store
        self.wall = wall
        self.run = secrets.token_hex(RUN_HEX // 2)
        self.hlc = HybridLogicalClock(
            last=self.floor(), wall_ms=lambda: int(self.wall.now().timestamp() * 1000))

    def floor(self) -> int:
        """The newest stamp this node's clock has adopted, shared by its processes.

        Stamps beyond the drift bound are held but never adopted, so they are not part
        of the floor; the node's own events always are (a clock never runs backwards
        against its own log, even when the wall clock was reset to 1970).
        """
        stored = self.store.get_meta(FLOOR_KEY)
        if stored is None:  # a database from before the floor: adopt what is within the bound
            limit = pack(int(self.wall.now().timestamp() * 1000) + DEFAULT_DRIFT_BOUND_MS, 0)
            stored = self.store.scalar("SELECT MAX(hlc) FROM events WHERE hlc <= ?", (limit,))
        stored = int(stored or 0)
        # The node's own stamps rise with their seq (each append observes this floor), so
        # the newest own event carries the highest: one primary-key step, where MAX(hlc)
        # read every own event, so building a history of n events cost O(n²).
        own = self.store.scalar(
            "SELECT hlc FROM events WHERE origin_id = ? AND hlc <= ? ORDER BY seq DESC LIMIT 1",
            (self.store.get_meta("origin_id") or "", MAX_STAMP)) or 0
        return max(stored, own)

    def adopt(self, stamp: int) -> bool:
        """Merge a received stamp into the clock and persist the floor; False if refused."""
        if not self.hlc.observe(stamp):
            return False
        if stamp > int(self.store.get_meta(FLOOR_KEY) or 0):
            self.store.set_meta(FLOOR_KEY, str(stamp))
        return True

    @property
    def origin_id(self) -> str:
        """This incarnation's origin, minted on first use."""
        origin = self.store.get_meta("origin_id")
        if origin is None:
            origin = new_id()
            self.store.set_meta("origin_id", origin)
        return origin

    def new_entity_id(self) -> str:
        """The id of a new record, item, patron, hold or request (see the module's docstring).

        The counter is taken in a write transaction (the caller's, or one of its own), so
        the processes sharing this database never take the same value.
        """
        with self.store.transaction():
            origin = self.origin_id[:ORIGIN_HEX]
            count = int(self.store.get_meta(ID_COUNTER_KEY) or 0) + 1
            if count >= COUNTER_LIMIT or not _HEX.fullmatch(origin):
                return new_id()  # a foreign-shaped origin: an id every reader accepts too
            self.store.set_meta(ID_COUNTER_KEY, str(count))
            return f"{origin}{self.run}{count:0{COUNTER_HEX}x}"

    def partition_origin(self, library_id: str) -> str:
        """The origin this node writes another library's partition with, minted on first use.

        Each origin writes exactly one partition (peers refuse an origin that changes
        partition), so the district, writing a hold into a library's partition on behalf
        of a web patron, needs an origin of its own per library it writes for.
        """
        key = f"origin_id:{library_id}"
        origin = self.store.get_meta(key)
        if origin is None:
            origin = new_id()
            self.store.set_meta(key, origin)
        return origin

    def own_origins(self) -> set[str]:
        """Every origin this incarnation writes with: its own and its per-library ones."""
        origins = {r[0] for r in self.store.all(
            "SELECT value FROM meta WHERE key GLOB 'origin_id:*'")}
        return origins | {self.origin_id}

    def mint_new_origin(self) -> str:
        """Start a new incarnation (after a restore or clone): never reuse a seq range.

        Per-library origins are dropped too; they are minted again when next needed.
        """
        origin = new_id()
        with self.store.transaction():
            self.store.execute("DELETE FROM meta WHERE key GLOB 'origin_id:*'")
            self.store.set_meta("origin_id", origin)
        return origin

    def append(self, type_: str, payload: dict[str, Any], library_id: str,
               origin: str | None = None) -> Event:
        """Append one local event. Must run inside ``store.transaction()``."""
        origin = origin or self.origin_id
        seq = self.store.scalar(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE origin_id = ?", (origin,)
        )
        self.hlc.observe(self.floor())
        # Every stamp held within the drift bound too (an index lookup), so a local event
        # never ties with one stored by another way than this log (a restore, a bundle).
        self.hlc.observe(self.store.scalar("SELECT MAX(hlc) FROM events WHERE hlc <= ?",
                                           (MAX_STAMP,)) or 0)
        event = Event(
            origin_id=origin,
            seq=seq,
            uuid=new_id(),
            hlc=self.hlc.tick(),
            wall_time=self.wall.now().isoformat(timespec="seconds"),
            library_id=library_id,
            type=type_,
            payload=payload,
        )
        self.store.execute(
            "INSERT INTO events (origin_id, seq, uuid, hlc, wall_time, library_id, type, payload) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (event.origin_id, event.seq, event.uuid, event.hlc, event.wall_time,
             event.library_id, event.type, json.dumps(payload, ensure_ascii=False)),
        )
        self.store.set_meta(FLOOR_KEY, str(event.hlc))
        return event

    def ordered(self, types_like: str | None = None) -> Iterator[Event]:
        """All events in fold order ``(hlc, origin_id, seq)``."""
        sql = "SELECT * FROM events"
        params: tuple = ()
        if types_like:
            sql += " WHERE type LIKE ?"
            params = (types_like,)
        sql += " ORDER BY hlc, origin_id, seq"
        for row in self.store.execute(sql, params):
            yield Event.from_row(row)

    def vector(self) -> dict[str, int]:
        """``{origin_id: highest seq held}`` — the sync checkpoint."""
        return {
            row[0]: row[1]
            for row in self.store.all("SELECT origin_id, seq FROM origin_tops")
        }
