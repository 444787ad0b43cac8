"""Connections move exact bytes; URIs name them; bad URIs say what is wrong."""

import os
import select
import threading

import pytest
from PIL import Image

from hardware.printing.commands import slip_job
from hardware.printing.connection import Connection, PrinterIOError, PrinterUnavailable
from hardware.printing.fake import FakeConnection, FakePrinterModel
from hardware.printing.file import FileConnection
from hardware.printing.network import NetworkConnection
from hardware.printing.serial import SerialConnection
from hardware.printing.status import PrinterStatus, check_status
from hardware.printing.usb import UsbConnection
from hardware.printing.uri import PrinterUriError, connection_from_uri


def test_file_connection_appends_exactly_the_bytes_written(tmp_path):
    target = tmp_path / "lp0"
    job = slip_job(Image.new("1", (384, 300), 0))
    connection = FileConnection(target)
    connection.open()
    connection.write(job)
    connection.write(b"\x00\x10\x04\x01")
    connection.close()
    connection.close()
    assert target.read_bytes() == job + b"\x00\x10\x04\x01"
    assert check_status(connection) is PrinterStatus.UNKNOWN


def test_file_connection_fails_to_open_a_missing_device_and_refuses_writes_when_closed(tmp_path):
    with pytest.raises(PrinterUnavailable, match="file:"):
        FileConnection(tmp_path / "no" / "lp0").open()
    with pytest.raises(PrinterIOError):
        FileConnection(tmp_path / "lp0").write(b"x")


@pytest.mark.parametrize(
    ("uri", "cls", "attrs"),
    [
        ("file:/dev/usb/lp0", FileConnection, {"path": "/dev/usb/lp0"}),
        ("file:///tmp/slip.bin", FileConnection, {"path": "/tmp/slip.bin"}),
        ("tcp:192.168.1.50", NetworkConnection, {"host": "192.168.1.50", "port": 9100}),
        ("tcp:printer.local:9101", NetworkConnection, {"host": "printer.local", "port": 9101}),
        ("TCP://10.0.0.2:9100", NetworkConnection, {"host": "10.0.0.2", "port": 9100}),
        ("tcp:[fe80::1]:9100", NetworkConnection, {"host": "fe80::1", "port": 9100}),
        ("usb:0416:5011", UsbConnection, {"vendor_id": 0x0416, "product_id": 0x5011}),
        ("usb:04b8:0E15", UsbConnection, {"vendor_id": 0x04B8, "product_id": 0x0E15}),
        ("serial:/dev/ttyUSB0", SerialConnection, {"device": "/dev/ttyUSB0", "baudrate": 9600}),
        ("serial:/dev/ttyS0:19200", SerialConnection, {"device": "/dev/ttyS0", "baudrate": 19200}),
        ("fake:", FakeConnection, {"reachable": True}),
        ("fake:offline", FakeConnection, {"reachable": False}),
    ],
)
def test_uri_names_its_connection(uri, cls, attrs):
    connection = connection_from_uri(uri)
    assert type(connection) is cls
    assert isinstance(connection, Connection)
    for name, value in attrs.items():
        assert getattr(connection, name) == value


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("/dev/usb/lp0", "unknown scheme"),
        ("http://printer", "unknown scheme"),
        ("file:", "missing file path"),
        ("tcp:", "missing host"),
        ("tcp::9100", "missing host"),
        ("tcp:host:0", "port"),
        ("tcp:host:65536", "port"),
        ("tcp:host:abc", "port"),
        ("tcp:fe80::1", "brackets"),
        ("tcp:[fe80::1", "brackets"),
        ("usb:0416", "usb:VID:PID"),
        ("usb:0416:5011:1", "usb:VID:PID"),
        ("usb:xyz:5011", "hexadecimal"),
        ("usb:10000:5011", "16-bit"),
        ("serial:", "missing serial device"),
        ("serial:/dev/ttyUSB0:fast", "baud"),
        ("serial:/dev/ttyUSB0:0", "baud"),
        ("fake:jammed", "fake mode"),
    ],
)
def test_bad_uri_raises_a_clear_error(uri, reason):
    with pytest.raises(PrinterUriError, match=reason) as caught:
        connection_from_uri(uri)
    assert "tcp:HOST[:PORT]" in str(caught.value)


@pytest.mark.parametrize(
    ("uri", "status"),
    [
        ("fake:", PrinterStatus.OK),
        ("fake:paper_low", PrinterStatus.PAPER_LOW),
        ("fake:paper_out", PrinterStatus.PAPER_OUT),
        ("fake:offline", PrinterStatus.OFFLINE),
        ("fake:silent", PrinterStatus.UNKNOWN),
    ],
)
def test_fake_uri_modes_simulate_printer_states(uri, status):
    assert check_status(connection_from_uri(uri)) is status


def test_usb_connection_refuses_an_infinite_timeout():
    with pytest.raises(ValueError, match="forever"):
        UsbConnection(0x0416, 0x5011, timeout_ms=0)


def test_usb_printer_that_is_not_plugged_in_is_unavailable():
    connection = UsbConnection(0xFFFE, 0xFFFE, timeout_ms=500)
    with pytest.raises(PrinterUnavailable, match="usb:fffe:fffe"):
        connection.open()
    with pytest.raises(PrinterIOError):
        connection.write(b"x")
    assert check_status(connection) is PrinterStatus.OFFLINE


def test_network_connection_rejects_zero_timeouts_that_would_block_forever():
    with pytest.raises(ValueError):
        NetworkConnection("127.0.0.1", 9100, connect_timeout=0)
    with pytest.raises(ValueError):
        NetworkConnection("127.0.0.1", 9100, send_timeout=0)


class PtyPrinter:
    """A FakePrinterModel on the far side of a pseudo-terminal, standing in for a serial line."""

    def __init__(self, model: FakePrinterModel) -> None:
        self.model = model
        self.master, self.slave = os.openpty()
        self.device = os.ttyname(self.slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                answer = self.model.feed(os.read(self.master, 4096))
                if answer:
                    os.write(self.master, answer)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2.0)
        os.close(self.master)
        os.close(self.slave)


@pytest.mark.parametrize(("paper", "expected"), [("ok", PrinterStatus.OK), ("out", PrinterStatus.PAPER_OUT)])
def test_serial_printer_answers_status_and_receives_exact_bytes(paper, expected):
    model = FakePrinterModel()
    model.set_paper(paper)
    line = PtyPrinter(model)
    try:
        connection = SerialConnection(line.device, 115200, write_timeout=2.0)
        assert check_status(connection, timeout=1.0) is expected
        job = slip_job(Image.new("1", (384, 40), 1))
        already = len(model.received)
        connection.open()
        try:
            connection.write(job)
        finally:
            connection.close()
        assert model.wait_for_received(already + len(job), timeout=3.0)
        assert model.received[already:] == job
        assert model.cuts == (1 if paper == "ok" else 0)
    finally:
        line.close()


def test_serial_device_that_does_not_exist_is_unavailable(tmp_path):
    with pytest.raises(PrinterUnavailable, match="serial:"):
        SerialConnection(str(tmp_path / "ttyUSB9")).open()
