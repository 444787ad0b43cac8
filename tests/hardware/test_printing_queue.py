"""The print queue: submitting never waits for the printer; jobs survive faults and restarts."""

import datetime as dt
import socket
import sqlite3
import time

import pytest

from hardware.printing.fake import FakeNetworkPrinter
from hardware.printing.network import NetworkConnection
from hardware.printing.printer import ReceiptPrinter
from hardware.printing.queue import PrintQueue
from hardware.printing.slips import LoanSlip, MaskedPatron, ReturnSlip, SlipItem
from hardware.printing.status import PrinterStatus
from hardware.printing.stream import raster_images

FULL_CARD = "0123456789012"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def slip(transaction_id: str = "L-1") -> LoanSlip:
    return LoanSlip(
        "Thư viện xã Tân Phú",
        MaskedPatron.from_card(FULL_CARD, "Trần Văn Minh"),
        (SlipItem("Số đỏ", "30000789", dt.date(2026, 12, 7)),),
        transaction_id,
        dt.datetime(2026, 11, 23, 9, 30),
    )


def eventually(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def tcp_printer(port: int) -> ReceiptPrinter:
    return ReceiptPrinter(
        lambda: NetworkConnection("127.0.0.1", port, connect_timeout=0.5, send_timeout=2.0),
        58,
        status_timeout=0.5,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_submit_returns_at_once_when_nothing_listens_and_the_job_stays_queued(tmp_path):
    clock = Clock()
    queue = PrintQueue(tmp_path / "print.sqlite", tcp_printer(free_port()), clock=clock)

    started = time.monotonic()
    job_id = queue.submit(slip())
    assert time.monotonic() - started < 0.5

    assert queue.retry_pending() == 0
    job = queue.job(job_id)
    assert (job.state, job.attempts) == ("pending", 1)
    assert "offline" in job.last_error.lower()
    assert queue.last_status is PrinterStatus.OFFLINE
    assert job.next_attempt_at == clock.now + queue.base_delay


def test_paper_out_keeps_the_job_pending_until_the_fake_recovers(tmp_path):
    with FakeNetworkPrinter() as fake:
        fake.model.set_paper("out")
        clock = Clock()
        queue = PrintQueue(tmp_path / "print.sqlite", tcp_printer(fake.port), clock=clock)
        job_id = queue.submit(slip("L-42"))

        assert queue.retry_pending() == 0
        assert queue.last_status is PrinterStatus.PAPER_OUT
        assert queue.job(job_id).state == "pending"
        assert fake.model.printed == b""

        fake.model.set_paper("ok")
        assert queue.retry_pending() == 0, "back-off holds the retry until it is due"
        clock.now += queue.base_delay
        assert queue.retry_pending() == 1
        assert fake.model.wait_for_cuts(1, timeout=5.0)

        job = queue.job(job_id)
        assert (job.state, job.attempts, job.last_error) == ("printed", 2, None)
        assert job.printed_at == clock.now
        assert len(raster_images(fake.model.printed)) == 1


def test_worker_prints_queued_slips_in_order_once_the_printer_comes_back(tmp_path):
    fake = FakeNetworkPrinter(port=free_port())
    queue = PrintQueue(tmp_path / "print.sqlite", tcp_printer(fake.port), base_delay=0.05, max_delay=0.1)
    queue.start()
    try:
        ids = [queue.submit(slip(f"L-{n}")) for n in range(3)]
        assert eventually(lambda: queue.job(ids[0]).attempts > 0)
        assert [queue.job(i).state for i in ids] == ["pending"] * 3
        fake.start()
        assert fake.model.wait_for_cuts(3, timeout=5.0)
        assert eventually(lambda: not queue.jobs("pending"))
        assert [queue.job(i).state for i in ids] == ["printed"] * 3
    finally:
        queue.stop()
        fake.stop()
    expected = [raster_images(queue.printer.job_bytes(slip(f"L-{n}")))[0] for n in range(3)]
    printed = raster_images(fake.model.printed)
    assert len(printed) == 3
    assert all((a == b).all() for a, b in zip(printed, expected))


def test_retry_pending_still_prints_after_the_worker_was_stopped(tmp_path):
    with FakeNetworkPrinter() as fake:
        queue = PrintQueue(tmp_path / "print.sqlite", tcp_printer(fake.port))
        queue.start()
        queue.stop()
        job_id = queue.submit(slip())
        assert queue.retry_pending() == 1
        assert queue.job(job_id).state == "printed"


def test_printed_job_can_be_reprinted_by_id(tmp_path):
    with FakeNetworkPrinter() as fake:
        queue = PrintQueue(tmp_path / "print.sqlite", tcp_printer(fake.port))
        first = queue.submit(slip())
        with pytest.raises(ValueError):
            queue.reprint(first)
        assert queue.retry_pending() == 1
        again = queue.reprint(first)
        assert queue.job(again).reprint_of == first
        assert queue.retry_pending() == 1
        assert fake.model.wait_for_cuts(2, timeout=5.0)
        images = raster_images(fake.model.printed)
    assert len(images) == 2 and (images[0] == images[1]).all()
    with pytest.raises(KeyError):
        queue.reprint(999)


def test_queue_survives_a_restart_and_stores_no_full_card_number(tmp_path):
    path = tmp_path / "print.sqlite"
    port = free_port()
    first = PrintQueue(path, tcp_printer(port))
    loan_id = first.submit(slip())
    return_id = first.submit(
        ReturnSlip(
            "Thư viện xã Tân Phú",
            MaskedPatron.from_card(FULL_CARD, "Trần Văn Minh"),
            (SlipItem("Số đỏ", "30000789", hold_for="L.T. Hoa"),),
            "R-7",
            dt.datetime(2026, 11, 23, 9, 31),
        )
    )
    raw_id = first.submit_bytes(b"\x1b@raw")

    with FakeNetworkPrinter(port=port) as fake:
        reopened = PrintQueue(path, tcp_printer(port))
        assert [job.id for job in reopened.jobs("pending")] == [loan_id, return_id, raw_id]
        assert reopened.retry_pending() == 3
        assert eventually(lambda: fake.model.printed.endswith(b"\x1b@raw"))
    assert fake.model.cuts == 2
    assert FULL_CARD.encode() not in path.read_bytes()
    with sqlite3.connect(path) as db:
        payloads = " ".join(row[0] for row in db.execute("SELECT payload FROM print_jobs WHERE payload IS NOT NULL"))
    assert "****9012" in payloads and FULL_CARD not in payloads


def test_unrenderable_job_fails_permanently_and_does_not_block_the_next(tmp_path):
    with FakeNetworkPrinter() as fake:
        queue = PrintQueue(tmp_path / "print.sqlite", tcp_printer(fake.port))
        bad = queue.submit(slip())
        with sqlite3.connect(queue.path) as db:
            db.execute("UPDATE print_jobs SET payload = '{\"nonsense\": 1}' WHERE id = ?", (bad,))
        good = queue.submit(slip("L-2"))
        assert queue.retry_pending() == 1
        assert queue.job(bad).state == "failed"
        assert "cannot render" in queue.job(bad).last_error
        assert queue.job(good).state == "printed"


def test_back_off_doubles_up_to_the_cap_and_max_attempts_gives_up(tmp_path):
    clock = Clock()
    queue = PrintQueue(
        tmp_path / "print.sqlite", tcp_printer(free_port()), clock=clock,
        base_delay=2.0, max_delay=10.0, max_attempts=3,
    )
    assert [queue.delay(n) for n in (1, 2, 3, 4, 5)] == [2.0, 4.0, 8.0, 10.0, 10.0]
    job_id = queue.submit(slip())
    other = queue.submit(slip("L-2"))
    for attempt in (1, 2):
        assert queue.retry_pending(force=True) == 0
        assert queue.job(job_id).attempts == attempt
        assert queue.job(other).attempts == 0
        assert queue.job(other).next_attempt_at == clock.now + queue.delay(attempt)
    queue.retry_pending(force=True)
    assert (queue.job(job_id).state, queue.job(job_id).attempts) == ("failed", 3)
    assert queue.job(other).state == "pending"


def test_queue_refuses_a_database_from_newer_code(tmp_path):
    path = tmp_path / "print.sqlite"
    PrintQueue(path, tcp_printer(free_port()))
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(RuntimeError, match="newer"):
        PrintQueue(path, tcp_printer(free_port()))


def test_submit_bytes_rejects_empty_jobs(tmp_path):
    queue = PrintQueue(tmp_path / "print.sqlite", tcp_printer(free_port()))
    with pytest.raises(ValueError):
        queue.submit_bytes(b"")
    assert queue.jobs() == []
