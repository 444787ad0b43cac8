"""Fixtures for the staff and technician screens: offscreen Qt over a real library."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from kiosk.ui import theme  # noqa: E402
from kiosk.ui.context import UiContext  # noqa: E402
from kiosk.ui.ops import Ops  # noqa: E402


@pytest.fixture(autouse=True)
def themed(qapp):
    """The application theme the kiosk window applies (normal text, normal contrast)."""
    theme.apply(qapp, large=False, contrast=False)


@pytest.fixture
def ops(qtbot):
    worker = Ops()
    yield worker
    worker.shutdown()


@pytest.fixture
def ctx(lib, ops):
    return UiContext(library=lib, ops=ops)


@pytest.fixture
def idle(qtbot, ops):
    """Wait until every queued database operation has been delivered on the GUI thread."""

    def wait(timeout: int = 5000) -> None:
        qtbot.waitUntil(lambda: not ops.busy, timeout=timeout)

    return wait


@pytest.fixture
def shoot(tmp_path_factory):
    """Render a widget at 1024x600 to a PNG (in $KIOSK_SCREENSHOTS when set)."""
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)

    def render(widget, name: str, size=(1024, 600)) -> Path:
        widget.resize(*size)
        widget.show()
        hint = widget.minimumSizeHint()
        assert hint.width() <= size[0] and hint.height() <= size[1], (name, hint)
        assert (widget.width(), widget.height()) == tuple(size), name
        path = folder / f"{name}.png"
        assert widget.grab().save(str(path))
        return path

    return render


@pytest.fixture
def unlock(qtbot):
    """Open the staff area of a shell with the staff PIN, as a librarian does."""
    from kiosk.core import staff

    def open_area(shell, pin: str = "482913"):
        store = shell.ctx.library.store
        if not staff.has_pin(store, staff.STAFF):
            staff.set_pin(store, staff.STAFF, pin)
        shell.go("staff")
        area = shell.screens["staff"]
        area.gate.pin.setText(pin)
        area.gate.submit()
        qtbot.waitUntil(lambda: area.unlocked, timeout=3000)
        return area

    return open_area


@pytest.fixture
def simulated_scanner(qtbot):
    """The demo's simulated serial scanner (a pseudo-terminal speaking the scanner's wire
    format), wired to a runtime's scan bridge as ``kiosk run --demo`` wires it."""
    from hardware.device_config import DeviceConfig
    from hardware.devices import DeviceRegistry

    started = []

    def start(runtime):
        devices = DeviceRegistry(DeviceConfig(hotplug=False), runtime.bridge.code.emit,
                                 runtime.bridge.code.emit)
        devices.start()
        started.append(devices)
        qtbot.waitUntil(lambda: all(r.status().state.value == "connected"
                                    for r in devices.readers), timeout=3000)
        return devices.fakes["scanner"]

    yield start
    for devices in started:
        devices.stop()
