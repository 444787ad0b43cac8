"""Composition root: builds the store, clock and library and hands them out."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.clock import SystemClock
from kiosk.core.library import Library
from kiosk.store import open_store
from kiosk.store.eventlog import WallClock


def open_library(db_path: str | Path, clock: WallClock | None = None) -> Library:
    return Library(open_store(db_path), clock or SystemClock())
