"""The main window: a stack of screens under a bar with the accessibility switches.

The shell is the navigator every screen talks to (``go``, ``logout``, ``session``). It
routes scans to the screen on show, runs the idle timeout that ends a session, and on
logout resets every screen so nothing of the previous patron stays in any widget.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QTranslator, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import theme
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.patron.account import AccountScreen
from kiosk.ui.patron.attract import AttractScreen
from kiosk.ui.patron.borrow import BorrowScreen
from kiosk.ui.patron.browse import BrowseScreen
from kiosk.ui.patron.goodbye import GoodbyeScreen
from kiosk.ui.patron.identify import IdentifyScreen
from kiosk.ui.patron.record import RecordScreen
from kiosk.ui.patron.request_form import RequestScreen
from kiosk.ui.patron.returns import ReturnScreen
from kiosk.ui.patron.search import SearchScreen
from kiosk.ui.patron.viewer import ViewerScreen
from kiosk.ui.session import PatronSession
from kiosk.ui.sound import Sounds
from kiosk.ui.speech import Speaker
from kiosk.ui.staff_area import ProtectedArea
from kiosk.ui.widgets import button, label, scrolling

log = logging.getLogger(__name__)

PATRON_SCREENS = {
    "attract": AttractScreen, "identify": IdentifyScreen, "borrow": BorrowScreen,
    "return": ReturnScreen, "account": AccountScreen, "search": SearchScreen,
    "record": RecordScreen, "request": RequestScreen, "viewer": ViewerScreen,
    "goodbye": GoodbyeScreen, "browse": BrowseScreen,
}
HOME = {"kiosk": "attract", "staff": "staff", "technician": "technician"}
PROTECTED = ("staff", "technician")
TEXT_INPUT_SCREENS = {"search", "request", *PROTECTED}
# A librarian reads, types and walks to a shelf: longer than a patron's idle time.
STAFF_IDLE_SECONDS = 600.0


class Shell(QMainWindow):
    screen_changed = Signal(str)

    def __init__(self, ctx, mode: str = "kiosk", parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.mode = mode
        self.home_name = HOME[mode]
        self.session = PatronSession()
        settings = ctx.settings
        self.device_lang = settings.get("lang", "vi")
        self.large_text = self.default_large = bool(settings.get("large_text", False))
        self.high_contrast = self.default_contrast = bool(settings.get("high_contrast", False))
        self.scale = 1.0
        self.translator = None
        self.speaker = Speaker(self)
        self.sound = Sounds(int(settings.get("sound_volume", 70)), settings.get("quiet_hours"),
                            parent=self)
        self.setWindowTitle(self.tr("Thư viện xã"))
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._build_bar())
        column.addWidget(self._build_idle_bar())
        self.stack = QStackedWidget()
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.screens: dict[str, Any] = {}
        self.holders: dict[str, QScrollArea] = {}
        self._build_screens()
        self.idle = IdleWatcher(float(ctx.settings.get("idle_seconds", 60)),
                                int(ctx.settings.get("idle_warn_seconds", 15)), self)
        self.patron_idle_ms = self.idle.timeout_ms
        self.staff_idle_ms = int(1000 * float(ctx.settings.get("staff_idle_seconds",
                                                               STAFF_IDLE_SECONDS)))
        self.idle.countdown.connect(self._countdown)
        self.idle.expired.connect(self._idle_expired)
        QApplication.instance().installEventFilter(self.idle)
        self.current = ""
        self.apply_theme()

    def _build_screens(self) -> None:
        for name, cls in PATRON_SCREENS.items():
            self._add(name, cls(self.ctx, self))
        self._add("staff", ProtectedArea(self.ctx, self, "staff"))
        self._add("technician", ProtectedArea(self.ctx, self, "technician"))

    def _build_idle_bar(self) -> QFrame:
        """The idle warning: a full-width line under the bar (never clipped) with a button."""
        self.idle_bar = QFrame()
        self.idle_bar.setObjectName("banner")
        row = QHBoxLayout(self.idle_bar)
        row.setContentsMargins(16, 6, 16, 6)
        self.countdown_label = label("", "countdown")
        self.still_here_button = button(self.tr("Tôi vẫn đang dùng"), "primary", self.still_here)
        self.still_here_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        row.addWidget(self.countdown_label, 1)
        row.addWidget(self.still_here_button)
        self.idle_bar.setVisible(False)
        return self.idle_bar

    def still_here(self) -> None:
        self.idle.touch()
        self._countdown(-1)

    def _build_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("topbar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(12, 4, 12, 4)
        self.home_button = button(self.tr("⌂ Màn hình chính"), "", self.logout)
        self.home_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.scan_field = QLineEdit()
        self.scan_field.setPlaceholderText(self.tr("Máy quét mô phỏng: gõ mã rồi Enter"))
        self.scan_field.setAccessibleName(self.tr("Máy quét mô phỏng"))
        self.scan_field.setAccessibleDescription(self.tr("Gõ mã vạch của thẻ hoặc sách rồi nhấn Enter"))
        self.scan_field.returnPressed.connect(self._scan_field_entered)
        self.scan_field.setVisible(bool(self.ctx.demo))
        self.staff_button = button(self.tr("Nhân viên"), "", lambda: self.go("staff"))
        self.home_button.set_accessible(self.tr("Màn hình chính"),
                                        self.tr("Kết thúc phiên và về màn hình đầu"))
        self.large_button = button(self.tr("A+ Chữ to"), "", self.toggle_large_text,
                                   self.tr("Chữ to"), self.tr("Bật hoặc tắt chữ cỡ lớn"))
        self.contrast_button = button(self.tr("◐ Tương phản"), "", self.toggle_contrast,
                                      self.tr("Tương phản cao"),
                                      self.tr("Bật hoặc tắt nền đen chữ sáng"))
        self.read_button = button(self.tr("Đọc to"), "", self.read_aloud, "",
                                  self.tr("Đọc to nội dung màn hình này"))
        for toggle in (self.large_button, self.contrast_button):
            toggle.setCheckable(True)
        row.addWidget(self.home_button)
        row.addWidget(self.scan_field, 1)
        row.addStretch(0 if self.ctx.demo else 1)
        for widget in (self.staff_button, self.read_button, self.large_button, self.contrast_button):
            widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            row.addWidget(widget)
        self.read_button.setVisible(self.speaker.available)
        return bar

    def _add(self, name: str, screen: QWidget) -> None:
        """Each screen sits in a scroll area: with large text on a small screen it scrolls
        instead of pushing the window past the display."""
        holder = scrolling(screen)
        self.screens[name] = screen
        self.holders[name] = holder
        self.stack.addWidget(holder)

    # Navigation

    def start(self) -> None:
        self.go(self.home_name)

    def go(self, name: str, **kwargs: Any) -> None:
        screen = self.screens[name]
        if getattr(screen, "needs_session", False) and not self.session.signed_in:
            name, kwargs, screen = "identify", {"then": name, "then_args": kwargs}, self.screens["identify"]
        self.speaker.stop()
        self.current = name
        self.stack.setCurrentWidget(self.holders[name])
        screen.enter(**kwargs)
        in_area = name in PROTECTED
        self.idle.timeout_ms = self.staff_idle_ms if in_area else self.patron_idle_ms
        self.home_button.setText(self.tr("Khóa và thoát") if in_area else self.tr("⌂ Màn hình chính"))
        self.home_button.setVisible(name != self.home_name or in_area)
        self.staff_button.setVisible(name == "attract")
        if name == self.home_name and not self.session.signed_in:
            self.idle.stop()
        else:
            self.idle.start()
        if self.ctx.demo and name not in TEXT_INPUT_SCREENS:
            self.scan_field.setFocus()
        log.debug("screen %s", name)
        self.screen_changed.emit(name)

    def logout(self) -> None:
        """End the session: forget the patron, clear every screen, show the home screen."""
        self.session.clear()
        for screen in self.screens.values():
            screen.reset()
        self.scan_field.clear()
        if (self.large_text, self.high_contrast) != (self.default_large, self.default_contrast):
            self.large_text, self.high_contrast = self.default_large, self.default_contrast
            self.apply_theme()
        if self.ctx.settings.get("lang", "vi") != self.device_lang:
            self.set_language(self.device_lang)
            return
        self.go(self.home_name)

    def set_language(self, lang: str) -> None:
        """Switch the interface language (from the attract screen, so no session is open):
        load the catalogue, then rebuild the screens so every text is drawn again."""
        from kiosk.ui.app import install_translation

        app = QApplication.instance()
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)
            translator.deleteLater()
        self.translator = install_translation(app, lang)
        self.ctx.settings["lang"] = lang
        for name in list(self.screens):
            holder = self.holders.pop(name)
            self.screens.pop(name).reset()
            self.stack.removeWidget(holder)
            holder.deleteLater()
        self._build_screens()
        self._retranslate_bar()
        self.go(self.home_name)

    def _retranslate_bar(self) -> None:
        self.setWindowTitle(self.tr("Thư viện xã"))
        self.scan_field.setPlaceholderText(self.tr("Máy quét mô phỏng: gõ mã rồi Enter"))
        self.scan_field.setAccessibleName(self.tr("Máy quét mô phỏng"))
        self.staff_button.setText(self.tr("Nhân viên"))
        self.large_button.setText(self.tr("A+ Chữ to"))
        self.large_button.set_accessible(self.tr("Chữ to"), self.tr("Bật hoặc tắt chữ cỡ lớn"))
        self.contrast_button.setText(self.tr("◐ Tương phản"))
        self.contrast_button.set_accessible(self.tr("Tương phản cao"),
                                            self.tr("Bật hoặc tắt nền đen chữ sáng"))
        self.read_button.setText(self.tr("Đọc to"))
        self.home_button.set_accessible(self.tr("Màn hình chính"),
                                        self.tr("Kết thúc phiên và về màn hình đầu"))
        self.still_here_button.setText(self.tr("Tôi vẫn đang dùng"))

    def current_screen(self):
        return self.screens.get(self.current)

    # Scans

    def deliver_scan(self, code: str) -> None:
        code = code.strip()
        if not code:
            return
        self.idle.touch()
        screen = self.current_screen()
        if screen is not None and not screen.on_scan(code):
            log.debug("scan ignored on %s", self.current)

    def _scan_field_entered(self) -> None:
        code = self.scan_field.text()
        self.scan_field.clear()
        self.deliver_scan(code)

    # Idle timeout

    def _countdown(self, seconds: int) -> None:
        if seconds < 0:
            self.idle_bar.setVisible(False)
            self.countdown_label.clear()
            return
        self.countdown_label.setText(QCoreApplication.translate(
            "Shell", "Tự thoát sau %1 giây").replace("%1", str(seconds)))
        self.idle_bar.setVisible(True)

    def _idle_expired(self) -> None:
        log.info("idle timeout: session ended")
        self.logout()

    # Accessibility

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        scale = theme.scale_for(event.size().width(), event.size().height())
        if scale != self.scale:
            self.scale = scale
            self.apply_theme()

    def apply_theme(self) -> None:
        theme.apply(QApplication.instance(), self.large_text, self.high_contrast, self.scale)
        self.large_button.setChecked(self.large_text)
        self.contrast_button.setChecked(self.high_contrast)

    def toggle_large_text(self) -> None:
        self.large_text = not self.large_text
        self.apply_theme()

    def toggle_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        self.apply_theme()

    def read_aloud(self) -> None:
        screen = self.current_screen()
        if screen is not None and hasattr(screen, "speech_text"):
            self.speaker.say(screen.speech_text(), "en" if self.ctx.settings.get("lang") == "en" else "vi")

    def chime(self, accepted: bool) -> None:
        """The sound answering a scan (see :mod:`kiosk.ui.sound`)."""
        self.sound.play("accepted" if accepted else "refused")

    def shutdown(self) -> None:
        """Stop every timer and forget the session; no screen starts new work after this."""
        self.idle.stop()
        QApplication.instance().removeEventFilter(self.idle)
        self.speaker.stop()
        self.session.clear()
        for screen in self.screens.values():
            screen.reset()
        self.close()
