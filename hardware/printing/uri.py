"""Printer URIs, the one configuration string that says where the receipt printer is.

    file:/dev/usb/lp0        a device node or plain file (status unknown)
    tcp:192.168.1.50[:9100]  raw TCP, port 9100 by default
    usb:0416:5011            USB vendor:product id in hex
    serial:/dev/ttyUSB0[:19200]  serial device, 9600 baud by default
    fake: | fake:paper_out | fake:paper_low | fake:offline | fake:silent   in-memory fake

`connection_from_uri` returns an unopened connection; the caller opens it explicitly.
"""

from __future__ import annotations

from .connection import Connection
from .fake import FakeConnection, FakePrinterModel
from .file import FileConnection
from .network import DEFAULT_PORT, NetworkConnection
from .serial import DEFAULT_BAUDRATE, SerialConnection
from .usb import UsbConnection

SCHEMES = ("file", "tcp", "usb", "serial", "fake")
FAKE_MODES = ("", "ok", "paper_low", "paper_out", "offline", "silent")


class PrinterUriError(ValueError):
    """A printer URI that cannot be understood; the message says what a valid one looks like."""

    def __init__(self, uri: str, reason: str) -> None:
        super().__init__(
            f"invalid printer URI {uri!r}: {reason}. Expected one of file:PATH, "
            "tcp:HOST[:PORT], usb:VID:PID (hex), serial:DEVICE[:BAUD], fake:"
        )
        self.uri = uri


def _port(uri: str, text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise PrinterUriError(uri, f"port {text!r} is not a number from 1 to 65535")
    return int(text)


def _hex16(uri: str, text: str, what: str) -> int:
    try:
        value = int(text, 16)
    except ValueError:
        raise PrinterUriError(uri, f"{what} {text!r} is not hexadecimal") from None
    if not 0 <= value <= 0xFFFF or len(text.removeprefix("0x")) > 4:
        raise PrinterUriError(uri, f"{what} {text!r} is not a 16-bit hex number")
    return value


def _tcp(uri: str, rest: str) -> NetworkConnection:
    rest = rest.removeprefix("//")
    if rest.startswith("["):
        host, bracket, tail = rest[1:].partition("]")
        if not bracket or (tail and not tail.startswith(":")):
            raise PrinterUriError(uri, "unbalanced brackets around an IPv6 address")
        port_text = tail[1:] if tail else ""
    else:
        host, _, port_text = rest.partition(":")
        if ":" in port_text:
            raise PrinterUriError(uri, "write IPv6 addresses in brackets, e.g. tcp:[::1]:9100")
    if not host:
        raise PrinterUriError(uri, "missing host")
    port = _port(uri, port_text) if port_text else DEFAULT_PORT
    return NetworkConnection(host, port)


def _usb(uri: str, rest: str) -> UsbConnection:
    parts = rest.split(":")
    if len(parts) != 2 or not all(parts):
        raise PrinterUriError(uri, "USB printers are written usb:VID:PID, e.g. usb:0416:5011")
    return UsbConnection(_hex16(uri, parts[0], "vendor id"), _hex16(uri, parts[1], "product id"))


def _serial(uri: str, rest: str) -> SerialConnection:
    device, sep, baud_text = rest.rpartition(":")
    if not sep:
        device, baud_text = rest, ""
    elif not baud_text.isdigit():
        raise PrinterUriError(uri, f"baud rate {baud_text!r} is not a number")
    if not device:
        raise PrinterUriError(uri, "missing serial device")
    baudrate = int(baud_text) if baud_text else DEFAULT_BAUDRATE
    if baudrate <= 0:
        raise PrinterUriError(uri, f"baud rate {baud_text!r} must be positive")
    return SerialConnection(device, baudrate)


def _fake(uri: str, rest: str) -> FakeConnection:
    if rest not in FAKE_MODES:
        raise PrinterUriError(uri, f"fake mode must be one of {', '.join(m for m in FAKE_MODES if m)}")
    model = FakePrinterModel(answers_status=rest != "silent")
    if rest in ("paper_low", "paper_out"):
        model.set_paper(rest.removeprefix("paper_"))
    return FakeConnection(model, reachable=rest != "offline")


def connection_from_uri(uri: str) -> Connection:
    """Build the (unopened) connection a printer URI names; PrinterUriError if it is malformed."""
    if not isinstance(uri, str) or not uri.strip():
        raise PrinterUriError(str(uri), "empty URI")
    uri = uri.strip()
    scheme, sep, rest = uri.partition(":")
    if not sep or scheme.lower() not in SCHEMES:
        raise PrinterUriError(uri, f"unknown scheme {scheme!r}")
    scheme = scheme.lower()
    if scheme == "file":
        path = rest.removeprefix("//")
        if not path:
            raise PrinterUriError(uri, "missing file path")
        return FileConnection(path)
    if scheme == "tcp":
        return _tcp(uri, rest)
    if scheme == "usb":
        return _usb(uri, rest)
    if scheme == "serial":
        return _serial(uri, rest)
    return _fake(uri, rest)
