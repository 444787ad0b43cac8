"""Hostile input on the sync wire: the decoder's bounds, the per-client limits, and a
real `kiosk serve-sync` LAN server process attacked on loopback.

The LAN is not trusted (a patron's phone is on the library's Wi-Fi): every cap the hub
has, the counter has too, and the counter's own hello must keep answering within a
second while it is attacked.
"""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc

import pytest
import requests
from hostile_wire import (Watch, address, db_state, deep_json, gzip_bomb, post, send_raw,
                          start_server, unchanged_but_rejections, zeros)
from processes import free_port, ok, run, stop

from sync import auth, protocol, server
from sync.server import SyncServer
from sync.service import SyncService

MB = 1024 * 1024


# The decoder


def test_a_gzip_bomb_should_be_refused_after_inflating_just_past_the_cap():
    bomb = gzip_bomb()
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(protocol.TooLarge, match="sau khi giải nén"):
        protocol.decode(bomb, max_body=protocol.MAX_PUBLIC_BODY,
                        max_unzipped=protocol.MAX_PUBLIC_UNZIPPED)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 3 * protocol.MAX_PUBLIC_UNZIPPED
    assert seconds < 0.5


def test_a_gzip_bomb_should_never_hold_more_than_the_signed_cap_either():
    tracemalloc.start()
    with pytest.raises(protocol.TooLarge):
        protocol.decode(gzip_bomb(200 * MB))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 3.5 * protocol.MAX_UNZIPPED  # not the 200 MB, nor the objects they would make


@pytest.mark.parametrize("raw", [
    deep_json(100_000),
    b"[" * 1_000_000,
    b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    b'[{"a":[{"b":' * 20_000 + b"0" + b"}]}]" * 20_000,
    b'["\\\\",' + b"[" * 40 + b"]" * 40 + b"]",       # an escaped backslash does not hide them
])
def test_deep_json_should_be_a_bad_request_never_a_recursion_error(raw):
    with pytest.raises(protocol.BadRequest, match="JSON lồng quá sâu"):
        protocol.decode(gzip.compress(raw))


def test_brackets_inside_strings_should_not_count_as_nesting():
    data = {"title": "[" * 1000 + '"\\' + "{" * 1000, "notes": ['a \\" [[[[', "]]"]}
    assert protocol.decode(protocol.encode(data)) == data


def test_json_nested_to_the_limit_should_be_accepted():
    value = 0
    for i in range(protocol.MAX_DEPTH - 1):
        value = [value] if i % 2 else {"k": value}
    assert protocol.decode(protocol.encode({"x": value})) == {"x": value}


def test_a_real_batch_should_pass_the_checks_quickly():
    events = [{"uuid": f"{i:032x}", "origin": "a" * 16, "seq": i, "type": "record.version",
               "payload": {"fields": {"title": "Truyện Kiều", "authors": ["Nguyễn Du"],
                                      "subjects": [["Thơ", {"lang": "vi"}]]}}}
              for i in range(5000)]
    body = protocol.encode({"events": events, "status": {"conflicts": 0}})
    started = time.perf_counter()
    assert protocol.decode(body)["events"] == events
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("body, message", [
    (b"not gzip at all", "không phải gzip"),
    (gzip.compress(b'{"a":1}')[:-4], "cắt cụt"),
    (gzip.compress(b'{"a":1}') + b"junk", "không phải gzip"),
    (gzip.compress(b"1" * 100_000), "JSON"),            # an integer too long to convert
    (gzip.compress(b"\xff\xfe"), "UTF-8"),
    (gzip.compress(b"[1,2"), "JSON"),
])
def test_broken_bodies_should_be_bad_requests_that_say_why(body, message):
    with pytest.raises(protocol.BadRequest, match=message):
        protocol.decode(body)


def test_gzip_members_should_be_read_as_one_stream():
    assert protocol.decode(gzip.compress(b'{"a":[1,') + gzip.compress(b"2]}")) == {"a": [1, 2]}


def test_an_oversized_compressed_body_should_be_refused_before_inflating():
    with pytest.raises(protocol.TooLarge, match="16 MB"):
        protocol.decode(b"\0" * (protocol.MAX_BODY + 1))


# Per-client limits


class Ticks:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_enrolment_attempts_should_be_limited_per_client_and_forgiven_after_success():
    clock = Ticks()
    limits = protocol.ClientLimits(clock)
    assert [limits.wait(protocol.ENROL, "10.0.0.9") for _ in range(10)] == [0] * 10
    assert limits.wait(protocol.ENROL, "10.0.0.9") == 30
    assert limits.wait(protocol.ENROL, "10.0.0.8") == 0
    clock.now += 30
    assert limits.wait(protocol.ENROL, "10.0.0.9") == 0
    limits.settle(protocol.ENROL, "10.0.0.9", 200)
    assert [limits.wait(protocol.ENROL, "10.0.0.9") for _ in range(10)] == [0] * 10


