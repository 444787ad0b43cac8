"""The registry of the district's libraries and reading points, as data and as a map.

Coordinates (``lat``, ``lon``) and ``contact`` are columns added to ``libraries`` at
server start-up; an older database without them is read as "no coordinates yet". The
map is an SVG computed here, with no tile server, because the district office's link is
often down and a phone must still see where every library is. ``contact`` is never
published: it may be a librarian's own phone number.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from district.units import KINDS, LEGACY_KINDS
from kiosk.store.db import Store

ONLINE_WINDOW = dt.timedelta(hours=24)
KIND_LABELS = {"district": "Máy chủ", **KINDS,
               **{kind: label for kind, (_, label) in LEGACY_KINDS.items()}}
KIND_COLOURS = {"district": "#7a3e9d", "public": "#0b6b50", "commune": "#0b6b50",
                "town": "#2e7d32", "school": "#1f5fa8", "private": "#8d5b2a",
                "bookshelf": "#c7711a", "community": "#c7711a", "reading_point": "#a8461f"}
LABEL_PREFIXES = ("Phòng Văn hóa và Thông tin huyện ", "Thư viện thị trấn ", "Thư viện xã ",
                  "Thư viện trường ", "Thư viện ", "Điểm đọc sách ")
LABEL_GAP = 26
# Huyện Tam Nông, Đồng Tháp: the frame the map falls back to when fewer than two points exist.
DISTRICT_BOX = (105.38, 10.58, 105.62, 10.80)


def _columns(store: Store) -> set[str]:
    return {r["name"] for r in store.all("PRAGMA table_info(libraries)")}


def _parse(moment: str | None) -> dt.datetime | None:
    if not moment:
        return None
    try:
        return dt.datetime.fromisoformat(moment)
    except ValueError:
        return None


def libraries(store: Store, now: dt.datetime) -> list[dict[str, Any]]:
    """Every registered library with its coordinates and whether a device of it is alive.

    A library is ``online`` when one of its enrolled devices reached the district in the
    last 24 hours; ``last_sync`` is the latest such contact of any of its devices.
    """
    cols = _columns(store)
    coords = ", lat, lon" if {"lat", "lon"} <= cols else ", NULL AS lat, NULL AS lon"
    seen = {r["library_id"]: r["last"] for r in store.all(
        "SELECT library_id, MAX(last_seen) AS last FROM devices WHERE last_seen IS NOT NULL "
        "GROUP BY library_id")}
    devices = {r[0]: r[1] for r in store.all(
        "SELECT library_id, COUNT(*) FROM devices GROUP BY library_id")}
    out = []
    for r in store.all(f"SELECT code, name, kind, commune, address, opening_hours{coords} "
                       "FROM libraries ORDER BY kind = 'district' DESC, name, code"):
        last = _parse(seen.get(r["code"]))
        online = last is not None and now - last <= ONLINE_WINDOW
        lat, lon = r["lat"], r["lon"]
        out.append({
            "code": r["code"], "name": r["name"], "kind": r["kind"],
            "kind_label": KIND_LABELS.get(r["kind"], r["kind"]), "commune": r["commune"],
            "address": r["address"], "opening_hours": r["opening_hours"],
            "lat": float(lat) if lat is not None else None,
            "lon": float(lon) if lon is not None else None,
            "devices": devices.get(r["code"], 0),
            "status": "online" if online else "offline",
            "last_sync": last.isoformat(timespec="seconds") if last else None,
        })
    return out


def located(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["lat"] is not None and r["lon"] is not None]


def geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """RFC 7946: positions are ``[longitude, latitude]``."""
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": r["code"],
        "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
        "properties": {k: r[k] for k in ("code", "name", "kind", "commune", "address",
                                         "opening_hours", "status", "last_sync")},
    } for r in located(rows)]}


def short_label(name: str) -> str:
    """A map label short enough for a phone: the place, not the institution's full title."""
    for prefix in LABEL_PREFIXES:
        if name.lower().startswith(prefix.lower()) and len(name) > len(prefix):
            return name[len(prefix):]
    return name


def svg_markers(rows: list[dict[str, Any]], width: int = 600, height: int = 600,
                pad: int = 60) -> list[dict[str, Any]]:
    """Screen positions for every located library, scaled to the points' bounding box.

    Longitude is shrunk by cos(latitude) so the district keeps its shape; the aspect ratio
    is preserved and the box is centred. Labels of nearby points are pushed apart
    vertically so two libraries in one town stay readable.
    """
    points = located(rows)
    if len(points) >= 2:
        lons = [p["lon"] for p in points]
        lats = [p["lat"] for p in points]
        box = (min(lons), min(lats), max(lons), max(lats))
    else:
        box = DISTRICT_BOX
    west, south, east, north = box
    squash = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squash, 1e-6)
    span_y = max(north - south, 1e-6)
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2
    markers = []
    for p in points:
        x = off_x + (p["lon"] - west) * squash * scale
        y = height - (off_y + (p["lat"] - south) * scale)
        markers.append({**p, "x": round(x, 1), "y": round(y, 1), "label": short_label(p["name"]),
                        "colour": KIND_COLOURS.get(p["kind"], "#555"),
                        "anchor": "end" if x > width * 0.55 else "start"})
    placed: list[tuple[float, float]] = []
    for m in sorted(markers, key=lambda m: m["y"]):
        label_y = m["y"] + 7
        while any(abs(label_y - ly) < LABEL_GAP and abs(m["x"] - lx) < width / 2
                  for lx, ly in placed):
            label_y += LABEL_GAP
        m["label_y"] = round(min(label_y, height - 8), 1)
        placed.append((m["x"], label_y))
    return markers
