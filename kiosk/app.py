"""Composition root of the library: the store and clock, for the command line and the services.

The appliance's devices and print queue are built from the configuration by ``kiosk.compose``.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.core.clock import SystemClock
from kiosk.core.library import Library
from kiosk.store import open_store
from kiosk.store.eventlog import WallClock


def open_library(db_path: str | Path, clock: WallClock | None = None) -> Library:
    return Library(open_store(db_path), clock or SystemClock())
