"""Telling a keyboard-wedge scan from a person typing, by timing alone.

A wedge scanner types a whole code 7-8 ms per key and ends it with Enter or Tab; people leave more
than 30 ms between keys. The detector holds keys back while they might still be a scan and then
either emits the code (its keys are swallowed) or releases them unchanged, so typing in a search
box keeps working. It is pure Python with no clock of its own: callers feed timestamps, and call
`flush` when `deadline()` passes, which keeps it testable and usable from Qt, evdev or a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

ENTER = "Enter"
TAB = "Tab"


@dataclass(frozen=True)
class Keystroke:
    key: str
    timestamp: float

    @property
    def is_char(self) -> bool:
        return len(self.key) == 1 and self.key.isprintable()


@dataclass(frozen=True)
class Verdict:
    """What to do with the key just fed.

    `hold`: the key is swallowed for now (part of a possible or finished scan). `release`: keys held
    earlier that turned out to be typing; deliver them, in order, before this key. `scans`: codes.
    """

    hold: bool
    release: tuple[Keystroke, ...] = ()
    scans: tuple[str, ...] = ()


@dataclass(frozen=True)
class WedgeSettings:
    max_interval: float = 0.020
    suffix: tuple[str, ...] = (ENTER,)
    prefix: str = ""
    min_length: int = 4
    max_length: int = 128

    def __post_init__(self) -> None:
        if self.max_interval <= 0:
            raise ValueError("max_interval must be positive")
        if self.min_length < 1 or self.max_length < self.min_length:
            raise ValueError("need 1 <= min_length <= max_length")


class KeystrokeScanDetector:
    def __init__(self, settings: WedgeSettings | None = None) -> None:
        self.settings = settings or WedgeSettings()
        self._held: list[Keystroke] = []

    def feed(self, key: str, timestamp: float) -> Verdict:
        stroke = Keystroke(key, timestamp)
        released: tuple[Keystroke, ...] = ()
        if self._held and timestamp - self._held[-1].timestamp > self.settings.max_interval:
            released = self._release()
        if not self._held:
            return self._begin(stroke, released)
        if key in self.settings.suffix:
            return self._finish(stroke, released)
        if not stroke.is_char:
            return Verdict(hold=False, release=released + self._release())
        self._held.append(stroke)
        if not self._prefix_still_possible() or self._body_length() > self.settings.max_length:
            return Verdict(hold=False, release=released + tuple(self._release()[:-1]))
        return Verdict(hold=True, release=released)

    def deadline(self) -> float | None:
        """When `flush` must be called if no further key arrives."""
        if not self._held:
            return None
        return self._held[-1].timestamp + self.settings.max_interval

    def flush(self, now: float) -> Verdict:
        """Give up on a pending scan after the timing window; scanners without a suffix end here."""
        deadline = self.deadline()
        if deadline is None or now <= deadline:
            return Verdict(hold=False)
        if not self.settings.suffix and self._qualifies():
            return Verdict(hold=False, scans=(self._take_code(),))
        return Verdict(hold=False, release=self._release())

    @property
    def pending(self) -> bool:
        return bool(self._held)

    def _begin(self, stroke: Keystroke, released: tuple[Keystroke, ...]) -> Verdict:
        prefix = self.settings.prefix
        if not stroke.is_char or (prefix and stroke.key != prefix[0]):
            return Verdict(hold=False, release=released)
        self._held.append(stroke)
        return Verdict(hold=True, release=released)

    def _finish(self, stroke: Keystroke, released: tuple[Keystroke, ...]) -> Verdict:
        if self._qualifies():
            return Verdict(hold=True, release=released, scans=(self._take_code(),))
        return Verdict(hold=False, release=released + self._release())

    def _qualifies(self) -> bool:
        prefix = self.settings.prefix
        text = "".join(s.key for s in self._held)
        return text.startswith(prefix) and self._body_length() >= self.settings.min_length

    def _prefix_still_possible(self) -> bool:
        prefix = self.settings.prefix
        text = "".join(s.key for s in self._held[: len(prefix)])
        return prefix.startswith(text)

    def _body_length(self) -> int:
        return len(self._held) - len(self.settings.prefix)

    def _take_code(self) -> str:
        code = "".join(s.key for s in self._held[len(self.settings.prefix) :])
        self._held.clear()
        return code

    def _release(self) -> tuple[Keystroke, ...]:
        held = tuple(self._held)
        self._held.clear()
        return held
