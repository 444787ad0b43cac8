"""The camera as one more scanner: a `Reader` for the device registry, with a live preview.

`CameraScanner` (``hardware.camera``) decodes on its own worker thread and de-duplicates a code
held in view; this adapter gives it the registry's start/stop/status shape, hands each new code
to the same callback as any scanner, and keeps the latest frame, shrunk, for the screens'
preview. The camera stack (OpenCV, zxing-cpp, zbar) is the ``camera`` extra: without it,
:func:`build_camera_reader` returns a reader whose status says so, for the technician screen.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from hardware.device_config import CameraConfig
from hardware.readers import ReadCallback, ReaderState, ReaderStatus

log = logging.getLogger(__name__)

PREVIEW_WIDTH = 240
MISSING = "camera support is not installed (pip install 'commune-library-kiosk[camera]')"
CAMERA_MODULES = {"cv2", "numpy", "zxingcpp", "pyzbar", "pyzbar.pyzbar"}
_STATES = {"connected": ReaderState.CONNECTED, "disconnected": ReaderState.DISCONNECTED}


class Preview:
    """The latest frame as small RGB bytes, written by the camera thread, read by the GUI."""

    def __init__(self, width: int = PREVIEW_WIDTH):
        self.width = width
        self._lock = threading.Lock()
        self._frame: tuple[int, int, bytes] | None = None
        self.frames = 0

    def put(self, frame) -> None:
        import cv2

        height, width = frame.shape[:2]
        scale = self.width / width
        small = cv2.resize(frame, (self.width, max(1, round(height * scale))),
                           interpolation=cv2.INTER_AREA)
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB if small.ndim == 3 else cv2.COLOR_GRAY2RGB)
        with self._lock:
            self._frame = (rgb.shape[1], rgb.shape[0], rgb.tobytes())
            self.frames += 1

    def latest(self) -> tuple[int, int, bytes] | None:
        """(width, height, RGB888 bytes) of the newest frame, or None before the first."""
        with self._lock:
            return self._frame


def frame_source(config: CameraConfig):
    """A folder of images or a video file (``camera.folder``), else the camera by index."""
    from hardware.camera import FolderSource, OpenCVSource, VideoFileSource

    if config.folder:
        path = Path(config.folder)
        return FolderSource(path) if path.is_dir() or not path.exists() else VideoFileSource(path)
    return OpenCVSource(config.index)


class CameraReader:
    """A camera scanning codes; ``preview`` is what the borrow, return and search screens show."""

    kind = "scanner"

    def __init__(self, config: CameraConfig, on_scan: ReadCallback, source=None):
        from hardware.camera import CameraScanner

        self.name = config.name
        self.preview = Preview()
        self._scanner = CameraScanner(source or frame_source(config),
                                      lambda result: on_scan(result.text),
                                      dedup_seconds=config.dedup_seconds,
                                      on_frame=self.preview.put)

    def start(self) -> None:
        self._scanner.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._scanner.stop(timeout)

    def status(self) -> ReaderStatus:
        status, error = self._scanner.status, self._scanner.last_error
        if status == "disconnected" and error:
            return ReaderStatus(ReaderState.DISCONNECTED, f"cannot open {self.name}: {error}")
        if status == "finished":
            return ReaderStatus(ReaderState.UNKNOWN, f"end of {self.name}")
        if status == "stopped":
            return ReaderStatus(ReaderState.UNKNOWN, "stopped")
        return ReaderStatus(_STATES.get(status, ReaderState.UNKNOWN), self.name)


class UnavailableReader:
    """Stands in for a configured device that cannot be built; its status says why."""

    kind = "scanner"
    preview = None

    def __init__(self, name: str, detail: str):
        self.name, self._detail = name, detail

    def start(self) -> None:
        return None

    def stop(self, timeout: float = 2.0) -> None:
        return None

    def status(self) -> ReaderStatus:
        return ReaderStatus(ReaderState.DISCONNECTED, self._detail)


def build_camera_reader(config: CameraConfig, on_scan: ReadCallback):
    """The registry's camera factory; a missing camera extra is an error shown, not a crash."""
    try:
        return CameraReader(config, on_scan)
    except ImportError as exc:
        if exc.name not in CAMERA_MODULES:
            raise
        log.error("%s: %s", MISSING, exc)
        return UnavailableReader(config.name, MISSING)
