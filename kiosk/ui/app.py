"""Composition root of the kiosk window: library, worker, devices, printer, window, systemd.

``build_runtime`` wires an already opened library into a running window and is what tests,
the tour and the benchmark use with their own fakes; ``run`` is ``kiosk run``: it opens the
configured database (or the cached demo library) and the configured devices.
"""

from __future__ import annotations

import logging
import os
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
from kiosk.ui.ops import Ops
from kiosk.ui.shell import Shell
from kiosk.ui.systemd import SystemdNotifier

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


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "kiosk"
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_library(path: Path | None = None, books: int | None = None):
    """The demo library (``kiosk.demo.demo_path``: the same file as the command-line
    demo), built on first use and reused on later runs."""
    from kiosk.app import open_library
    from kiosk.demo import DEMO_BOOKS, build_demo, demo_path, ensure_demo_staff_pin

    path = path or demo_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        building = path.with_suffix(".building")
        for stale in path.parent.glob(building.name + "*"):
            stale.unlink()
        print(f"Building the demo library in {path} (once; about a minute)...", flush=True)
        lib = open_library(building)
        summary = build_demo(lib, books=books or int(os.environ.get("DEMO_BOOKS") or DEMO_BOOKS))
        lib.store.close()
        building.rename(path)
        log.info("demo library built in %.1f s", summary["seconds"])
    library = open_library(path)
    ensure_demo_staff_pin(library)
    return library


def _demo_devices(runtime_cleanups: list, bridge_emit: Callable[[str], None], cache: Path):
    """Fake printer on a real TCP socket, queue in the cache, fake serial scanner and card reader."""
    from hardware.device_config import DeviceConfig
    from hardware.devices import DeviceRegistry
    from hardware.printing.fake import FakeNetworkPrinter
    from hardware.printing.printer import ReceiptPrinter
    from hardware.printing.queue import PrintQueue
    from hardware.printing.uri import connection_from_uri

    printer = FakeNetworkPrinter().start()
    runtime_cleanups.append(printer.stop)
    queue = PrintQueue(cache / "demo-print-queue.db",
                       ReceiptPrinter(lambda: connection_from_uri(printer.uri)))
    queue.start()
    devices = DeviceRegistry(DeviceConfig(hotplug=False), bridge_emit, bridge_emit)
    return queue, devices, printer


def _real_devices(db_path: Path, bridge_emit: Callable[[str], None]):
    from hardware.device_config import load_config
    from hardware.devices import DeviceRegistry
    from hardware.printing.printer import ReceiptPrinter
    from hardware.printing.queue import PrintQueue
    from hardware.printing.uri import connection_from_uri

    config = load_config()
    uri = config.printer.uri
    connection_from_uri(uri)
    queue = PrintQueue(db_path.with_name("print-queue.db"), ReceiptPrinter(lambda: connection_from_uri(uri)))
    queue.start()
    return queue, DeviceRegistry(config, bridge_emit, bridge_emit), config


def _install_first_boot_pins(db: Path) -> None:
    """PINs from the first-boot settings file wait beside a database that did not exist yet
    (enrolment pending); the first start after it exists installs them."""
    from kiosk.appliance.firstboot import PINS_PENDING, install_pending_pins

    try:
        install_pending_pins(db, db.parent / Path(PINS_PENDING).name)
    except (OSError, ValueError):
        log.exception("could not install the PINs left by first boot")


def run(args) -> int:
    """``kiosk run``: the kiosk window until it is closed (or systemd stops it)."""
    from kiosk.cli.common import open_from_args

    app = application()
    install_translation(app, args.lang)
    cfg = args.config
    settings = {"lang": args.lang, "idle_seconds": float(args.idle_seconds or cfg.idle_seconds),
                "sound_volume": int(cfg.sound_volume), "quiet_hours": cfg.quiet_hours,
                "large_text": cfg.large_text == "1", "high_contrast": cfg.high_contrast == "1"}
    cleanups: list[Callable[[], None]] = []
    forward = _Forwarder()
    wedge = None
    if args.demo:
        cache = _cache_dir()
        library = demo_library()
        queue, devices, _printer = _demo_devices(cleanups, forward.emit, cache)
    else:
        _install_first_boot_pins(Path(cfg.db))
        library = open_from_args(args)
        queue, devices, config = _real_devices(Path(cfg.db), forward.emit)
        if "wedge" in (config.scanner.kind, config.card_reader.kind):
            from hardware.scanners.qt_filter import WedgeScanFilter

            wedge = WedgeScanFilter(config.wedge.settings())
    cleanups.append(library.store.close)
    runtime = build_runtime(library, print_queue=queue, devices=devices, demo=args.demo,
                            mode=args.mode, settings=settings, fullscreen=args.fullscreen,
                            size=SIZES[1])
    runtime.cleanups.extend(cleanups)
    forward.target = runtime.bridge.code.emit
    if wedge is not None:
        app.installEventFilter(wedge)
        wedge.scanned.connect(runtime.shell.deliver_scan)
    try:
        devices.start()
    except Exception:
        log.exception("input devices did not start; touch and keyboard still work")
    app.aboutToQuit.connect(runtime.shutdown)
    _quit_on_sigterm(app)
    code = app.exec()
    runtime.shutdown()
    return code


def _quit_on_sigterm(app: QApplication) -> None:
    """systemd stops the kiosk with SIGTERM: leave the event loop so shutdown runs cleanly.

    Python runs signal handlers only between bytecodes, so a short timer keeps it awake.
    """
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    keepalive = QTimer(app)
    keepalive.timeout.connect(lambda: None)
    keepalive.start(250)


class _Forwarder:
    """Reader callbacks exist before the window; they forward to its bridge once it is built."""

    def __init__(self) -> None:
        self.target: Callable[[str], None] | None = None

    def emit(self, code: str) -> None:
        if self.target is not None:
            self.target(code)
