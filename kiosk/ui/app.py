"""The kiosk window around what the composition root (``kiosk.compose``) built.

``build_runtime`` wires an already opened library into a running window and is what tests,
the tour and the benchmark use with their own fakes; ``run`` is ``kiosk run``: it takes the
library, print queue and devices ``kiosk.compose.build`` makes from the configuration.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from kiosk.ui.collector import GuiThreadCollector
from kiosk.ui.context import UiContext
from kiosk.ui.input_gate import InputGate
from kiosk.ui.ops import Ops
from kiosk.ui.shell import Shell
from kiosk.ui.systemd import SystemdNotifier, allow_for_upgrade

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).parent / "i18n"
SIZES = ((1024, 600), (1280, 800), (1920, 1080))


class ScanBridge(QObject):
    """Carries codes from reader threads to the GUI thread (queued signal delivery)."""

    code = Signal(str)


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("kiosk")
        app.setOrganizationName("thu-vien-xa")
    return app


def install_translation(app: QCoreApplication, lang: str) -> QTranslator | None:
    """Load ``kiosk_<lang>.qm``; Vietnamese is the source language and needs none."""
    if lang == "vi":
        return None
    translator = QTranslator(app)
    if not translator.load(str(I18N_DIR / f"kiosk_{lang}.qm")):
        log.warning("no %s translation found in %s; showing Vietnamese", lang, I18N_DIR)
        return None
    app.installTranslator(translator)
    return translator


@dataclass
class Runtime:
    app: QApplication
    ctx: UiContext
    shell: Shell
    notifier: SystemdNotifier
    bridge: ScanBridge
    cleanups: list[Callable[[], None]] = field(default_factory=list)
    closed: bool = False
    printer_timer: QTimer | None = None
    collector: GuiThreadCollector | None = None

    def shutdown(self) -> None:
        """Stop in dependency order: window, devices, print queue, worker, then the rest."""
        if self.closed:
            return
        self.closed = True
        self.notifier.stopping()
        if self.printer_timer is not None:
            self.printer_timer.stop()
        self.shell.shutdown()
        if self.ctx.devices is not None:
            self.ctx.devices.stop()
        if self.ctx.print_queue is not None:
            self.ctx.print_queue.stop()
        self.ctx.ops.shutdown()
        for cleanup in reversed(self.cleanups):
            try:
                cleanup()
            except Exception:
                log.exception("clean-up step failed")
        self.shell.deleteLater()
        if self.collector is not None:
            self.collector.stop()


PRINTER_STATUS_SECONDS = 30


def _report_printer_status(library, ops: Ops, print_queue) -> QTimer:
    """Keep the printer's last known state in the database, where the sync service finds
    it and reports it to the district (the sync daemon runs in another process)."""

    def save() -> None:
        status = print_queue.last_status
        code = getattr(status, "code", None) or "unknown"
        ops.run(lambda: library.store.set_meta("printer_status", code))

    timer = QTimer()
    timer.timeout.connect(save)
    timer.start(PRINTER_STATUS_SECONDS * 1000)
    save()
    return timer


def build_runtime(library, *, print_queue=None, devices=None, demo: bool = False,
                  mode: str = "kiosk", settings: dict[str, Any] | None = None,
                  environ: dict[str, str] | None = None, show: bool = True,
                  fullscreen: bool = False, size: tuple[int, int] = SIZES[0]) -> Runtime:
    """Build the window around ``library``; READY=1 goes out once the home screen shows."""
    app = application()
    ops = Ops()
    ctx = UiContext(library=library, ops=ops, print_queue=print_queue, devices=devices, demo=demo,
                    settings=dict(settings or {}))
    shell = Shell(ctx, mode)
    bridge = ScanBridge()
    bridge.code.connect(shell.deliver_scan)
    notifier = SystemdNotifier(environ)
    runtime = Runtime(app, ctx, shell, notifier, bridge)
    gate = InputGate(app)  # only the fields for Vietnamese words take IBus (Telex)
    runtime.cleanups.append(gate.remove)
    runtime.collector = GuiThreadCollector()
    runtime.collector.start()
    ops.run(lambda: library.code, lambda code: ctx.settings.setdefault("card_prefix", code))
    if print_queue is not None:
        runtime.printer_timer = _report_printer_status(library, ops, print_queue)
    shell.resize(*size)
    shell.start()
    if show:
        if fullscreen:
            shell.showFullScreen()
        else:
            shell.show()
        QTimer.singleShot(0, notifier.ready)
    return runtime


def run(args) -> int:
    """``kiosk run``: the window over what the composition root builds from the configuration,
    until it is closed (or systemd stops it)."""
    from kiosk import compose

    app = application()
    install_translation(app, args.lang)
    if not args.demo:
        allow_for_upgrade(args.config.db)
    appliance = compose.build(args.config, demo=args.demo)
    runtime = launch(appliance, lang=args.lang, mode=args.mode, fullscreen=args.fullscreen,
                     idle_seconds=args.idle_seconds)
    app.aboutToQuit.connect(runtime.shutdown)
    _quit_on_sigterm(app)
    code = app.exec()
    runtime.shutdown()
    return code


def launch(appliance, *, lang: str = "vi", mode: str = "kiosk", fullscreen: bool = False,
           idle_seconds: float | None = None, environ: dict[str, str] | None = None,
           show: bool = True) -> Runtime:
    """The window over an appliance (``kiosk.compose.build``), its devices started."""
    app = application()
    settings = {**appliance.window_settings, "lang": lang}
    if idle_seconds:
        settings["idle_seconds"] = float(idle_seconds)
    runtime = build_runtime(appliance.library, print_queue=appliance.print_queue,
                            devices=appliance.devices, demo=appliance.demo, mode=mode,
                            settings=settings, environ=environ, show=show,
                            fullscreen=fullscreen, size=SIZES[1])
    runtime.cleanups.extend(appliance.cleanups)
    appliance.scans.target = runtime.bridge.code.emit
    wedge_settings = appliance.wedge_settings
    if wedge_settings is not None:
        from hardware.scanners.qt_filter import WedgeScanFilter

        wedge = WedgeScanFilter(wedge_settings)
        app.installEventFilter(wedge)
        wedge.scanned.connect(runtime.shell.deliver_scan)
        runtime.cleanups.append(lambda: app.removeEventFilter(wedge))
    try:
        appliance.devices.start()
    except Exception:
        log.exception("input devices did not start; touch and keyboard still work")
    return runtime


def _quit_on_sigterm(app: QApplication) -> None:
    """systemd stops the kiosk with SIGTERM: leave the event loop so shutdown runs cleanly.

    Python runs signal handlers only between bytecodes, so a short timer keeps it awake.
    """
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    keepalive = QTimer(app)
    keepalive.timeout.connect(lambda: None)
    keepalive.start(250)
