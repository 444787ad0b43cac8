"""Readers also borrowed, union-wide: the core's co-borrowing model over union works.

The hub holds every library's circulation, so a pair of works counts when at least five
different patrons, of any library, borrowed both (``kiosk.core.recommend.FLOOR``). The
model is rebuilt on a thread of its own, over a read connection, when it is older than
:data:`MAX_AGE_SECONDS`; a page meanwhile reads the model it has (none, just after start).
"""

from __future__ import annotations

import logging
import threading
import time

from kiosk.core.recommend import Recommender

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 900.0
UNIT = "u.work_key"
JOIN = "JOIN union_keys u ON u.record_id = i.record_id"


class HubRecommendations:
    def __init__(self, district, max_age: float = MAX_AGE_SECONDS):
        self.district = district
        self.max_age = max_age
        self.recommender = Recommender(unit=UNIT, join=JOIN)
        self._building = threading.Lock()

    def similar(self, work_key: str, limit: int = 6) -> list[str]:
        """Related work keys from the current model; starts a rebuild when it is stale."""
        at = self.recommender.refreshed_at
        if at is None or time.monotonic() - at > self.max_age:
            self._rebuild_in_background()
        return self.recommender.similar(work_key, limit)

    def _rebuild_in_background(self) -> None:
        if not self._building.acquire(blocking=False):
            return

        def run() -> None:
            started = time.monotonic()
            try:
                with self.district.read() as lib:
                    model = self.recommender.refresh(lib.store)
                log.info("co-borrowing model rebuilt: %d pairs in %.1f s", model.pairs,
                         time.monotonic() - started)
            except Exception:  # noqa: BLE001 - logged; the next stale page retries
                log.exception("rebuilding the co-borrowing model failed")
            finally:
                self._building.release()

        threading.Thread(target=run, name="hub-recommendations", daemon=True).start()
