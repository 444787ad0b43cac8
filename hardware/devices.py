"""The kiosk's input devices as one object: built from config, started, stopped and diagnosed.

`DeviceRegistry` is what the composition root holds. It turns a `DeviceConfig` into reader
threads, delivers scans and card numbers through two callbacks, nudges disconnected readers when
udev reports a new device, and answers `status()` for the technician's diagnostics screen and for
`kiosk devices`. A configured camera is one more scanner (`hardware.camera_reader`; another
can be injected through `camera_factory`); printers belong to `hardware.printing`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hardware.cardreaders.fake_rdm6300 import FakeRdm6300
from hardware.cardreaders.rdm6300 import Rdm6300Reader, card_number_format
from hardware.camera_reader import build_camera_reader
from hardware.device_config import CameraConfig, DeviceConfig
from hardware.hotplug import HotplugMonitor
from hardware.ptylink import PtyLink
from hardware.readers import Backoff, ReadCallback, Reader, ReaderState
from hardware.scanners.evdev_wedge import EvdevWedgeReader
from hardware.scanners.fake import FakeSerialScanner
from hardware.scanners.serial_scanner import SerialScanner

logger = logging.getLogger(__name__)

CameraFactory = Callable[[CameraConfig, ReadCallback], Reader]
HotplugFactory = Callable[[Callable[[str, str], None]], HotplugMonitor]


@dataclass(frozen=True)
class DeviceStatus:
    kind: str
    name: str
    state: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "name": self.name, "state": self.state, "detail": self.detail}


def _ignore(_: str) -> None:
    return None


def _scanner_name(config: DeviceConfig) -> str:
    cfg = config.scanner
    return {"serial": f"serial:{cfg.port}", "evdev": f"evdev:{cfg.device}",
            "fake": "fake-serial-scanner"}.get(cfg.kind, "")


def _card_reader_name(config: DeviceConfig) -> str:
    cfg = config.card_reader
    return {"rdm6300": f"rdm6300:{cfg.port}", "evdev": f"evdev:{cfg.device}",
            "fake": "fake-rdm6300"}.get(cfg.kind, "")


class DeviceRegistry:
    def __init__(
        self,
        config: DeviceConfig,
        on_scan: ReadCallback | None = None,
        on_card: ReadCallback | None = None,
        *,
        camera_factory: CameraFactory = build_camera_reader,
        hotplug_factory: HotplugFactory | None = HotplugMonitor,
        backoff: Callable[[], Backoff] = Backoff,
    ) -> None:
        config.validate()
        self.config = config
        self._on_scan = on_scan or _ignore
        self._on_card = on_card or _ignore
        self._camera_factory = camera_factory
        self._hotplug_factory = hotplug_factory
        self._backoff = backoff
        self.readers: list[Reader] = []
        self.fakes: dict[str, Any] = {}
        self._links: list[PtyLink] = []
        self._hotplug: HotplugMonitor | None = None
        self._started = False

    def start(self) -> None:
        """Build and start every configured reader; fakes get their pseudo-terminals here."""
        if self._started:
            raise RuntimeError("device registry already started")
        self._started = True
        scanner = self._build_scanner()
        card_reader = self._build_card_reader()
        camera = None
        if self.config.camera_wanted:
            camera = self._camera_factory(self.config.camera, self._on_scan)
        self.readers = [reader for reader in (scanner, card_reader, camera) if reader is not None]
        for reader in self.readers:
            reader.start()
        if self.config.hotplug and self._hotplug_factory is not None:
            self._hotplug = self._hotplug_factory(self.on_hotplug)
            self._hotplug.start()

    def stop(self) -> None:
        if self._hotplug is not None:
            self._hotplug.stop()
        for reader in self.readers:
            reader.stop()
        for link in self._links:
            link.close()
        self._links.clear()
        self.fakes.clear()
        self.readers = []
        self._started = False

    def on_hotplug(self, action: str, node: str) -> None:
        """A device appeared: let every disconnected reader retry now."""
        if action != "add":
            return
        for reader in self.readers:
            if reader.status().state != ReaderState.CONNECTED and hasattr(reader, "wake"):
                logger.info("hot-plug %s: waking %s", node, reader.name)
                reader.wake()

    def status(self) -> list[DeviceStatus]:
        rows = []
        for reader in self.readers:
            current = reader.status()
            rows.append(DeviceStatus(reader.kind, reader.name, current.state.value, current.detail))
        if not self._started:
            rows += self._configured_rows()
        rows += self._external_rows()
        rows.append(self._hotplug_row())
        return rows

    def _configured_rows(self) -> list[DeviceStatus]:
        names = (("scanner", _scanner_name(self.config)),
                 ("card_reader", _card_reader_name(self.config)),
                 ("scanner", self.config.camera.name if self.config.camera_wanted else ""))
        return [DeviceStatus(kind, name, "unknown", "not started") for kind, name in names if name]

    def _external_rows(self) -> list[DeviceStatus]:
        rows = []
        wedge_users = [kind for kind, cfg in (("scanner", self.config.scanner),
                                              ("card_reader", self.config.card_reader))
                       if cfg.kind == "wedge"]
        for kind in wedge_users:
            rows.append(DeviceStatus(kind, "wedge", "unknown",
                                     "keyboard wedge: read by the UI's key filter"))
        rows.append(DeviceStatus("printer", self.config.printer.uri, "unknown",
                                 "managed by hardware.printing"))
        return rows

    def _hotplug_row(self) -> DeviceStatus:
        if not self.config.hotplug:
            return DeviceStatus("hot-plug", "udev", "unknown", "hot-plug: disabled in config")
        if self._hotplug_factory is None:
            return DeviceStatus("hot-plug", "udev", "unknown", "hot-plug: unavailable (no monitor)")
        if self._hotplug is None:
            return DeviceStatus("hot-plug", "udev", "unknown", "hot-plug: not started")
        state = "connected" if self._hotplug.active else "unknown"
        return DeviceStatus("hot-plug", "udev", state, self._hotplug.detail)

    def _build_scanner(self) -> Reader | None:
        cfg = self.config.scanner
        if cfg.kind == "serial":
            return SerialScanner(cfg.port, self._on_scan, terminator=cfg.terminator,
                                 baudrate=cfg.baudrate, name=_scanner_name(self.config),
                                 backoff=self._backoff())
        if cfg.kind == "evdev":
            return EvdevWedgeReader(cfg.device, self._on_scan, suffix=self.config.wedge.suffix,
                                    name=_scanner_name(self.config), backoff=self._backoff())
        if cfg.kind == "fake":
            link = self._new_link()
            self.fakes["scanner"] = FakeSerialScanner(link, cfg.terminator)
            return SerialScanner(link.port, self._on_scan, terminator=cfg.terminator,
                                 name=_scanner_name(self.config), backoff=self._backoff())
        return None

    @property
    def camera(self):
        """The running camera reader (it has a ``preview``), or None."""
        return next((r for r in self.readers if getattr(r, "preview", None) is not None), None)

    def _build_card_reader(self) -> Reader | None:
        cfg = self.config.card_reader
        mapping = card_number_format(cfg.card_number_format)
        if cfg.kind == "rdm6300":
            return Rdm6300Reader(cfg.port, self._on_card, card_number=mapping,
                                 debounce=cfg.debounce_seconds,
                                 name=_card_reader_name(self.config), backoff=self._backoff())
        if cfg.kind == "evdev":
            return EvdevWedgeReader(cfg.device, self._on_card, suffix=self.config.wedge.suffix,
                                    kind="card_reader", name=_card_reader_name(self.config),
                                    backoff=self._backoff())
        if cfg.kind == "fake":
            link = self._new_link()
            self.fakes["card_reader"] = FakeRdm6300(link)
            return Rdm6300Reader(link.port, self._on_card, card_number=mapping,
                                 debounce=cfg.debounce_seconds,
                                 name=_card_reader_name(self.config), backoff=self._backoff())
        return None

    def _new_link(self) -> PtyLink:
        link = PtyLink()
        self._links.append(link)
        return link


def list_serial_ports() -> list[dict[str, str]]:
    """Serial ports present now (USB-CDC scanners, USB-UART adapters of RDM6300 readers)."""
    from serial.tools import list_ports

    ports = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        usb_id = f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None and port.pid is not None else ""
        ports.append({"device": port.device, "description": port.description or "", "usb_id": usb_id})
    return ports


def list_input_devices() -> list[dict[str, str]] | None:
    """Input devices present now, or None when python-evdev is not installed."""
    try:
        import evdev
    except ImportError:
        return None
    devices = []
    for path in sorted(evdev.list_devices()):
        try:
            device = evdev.InputDevice(path)
        except OSError as exc:
            devices.append({"device": path, "name": f"cannot open: {exc.strerror}"})
            continue
        try:
            devices.append({"device": path, "name": device.name})
        finally:
            device.close()
    return devices
