"""A short sound for each scan: a rising chime when accepted, a low double buzz when refused.

The tones are generated here (sine waves with soft edges, written with the stdlib ``wave``
module into the cache), so the image ships no sound files. They play through QtMultimedia's
``QSoundEffect`` when this PySide6 has it, else through ``aplay`` (alsa-utils) in a
QProcess. A kiosk without a sound card stays silent and says why in ``last_error``; it
never blocks or fails a scan. Staff choose the volume (0-100, 0 = off) and quiet hours
(``"11:00-13:30"``: the library's nap time) in the device settings.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import shutil
import struct
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess

log = logging.getLogger(__name__)

RATE = 22050
TONES = {   # (frequency Hz, seconds) segments; 0 Hz is a pause
    "accepted": ((880, 0.09), (1320, 0.14)),
    "refused": ((220, 0.16), (0, 0.06), (220, 0.22)),
}


def tone_frames(segments, volume: int) -> bytes:
    """16-bit mono PCM for ``segments`` at ``volume`` percent, with 8 ms fades (no clicks)."""
    amplitude = 32767 * max(0, min(100, volume)) / 100 * 0.8
    fade = int(RATE * 0.008)
    frames = bytearray()
    for frequency, seconds in segments:
        count = int(RATE * seconds)
        for i in range(count):
            edge = min(1.0, i / fade, (count - 1 - i) / fade) if fade else 1.0
            value = amplitude * edge * math.sin(2 * math.pi * frequency * i / RATE) if frequency else 0
            frames += struct.pack("<h", int(value))
    return bytes(frames)


def write_tone(path: Path, name: str, volume: int) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(tone_frames(TONES[name], volume))
    return path


def parse_quiet_hours(text: str | None) -> tuple[dt.time, dt.time] | None:
    """``"11:00-13:30"`` -> (11:00, 13:30); empty or malformed -> None (never quiet)."""
    if not text:
        return None
    try:
        start, end = (dt.time.fromisoformat(part.strip()) for part in text.split("-", 1))
    except ValueError:
        log.warning("quiet hours %r are not HH:MM-HH:MM; ignoring them", text)
        return None
    return start, end


def in_quiet_hours(now: dt.time, quiet: tuple[dt.time, dt.time] | None) -> bool:
    if quiet is None:
        return False
    start, end = quiet
    return start <= now < end if start <= end else (now >= start or now < end)


def _qt_player():
    try:
        from PySide6.QtMultimedia import QSoundEffect
    except ImportError:
        return None
    return QSoundEffect


class Sounds(QObject):
    """Plays ``accepted`` / ``refused``; ``played`` lists what was sent to the speaker."""

    def __init__(self, volume: int = 70, quiet_hours: str | None = None,
                 now: Callable[[], dt.datetime] = dt.datetime.now, folder: Path | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.volume = max(0, min(100, int(volume)))
        self.quiet = parse_quiet_hours(quiet_hours)
        self.now = now
        self.folder = folder or Path(tempfile.gettempdir()) / "kiosk-sounds"
        self.played: list[str] = []
        self.last_error = ""
        self._files: dict[str, Path] = {}
        self._effects: dict = {}
        self._process: QProcess | None = None
        self._effect_class = _qt_player()
        self.aplay = shutil.which("aplay")

    def muted(self) -> bool:
        return self.volume == 0 or in_quiet_hours(self.now().time(), self.quiet)

    def file(self, name: str) -> Path:
        if name not in self._files:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._files[name] = write_tone(self.folder / f"{name}-{self.volume}.wav", name, self.volume)
        return self._files[name]

    def play(self, name: str) -> bool:
        """True if the sound went to a player; never raises."""
        if name not in TONES or self.muted():
            return False
        try:
            path = self.file(name)
        except OSError as exc:
            self.last_error = f"could not write {name}: {exc}"
            return False
        if self._effect_class is not None:
            return self._play_qt(name, path)
        if self.aplay is None:
            self.last_error = "no audio player (QtMultimedia or aplay)"
            return False
        if self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning:
            self._process.kill()
        process = QProcess(self)
        process.errorOccurred.connect(self._failed)
        process.finished.connect(lambda code, _status: self._finished(process, code))
        process.start(self.aplay, ["-q", str(path)])
        self._process = process
        self.played.append(name)
        return True

    def _play_qt(self, name: str, path: Path) -> bool:
        from PySide6.QtCore import QUrl

        effect = self._effects.get(name)
        if effect is None:
            effect = self._effect_class(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effects[name] = effect
        effect.play()
        self.played.append(name)
        return True

    def _failed(self, error) -> None:
        self.last_error = f"aplay failed: {error}"
        log.info("scan sound not played: %s", self.last_error)

    def _finished(self, process: QProcess, code: int) -> None:
        if code != 0:
            self.last_error = bytes(process.readAllStandardError()).decode(errors="replace").strip() \
                or f"aplay exited with {code}"
            log.info("scan sound not played: %s", self.last_error)
