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
