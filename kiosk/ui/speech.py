"""Read-aloud with ``espeak-ng -v vi``, run as a QProcess so the GUI never waits on it."""

from __future__ import annotations

import logging
import shutil

from PySide6.QtCore import QObject, QProcess

log = logging.getLogger(__name__)

COMMAND = "espeak-ng"


class Speaker(QObject):
    """Speaks one text at a time; a new request interrupts the one still speaking."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.program = shutil.which(COMMAND)
        self._process: QProcess | None = None

    @property
    def available(self) -> bool:
        return self.program is not None

    def say(self, text: str, voice: str = "vi") -> None:
        if not self.program or not text.strip():
            return
        self.stop()
        process = QProcess(self)
        process.errorOccurred.connect(lambda err: log.warning("espeak-ng failed: %s", err))
        process.start(self.program, ["-v", voice, "-s", "150", text])
        self._process = process

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.state() != QProcess.ProcessState.NotRunning:
            process.kill()
            process.waitForFinished(500)

    @property
    def busy(self) -> bool:
        return self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning
