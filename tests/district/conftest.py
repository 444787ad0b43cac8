"""District fixtures: ``network`` (three libraries' devices synced into a district
database) and ``served`` (the district web app on a free loopback port over it)."""

from __future__ import annotations

import pytest
from district_net import Network, build_network, place_in_communes, serve

from kiosk.core.clock import FixedClock


@pytest.fixture
def district_clock() -> FixedClock:
    return FixedClock("2026-11-20T09:00:00")


@pytest.fixture
def network(tmp_path, district_clock) -> Network:
    net = build_network(tmp_path, district_clock)
    yield net
    for lib in (net.district, *net.devices.values()):
        lib.store.close()


@pytest.fixture
def served(network, tmp_path):
    place_in_communes(network)
    with serve(network, tmp_path / "tai-lieu") as running:
        yield running
