"""Wall-clock time in the library's time zone, injectable for tests and demos."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LIBRARY_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class SystemClock:
    #: The machine's own wall clock: :mod:`kiosk.core.clock_sanity` judges it before any
    #: due date is computed from it.
    machine = True

    def __init__(self, tz: dt.tzinfo = LIBRARY_TZ):
        self.tz = tz

    def now(self) -> dt.datetime:
        return dt.datetime.now(self.tz)

    def today(self) -> dt.date:
        return self.now().date()


class FixedClock:
    """A clock that only moves when told to (tests, demo history, benchmarks).

    It replays whatever time it is given, so the wall-clock sanity checks leave it alone,
    unless ``machine=True`` says it stands for a device's own clock (a test of those checks).
    """

    def __init__(self, start: dt.datetime | str, *, machine: bool = False):
        if isinstance(start, str):
            start = dt.datetime.fromisoformat(start)
        if start.tzinfo is None:
            start = start.replace(tzinfo=LIBRARY_TZ)
        self._now = start
        self.machine = machine

    def now(self) -> dt.datetime:
        return self._now

    def today(self) -> dt.date:
        return self._now.date()

    def set(self, moment: dt.datetime) -> None:
        self._now = moment if moment.tzinfo else moment.replace(tzinfo=LIBRARY_TZ)

    def advance(self, **delta: float) -> None:
        self._now += dt.timedelta(**delta)
