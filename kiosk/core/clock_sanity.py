"""Is this machine's wall clock fit to compute due dates from?

A Raspberry Pi has no real-time clock battery. After a power cut it boots in 1970, at the
date systemd was built, or at the time it last saved, and stays there until NTP
(systemd-timesyncd) reaches a server, which an offline commune library may never do. A due
date computed from such a clock is wrong for the whole loan (lent on 01/01/1970, due
15/01/1970, and 20,775 days overdue once the clock is right). So before lending or
renewing, the clock is checked three ways, each cheap enough for every checkout:

- **before the build date** (:data:`kiosk.BUILD_DATE`): certainly wrong;
- **before the latest of the events this node wrote itself** (beyond :data:`TOLERANCE`):
  the clock went back. Events written before a technician last set the time do not count (a clock that
  was wrongly ahead, then corrected, must not block the device until it catches up);
- **far from its peers**: the sync hello measures each peer's clock against ours
  (``sync_peers.clock_offset_s``, peer minus this node, in seconds). Peers whose clock is
  itself before the build date are ignored. When the peers' median is ahead of us by more
  than the tolerance we are behind (a Pi that lost its time); being ahead of them is flagged
  only when at least two peers say so, since a lone peer behind us is more likely the Pi
  that lost its time.

Only the machine's own clock is judged (``clock.machine``): a clock injected to replay
another time (tests, the demo history, benchmarks) is taken as given.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import kiosk
from kiosk.core.clock import LIBRARY_TZ
from kiosk.core.errors import LibraryError

if TYPE_CHECKING:
    from kiosk.core.library import Library
    from kiosk.store.db import Store
    from kiosk.store.eventlog import WallClock

TOLERANCE = dt.timedelta(minutes=10)
RECENT_EVENTS = 1000
SET_MARKS_KEY = "clock_set_marks"

FIX_VI = ('Vui lòng đặt lại giờ: kiosk clock set "YYYY-MM-DD HH:MM" '
          "(hoặc nối mạng để máy tự lấy giờ).")
FIX_EN = ('Please set the time: kiosk clock set "YYYY-MM-DD HH:MM" '
          "(or connect the network so the device takes the time itself).")


@dataclass(frozen=True)
class ClockStatus:
    """The verdict on the clock: ``code`` is ``ok`` or the reason it cannot be trusted."""

    code: str
    now: dt.datetime
    message: str
    message_en: str
    reference: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.code == "ok"

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "code": self.code, "now": self.now.isoformat(timespec="seconds"),
                "reference": self.reference.isoformat(timespec="seconds") if self.reference
                else None, "message": self.message, "message_en": self.message_en}


def build_date() -> dt.date:
    return dt.date.fromisoformat(kiosk.BUILD_DATE)


def shown(moment: dt.datetime) -> str:
    """``01/01/1970 07:00`` in the library's time zone."""
    return moment.astimezone(LIBRARY_TZ).strftime("%d/%m/%Y %H:%M")


