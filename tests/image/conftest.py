"""The `image` marker: tests that build the appliance's root filesystem.

They take many minutes, need root, mmdebstrap and the Debian mirror, so the default run
deselects them (`-m "not image"` in pyproject's addopts) and they run as their own job:
`.venv/bin/python -m pytest -m image tests/image`.
"""


def pytest_configure(config):
    config.addinivalue_line("markers", "image: builds the appliance root filesystem (slow, root)")
