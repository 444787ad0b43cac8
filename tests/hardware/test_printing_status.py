"""Real-time status bytes (DLE EOT 1 and 4) and what the fake printers answer."""

import socket

import pytest

from hardware.printing.connection import PrinterIOError
from hardware.printing.fake import FakeConnection, FakeNetworkPrinter, FakePrinterModel
from hardware.printing.network import NetworkConnection
from hardware.printing.status import (
    QUERY_PAPER,
    QUERY_PRINTER,
    PrinterStatus,
    check_status,
    combine,
    parse_paper_status,
    parse_printer_status,
    query_status,
)

OK, LOW, OUT, OFFLINE, UNKNOWN = (
    PrinterStatus.OK,
    PrinterStatus.PAPER_LOW,
    PrinterStatus.PAPER_OUT,
    PrinterStatus.OFFLINE,
    PrinterStatus.UNKNOWN,
)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (b"\x12", OK),
        (b"\x16", OK),  # drawer kick pin high: not a printer fault
        (b"\x1a", OFFLINE),
        (b"\x3a", OFFLINE),  # offline and waiting for online recovery
        (b"\x52", OK),  # paper feed button pressed
        (b"", UNKNOWN),  # timeout: python-escpos 3.1 would call this fine
        (b"\x00", UNKNOWN),  # fixed bits missing: not a status byte
        (b"\xff", UNKNOWN),
        (b"\x13", UNKNOWN),
        (b"\x12\x12", UNKNOWN),
    ],
)
def test_printer_status_byte_is_parsed_by_its_bits(answer, expected):
    assert parse_printer_status(answer) is expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (b"\x12", OK),
        (b"\x1e", LOW),  # both near-end bits
        (b"\x16", LOW),  # one near-end bit is enough
        (b"\x72", OUT),  # both paper-end bits
        (b"\x7e", OUT),  # end and near end: out wins
        (b"\x32", OUT),
        (b"", UNKNOWN),
        (b"\x6c", UNKNOWN),  # end bits but fixed bit pattern broken
        (b"\x92", UNKNOWN),
    ],
)
def test_paper_status_byte_is_parsed_by_its_bits(answer, expected):
    assert parse_paper_status(answer) is expected


@pytest.mark.parametrize(
    ("printer", "paper", "expected"),
    [
        (OK, OK, OK),
        (OK, LOW, LOW),
        (OFFLINE, OUT, OUT),
        (OFFLINE, OK, OFFLINE),
        (OFFLINE, UNKNOWN, OFFLINE),
        (UNKNOWN, OK, UNKNOWN),
        (OK, UNKNOWN, UNKNOWN),
        (UNKNOWN, OUT, OUT),
    ],
)
def test_printer_and_paper_answers_combine_into_one_status(printer, paper, expected):
    assert combine(printer, paper) is expected


def test_every_status_has_a_vietnamese_and_an_english_message():
    codes = {status.code for status in PrinterStatus}
    assert codes == {"ok", "paper_out", "paper_low", "offline", "unknown"}
    for status in PrinterStatus:
        assert status.message_vi and status.message_en and status.message_vi != status.message_en
        assert PrinterStatus.from_code(status.code) is status
    assert OUT.blocks_printing and OFFLINE.blocks_printing
    assert not any(s.blocks_printing for s in (OK, LOW, UNKNOWN))


@pytest.mark.parametrize(("paper", "expected"), [("ok", OK), ("low", LOW), ("out", OUT)])
def test_network_fake_reports_its_paper_state_over_tcp(paper, expected):
    with FakeNetworkPrinter() as fake:
        fake.model.set_paper(paper)
        connection = NetworkConnection(fake.host, fake.port, connect_timeout=1.0)
        assert check_status(connection, timeout=1.0) is expected
        assert fake.model.received == QUERY_PRINTER + QUERY_PAPER
        assert fake.model.printed == b""


def test_printer_that_never_answers_is_unknown_not_ok():
    with FakeNetworkPrinter(FakePrinterModel(answers_status=False)) as fake:
        connection = NetworkConnection(fake.host, fake.port, connect_timeout=1.0)
        assert check_status(connection, timeout=0.2) is UNKNOWN


def test_nothing_listening_is_offline():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert check_status(NetworkConnection("127.0.0.1", port, connect_timeout=1.0)) is OFFLINE


def test_printer_going_offline_mid_session_is_offline_and_back_online_is_ok():
    with FakeNetworkPrinter() as fake:
        connection = NetworkConnection(fake.host, fake.port, connect_timeout=1.0)
        connection.open()
        try:
            fake.go_offline()
            assert query_status(connection, timeout=1.0) is OFFLINE
        finally:
            connection.close()
        assert check_status(connection, timeout=1.0) is OFFLINE
        fake.start()
        assert check_status(connection, timeout=1.0) is OK


def test_stale_bytes_in_the_input_are_not_taken_for_the_answer():
    connection = FakeConnection()
    connection.open()
    connection.model.set_paper("out")
    connection.write(QUERY_PAPER)
    connection.model.set_paper("ok")
    assert query_status(connection) is OK


def test_status_answers_inside_raster_data_are_not_invented_by_the_fake():
    model = FakePrinterModel()
    band = b"\x1dv0\x00\x01\x00\x02\x00" + b"\x10\x04"
    assert model.feed(band[:5]) == b""
    assert model.feed(band[5:]) == b""
    assert model.feed(b"\x10") == b""
    assert model.feed(b"\x04\x04") == b"\x12"
    assert model.printed == band


def test_reading_a_closed_connection_is_an_io_error_not_an_empty_answer():
    with FakeNetworkPrinter() as fake:
        connection = NetworkConnection(fake.host, fake.port, connect_timeout=1.0)
        connection.open()
        fake.go_offline()
        with pytest.raises(PrinterIOError):
            connection.read(1, timeout=1.0)
        connection.close()
