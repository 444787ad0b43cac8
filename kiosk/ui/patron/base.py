"""What every patron screen shares: the context, the navigator, guarded background calls.

A screen is reset when a session ends; results of work started before the reset are
dropped (``epoch``), so a slow answer can never bring a previous patron's data back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from kiosk.core.errors import LibraryError

if TYPE_CHECKING:
    from kiosk.ui.context import UiContext
    from kiosk.ui.session import PatronSession

log = logging.getLogger(__name__)


class Navigator(Protocol):
    session: PatronSession

    def go(self, name: str, **kwargs: Any) -> None: ...

    def logout(self) -> None: ...

    def chime(self, accepted: bool) -> None: ...


def error_text(exc: Exception, lang: str = "vi") -> str:
    """What a patron reads for a failure: the core's own message, or a plain apology."""
    if isinstance(exc, LibraryError):
        return exc.message_en if lang == "en" else exc.message
    log.error("unexpected failure in a patron screen", exc_info=exc)
    return QCoreApplication.translate(
        "Screen", "Có lỗi xảy ra. Vui lòng thử lại hoặc gặp thủ thư.")


class Screen(QWidget):
    """Base of the patron screens: ``enter`` when shown, ``reset`` when a session ends."""

    needs_session = False

    def __init__(self, ctx: UiContext, nav: Navigator, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.nav = nav
        self.epoch = 0

    @property
    def lang(self) -> str:
        return self.ctx.settings.get("lang", "vi")

    def enter(self, **kwargs: Any) -> None:
        """Called each time the screen is shown, with the arguments of ``nav.go``."""

    def reset(self) -> None:
        """Forget everything shown; subclasses clear their widgets and call this."""
        self.epoch += 1

    def on_scan(self, code: str) -> bool:
        """A barcode or card arrived while this screen shows; True if it was used."""
        return False

    def speech_text(self) -> str:
        return ""

    def chime(self, accepted: bool) -> None:
        """The scan's sound, when the navigator has a speaker (the shell does)."""
        chime = getattr(self.nav, "chime", None)
        if chime is not None:
            chime(accepted)

    def error(self, exc: Exception) -> str:
        return error_text(exc, self.lang)

    def run(self, work: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[Exception], None] | None = None, changes: str | None = None) -> None:
        """``ctx.ops.run`` whose callbacks are dropped if the screen was reset meanwhile."""
        epoch = self.epoch

        def done(result: Any) -> None:
            if epoch == self.epoch:
                on_done(result)

        def failed(exc: Exception) -> None:
            if epoch != self.epoch:
                return
            if on_error is not None:
                on_error(exc)
            else:
                log.error("background work failed", exc_info=exc)

        self.ctx.ops.run(work, done, failed, changes)
