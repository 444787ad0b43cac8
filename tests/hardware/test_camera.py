import threading
import time

import cv2
import numpy as np
import pytest

from hardware import testimages as ti
from hardware.barcode import BarcodeResult
from hardware.camera import (
    CameraScanner,
    Deduplicator,
    FolderSource,
    OpenCVSource,
    SourceUnavailable,
    VideoFileSource,
)

FRAME_SECONDS = 0.1


def frame_with(code: np.ndarray | None, size=(240, 400)) -> np.ndarray:
    frame = np.full((*size, 3), 235, np.uint8)
    if code is not None:
        h, w = code.shape
        y, x = (size[0] - h) // 2, (size[1] - w) // 2
        frame[y:y + h, x:x + w] = ti.as_bgr(code)
    return frame


def write_video(path, frames, fps=10):
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()


class FrameClock:
    """Video time: each frame read advances the clock by one frame interval."""

    def __init__(self, source):
        self.source = source
        self.name = source.name
        self.now = 0.0

    def open(self):
        self.source.open()

    def read(self):
        frame = self.source.read()
        self.now += FRAME_SECONDS
        return frame

    def close(self):
        self.source.close()


class Recorder:
    def __init__(self, clock=None):
        self.codes: list[tuple[BarcodeResult, float | None]] = []
        self.statuses: list[str] = []
        self.threads: set[str] = set()
        self._clock = clock
        self.disconnected = threading.Event()

    def code(self, result):
        self.threads.add(threading.current_thread().name)
        self.codes.append((result, self._clock.now if self._clock else None))

    def status(self, status):
        self.statuses.append(status)
        if status == "disconnected":
            self.disconnected.set()


@pytest.fixture
def item_video(tmp_path):
    code = ti.render_code128("TN0001234")
    seen, gone = frame_with(code), frame_with(None)
    frames = [seen] * 10 + [gone] * 5 + [seen] * 10 + [gone] * 30 + [seen] * 10
    path = tmp_path / "scan.avi"
    write_video(path, frames)
    return path


def test_a_code_held_in_view_is_reported_once_per_dedup_window(item_video):
    source = FrameClock(VideoFileSource(item_video))
    record = Recorder(source)
    scanner = CameraScanner(source, record.code, record.status, dedup_seconds=2.0,
                            clock=lambda: source.now)
    scanner.start()
    assert scanner.wait(timeout=30)
    scanner.stop()

    assert [(r.text, r.format) for r, _ in record.codes] == [("TN0001234", "CODE128")] * 2
    first, second = (t for _, t in record.codes)
    assert first == pytest.approx(FRAME_SECONDS)
    assert second == pytest.approx(56 * FRAME_SECONDS)
    assert record.statuses == ["connecting", "connected", "finished", "stopped"]
    assert record.threads and threading.main_thread().name not in record.threads


def test_opencv_source_reads_a_video_file_and_refuses_a_missing_device(item_video, tmp_path):
    source = OpenCVSource(str(item_video))
    source.open()
    frames = 0
    while source.read() is not None:
        frames += 1
    source.close()
    assert frames == 65
    with pytest.raises(SourceUnavailable):
        OpenCVSource(str(tmp_path / "no-such-camera.avi")).open()


def test_folder_source_skips_unreadable_files_and_reports_each_code_in_name_order(tmp_path):
    cv2.imwrite(str(tmp_path / "01.png"), frame_with(ti.render_ean13("978604123456")))
    cv2.imwrite(str(tmp_path / "02.png"), frame_with(None))
    cv2.imwrite(str(tmp_path / "03.jpg"), frame_with(ti.render_qr("PATRON:VN-000123")))
    cv2.imwrite(str(tmp_path / "04.png"), frame_with(ti.render_code128("TN0009999")))
    (tmp_path / "05.png").write_bytes(b"truncated upload, not a PNG")
    (tmp_path / "notes.txt").write_text("not an image")
    record = Recorder()
    scanner = CameraScanner(FolderSource(tmp_path), record.code, record.status)
    scanner.start()
    assert scanner.wait(timeout=30)
    assert [(r.text, r.format) for r, _ in record.codes] == [
        ("9786041234567", "EAN13"), ("PATRON:VN-000123", "QR"), ("TN0009999", "CODE128")]
    assert record.statuses[-1] == "finished"


