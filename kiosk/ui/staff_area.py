"""The staff and technician areas: each behind its own PIN, hosting the screens of their packages.

The screens live in ``kiosk.ui.staff`` (``STAFF_SCREENS``, and the ``StaffLogin`` gate)
and ``kiosk.ui.technician`` (``TECHNICIAN_SCREENS``): lists of (tab title, class), each
class built as ``Screen(ctx, parent)``; the titles are marked with
``QT_TRANSLATE_NOOP("ProtectedArea", ...)`` and translated here. Both packages ship with the
kiosk: one that fails to import is a broken install, logged as an error and said so on the
area's page (never passed off as a feature missing from this version). Locking (logout, idle timeout) destroys the open screens, so
nothing a librarian opened stays behind for the next patron; the shell's top-bar button
reads "Khóa và thoát" (lock and leave) inside an area. Scans the shell routes here (serial
scanner, evdev, card reader, wedge, the demo's simulated scanner) go to the open tab when it
has ``show_scan`` (circulation, patrons, cataloguing, stocktake, the technician's
diagnostics), so a barcode counts whatever field has focus. A screen with ``draft`` keeps
its unsaved work across a lock (the cataloguing form a timeout would otherwise discard):
the area holds it and gives it back with ``restore_draft`` at the next unlock, behind the PIN.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.ui.patron.base import Screen
from kiosk.ui.vi_typing import InputMethodSwitch, TypingSwitch
from kiosk.ui.widgets import PageTabs, button, heading, label

log = logging.getLogger(__name__)

AREAS = {"staff": ("kiosk.ui.staff", "STAFF_SCREENS"),
         "technician": ("kiosk.ui.technician", "TECHNICIAN_SCREENS")}


def area_screens(area: str) -> list[tuple[str, type]]:
    """The (tab title, class) list an area's package publishes; empty when it is absent."""
    package_name, attribute = AREAS[area]
    return list(getattr(importlib.import_module(package_name), attribute))


def login_gate() -> type:
    return importlib.import_module("kiosk.ui.staff").StaffLogin


class ProtectedArea(Screen):
    def __init__(self, ctx, nav, area: str, parent=None):
        super().__init__(ctx, nav, parent)
        self.area = area
        self.broken = ""
        try:
            self.screens, gate_class = area_screens(area), login_gate()
        except ImportError as exc:
            log.exception("the %s area cannot be loaded: the installation is broken", area)
            self.screens, gate_class, self.broken = [], None, str(exc)
        self.title = self.tr("Khu vực thủ thư") if area == "staff" else self.tr("Khu vực kỹ thuật")
        self.pages = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.gate = gate_class(ctx, self, self.title, area) if gate_class is not None else None
        if self.gate is not None:
            self.gate.unlocked.connect(self.unlock)
            self.pages.addWidget(self.gate)
        else:
            self.pages.addWidget(self._unavailable())
        self.inside: QWidget | None = None
        self.tabs: PageTabs | None = None
        self.drafts: dict[str, dict] = {}
        # One for the area's life: each unlock builds a new switch widget, and IBus switches
        # chosen in successive unlocks must still run one at a time.
        self.ime = InputMethodSwitch()

    @property
    def unlocked(self) -> bool:
        return self.inside is not None

    def _unavailable(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(32, 20, 32, 20)
        column.addWidget(heading(self.title))
        column.addWidget(label(self.tr(
            "Lỗi cài đặt phần mềm: khu vực này không mở được ({error}). "
            "Hãy báo kỹ thuật viên cài lại phần mềm.").format(error=self.broken)))
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
        tabs = PageTabs()
        if self.area == "staff":
            tabs.setCornerWidget(TypingSwitch(self.ctx.settings, tabs, ime=self.ime))
        for title, cls in self.screens:
            try:
                tabs.add_page(cls(self.ctx, tabs), QCoreApplication.translate("ProtectedArea", title))
            except Exception:
                log.exception("cannot open the %s screen", cls.__name__)
        column.addWidget(tabs, 1)
        for index in range(tabs.count()):
            page = tabs.widget(index)
            draft = self.drafts.pop(type(page).__name__, None)
            if draft is not None and hasattr(page, "restore_draft"):
                page.restore_draft(draft)
        self.inside, self.tabs = box, tabs
        self.pages.addWidget(box)
        self.pages.setCurrentWidget(box)
        still_here = getattr(self.nav, "still_here", None)
        if still_here is not None:
            still_here()  # the PIN was just typed: building the screens is no idle time
        log.info("%s area unlocked", self.area)

    def lock(self) -> None:
        if self.tabs is not None:
            for index in range(self.tabs.count()):
                page = self.tabs.widget(index)
                draft = page.draft() if hasattr(page, "draft") else None
                if draft is not None:
                    self.drafts[type(page).__name__] = draft
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