def test_pairing_should_have_its_own_stricter_budget():
    limits = protocol.ClientLimits(Ticks())
    assert [limits.wait(protocol.PAIR, "10.0.0.9") for _ in range(6)] == [0] * 5 + [60]
    assert limits.wait(protocol.ENROL, "10.0.0.9") == 0


def test_only_failed_signatures_should_count_against_a_client():
    limits = protocol.ClientLimits(Ticks())
    for _ in range(50):
        assert limits.wait(protocol.PUSH, "10.0.0.9") == 0
        limits.settle(protocol.PUSH, "10.0.0.9", 200)
    for _ in range(10):
        limits.settle(protocol.PULL, "10.0.0.9", 401)
    assert limits.wait(protocol.SNAPSHOT, "10.0.0.9") == 6
    assert limits.wait(protocol.HELLO, "10.0.0.9") == 0


def test_an_in_process_caller_should_never_be_limited():
    limits = protocol.ClientLimits(Ticks())
    assert all(limits.wait(protocol.ENROL, "") == 0 for _ in range(100))


def test_the_service_should_answer_429_with_retry_after_in_vietnamese(lib):
    service = SyncService(lib)
    body = protocol.encode({"code": "0000"})
    answers = [service.handle("POST", protocol.ENROL, {}, body, client="10.0.0.9")
               for _ in range(11)]
    assert {a.status for a in answers[:10]} == {404}  # a node does not enrol
    assert answers[10].status == 429
    assert answers[10].headers["Retry-After"] == "30"
    assert protocol.decode(answers[10].body)["error"] == (
        "quá nhiều lần thử từ địa chỉ này: chờ 30 giây rồi thử lại")


def test_the_service_should_answer_413_for_an_enrolment_body_inflating_past_its_cap(lib):
    answer = SyncService(lib).handle("POST", protocol.ENROL, {}, gzip_bomb(), client="10.0.0.9")
    assert answer.status == 413
    assert protocol.decode(answer.body)["error"] == "yêu cầu quá lớn: tối đa 1 MB sau khi giải nén"


# The stdlib server's connection bounds (in process, so the deadlines can be short)


@pytest.fixture
def lan_server(lib):
    sync_server = SyncServer(SyncService(lib), "127.0.0.1", 0, max_connections=6,
                             max_per_client=3)
    sync_server.start()
    yield f"http://127.0.0.1:{sync_server.port}", sync_server
    sync_server.stop()


def _closed_within(sock: socket.socket, seconds: float) -> float:
    """Trickle a header byte every 0.2 s until the server hangs up; how long that took."""
    started = time.monotonic()
    sock.sendall(b"POST /sync/v1/push HTTP/1.1\r\nHost: x\r\n")
    while time.monotonic() - started < seconds:
        try:
            sock.sendall(b"X")
            time.sleep(0.2)
            sock.setblocking(False)
            if sock.recv(1) == b"":
                return time.monotonic() - started
        except BlockingIOError:
            pass
        except OSError:
            return time.monotonic() - started
        finally:
            sock.setblocking(True)
    raise AssertionError(f"still open after {seconds} s")


def test_a_slow_loris_should_be_cut_off_at_the_header_deadline(lan_server, monkeypatch):
    monkeypatch.setattr(server, "HEADER_SECONDS", 1.5)
    url, _ = lan_server
    with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as sock:
        assert 1.3 < _closed_within(sock, 6.0) < 3.0
    assert requests.get(url + protocol.HELLO, timeout=2).status_code == 200


def test_a_trickled_body_should_be_cut_off_at_the_body_deadline(lan_server, monkeypatch):
    monkeypatch.setattr(server, "BODY_GRACE_SECONDS", 1.0)
    url, _ = lan_server
    with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as sock:
        sock.sendall(b"POST /sync/v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        started = time.monotonic()
        closed = None
        while time.monotonic() - started < 5 and closed is None:
            try:
                sock.sendall(b"x")
            except OSError:
                closed = time.monotonic() - started
                break
            sock.settimeout(0.2)
            try:
                if sock.recv(1) == b"":
                    closed = time.monotonic() - started
            except TimeoutError:
                pass
    assert closed is not None and closed < 2.5


def test_one_client_should_not_hold_every_connection(lan_server):
    url, sync_server = lan_server
    port = sync_server.port
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    try:
        time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", port)) as extra:
            extra.settimeout(3)
            assert extra.recv(100).startswith(b"HTTP/1.1 503")
        other = send_raw(url, "GET", protocol.HELLO, [], source="127.0.0.2",
                         headers={"Content-Length": "0"})
        assert other.status == 200
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)
    assert requests.get(url + protocol.HELLO, timeout=2).status_code == 200


