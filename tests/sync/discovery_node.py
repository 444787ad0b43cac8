"""One node of the discovery test, run inside a network namespace as its own process.

``serve``: a library with a few records and a loan, a real sync server and its
advertisement, plus a decoy advertisement of another library; runs until stdin closes.
``fetch``: advertises itself, browses until it sees every advertisement, syncs with the
discovered peer and prints what it found and holds. ``probe``: starts both with no usable
network and reports whether they did. Every mode prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time

from kiosk.app import open_library
from kiosk.core.node import init_library
from kiosk.store.migrations import SCHEMA_VERSION
from sync.client import PeerClient
from sync.discovery import Advertiser, Browser
from sync.server import SyncServer
from sync.service import SyncService

OTHER_LIBRARY = "TN-KHAC"


def _library(path: str, device_id: str, code: str, key: str):
    lib = open_library(path)
    init_library(lib, code, "Thư viện xã Phú Thọ")
    lib.store.set_meta("device_id", device_id)
    lib.store.set_meta("library_key", key)
    return lib


def _records(lib) -> list[list[str]]:
    return [list(r) for r in lib.store.all("SELECT id, title FROM records ORDER BY id")]


def serve(path: str, device_id: str, code: str, key: str) -> None:
    lib = _library(path, device_id, code, key)
    for title in ("Truyện Kiều", "Số đỏ", "Dế Mèn phiêu lưu ký"):
        lib.catalogue.add_record({"title": title, "authors": ["Tác giả"]})
    record = lib.catalogue.add_record({"title": "Tắt đèn", "authors": ["Ngô Tất Tố"]})
    lib.catalogue.add_item(record, "PT1")
    lib.patrons.add("Trần Văn An", "adult", card_number="C1")
    lib.circulation.checkout("C1", "PT1")
    server = SyncServer(SyncService(lib), "0.0.0.0", 0)
    server.start()
    mine = Advertiser(server.port, device_id, code, SCHEMA_VERSION)
    decoy = Advertiser(server.port + 1, "decoy" + device_id, OTHER_LIBRARY, SCHEMA_VERSION)
    started = [mine.start(), decoy.start()]
    print(json.dumps({"port": server.port, "advertised": started, "records": _records(lib)}),
          flush=True)
    sys.stdin.read()
    mine.stop()
    decoy.stop()
    server.stop()


def fetch(path: str, device_id: str, code: str, key: str, address: str) -> None:
    lib = _library(path, device_id, code, key)
    me = Advertiser(9, device_id, code, SCHEMA_VERSION, interfaces=[address])
    browser = Browser(code, interfaces=[address], own_device_id=device_id)
    started = [me.start(), browser.start()]
    deadline = time.monotonic() + 30
    while len(browser.found()) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    found = [[p.url, p.library_id, p.device_id] for p in browser.found()]
    peers = browser.peers()
    result = PeerClient(lib, peers[0], retries=2).round() if peers else None
    browser.stop()
    me.stop()
    print(json.dumps({"started": started, "found": found, "peers": peers,
                      "ok": bool(result and result.ok), "errors": result.errors if result else [],
                      "pulled": result.pulled if result else 0, "records": _records(lib),
                      "loans": [list(r) for r in lib.store.all("SELECT item_id FROM loans")]}),
          flush=True)


def probe(device_id: str, code: str) -> None:
    advertiser = Advertiser(8080, device_id, code, SCHEMA_VERSION)
    browser = Browser(code, own_device_id=device_id)
    started = [advertiser.start(), browser.start()]
    time.sleep(1.0)
    peers = browser.peers()
    browser.stop()
    advertiser.stop()
    print(json.dumps({"started": started, "peers": peers}), flush=True)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    {"serve": serve, "fetch": fetch, "probe": probe}[mode](*args)
