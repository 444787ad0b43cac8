"""Shared fixtures: a real library database in a temporary directory and a movable clock."""

from __future__ import annotations

import pytest

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.isbn import complete_isbn13
from kiosk.core.node import init_library

LIBRARY = "TN-PHUTHO"


@pytest.fixture
def clock() -> FixedClock:
    # A Friday, so a 14-day loan lands on a Friday two weeks later.
    return FixedClock("2026-11-20T09:00:00")


@pytest.fixture
def lib(tmp_path, clock):
    library = open_library(tmp_path / "node.db", clock)
    init_library(library, LIBRARY, "Thư viện xã Phú Thọ", commune="Phú Thọ")
    yield library
    library.store.close()


@pytest.fixture
def book(lib):
    """A title with two copies on the shelf; returns (record_id, [barcodes])."""
    record_id = lib.catalogue.add_record({
        "title": "Dế Mèn phiêu lưu ký", "authors": ["Tô Hoài"], "publisher": "Kim Đồng",
        "year": 2020, "isbn13": complete_isbn13("978604212345"), "subjects": ["Văn học thiếu nhi"],
        "ddc": "895.9223",
    })
    lib.catalogue.add_item(record_id, "PT000001")
    lib.catalogue.add_item(record_id, "PT000002")
    return record_id, ["PT000001", "PT000002"]


@pytest.fixture
def patron(lib):
    return lib.patrons.add("Nguyễn Thị Hoà", "adult", birth_year=1985, commune="Phú Thọ",
                           pin="2468")


@pytest.fixture(autouse=True)
def _collect_qt_garbage_on_main_thread(request):
    """Tests with Qt objects run as the window does (``kiosk.ui.collector``): no automatic
    cyclic collection, which could run in a worker thread and free a Qt wrapper there;
    whatever the test left is collected here, on the main thread."""
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        yield
        return
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        if enabled:
            gc.enable()


@pytest.fixture
def runtime_defaults() -> dict:
    """Keyword defaults for ``make_runtime`` (a test folder may override this fixture)."""
    return {}


@pytest.fixture
def make_runtime(qapp, lib, runtime_defaults):
    """The whole kiosk window around the test library (as ``kiosk run`` builds it); every
    window made is shut down after the test."""
    from kiosk.ui.app import build_runtime

    made = []

    def make(**kwargs):
        kwargs.setdefault("settings", {"idle_seconds": 60})
        kwargs.setdefault("environ", {})
        for name, value in runtime_defaults.items():
            kwargs.setdefault(name, value)
        runtime = build_runtime(lib, **kwargs)
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        runtime.shutdown()
    qapp.processEvents()