def span(delta: dt.timedelta) -> tuple[str, str]:
    """A duration as people say it, Vietnamese and English: ``3 giờ 20 phút``, ``20775 ngày``."""
    seconds = abs(int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days >= 2:
        return f"{days} ngày", f"{days} days"
    hours += 24 * days
    if hours:
        return f"{hours} giờ {minutes} phút", f"{hours} h {minutes} min"
    return f"{minutes} phút", f"{minutes} min"


def _parse(wall_time: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(wall_time)
    return moment if moment.tzinfo else moment.replace(tzinfo=LIBRARY_TZ)


def _own_origins(store: "Store") -> list[str]:
    """This incarnation's origins, read without minting one (a check never writes)."""
    return [row[0] for row in store.all(
        "SELECT value FROM meta WHERE key = 'origin_id' OR key GLOB 'origin_id:*'")]


def _set_marks(store: "Store") -> dict[str, int]:
    raw = store.get_meta(SET_MARKS_KEY)
    return json.loads(raw) if raw else {}


def newest_own_event(store: "Store") -> dt.datetime | None:
    """The latest wall time among this node's own recent events since the time was last set.

    The latest time, not the last event's: a return taken after the clock went back must not
    make the clock look right again. "Recent" is the last :data:`RECENT_EVENTS` of each
    origin, read along the primary key, so the check costs the same on a ten-year-old log.
    """
    marks = _set_marks(store)
    newest = None
    for origin in _own_origins(store):
        value = store.scalar(
            "SELECT MAX(wall_time) FROM (SELECT wall_time FROM events WHERE origin_id = ? "
            "AND seq > ? ORDER BY seq DESC LIMIT ?)", (origin, marks.get(origin, 0),
                                                       RECENT_EVENTS))
        if value is not None:
            moment = _parse(value)
            newest = moment if newest is None else max(newest, moment)
    return newest


def peer_offsets(store: "Store") -> list[float]:
    """Each peer's clock minus ours, in seconds, as measured at the last sync hello."""
    columns = {row["name"] for row in store.all("PRAGMA table_info(sync_peers)")}
    if "clock_offset_s" not in columns:
        return []
    return [row[0] for row in store.all(
        "SELECT clock_offset_s FROM sync_peers WHERE clock_offset_s IS NOT NULL")]


def _status(code: str, now: dt.datetime, vi: str, en: str,
            reference: dt.datetime | None = None) -> ClockStatus:
    return ClockStatus(code, now, f"{vi} {FIX_VI}", f"{en} {FIX_EN}", reference)


def check(library: "Library") -> ClockStatus:
    """The verdict on ``library.clock`` now (see the module docstring)."""
    return judge(library.clock, library.store)


def judge(clock: "WallClock", store: "Store | None" = None) -> ClockStatus:
    """The verdict on ``clock``; without a node's ``store``, against the build date only."""
    now = clock.now()
    if now.tzinfo is None:
        now = now.replace(tzinfo=LIBRARY_TZ)
    fine = ClockStatus("ok", now, f"Đồng hồ máy: {shown(now)}, hợp lý.",
                       f"Clock: {shown(now)}, plausible.")
    if not getattr(clock, "machine", False):
        return fine
    built = dt.datetime.combine(build_date(), dt.time(0, 0), LIBRARY_TZ)
    if now < built:
        return _status(
            "before_build", now,
            f"Đồng hồ máy đang chỉ {shown(now)}, trước cả ngày làm ra phần mềm này "
            f"({built:%d/%m/%Y}): giờ của máy chắc chắn sai.",
            f"The clock says {shown(now)}, before this software was even built "
            f"({built:%d/%m/%Y}): the time is certainly wrong.", built)
    if store is None:
        return fine
    newest = newest_own_event(store)
    if newest is not None and now < newest - TOLERANCE:
        vi, en = span(newest - now)
        return _status(
            "behind_own_events", now,
            f"Đồng hồ máy đang chỉ {shown(now)}, sớm hơn {vi} so với lần ghi gần nhất của "
            f"chính máy này ({shown(newest)}): giờ của máy đã bị lùi.",
            f"The clock says {shown(now)}, {en} before this device's own latest record "
            f"({shown(newest)}): the clock went back.", newest)
    offsets = [o for o in peer_offsets(store) if now + dt.timedelta(seconds=o) >= built]
    if offsets:
        median = dt.timedelta(seconds=statistics.median(offsets))
        behind = median > TOLERANCE
        ahead = -median > TOLERANCE and len(offsets) >= 2
        if behind or ahead:
            vi, en = span(median)
            theirs = now + median
            return _status(
                "far_from_peers", now,
                f"Đồng hồ máy đang chỉ {shown(now)}, "
                f"{'chậm' if behind else 'nhanh'} {vi} so với các máy khác của thư viện "
                f"(các máy đó chỉ khoảng {shown(theirs)}).",
                f"The clock says {shown(now)}, {en} {'behind' if behind else 'ahead of'} "
                f"the library's other devices (they say about {shown(theirs)}).", theirs)
    return fine


def require_sane(library: "Library") -> None:
    """Raise the ``clock_wrong`` refusal unless the clock can be trusted for a due date."""
    status = check(library)
    if not status.ok:
        raise LibraryError("clock_wrong", reason=status.message, reason_en=status.message_en,
                           clock=status.code)


def mark_time_set(library: "Library") -> None:
    """A technician has just set the time: events written before now no longer count.

    A clock that was wrongly ahead and then corrected would otherwise stay "behind its own
    events" until it caught up with them.
    """
    marks = {origin: library.store.scalar(
        "SELECT COALESCE(MAX(seq), 0) FROM events WHERE origin_id = ?", (origin,))
        for origin in _own_origins(library.store)}
    library.store.set_meta(SET_MARKS_KEY, json.dumps(marks))
