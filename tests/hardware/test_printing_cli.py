"""`kiosk print-test` against the fake printers: exit codes a technician can act on."""

import argparse
import io
import socket

import pytest

from hardware.barcode import decode
from hardware.printing import cli
from hardware.printing.fake import FakeNetworkPrinter
from hardware.printing.stream import raster_images


def run(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="kiosk")
    cli.add_arguments(parser.add_subparsers(dest="command", required=True), default_printer="fake:")
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    return args.func(args, out, err), out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("width", "dots"), [("58", 384), ("80", 576)])
def test_print_test_prints_the_page_on_a_network_printer_and_reports_ok(width, dots):
    with FakeNetworkPrinter() as fake:
        code, out, _ = run("print-test", "--printer", fake.uri, "--width", width)
        assert fake.model.wait_for_cuts(1, timeout=5.0)
        images = raster_images(fake.model.printed)
    assert code == cli.EXIT_OK
    assert "Máy in sẵn sàng" in out and "ok" in out
    assert [image.shape[1] for image in images] == [dots]
    assert [code.text for code in decode(images[0])] == [f"KIOSK-TEST-{dots}"]


def test_print_test_on_paper_out_exits_4_and_prints_nothing():
    with FakeNetworkPrinter() as fake:
        fake.model.set_paper("out")
        code, _, err = run("print-test", "--printer", fake.uri)
        assert fake.model.printed == b""
    assert code == cli.EXIT_PAPER_OUT
    assert "hết giấy" in err and "Load a new paper roll" in err


def test_print_test_with_nothing_listening_exits_3_with_a_network_hint():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = run("print-test", "--printer", f"tcp:127.0.0.1:{port}")
    assert code == cli.EXIT_OFFLINE
    assert "offline" in err and "9100" in err


def test_print_test_with_a_bad_uri_exits_2_and_explains_the_format():
    code, _, err = run("print-test", "--printer", "lp0")
    assert code == cli.EXIT_BAD_URI
    assert "tcp:HOST[:PORT]" in err


def test_print_test_to_a_file_says_the_status_cannot_be_read(tmp_path):
    target = tmp_path / "lp0"
    code, out, _ = run("print-test", "--printer", f"file:{target}")
    assert code == cli.EXIT_OK
    assert "unknown" in out and "check that the page came out" in out
    assert len(raster_images(target.read_bytes())) == 1


def test_print_test_defaults_to_the_configured_printer_and_rejects_other_widths():
    assert run("print-test")[0] == cli.EXIT_OK
    with pytest.raises(SystemExit):
        run("print-test", "--width", "76")
