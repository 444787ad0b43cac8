"""One writer, concurrent readers: pages, OAI and device pulls never wait for a write."""

from __future__ import annotations

import threading
import time

import httpx
from district_net import DE_MEN_ISBN

from sync import auth, enrolment, protocol


def signed_pull(served, device: str, private: str) -> httpx.Response:
    body = protocol.encode({"vector": {}, "limit": 50})
    headers = {**auth.sign_headers(private, device, "POST", protocol.PULL, body),
               "Content-Type": "application/json", "Content-Encoding": "gzip"}
    return httpx.post(served.url + protocol.PULL, content=body, headers=headers, timeout=10)


def test_reads_answer_while_the_writer_is_busy(served):
    hub = served.app.state.district
    private, public = auth.new_keypair()
    with hub.db() as library:
        device = enrolment.enrol_device(library, enrolment.issue_code(library, "TN-PHUTHO"),
                                        "kiosk", "test", public)["device_id"]
    held, release = threading.Event(), threading.Event()

    def long_write():  # as a big push does: the writer is held for seconds
        with hub.db():
            held.set()
            release.wait(10)

    writer = threading.Thread(target=long_write)
    writer.start()
    assert held.wait(5)
    try:
        timings = {}
        for path in ("/tim?q=de+men", f"/sach/i{DE_MEN_ISBN}", "/oai?verb=ListRecords&"
                     "metadataPrefix=oai_dc", "/du-lieu-mo/thu-vien.csv", "/api/tim?q=kieu"):
            started = time.monotonic()
            reply = httpx.get(served.url + path, timeout=10)
            timings[path] = time.monotonic() - started
            assert reply.status_code == 200, path
        assert max(timings.values()) < 1.0, timings
        started = time.monotonic()
        hello = httpx.get(served.url + protocol.HELLO, timeout=10)
        assert hello.status_code == 200 and time.monotonic() - started < 1.0
        started = time.monotonic()
        pulled = signed_pull(served, device, private)
        assert pulled.status_code == 200 and time.monotonic() - started < 1.0
        events = pulled.json()["events"]  # httpx has undone the gzip
        assert events and {e["library_id"] for e in events} <= {"TN-PHUTHO", "*"}
    finally:
        release.set()
        writer.join()


def last_seen(served, device: str) -> str:
    import sqlite3

    conn = sqlite3.connect(served.app.state.district.path)
    try:
        return conn.execute("SELECT last_seen FROM devices WHERE device_id = ?",
                            (device,)).fetchone()[0]
    finally:
        conn.close()


def test_a_pull_never_waits_for_the_writer_to_note_the_device_and_the_writer_writes_it(served):
    hub = served.app.state.district
    private, public = auth.new_keypair()
    with hub.db() as library:
        device = enrolment.enrol_device(library, enrolment.issue_code(library, "TN-PHUTHO"),
                                        "kiosk", "test", public)["device_id"]
    assert signed_pull(served, device, private).status_code == 200
    hub.catch_up()
    first = last_seen(served, device)
    assert first is not None
    hub.library.clock.advance(minutes=5)
    with hub.library.store.transaction():  # a push being applied holds SQLite's write lock
        started = time.monotonic()
        assert signed_pull(served, device, private).status_code == 200
        assert time.monotonic() - started < 1.0
    assert last_seen(served, device) == first
    hub.catch_up()  # the background round (or the next push) writes what pulls noted
    assert last_seen(served, device) > first
