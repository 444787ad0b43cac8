"""PDF pages as PNG files, made by poppler's ``pdfinfo`` and ``pdftoppm`` in QProcesses.

PySide6-Essentials has no QtPdf. poppler-utils is on every kiosk image, so a page is
rasterised on demand by a child process (the GUI never waits, and the database worker is
not held up by a slow page) into a cache folder; paging back shows the cached file at once.
A cached page is keyed by the file's path, size and modification time, so a replaced
document is rendered again. Results of requests made before ``cancel`` are dropped.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer

log = logging.getLogger(__name__)

PDF_DPI = 110
TIMEOUT_MS = 30_000
_PAGES = re.compile(r"^Pages:\s+(\d+)\s*$", re.MULTILINE)


def find_tools(pdftoppm: str | None = None) -> tuple[str | None, str | None]:
    """``pdftoppm`` (a name or path, default from $PATH) and the ``pdfinfo`` installed beside it."""
    found = shutil.which(pdftoppm or "pdftoppm")
    if found is None:
        return None, None
    beside = Path(found).with_name("pdfinfo")
    return found, str(beside) if beside.is_file() else shutil.which("pdfinfo")


def page_count(pdfinfo_output: str) -> int | None:
    match = _PAGES.search(pdfinfo_output)
    return int(match.group(1)) if match else None


class PdfPages(QObject):
    def __init__(self, pdftoppm: str | None, pdfinfo: str | None, cache_dir: Path,
                 dpi: int = PDF_DPI, parent: QObject | None = None):
        super().__init__(parent)
        self.pdftoppm, self.pdfinfo = pdftoppm, pdfinfo
        self.cache_dir, self.dpi = Path(cache_dir), dpi
        self._counts: dict[Path, int] = {}
        self._generation = 0
        self._running: set[QProcess] = set()

    @property
    def available(self) -> bool:
        return bool(self.pdftoppm and self.pdfinfo)

    def _folder(self, path: Path) -> Path:
        stat = path.stat()
        key = hashlib.sha1(f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{self.dpi}".encode())
        return self.cache_dir / key.hexdigest()[:16]

    def cached(self, path: Path, page: int) -> Path | None:
        png = self._folder(path) / f"page-{page}.png"
        return png if png.is_file() else None

    def count(self, path: Path, on_done: Callable[[int | None], None]) -> None:
        """Call ``on_done`` with the number of pages (None if the file is not a readable PDF)."""
        if path in self._counts:
            on_done(self._counts[path])
            return

        def finished(process: QProcess, ok: bool) -> None:
            pages = page_count(bytes(process.readAllStandardOutput()).decode(errors="replace")) if ok else None
            if pages:
                self._counts[path] = pages
            on_done(pages)

        self._start(self.pdfinfo, [str(path)], finished)

    def render(self, path: Path, page: int, on_done: Callable[[Path | None], None]) -> None:
        """Call ``on_done`` with the PNG of ``page`` (1-based), rendering it if not cached."""
        png = self.cached(path, page)
        if png is not None:
            on_done(png)
            return
        folder = self._folder(path)
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"page-{page}.part"

        def finished(_process: QProcess, ok: bool) -> None:
            written = partial.with_suffix(".part.png")
            if ok and written.is_file():
                on_done(written.replace(folder / f"page-{page}.png"))
            else:
                written.unlink(missing_ok=True)
                on_done(None)

        self._start(self.pdftoppm, ["-png", "-singlefile", "-r", str(self.dpi), "-f", str(page),
                                    "-l", str(page), str(path), str(partial)], finished)

    def cancel(self) -> None:
        """Forget every pending request: their callbacks will not run."""
        self._generation += 1
        for process in list(self._running):
            process.kill()

    def _start(self, program: str | None, args: list[str],
               finished: Callable[[QProcess, bool], None]) -> None:
        generation = self._generation
        process = QProcess(self)
        self._running.add(process)
        timer = QTimer(process, singleShot=True, interval=TIMEOUT_MS)
        timer.timeout.connect(process.kill)

        def done(code: int = -1, status: QProcess.ExitStatus = QProcess.ExitStatus.CrashExit) -> None:
            if process not in self._running:
                return
            self._running.discard(process)
            timer.stop()
            ok = status == QProcess.ExitStatus.NormalExit and code == 0
            if generation == self._generation:
                if not ok:
                    log.warning("%s failed (exit %s)", Path(program or "?").name, code)
                finished(process, ok)
            process.deleteLater()

        process.finished.connect(done)
        process.errorOccurred.connect(
            lambda error: done() if error == QProcess.ProcessError.FailedToStart else None)
        timer.start()
        process.start(program or "", args)
