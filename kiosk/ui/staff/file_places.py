"""Opening a file at the counter: from a USB stick or the downloads folder, nothing else.

Staff do not browse the file system from the counter (``kiosk.io.destinations``): the
import screen offers the catalogue files (MARC21, MARCXML, CSV) found on the sticks plugged
in and in the downloads folder, a few folders deep. Links are never followed, so a file on a
stick cannot point the import at the device's own files; the choice is checked again when
it is made, since a stick can change between listing and choosing.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.io.destinations import Destination
from kiosk.ui.staff.widgets import TOUCH, MessageBar, button

log = logging.getLogger(__name__)

IMPORTABLE = frozenset({".mrc", ".marc", ".iso", ".dat", ".xml", ".csv"})
MAX_DEPTH = 3
MAX_FILES = 500


def place_label(dest: Destination) -> str:
    """"USB «KINGSTON»" or "Thư mục Tải về", translated."""
    if dest.kind == "usb":
        return QCoreApplication.translate("FilePlaces", "USB «%1»").replace("%1", dest.name)
    return QCoreApplication.translate("FilePlaces", "Thư mục Tải về")


def importable_files(root: Path) -> list[Path]:
    """The catalogue files under ``root`` (by suffix), at most ``MAX_DEPTH`` folders down and
    ``MAX_FILES`` in all, without hidden entries and without following any link."""
    found: list[Path] = []
    folders = [(root, 0)]
    while folders and len(found) < MAX_FILES:
        folder, depth = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name.casefold())
        except FileNotFoundError:
            continue  # no downloads folder yet, or the stick was just pulled out
        except OSError as exc:
            log.warning("cannot list a folder offered for import: %s", exc.strerror)
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                if depth < MAX_DEPTH:
                    folders.append((Path(entry.path), depth + 1))
            elif entry.is_file(follow_symlinks=False) and \
                    Path(entry.name).suffix.lower() in IMPORTABLE:
                found.append(Path(entry.path))
                if len(found) >= MAX_FILES:
                    break
    return sorted(found, key=lambda p: str(p.relative_to(root)).casefold())


def inside(path: Path, root: Path) -> bool:
    """Is ``path`` a catalogue file under ``root``, reached through no link?"""
    try:
        relative = path.relative_to(root)
    except ValueError:
        return False
    step = root
    for part in relative.parts:
        step = step / part
        if part in (".", "..") or step.is_symlink():
            return False
    try:
        real, real_root = path.resolve(strict=True), root.resolve(strict=True)
    except OSError:
        return False
    return real.is_relative_to(real_root) and real.is_file() and \
        real.suffix.lower() in IMPORTABLE


def _shown(path: Path, root: Path) -> str:
    """A file's place under its root, with control characters made visible."""
    text = str(path.relative_to(root))
    return "".join(c if c.isprintable() else "?" for c in text)


class ImportFileDialog(QDialog):
    """Pick a catalogue file on a USB stick or in the downloads folder."""

    def __init__(self, find: Callable[[], list[Destination]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Chọn tệp biên mục"))
        self.find = find
        self.destinations: list[Destination] = []
        self.files: list[Path] = []
        self.places = QListWidget()
        self.places.setAccessibleName(self.tr("Nơi có tệp"))
        self.file_list = QListWidget()
        self.file_list.setAccessibleName(self.tr("Các tệp có thể nhập"))
        self.notice = MessageBar(self)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.ok_button = button(self.tr("Nhập tệp này"), self.accept, primary=True)
        cancel = button(self.tr("Huỷ"), self.reject)
        self.places.currentRowChanged.connect(self._show_files)
        self.file_list.itemDoubleClicked.connect(lambda _item: self.accept())

        hint = QLabel(self.tr("Chọn USB hoặc thư mục Tải về, rồi chọn tệp MARC21 (.mrc), "
                              "MARCXML (.xml) hoặc CSV (.csv):"))
        hint.setWordWrap(True)
        lists = QHBoxLayout()
        lists.addWidget(self.places, 2)
        lists.addWidget(self.file_list, 3)
        row = QHBoxLayout()
        row.addWidget(button(self.tr("Làm mới"), self.refresh))
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.notice)
        layout.addLayout(lists, 1)
        layout.addWidget(self.problem)
        layout.addLayout(row)
        self.resize(720, 440)
        self.refresh()

    def refresh(self) -> None:
        """Look again for sticks (one may have just been plugged in)."""
        self.destinations = list(self.find())
        self.places.blockSignals(True)
        self.places.clear()
        for dest in self.destinations:
            item = QListWidgetItem(place_label(dest))
            item.setSizeHint(QSize(0, TOUCH))
            self.places.addItem(item)
        self.places.blockSignals(False)
        if any(dest.kind == "usb" for dest in self.destinations):
            self.notice.clear_message()
        else:
            self.notice.show_message(self.tr(
                "Chưa cắm USB: cắm USB có tệp cần nhập vào máy rồi bấm Làm mới, hoặc chọn tệp "
                "trong thư mục Tải về."), "warn")
        self.places.setCurrentRow(0 if self.destinations else -1)
        self._show_files(self.places.currentRow())

    def _show_files(self, row: int) -> None:
        self.file_list.clear()
        self.problem.setText("")
        self.files = importable_files(self.destinations[row].path) if row >= 0 else []
        root = self.destinations[row].path if row >= 0 else None
        for path in self.files:
            item = QListWidgetItem(_shown(path, root))
            item.setSizeHint(QSize(0, TOUCH))
            self.file_list.addItem(item)
        if self.files:
            self.file_list.setCurrentRow(0)
        elif row >= 0:
            self.problem.setText(self.tr("Ở đây không có tệp MARC21, MARCXML hay CSV nào."))
        self.ok_button.setEnabled(bool(self.files))

    def chosen_path(self) -> Path | None:
        """The file to import, or None (with the reason shown) when the choice is not valid."""
        place, row = self.places.currentRow(), self.file_list.currentRow()
        if place < 0 or row < 0 or row >= len(self.files):
            self.problem.setText(self.tr("Chưa chọn tệp nào."))
            return None
        path = self.files[row]
        if not inside(path, self.destinations[place].path):
            log.warning("refused a file offered for import: it left its place or is a link")
            self.problem.setText(self.tr("Không mở được tệp này (USB đã rút ra, hoặc tệp là "
                                         "liên kết ra ngoài USB). Hãy bấm Làm mới."))
            return None
        return path

    def accept(self) -> None:
        if self.chosen_path() is not None:
            super().accept()
