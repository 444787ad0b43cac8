"""Checking events that arrive from the network before anything is written.

A batch is accepted whole or not at all: one malformed, oversized or foreign event
rejects the batch with a message that names it, and nothing is applied.
"""

from __future__ import annotations

import re
from typing import Any

from kiosk.core.fold import HANDLERS, RECORD_KEYS
from kiosk.store.eventlog import Event

MAX_PAYLOAD_CHARS = 64_000
_HEX_ID = re.compile(r"^[0-9a-f]{32}$")
_ORIGIN = re.compile(r"^[0-9a-zA-Z_-]{8,64}$")
_LIBRARY = re.compile(r"^(\*|[A-Za-z0-9][A-Za-z0-9_-]{1,31})$")
_WALL = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)?$")
MAX_HLC = (1 << 63) - 1
REQUIRED: dict[str, tuple[str, ...]] = {
    "loan.checkout": ("item_id", "patron_id", "due_date"),
    "loan.checkin": ("item_id",),
    "loan.renew": ("loan_id", "item_id", "due_date"),
    "hold.placed": ("hold_id", "record_id", "patron_id", "pickup_library"),
    "hold.trapped": ("hold_id", "item_id", "pickup_expires"),
    "hold.filled": ("hold_id",),
    "hold.cancelled": ("hold_id",),
    "hold.expired": ("hold_id",),
    "request.created": ("request_id", "kind", "patron_id", "record_id"),
    "request.status": ("request_id", "status"),
    "conflict.resolved": ("conflict_id",),
}


class InvalidBatch(ValueError):
    """A batch that must not be applied; the message says which event and why."""


def _check(condition: bool, index: int, what: str) -> None:
    if not condition:
        raise InvalidBatch(f"event #{index}: {what}")


def event_from_wire(data: Any, index: int) -> Event:
    _check(isinstance(data, dict), index, "not an object")
    fields = ("origin_id", "seq", "uuid", "hlc", "wall_time", "library_id", "type", "payload")
    _check(set(data) == set(fields), index, f"fields must be exactly {fields}")
    _check(isinstance(data["origin_id"], str) and bool(_ORIGIN.match(data["origin_id"])), index,
           "bad origin_id")
    _check(type(data["seq"]) is int and 1 <= data["seq"] <= MAX_HLC, index, "bad seq")
    _check(isinstance(data["uuid"], str) and bool(_HEX_ID.match(data["uuid"])), index, "bad uuid")
    _check(type(data["hlc"]) is int and 0 < data["hlc"] <= MAX_HLC, index, "bad hlc")
    _check(isinstance(data["wall_time"], str) and bool(_WALL.match(data["wall_time"])), index,
           "bad wall_time")
    _check(isinstance(data["library_id"], str) and bool(_LIBRARY.match(data["library_id"])),
           index, "bad library_id")
    _check(data["type"] in HANDLERS, index, f"unknown event type {str(data['type'])[:40]!r}")
    payload = data["payload"]
    _check(isinstance(payload, dict), index, "payload is not an object")
    _check(len(repr(payload)) <= MAX_PAYLOAD_CHARS, index, "payload too large")
    if data["type"] in ("record.put", "record.delete"):
        _check(payload.get("table") in RECORD_KEYS, index, "record event for an unknown table")
        _check(isinstance(payload.get("id"), str) and 0 < len(payload["id"]) <= 80, index,
               "record event without an id")
    if "supersedes" in payload:
        _check(type(payload["supersedes"]) is int and 0 <= payload["supersedes"] <= MAX_HLC,
               index, "bad supersedes stamp")
    for key in REQUIRED.get(data["type"], ()):
        _check(isinstance(payload.get(key), str) and 0 < len(payload[key]) <= 200, index,
               f"{data['type']} without a valid {key}")
    if data["type"] == "record.put":
        _check(isinstance(payload.get("fields"), dict), index, "record event without fields")
        if payload.get("table") == "policies":
            _check(all(isinstance(payload["fields"].get(k), str)
                       for k in ("patron_category", "item_type")), index, "policy without its key")
        _check(all(isinstance(k, str) and k.isidentifier() for k in payload["fields"]), index,
               "bad field name")
    return Event(**data)


def events_from_wire(items: Any) -> list[Event]:
    if not isinstance(items, list):
        raise InvalidBatch("events must be a list")
    events = [event_from_wire(item, i) for i, item in enumerate(items)]
    seen = set()
    for i, event in enumerate(events):
        key = (event.origin_id, event.seq)
        _check(key not in seen, i, "duplicate (origin_id, seq) in batch")
        seen.add(key)
    return events


def event_to_wire(event: Event) -> dict[str, Any]:
    return {
        "origin_id": event.origin_id, "seq": event.seq, "uuid": event.uuid, "hlc": event.hlc,
        "wall_time": event.wall_time, "library_id": event.library_id, "type": event.type,
        "payload": event.payload,
    }
