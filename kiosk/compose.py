"""Composition root of the appliance: from the configuration to a library, devices and services.

:func:`build` reads nothing itself but the configuration it is given (``kiosk.config`` and
``hardware.device_config``, both declared in ``appconfig.spec``) and returns an
:class:`Appliance` that the window (``kiosk run``) takes as it is; the command line and the
sync, backup and enrolment services open their library through :func:`kiosk.app.open_library`.
Nothing here imports Qt: the window hands in where scanned codes go once it exists.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.app import open_library
from kiosk.config import Config

log = logging.getLogger(__name__)


class ScanSink:
    """Reader threads call :meth:`emit`; codes go to ``target`` once the window has set it."""

    def __init__(self) -> None:
        self.target: Callable[[str], None] | None = None

    def emit(self, code: str) -> None:
        if self.target is not None:
            self.target(code)


@dataclass
class Appliance:
    config: Config
    devices_config: Any
    library: Any
    print_queue: Any
    devices: Any
    scans: ScanSink
    demo: bool = False
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    @property
    def window_settings(self) -> dict[str, Any]:
        """What the window's screens read from ``UiContext.settings``."""
        cfg = self.config
        return {"idle_seconds": cfg.idle_seconds, "staff_idle_seconds": cfg.staff_idle_seconds,
                "sound_volume": cfg.sound_volume,
                "quiet_hours": cfg.quiet_hours, "large_text": cfg.large_text,
                "high_contrast": cfg.high_contrast, "staff_typing": cfg.staff_typing}

    @property
    def wedge_settings(self):
        """Key-filter settings when a keyboard-wedge scanner or card reader is configured."""
        devices = self.devices_config
        if "wedge" in (devices.scanner.kind, devices.card_reader.kind):
            return devices.wedge.settings()
        return None

    def close(self) -> None:
        for cleanup in reversed(self.cleanups):
            try:
                cleanup()
            except Exception:
                log.exception("clean-up step failed")
        self.cleanups.clear()


def receipt_printer(uri: str, paper_width_mm: int):
    from hardware.printing.printer import ReceiptPrinter
    from hardware.printing.uri import connection_from_uri

    connection_from_uri(uri)
    return ReceiptPrinter(lambda: connection_from_uri(uri), paper_mm=paper_width_mm)


def build(config: Config, *, demo: bool = False, devices_config=None,
          environ: Mapping[str, str] | None = None, cache_dir: Path | None = None,
          library=None) -> Appliance:
    """Open the library and build the print queue and input devices (not yet started)."""
    from hardware.device_config import load_config
    from hardware.devices import DeviceRegistry
    from hardware.printing.queue import PrintQueue

    environ = os.environ if environ is None else environ
    devices_config = devices_config or load_config(environ=environ)
    cleanups: list[Callable[[], None]] = []
    if library is None:
        if demo:
            library = demo_library()
        else:
            library = open_configured(config)
    cleanups.append(library.store.close)
    printer_cfg = devices_config.printer
    if demo:
        from hardware.printing.fake import FakeNetworkPrinter

        fake = FakeNetworkPrinter().start()
        cleanups.append(fake.stop)
        printer_cfg = dataclasses.replace(printer_cfg, uri=fake.uri)
        devices_config = dataclasses.replace(devices_config, hotplug=False, printer=printer_cfg)
        queue_path = (cache_dir or _cache_dir()) / "demo-print-queue.db"
    else:
        queue_path = Path(config.db).with_name("print-queue.db")
    queue = PrintQueue(queue_path, receipt_printer(printer_cfg.uri, printer_cfg.paper_width_mm))
    queue.start()
    cleanups.append(queue.stop)
    scans = ScanSink()
    devices = DeviceRegistry(devices_config, scans.emit, scans.emit)
    cleanups.append(devices.stop)
    return Appliance(config, devices_config, library, queue, devices, scans, demo, cleanups)


def open_configured(config: Config):
    """The configured database, which must exist and be initialised (the CLI's rule too)."""
    from kiosk.core.library import NotInitialised

    path = Path(config.db)
    if not path.exists():
        raise NotInitialised(
            f"không có cơ sở dữ liệu {path}: chạy `kiosk --db {path} init --library MÃ --name TÊN` "
            "hoặc chỉ đúng tệp bằng --db / biến KIOSK_DB")
    _install_first_boot_pins(path)
    library = open_library(path)
    library.require_initialised()
    return library


def _cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "kiosk"
    path.mkdir(parents=True, exist_ok=True)
    return path


def demo_library(path: Path | None = None, books: int | None = None):
    """The demo library (``kiosk.demo.demo_path``: the same file as the command-line
    demo), built on first use and reused on later runs."""
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


def _install_first_boot_pins(db: Path) -> None:
    """PINs from the first-boot settings file wait beside a database that did not exist yet
    (enrolment pending); the first start after it exists installs them."""
    from kiosk.appliance.firstboot import PINS_PENDING, install_pending_pins

    try:
        install_pending_pins(db, db.parent / Path(PINS_PENDING).name)
    except (OSError, ValueError):
        log.exception("could not install the PINs left by first boot")
