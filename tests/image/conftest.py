"""The `image` marker: tests that build the appliance's root filesystem.

They take minutes, need root, mmdebstrap and the network, so they run only when asked for
with `-m image` (for example `pytest -m image tests/image`) and are skipped otherwise.
"""

from __future__ import annotations

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "image: builds the appliance root filesystem (slow, root)")


def pytest_collection_modifyitems(config, items):
    if "image" in (config.option.markexpr or ""):
        return
    skip = pytest.mark.skip(reason="image build test: run with `pytest -m image tests/image`")
    for item in items:
        if "image" in item.keywords:
            item.add_marker(skip)
