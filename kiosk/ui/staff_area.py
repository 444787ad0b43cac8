"""The staff and technician areas: each behind its own PIN, hosting the screens of their packages.

The screens live in ``kiosk.ui.staff`` (``STAFF_SCREENS``, and the ``StaffLogin`` gate)
and ``kiosk.ui.technician`` (``TECHNICIAN_SCREENS``): lists of (tab title, class), each
class built as ``Screen(ctx, parent)``; the titles are marked with
``QT_TRANSLATE_NOOP("ProtectedArea", ...)`` and translated here. If a package is not there, the area says plainly
that it is not available yet. Locking (logout, idle timeout) destroys the open screens, so
nothing a librarian opened stays behind for the next patron; the shell's top-bar button
reads "Khóa và thoát" (lock and leave) inside an area. Scans the shell routes here (serial
scanner, card reader, wedge) go to the open tab when it has ``show_scan`` (the technician's
diagnostics), so a device can be tested without a text field in focus.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from kiosk.ui.patron.base import Screen
from kiosk.ui.widgets import button, heading, label

log = logging.getLogger(__name__)

AREAS = {"staff": ("kiosk.ui.staff", "STAFF_SCREENS"),
         "technician": ("kiosk.ui.technician", "TECHNICIAN_SCREENS")}


def area_screens(area: str) -> list[tuple[str, type]]:
    """The (tab title, class) list an area's package publishes; empty when it is absent."""
    package_name, attribute = AREAS[area]
    try:
        package = importlib.import_module(package_name)
    except ImportError as exc:
        log.info("%s not available: %s", package_name, exc)
        return []
    return list(getattr(package, attribute, []))


def login_gate() -> type | None:
    try:
        return importlib.import_module("kiosk.ui.staff").StaffLogin
    except (ImportError, AttributeError) as exc:
        log.info("staff login gate not available: %s", exc)
        return None


class ProtectedArea(Screen):
    def __init__(self, ctx, nav, area: str, parent=None):
        super().__init__(ctx, nav, parent)
        self.area = area
        self.screens = area_screens(area)
        self.title = self.tr("Khu vực thủ thư") if area == "staff" else self.tr("Khu vực kỹ thuật")
        self.pages = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        gate_class = login_gate() if self.screens else None
        self.gate = gate_class(ctx, self, self.title, area) if gate_class is not None else None
        if self.gate is not None:
            self.gate.unlocked.connect(self.unlock)
            self.pages.addWidget(self.gate)
        else:
            self.pages.addWidget(self._unavailable())
        self.inside: QWidget | None = None
        self.tabs: QTabWidget | None = None

    @property
    def unlocked(self) -> bool:
        return self.inside is not None

    def _unavailable(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(32, 20, 32, 20)
        column.addWidget(heading(self.title))
        column.addWidget(label(self.tr(
            "Khu vực này chưa có trong phiên bản phần mềm này. "
            "Thủ thư vẫn làm được các việc này bằng lệnh kiosk trên máy quầy.")))
        column.addStretch(1)
        column.addWidget(button(self.tr("Quay lại"), "primary", self.nav.logout))
        return box

    def unlock(self) -> None:
        if self.inside is not None:
            return
        box = QWidget()
        box.setProperty("dense", True)
        column = QVBoxLayout(box)
        column.setContentsMargins(8, 4, 8, 8)
        tabs = QTabWidget()
        for title, cls in self.screens:
            try:
                tabs.addTab(cls(self.ctx, tabs), QCoreApplication.translate("ProtectedArea", title))
            except Exception:
                log.exception("cannot open the %s screen", cls.__name__)
        column.addWidget(tabs, 1)
        self.inside, self.tabs = box, tabs
        self.pages.addWidget(box)
        self.pages.setCurrentWidget(box)
        log.info("%s area unlocked", self.area)

    def lock(self) -> None:
        if self.inside is not None:
            self.pages.removeWidget(self.inside)
            self.inside.deleteLater()
            self.inside, self.tabs = None, None
        if self.gate is not None:
            self.gate.reset()
            self.pages.setCurrentWidget(self.gate)

    def reset(self) -> None:
        super().reset()
        self.lock()

    def on_scan(self, code: str) -> bool:
        page = self.tabs.currentWidget() if self.tabs is not None else None
        show_scan = getattr(page, "show_scan", None)
        if show_scan is None:
            return False
        show_scan(code)
        return True

    def speech_text(self) -> str:
        return self.title
