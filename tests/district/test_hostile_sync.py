"""A real hub process on loopback under hostile input: bombs, huge and deep bodies, floods.

Every attack must get a clear 4xx, change nothing in the database, and leave the OPAC
answering within a second, measured from a second thread while the attack runs. Each
test attacks from its own loopback addresses (127.N.x.y) so the per-client limits of
one test do not leak into the next.
"""

from __future__ import annotations

import gzip
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from hostile_wire import (Watch, address, db_state, deep_json, gzip_bomb, post, send_raw,
                          start_server, unchanged_but_rejections, zeros)
from processes import enrol_code, free_port, make_district, stop

from sync import auth, protocol

OPAC_SECONDS = 1.0
MB = 1024 * 1024


@dataclass
class Hub:
    url: str
    db: Path
    code: str


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub")
    db = folder / "district.db"
    make_district(db)
    code = enrol_code(db)  # an open code: no attack may use it up or change it
    port = free_port()
    proc = start_server(["district", "--db", str(db), "serve"], port, folder / "district.log")
    url = f"http://127.0.0.1:{port}"
    try:
        for page in ("/", "/tim?q=kieu"):  # the first visit builds the union catalogue
            assert requests.get(url + page, timeout=30).status_code == 200
        yield Hub(url, db, code)
    finally:
        stop(proc)


def attack(seconds: float, once) -> list:
    """Run ``once(i)`` again and again for at least ``seconds``; the replies."""
    replies, started, i = [], time.monotonic(), 0
    while time.monotonic() - started < seconds or not replies:
        replies.append(once(i))
        i += 1
    return replies


def opac_kept_answering(watch: Watch) -> None:
    assert len(watch.times) >= 3
    assert set(watch.statuses) == {200}
    assert watch.worst < OPAC_SECONDS, watch.times


def test_a_65_kb_gzip_bomb_on_enrolment_should_be_refused_after_one_megabyte(hub):
    bomb = gzip_bomb()
    assert len(bomb) < 70_000
    before = db_state(hub.db)
    with Watch(hub.url + "/") as watch:
        replies = attack(2.0, lambda i: post(hub.url, protocol.ENROL, bomb,
                                             source=address(1, i // 5)))
    for reply in replies:
        assert reply.status == 413
        assert "giải nén" in reply.error()
        assert reply.seconds < OPAC_SECONDS
    opac_kept_answering(watch)
    unchanged_but_rejections(before, db_state(hub.db))


def test_a_300_mb_push_should_get_413_before_the_hub_reads_it(hub):
    before = db_state(hub.db)
    with Watch(hub.url + "/") as watch:
        replies = attack(1.5, lambda i: send_raw(
            hub.url, "POST", protocol.PUSH, zeros(300 * MB), source=address(2, i),
            headers={"Content-Length": str(300 * MB), auth.DEVICE_HEADER: "ab" * 16}))
    for reply in replies:
        assert reply.status == 413
        assert reply.error() == "yêu cầu quá lớn: tối đa 16 MB"
        assert reply.sent < 32 * MB  # what the kernel's buffers took, not the 300 MB
        assert reply.seconds < OPAC_SECONDS
    opac_kept_answering(watch)
    unchanged_but_rejections(before, db_state(hub.db))


def test_a_chunked_body_should_be_cut_off_at_its_endpoints_cap(hub):
    before = db_state(hub.db)
    with Watch(hub.url + "/") as watch:
        pushes = attack(1.5, lambda i: send_raw(hub.url, "POST", protocol.PUSH, zeros(300 * MB),
                                                source=address(3, i)))
        enrols = attack(1.0, lambda i: send_raw(hub.url, "POST", protocol.ENROL, zeros(300 * MB),
                                                source=address(4, i // 5)))
    for push in pushes:
        assert push.status == 413
        assert 16 * MB <= push.sent < 48 * MB
    for enrol in enrols:
        assert enrol.status == 413
        assert protocol.MAX_PUBLIC_BODY <= enrol.sent < 32 * MB
        assert enrol.error() == "yêu cầu quá lớn: tối đa 256 KB"
    opac_kept_answering(watch)
    unchanged_but_rejections(before, db_state(hub.db))


@pytest.mark.parametrize("network, body", [
    (30, deep_json(100_000)),
    (31, b'{"code":' * 50_000 + b"1" + b"}" * 50_000),
    (32, b"[" * 100_000),
])
def test_deeply_nested_json_should_get_a_clear_400_not_a_500(hub, network, body):
    before = db_state(hub.db)
    with Watch(hub.url + "/tim?q=kieu") as watch:
        replies = attack(1.5, lambda i: post(hub.url, protocol.ENROL, gzip.compress(body),
                                             source=address(network, i // 5)))
    for reply in replies:
        assert reply.status == 400
        assert reply.error() == f"JSON lồng quá sâu: tối đa {protocol.MAX_DEPTH} tầng"
    opac_kept_answering(watch)
    unchanged_but_rejections(before, db_state(hub.db))


def test_an_enrolment_flood_should_get_429_with_retry_after_from_that_client_only(hub):
    before = db_state(hub.db)
    wrong = protocol.encode({"code": "0000-0000-0000-0000", "device_name": "kẻ lạ"})
    with Watch(hub.url + "/") as watch:
        flood = attack(1.5, lambda i: post(hub.url, protocol.ENROL, wrong, source=address(40, 0)))
        other = post(hub.url, protocol.ENROL, wrong, source=address(40, 1))
    statuses = [r.status for r in flood]
    assert len(statuses) > 40
    assert statuses[:10] == [403] * 10
    assert set(statuses[10:]) == {429}
    assert int(flood[-1].headers["retry-after"]) >= 1
    assert flood[-1].error().startswith("quá nhiều lần thử từ địa chỉ này: chờ ")
    assert other.status == 403  # another client is not slowed by this one
    opac_kept_answering(watch)
    unchanged_but_rejections(before, db_state(hub.db), at_most=11)  # refusals are logged, 429s not


def test_bad_signatures_should_be_throttled_per_client(hub):
    before = db_state(hub.db)
    forged = {auth.DEVICE_HEADER: "ab" * 16, auth.SIGNATURE_HEADER: "00" * 32}
    body = protocol.encode({"vector": {}})
    replies = [post(hub.url, protocol.PULL, body, source=address(50, 0), headers=forged)
               for _ in range(15)]
    assert [r.status for r in replies[:10]] == [401] * 10
    assert {r.status for r in replies[10:]} == {429}
    assert "retry-after" in replies[-1].headers
    unchanged_but_rejections(before, db_state(hub.db), at_most=10)


def test_a_form_body_over_one_megabyte_should_get_413_before_any_page_reads_it(hub):
    before = db_state(hub.db)
    form = {"Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "identity"}
    with Watch(hub.url + "/") as watch:
        declared = attack(1.0, lambda i: send_raw(
            hub.url, "POST", "/quan-tri/dang-nhap", zeros(300 * MB), source=address(6, i),
            headers={**form, "Content-Length": str(300 * MB)}))
        chunked = attack(1.0, lambda i: send_raw(
            hub.url, "POST", "/quan-tri/dang-nhap", zeros(300 * MB), source=address(7, i),
            headers=form))
    for reply in declared + chunked:
        assert reply.status == 413
        assert reply.sent < 32 * MB
        assert reply.error() == "Yêu cầu quá lớn: tối đa 1 MB. Không có gì bị thay đổi."
    opac_kept_answering(watch)
    unchanged_but_rejections(before, db_state(hub.db))
