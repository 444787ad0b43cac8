"""Camera scanning: frames from a source, decoded on a worker thread, each new code reported once.

Decoding takes tens of milliseconds per frame on a Pi, more for frames without a code, so it
never runs on the GUI thread: `CameraScanner` owns one worker thread and reports through plain
callbacks, which the Qt layer wraps into signals. A camera held on a code sees it in many
consecutive frames; a code is reported again only after it has been out of sight for
`dedup_seconds`. An unplugged USB camera is reported as "disconnected" and reopened with
exponential back-off instead of ending the scan.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from hardware.barcode import DEFAULT_FORMATS, BarcodeResult, decode

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"})


class SourceUnavailable(OSError):
    """The source cannot be opened now (no device, no file); opening may succeed later."""


class SourceExhausted(Exception):
    """A finite source (a folder, a video file) has delivered its last frame."""


class FrameSource(Protocol):
    """Where frames come from. `open` raises SourceUnavailable; `read` returns None when the
    device is lost and raises SourceExhausted at the end of a finite source."""

    name: str

    def open(self) -> None: ...

    def read(self) -> np.ndarray | None: ...

    def close(self) -> None: ...


class OpenCVSource:
    """A camera (by index) or stream/file (by path or URL) through cv2.VideoCapture."""

    def __init__(self, device: int | str = 0, width: int | None = None, height: int | None = None):
        self.device = device
        self.name = f"opencv:{device}"
        self._size = (width, height)
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> None:
        capture = cv2.VideoCapture(self.device)
        if not capture.isOpened():
            capture.release()
            raise SourceUnavailable(f"cannot open {self.name}")
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        width, height = self._size
        if width and height:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        self._capture = capture

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            return None
        ok, frame = self._capture.read()
        return frame if ok else None

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class _Paced:
    """Optional real-time pacing for fake sources, so a demo runs at camera speed."""

    def __init__(self, fps: float | None):
        self._interval = 1.0 / fps if fps else 0.0
        self._next = 0.0

    def wait(self) -> None:
        if not self._interval:
            return
        now = time.monotonic()
        if self._next > now:
            time.sleep(self._next - now)
        self._next = max(now, self._next) + self._interval


class FolderSource:
    """Fake camera: the images of a folder in name order, optionally looping and paced."""

    def __init__(self, folder: str | Path, loop: bool = False, fps: float | None = None):
        self.folder = Path(folder)
        self.name = f"folder:{self.folder}"
        self._loop = loop
        self._pace = _Paced(fps)
        self._files: list[Path] = []
        self._index = 0

    def open(self) -> None:
        if not self.folder.is_dir():
            raise SourceUnavailable(f"no folder {self.folder}")
        self._files = sorted(p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self._files:
            raise SourceUnavailable(f"no images in {self.folder}")
        self._index = 0

    def read(self) -> np.ndarray | None:
        for _ in range(2 * len(self._files) + 1):
            if self._index >= len(self._files):
                if not self._loop:
                    raise SourceExhausted(self.name)
                self._index = 0
            path = self._files[self._index]
            self._index += 1
            frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if frame is not None:
                self._pace.wait()
                return frame
            log.warning("skipping unreadable image %s", path.name)
        return None

    def close(self) -> None:
        self._files = []


class VideoFileSource:
    """Fake camera: the frames of a video file, optionally looping and paced at its frame rate."""

    def __init__(self, path: str | Path, loop: bool = False, realtime: bool = False):
        self.path = Path(path)
        self.name = f"video:{self.path.name}"
        self._loop = loop
        self._realtime = realtime
        self._capture: cv2.VideoCapture | None = None
        self._pace = _Paced(None)

    def open(self) -> None:
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            capture.release()
            raise SourceUnavailable(f"cannot open {self.path}")
        self._capture = capture
        if self._realtime:
            self._pace = _Paced(capture.get(cv2.CAP_PROP_FPS) or 25.0)

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            return None
        ok, frame = self._capture.read()
        if not ok and self._loop:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
        if not ok:
            raise SourceExhausted(self.name)
        self._pace.wait()
        return frame

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class Deduplicator:
    """Passes a code through only when it has not been seen for `window` seconds."""

    def __init__(self, window: float):
        self.window = window
        self._last_seen: dict[tuple[str, str], float] = {}

    def fresh(self, results: Iterable[BarcodeResult], now: float) -> list[BarcodeResult]:
        new = []
        for result in results:
            key = (result.text, result.format)
            last = self._last_seen.get(key)
            if last is None or now - last > self.window:
                new.append(result)
            self._last_seen[key] = now
        self._last_seen = {k: t for k, t in self._last_seen.items() if now - t <= self.window}
        return new


class CameraScanner:
    """Runs a frame source on a worker thread and reports new codes and status changes.

    Callbacks run on the worker thread. Status values: "connecting", "connected",
    "disconnected", "finished" (a finite source ran out) and "stopped". `time_budget` bounds the
    decoder's rescue passes per frame, so frames without a code do not delay the next one.
    """

    def __init__(
        self,
        source: FrameSource,
        on_code: Callable[[BarcodeResult], None],
        on_status: Callable[[str], None] = lambda status: None,
        *,
        dedup_seconds: float = 2.0,
        formats: Iterable[str] = DEFAULT_FORMATS,
        time_budget: float | None = 0.08,
        retry_initial: float = 0.5,
        retry_max: float = 10.0,
        decoder: Callable[..., list[BarcodeResult]] = decode,
        clock: Callable[[], float] = time.monotonic,
        on_frame: Callable[[np.ndarray], None] | None = None,
    ):
        self.source = source
        self._on_code = on_code
        self._on_status = on_status
        self._dedup = Deduplicator(dedup_seconds)
        self._formats = frozenset(formats)
        self._time_budget = time_budget
        self._retry = (retry_initial, retry_max)
        self._decoder = decoder
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._delay = retry_initial
        self._on_frame = on_frame
        self.status = "stopped"
        self.last_error = ""

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            raise RuntimeError("scanner already running")
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"camera-{self.source.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the worker to finish and wait for it; safe to call when not running, and from a
        callback (the worker then finishes after the callback returns)."""
        self._stop.set()
        if self._thread is threading.current_thread():
            return
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("camera worker did not stop within %.1f s", timeout)
                return
            self._thread = None
        self._set_status("stopped")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker ends by itself (a finite source ran out); True if it did."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    def _set_status(self, status: str) -> None:
        if status == self.status:
            return
        self.status = status
        log.info("camera %s: %s", self.source.name, status)
        self._call(self._on_status, status)

    def _call(self, callback: Callable, value) -> None:
        try:
            callback(value)
        except Exception:
            log.exception("camera callback failed")

    def _back_off(self) -> None:
        self._set_status("disconnected")
        self._stop.wait(self._delay)
        self._delay = min(self._delay * 2, self._retry[1])

    def _run(self) -> None:
        self._delay = self._retry[0]
        while not self._stop.is_set():
            self._set_status("connecting")
            try:
                self.source.open()
            except OSError as error:
                log.warning("camera %s unavailable: %s", self.source.name, error)
                self.last_error = str(error)
                self._back_off()
                continue
            self.last_error = ""
            self._set_status("connected")
            try:
                finished = self._scan()
            finally:
                self.source.close()
            if finished:
                self._set_status("finished")
                return
            if not self._stop.is_set():
                self._back_off()

    def _scan(self) -> bool:
        """Decode frames until the source is lost (False) or exhausted (True), or stop is asked."""
        while not self._stop.is_set():
            try:
                frame = self.source.read()
            except SourceExhausted:
                return True
            if frame is None:
                return False
            self._delay = self._retry[0]
            if self._on_frame is not None:
                self._call(self._on_frame, frame)
            try:
                results = self._decoder(frame, self._formats, self._time_budget)
            except Exception:
                log.exception("decoding a frame failed")
                continue
            for result in self._dedup.fresh(results, self._clock()):
                self._call(self._on_code, result)
        return False
