"""Read-aloud with espeak-ng, run as a QProcess so the GUI never waits on it.

espeak-ng's Vietnamese reads "15/12/2026" as "mười năm · mười hai · hai ngàn…" (slashes
silent, 15 said "mười năm" instead of "mười lăm"), so dates and numbers are written out in
words before the text reaches it (:func:`spoken_vi`). A Southern voice (``vi-vn-x-south``,
the speech of Đồng Tháp) is preferred when the installed espeak-ng has one.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

from PySide6.QtCore import QObject, QProcess

log = logging.getLogger(__name__)

COMMAND = "espeak-ng"
SOUTHERN_VOICE = "vi-vn-x-south"
DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
DATE = re.compile(r"(?:\b[Nn]gày\s+)?\b(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\b")
MONTH_YEAR = re.compile(r"(\b[Tt]háng\s+)?\b(\d{1,2})/(\d{4})\b")
ISO_DATE = re.compile(r"(?:\b[Nn]gày\s+)?\b(\d{4})-(\d{2})-(\d{2})\b")
MONEY = re.compile(r"(\d)\s?(?:đ|₫|VNĐ|VND)(?!\w)")
TIME = re.compile(r"\b(\d{1,2})[:h](\d{2})\b")
NUMBER = re.compile(r"(?<!\w)\d+(?:[.,]\d{3})*(?!\w)")
CODE = re.compile(r"\w*\d\w*")   # a barcode or card number: digit by digit


def _below_thousand(n: int, full: bool, south: bool) -> str:
    """0-999; ``full`` says the hundreds even when zero ("không trăm linh năm")."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if ones and words:
            words.append("lẻ" if south else "linh")
        if ones:
            words.append(DIGITS[ones])
        return " ".join(words)
    words += ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if ones == 1 and tens > 1:
        words.append("mốt")
    elif ones == 5:
        words.append("lăm")
    elif ones:
        words.append(DIGITS[ones])
    return " ".join(words)


def number_vi(n: int, south: bool = True) -> str:
    """A whole number in Vietnamese words: 15 -> "mười lăm", 21 -> "hai mươi mốt",
    2026 -> "hai ngàn không trăm hai mươi sáu" (Southern "ngàn"/"lẻ", else "nghìn"/"linh")."""
    if n == 0:
        return DIGITS[0]
    units = ("", "ngàn" if south else "nghìn", "triệu", "tỷ")
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    if len(groups) > len(units):
        return " ".join(DIGITS[int(d)] for d in str(n))
    words = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        leading = index == len(groups) - 1
        words.append(_below_thousand(group, not leading, south))
        if units[index]:
            words.append(units[index])
    return " ".join(words)


def _word(match: re.Match) -> str:
    """"ngày", keeping the capital of a "Ngày" the text already had before the date."""
    return "Ngày" if match.group().startswith("Ngày") else "ngày"


def spoken_vi(text: str, south: bool = True) -> str:
    """``text`` with dates, times, amounts and numbers in words, as a Vietnamese reader says
    them: "Hạn trả: 15/12/2026" -> "Hạn trả: ngày mười lăm tháng mười hai năm hai ngàn…"
    (also "15/12", "2026-12-15", "5.000 đ"); codes with letters are read digit by digit."""
    def said_date(day: int, month: int, year: int | None, word: str) -> str:
        said = f"{word} {number_vi(day, south)} tháng {number_vi(month, south)}"
        return f"{said} năm {number_vi(year, south)}" if year else said

    def date(match: re.Match) -> str:
        day, month, year = match.groups()
        if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
            return match.group()
        return said_date(int(day), int(month), int(year) if year else None, _word(match))

    def iso_date(match: re.Match) -> str:
        year, month, day = (int(g) for g in match.groups())
        return said_date(day, month, year, _word(match))

    def clock(match: re.Match) -> str:
        hour, minute = int(match.group(1)), int(match.group(2))
        said = f"{number_vi(hour, south)} giờ"
        return f"{said} {number_vi(minute, south)} phút" if minute else said

    def number(match: re.Match) -> str:
        digits = re.sub(r"[.,]", "", match.group())
        if len(digits) > 1 and digits.startswith("0"):
            return " ".join(DIGITS[int(d)] for d in digits)
        return number_vi(int(digits), south)

    def code(match: re.Match) -> str:
        return re.sub(r"\d", lambda d: f" {DIGITS[int(d.group())]} ", match.group())

    text = ISO_DATE.sub(iso_date, text)
    text = DATE.sub(date, text)
    text = MONTH_YEAR.sub(lambda m: f"{m.group(1) or 'tháng '}{number_vi(int(m.group(2)), south)} "
                                    f"năm {number_vi(int(m.group(3)), south)}", text)
    text = MONEY.sub(r"\1 đồng", text)
    text = TIME.sub(clock, text)
    text = re.sub(r"\s*–\s*", " đến ", text)
    text = NUMBER.sub(number, text)
    text = re.sub(r"\s+", " ", CODE.sub(code, text))
    return re.sub(r" ([,.;:!?])", r"\1", text).strip()


def installed_voices(program: str) -> set[str]:
    """The Vietnamese voice names this espeak-ng knows (asked once, at start-up)."""
    try:
        out = subprocess.run([program, "--voices=vi"], capture_output=True, text=True,
                             timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        log.warning("could not list espeak-ng voices")
        return set()
    voices = set()
    for line in out.splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 5:
            voices.update({fields[1], fields[3], fields[4].rsplit("/", 1)[-1]})
    return voices


class Speaker(QObject):
    """Speaks one text at a time; a new request interrupts the one still speaking."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.program = shutil.which(COMMAND)
        self._process: QProcess | None = None
        self._voices: set[str] | None = None

    @property
    def available(self) -> bool:
        return self.program is not None

    def vietnamese_voice(self) -> str:
        if self._voices is None:
            self._voices = installed_voices(self.program) if self.program else set()
        return SOUTHERN_VOICE if SOUTHERN_VOICE in self._voices else "vi"

    def say(self, text: str, lang: str = "vi") -> None:
        if not self.program or not text.strip():
            return
        if lang == "vi":
            voice, text = self.vietnamese_voice(), spoken_vi(text)
        else:
            voice = "en"
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
