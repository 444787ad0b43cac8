"""The node's library: one store, one clock, and the domain services over them.

Every change goes through :meth:`Library.record`: append the event and fold it into the
current state in the same transaction, so the log and the state can never disagree.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from kiosk.core import fold
from kiosk.store.db import Store
from kiosk.store.eventlog import Event, EventLog, WallClock


class NotInitialised(RuntimeError):
    """The database has no library yet (``kiosk init`` was never run)."""


class Library:
    def __init__(self, store: Store, clock: WallClock):
        from kiosk.core.catalogue import Catalogue
        from kiosk.core.circulation import Circulation
        from kiosk.core.conflicts import Conflicts
        from kiosk.core.holds import Holds
        from kiosk.core.patrons import Patrons
        from kiosk.core.policy import Policy
        from kiosk.core.requests import Requests
        from kiosk.core.search import Search
        from kiosk.core.stats import Stats

        self.store = store
        self.clock = clock
        self.log = EventLog(store, clock)
        self.catalogue = Catalogue(self)
        self.patrons = Patrons(self)
        self.policy = Policy(self)
        self.holds = Holds(self)
        self.circulation = Circulation(self)
        self.requests = Requests(self)
        self.search = Search(self)
        self.stats = Stats(self)
        self.conflicts = Conflicts(self)

    @property
    def code(self) -> str:
        self.require_initialised()
        return self.store.get_meta("library_code")

    def require_initialised(self) -> None:
        """Raise :class:`NotInitialised`, saying how to fix it, if ``init`` never ran."""
        if self.store.get_meta("library_code") is None:
            raise NotInitialised(
                f"{self.store.path} holds no library: run `kiosk init --library CODE --name NAME`"
            )

    @property
    def name(self) -> str:
        return self.store.get_meta("library_name", "")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.store.transaction():
            yield

    def record(self, type_: str, payload: dict[str, Any], library_id: str | None = None) -> Event:
        """Append and fold one event, in this node's partition or in ``library_id``'s.

        Writing into another library's partition (the district placing a web patron's
        hold at that library) uses this node's origin for that partition.
        """
        with self.store.transaction():
            if library_id is None or library_id == self.code:
                event = self.log.append(type_, payload, self.code)
            else:
                event = self.log.append(type_, payload, library_id,
                                        origin=self.log.partition_origin(library_id))
            if self._behind_a_future_stamp(event):
                fold.rebuild_circulation(self.store)
            else:
                fold.apply(self.store, event)
        return event

    def _behind_a_future_stamp(self, event: Event) -> bool:
        """A peer with a clock beyond the drift bound wrote events this node's clock did not
        adopt; a local event stamped before them must be folded in stamp order like
        everywhere else, or this node would disagree with its peers."""
        if event.type.startswith("record."):
            return False
        return self.store.one(
            "SELECT 1 FROM events WHERE (hlc, origin_id, seq) > (?, ?, ?) "
            "AND type NOT LIKE 'record.%' LIMIT 1",
            (event.hlc, event.origin_id, event.seq)) is not None

    def put(self, table: str, id_: str, fields: dict[str, Any],
            library_id: str | None = None) -> Event:
        """Create or edit a record; an edit names the field versions it was based on
        and, when they carry a stamp beyond this node's clock, the stamp it supersedes."""
        from kiosk.core import versions

        payload: dict[str, Any] = {"table": table, "id": id_, "fields": fields}
        with self.store.transaction():
            if fold.record_exists(self.store, table, id_):
                payload["base"] = versions.current_bases(self.store, table, id_, list(fields))
                replaced = versions.supersedes(self.store, table, id_, list(fields))
                if replaced >= self.log.hlc.last:
                    payload["supersedes"] = replaced
            return self.record("record.put", payload, library_id)

    def now_iso(self) -> str:
        return self.clock.now().isoformat(timespec="seconds")
