"""One node of the discovery test, run inside a network namespace as its own process.

``serve``: a library with a few records and a loan, a real sync server and its
advertisement, plus a decoy advertisement of another library; runs until stdin closes.
``fetch``: advertises itself, browses until it sees every advertisement, pairs with the
discovered peer using the code ``serve`` printed, syncs with it and prints what it found and holds. ``probe``: starts both with no usable
network and reports whether they did. Every mode prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time

from pathlib import Path

from kiosk.app import open_library
from kiosk.store.migrations import SCHEMA_VERSION
from sync import joining, pairing
from sync.client import PeerClient
from sync.discovery import Advertiser, Browser
from sync.joining import found_library
from sync.server import SyncServer
from sync.service import SyncService

OTHER_LIBRARY = "TN-KHAC"


def _library(path: str, code: str):
    lib = open_library(path)
    found_library(lib, code, "Thư viện xã Phú Thọ")
    return lib


def _records(lib) -> list[list[str]]:
    return [list(r) for r in lib.store.all("SELECT id, title FROM records ORDER BY id")]


def serve(path: str, device_id: str, code: str) -> None:
    lib = _library(path, code)
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
    pair_code, _ = pairing.issue_code(lib)
    print(json.dumps({"port": server.port, "advertised": started, "records": _records(lib),
                      "pair_code": pair_code}), flush=True)
    sys.stdin.read()
    mine.stop()
    decoy.stop()
    server.stop()


def fetch(path: str, device_id: str, code: str, pair_code: str, address: str) -> None:
    me = Advertiser(9, device_id, code, SCHEMA_VERSION, interfaces=[address])
    browser = Browser(code, interfaces=[address], own_device_id=device_id)
    started = [me.start(), browser.start()]
    deadline = time.monotonic() + 30
    while len(browser.found()) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    found = [[p.url, p.library_id, p.device_id] for p in browser.found()]
    peers = browser.peers()
    result = lib = None
    if peers:
        joining.pair(Path(path), peers[0], pair_code, device_name="kiosk")
        lib = open_library(path)
        result = PeerClient(lib, peers[0], retries=2).round()
    browser.stop()
    me.stop()
    print(json.dumps({"started": started, "found": found, "peers": peers,
                      "ok": bool(result and result.ok), "errors": result.errors if result else [],
                      "pulled": result.pulled if result else 0,
                      "records": _records(lib) if lib else [],
                      "loans": [list(r) for r in lib.store.all("SELECT item_id FROM loans")]
                      if lib else []}),
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
