"""Fixtures for the import/export tests: fresh library databases on demand."""

from __future__ import annotations

import itertools

import pytest

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.node import init_library

_counter = itertools.count(1)


@pytest.fixture
def new_library(tmp_path):
    """A factory: each call opens a fresh, initialised library database."""
    opened = []

    def make(code: str = "TN-PHUTHO"):
        lib = open_library(tmp_path / f"lib{next(_counter)}.db", FixedClock("2026-11-20T09:00:00"))
        init_library(lib, code, "Thư viện xã Phú Thọ")
        opened.append(lib)
        return lib

    yield make
    for lib in opened:
        lib.store.close()


@pytest.fixture
def library(new_library):
    return new_library()