def test_a_looping_folder_of_unreadable_files_counts_as_lost_not_as_a_hang(tmp_path):
    (tmp_path / "a.png").write_bytes(b"junk")
    source = FolderSource(tmp_path, loop=True)
    source.open()
    assert source.read() is None


class BrokenSource:
    """A camera that is never there."""

    name = "broken"

    def __init__(self):
        self.attempts: list[float] = []

    def open(self):
        self.attempts.append(time.monotonic())
        raise SourceUnavailable("unplugged")

    def read(self):
        raise AssertionError("read without open")

    def close(self):
        raise AssertionError("close without open")


def test_a_failing_source_is_reported_disconnected_retried_with_back_off_and_stops_cleanly():
    source = BrokenSource()
    record = Recorder()
    scanner = CameraScanner(source, record.code, record.status, retry_initial=0.02, retry_max=0.08)
    scanner.start()
    assert record.disconnected.wait(5)
    time.sleep(0.4)
    started = time.monotonic()
    scanner.stop()
    assert time.monotonic() - started < 1.0
    assert not scanner.running
    assert record.codes == []
    assert record.statuses[:2] == ["connecting", "disconnected"]
    assert record.statuses[-1] == "stopped"
    gaps = np.diff(source.attempts)
    assert len(source.attempts) >= 4
    assert gaps[0] < gaps[2] and max(gaps) < 0.5


class UnpluggedMidStream:
    """Delivers frames, loses the device once, then works again after reopening."""

    name = "flaky"

    def __init__(self, frame, frames_per_session=3):
        self.frame = frame
        self.opens = 0
        self.left = 0
        self.per_session = frames_per_session

    def open(self):
        self.opens += 1
        self.left = self.per_session

    def read(self):
        if self.left == 0:
            return None
        self.left -= 1
        return self.frame

    def close(self):
        self.left = 0


def test_a_camera_lost_mid_stream_is_reopened_and_scanning_resumes():
    source = UnpluggedMidStream(frame_with(ti.render_code128("TN0001234")))
    record = Recorder()
    scanner = CameraScanner(source, record.code, record.status, dedup_seconds=60,
                            retry_initial=0.01, retry_max=0.02)
    scanner.start()
    deadline = time.monotonic() + 10
    while source.opens < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    scanner.stop()
    assert source.opens >= 3
    assert record.statuses[:4] == ["connecting", "connected", "disconnected", "connecting"]
    assert [r.text for r, _ in record.codes] == ["TN0001234"]


def test_a_crashing_callback_does_not_kill_the_scanner(tmp_path):
    for i, text in enumerate(["TN0000001", "TN0000002"]):
        cv2.imwrite(str(tmp_path / f"{i}.png"), frame_with(ti.render_code128(text)))
    seen = []

    def explode(result):
        seen.append(result.text)
        raise RuntimeError("UI went away")

    scanner = CameraScanner(FolderSource(tmp_path), explode)
    scanner.start()
    assert scanner.wait(timeout=30)
    assert seen == ["TN0000001", "TN0000002"]


def test_a_callback_may_stop_the_scanner_without_deadlocking(tmp_path):
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"{i}.png"), frame_with(ti.render_code128(f"TN000000{i}")))
    seen = []
    scanner = CameraScanner(FolderSource(tmp_path), lambda result: (seen.append(result.text), scanner.stop()))
    scanner.start()
    assert scanner.wait(timeout=10)
    assert seen == ["TN0000000"]


def test_start_twice_is_refused_and_stop_without_start_is_harmless():
    scanner = CameraScanner(BrokenSource(), lambda r: None, retry_initial=0.05)
    scanner.stop()
    scanner.start()
    with pytest.raises(RuntimeError):
        scanner.start()
    scanner.stop()
    assert scanner.status == "stopped"


def test_deduplicator_measures_the_window_from_the_last_sighting():
    dedup = Deduplicator(window=2.0)
    code = BarcodeResult("TN0001234", "CODE128")
    other = BarcodeResult("9786041234567", "EAN13")
    assert dedup.fresh([code], 0.0) == [code]
    assert dedup.fresh([code], 1.5) == []
    assert dedup.fresh([code, other], 3.0) == [other]
    assert dedup.fresh([code], 5.1) == [code]