# A real `kiosk serve-sync` process


@pytest.fixture(scope="module")
def counter(tmp_path_factory):
    folder = tmp_path_factory.mktemp("counter")
    db = folder / "counter.db"
    ok(run("--db", str(db), "init", "--library", "TN-PHUTHO", "--name", "Thư viện xã Phú Thọ"))
    ok(run("--db", str(db), "patron", "add", "Trần Văn An", "--card", "C1"))
    port = free_port()
    proc = start_server(["kiosk", "--db", str(db), "serve-sync", "--no-advertise"], port,
                        folder / "serve-sync.log")
    try:
        yield f"http://127.0.0.1:{port}", db
    finally:
        stop(proc)


def _hello_kept_answering(watch: Watch) -> None:
    assert len(watch.times) >= 3
    assert set(watch.statuses) == {200}
    assert watch.worst < 1.0, watch.times


def _attack(seconds: float, once) -> list:
    replies, started, i = [], time.monotonic(), 0
    while time.monotonic() - started < seconds or not replies:
        replies.append(once(i))
        i += 1
    return replies


def test_the_lan_server_should_refuse_a_gzip_bomb_and_keep_answering(counter):
    url, db = counter
    before = db_state(db)
    bomb = gzip_bomb()
    with Watch(url + protocol.HELLO) as watch:
        replies = _attack(1.5, lambda i: post(url, protocol.PAIR, bomb,
                                              source=address(1, i // 5)))
    for reply in replies:
        assert reply.status == 413
        assert reply.error() == "yêu cầu quá lớn: tối đa 1 MB sau khi giải nén"
        assert reply.seconds < 1.0
    _hello_kept_answering(watch)
    unchanged_but_rejections(before, db_state(db), at_most=5)


def test_the_lan_server_should_refuse_a_300_mb_body_before_reading_it(counter):
    url, db = counter
    with Watch(url + protocol.HELLO) as watch:
        replies = _attack(1.5, lambda i: send_raw(
            url, "POST", protocol.PUSH, zeros(300 * MB), source=address(2, i),
            headers={"Content-Length": str(300 * MB)}))
    for reply in replies:
        assert reply.status == 413
        assert reply.error() == "yêu cầu quá lớn: tối đa 16 MB"
        assert reply.sent < 32 * MB
        assert reply.seconds < 2.0
    _hello_kept_answering(watch)


def test_the_lan_server_should_refuse_chunked_and_unsized_bodies(counter):
    url, _ = counter
    chunked = send_raw(url, "POST", protocol.PUSH, zeros(300 * MB), source=address(3, 0))
    assert chunked.status == 411
    assert chunked.sent < 32 * MB
    assert "Content-Length" in chunked.error()
    with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as sock:
        sock.sendall(b"POST /sync/v1/pull HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(100).startswith(b"HTTP/1.1 411")


def test_the_lan_server_should_answer_deep_json_with_a_clear_400(counter):
    url, _ = counter
    reply = post(url, protocol.PAIR, gzip.compress(deep_json(100_000)), source=address(4, 0))
    assert reply.status == 400
    assert reply.error() == f"JSON lồng quá sâu: tối đa {protocol.MAX_DEPTH} tầng"


def test_the_lan_server_should_throttle_a_pairing_flood_per_client(counter):
    url, db = counter
    before = db_state(db)
    wrong = protocol.encode({"code": "00000000", "public_key": "x", "name": "kẻ lạ"})
    with Watch(url + protocol.HELLO) as watch:
        flood = _attack(1.5, lambda i: post(url, protocol.PAIR, wrong, source=address(5, 0)))
    statuses = [r.status for r in flood]
    assert 429 not in statuses[:5] and set(statuses[5:]) == {429}
    assert all(400 <= s < 500 for s in statuses)
    assert flood[-1].error().startswith("quá nhiều lần thử từ địa chỉ này: chờ ")
    assert int(flood[-1].headers["retry-after"]) >= 1
    assert post(url, protocol.PAIR, wrong, source=address(5, 1)).status != 429
    _hello_kept_answering(watch)
    unchanged_but_rejections(before, db_state(db), at_most=6)  # refusals are logged, 429s not


def test_the_lan_server_should_throttle_bad_signatures(counter):
    url, _ = counter
    forged = {auth.DEVICE_HEADER: "ab" * 16, auth.SIGNATURE_HEADER: "00" * 32}
    body = protocol.encode({"vector": {}})
    replies = [post(url, protocol.PULL, body, source=address(6, 0), headers=forged)
               for _ in range(12)]
    assert [r.status for r in replies[:10]] == [401] * 10
    assert {r.status for r in replies[10:]} == {429}
