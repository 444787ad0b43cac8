"""A small live picture of what the camera sees, on the screens that take scans.

Shown only when a camera is configured. The camera thread keeps its latest frame, already
shrunk (``hardware.camera_reader.Preview``); this label copies it on a GUI-thread timer while
it is visible, so a hidden screen costs nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy

REFRESH_MS = 150
SIZE = (240, 180)


class CameraPreview(QLabel):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self._devices = ctx.devices
        self.frames_shown = 0
        self._shown_count = -1
        self.setObjectName("camerapreview")
        self.setFixedSize(*SIZE)
        self.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        self.setAlignment(Qt.AlignCenter)
        self.setAccessibleName(self.tr("Hình ảnh camera"))
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        config = getattr(self._devices, "config", None)
        self.setVisible(bool(config is not None and config.camera_wanted))

    def showEvent(self, event) -> None:
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        camera = getattr(self._devices, "camera", None)
        preview = camera.preview if camera is not None else None
        if preview is None or preview.frames == self._shown_count:
            return
        latest = preview.latest()
        if latest is None:
            return
        self._shown_count = preview.frames
        width, height, data = latest
        image = QImage(data, width, height, 3 * width, QImage.Format_RGB888).copy()
        self.setPixmap(QPixmap.fromImage(image).scaled(
            self.size(), Qt.KeepAspectRatio, Qt.SmoothTransformation))
        self.frames_shown += 1
