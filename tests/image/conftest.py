"""The `image` marker: tests that build the appliance's root filesystem.

They take many minutes, need root, mmdebstrap and the Debian mirror, so the default run
deselects them (`-m "not image"` in pyproject's addopts) and they run as their own job:
`.venv/bin/python -m pytest -m image tests/image`.
"""

import os
import shutil

import pytest
from rootfs_tools import build_or_cached


def pytest_configure(config):
    config.addinivalue_line("markers", "image: builds the appliance root filesystem (slow, root)")


@pytest.fixture(scope="session")
def rootfs_tar():
    """The root filesystem tarball (cached; one build serves every test module)."""
    assert os.geteuid() == 0, "building a root filesystem needs root"
    assert shutil.which("mmdebstrap"), "mmdebstrap is not installed (.ci/run installs it)"
    return build_or_cached()
