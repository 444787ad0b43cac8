"""A district network for tests: real device nodes synced into a district, served over HTTP.

``build_network`` makes a district database holding three commune libraries' catalogues, copies
and patrons, each created on that library's own device node and replicated into the
district through the sync wire format (as ``sync/service.py`` does: a device pushes only
its partition, pulls its partition plus ``*``). ``place_in_communes`` puts the libraries in
their real post-2025 communes of the shipped Đồng Tháp list. ``serve`` runs the district web
app with uvicorn on a free loopback port, for tests that talk real HTTP or drive a browser.
The fixtures in ``conftest.py`` wrap them: the served hub is placed in its communes.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import uvicorn

from district import accounts, units
from district.app import create_app
from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.isbn import complete_isbn13
from kiosk.core.library import Library
from kiosk.core.node import init_library
from sync import enrolment, replica
from sync.validate import event_to_wire, events_from_wire

DISTRICT = "TAMNONG"
LIBRARIES = {
    "TN-PHUTHO": "Thư viện xã Phú Thọ",
    "TN-PHUTHANHA": "Thư viện xã Phú Thành A",
    "TN-TRAMCHIM": "Thư viện thị trấn Tràm Chim",
}
# Their communes since 1 July 2025, by the codes of the shipped list (district/data/): the
# former Phú Thành A merged into Xã Phú Thọ, the former town of Tràm Chim into Xã Tràm Chim.
COMMUNES = {"TN-PHUTHO": "30034", "TN-PHUTHANHA": "30034", "TN-TRAMCHIM": "30001"}
PIN = "1234"
CARDS = {"TN-PHUTHO": "PT-000001", "TN-PHUTHANHA": "PTA-000001", "TN-TRAMCHIM": "TC-000001"}
DE_MEN_ISBN = complete_isbn13("978604212345")


def _wire(events):
    return events_from_wire(json.loads(json.dumps([event_to_wire(e) for e in events])))


@dataclass
class Network:
    """The district and one device per library; ``sync`` replicates like a sync round."""

    district: Library
    devices: dict[str, Library]
    records: dict[str, str] = field(default_factory=dict)
    lock: object | None = None
    catch_up: object | None = None  # the served hub's own step after an applied push

    def push(self, code: str) -> int:
        """Everything the district lacks of the device's own partition."""
        device, applied = self.devices[code], 0
        while True:
            with self._locked():
                events, more = replica.events_since(
                    device.store, replica.vector(self.district.store), {code})
                applied += replica.apply_batch(self.district, _wire(events),
                                               allowed={code}).applied
                if self.catch_up is not None:
                    self.catch_up()
            if not more:
                return applied

    def pull(self, code: str) -> int:
        """Everything the device lacks of its partition and the district-wide one."""
        device, applied = self.devices[code], 0
        while True:
            with self._locked():
                events, more = replica.events_since(
                    self.district.store, replica.vector(device.store),
                    {code, replica.EVERYWHERE})
            applied += replica.apply_batch(device, _wire(events),
                                           allowed={code, replica.EVERYWHERE}).applied
            if not more:
                return applied

    def sync(self, *codes: str) -> None:
        for code in codes or tuple(self.devices):
            self.push(code)
            self.pull(code)

    def _locked(self):
        """The web app's lock when it is being served: sync shares it, as in production."""
        return self.lock if self.lock is not None else _NoLock()


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _seed(net: Network) -> None:
    """A small, realistic district: shared titles, editions, item types, a local document."""
    phutho, phuthanh, tramchim = (net.devices[c] for c in LIBRARIES)
    de_men = {"title": "Dế Mèn phiêu lưu ký", "authors": ["Tô Hoài"], "publisher": "Kim Đồng",
              "year": 2020, "isbn13": DE_MEN_ISBN, "subjects": ["Văn học thiếu nhi"],
              "ddc": "895.9223"}
    net.records["de_men@TN-PHUTHO"] = r = phutho.catalogue.add_record(de_men)
    phutho.catalogue.add_item(r, "PT000001", call_number="895.92 T450H")
    phutho.catalogue.add_item(r, "PT000002", call_number="895.92 T450H")
    net.records["de_men@TN-TRAMCHIM"] = r = tramchim.catalogue.add_record(de_men)
    tramchim.catalogue.add_item(r, "TC000001", call_number="VH T450H", item_type="children")

    kieu = {"title": "Truyện Kiều", "authors": ["Nguyễn Du"], "publisher": "Văn học",
            "year": 2015, "subjects": ["Văn học Việt Nam", "Thơ"]}
    net.records["kieu2015@TN-PHUTHO"] = r = phutho.catalogue.add_record(kieu)
    phutho.catalogue.add_item(r, "PT000003")
    net.records["kieu2015@TN-PHUTHANHA"] = r = phuthanh.catalogue.add_record(
        {**kieu, "title": "TRUYỆN KIỀU", "authors": ["Nguyễn Du", "Đào Duy Anh"]})
    phuthanh.catalogue.add_item(r, "PTA000001")
    net.records["kieu2019@TN-TRAMCHIM"] = r = tramchim.catalogue.add_record(
        {**kieu, "year": 2019})
    tramchim.catalogue.add_item(r, "TC000002")

    net.records["ca_tra@TN-PHUTHANHA"] = r = phuthanh.catalogue.add_record({
        "title": "Kỹ thuật nuôi cá tra", "authors": ["Trần Văn Thủy"], "year": 2018,
        "subjects": ["Thủy sản", "Nông nghiệp"]})
    phuthanh.catalogue.add_item(r, "PTA000002")
    phuthanh.catalogue.add_item(r, "PTA000003", item_type="periodical")

    net.records["dia_chi@TN-TRAMCHIM"] = r = tramchim.catalogue.add_record({
        "title": "Địa chí Đồng Tháp", "authors": ["Nhiều tác giả"], "year": 2005,
        "subjects": ["Đồng Tháp", "Địa chí"]})
    tramchim.catalogue.add_item(r, "TC000003", item_type="reference")

    for code, device in net.devices.items():
        device.patrons.add("Bạn đọc " + code, "adult", card_number=CARDS[code], pin=PIN)
    net.sync()


def build_network(folder, district_clock) -> Network:
    """A district DB with three libraries' data, made on their devices and synced in."""
    district = open_library(folder / "district.db", district_clock)
    init_library(district, DISTRICT, "Phòng Văn hóa và Thông tin huyện Tam Nông", kind="district")
    district.store.set_meta("role", enrolment.DISTRICT_ROLE)
    devices = {}
    for code, name in LIBRARIES.items():
        district.put("libraries", code, {"name": name, "kind": "commune", "commune": None})
        device = open_library(folder / f"{code}.db", FixedClock("2026-11-20T09:00:00"))
        init_library(device, code, name)
        devices[code] = device
    net = Network(district, devices)
    _seed(net)
    return net


def place_in_communes(net: Network) -> None:
    """Bring the hub to the post-2025 schema, import the shipped Đồng Tháp list and put each
    library in its real commune (``COMMUNES``), as an operator of the province would. The
    plain network stays a hub from before the reform (its upgrade is tested as such)."""
    hub = net.district
    accounts.ensure_schema(hub)
    units.import_builtin(hub, "dong-thap")
    for code, commune_code in COMMUNES.items():
        commune = units.commune(hub.store, commune_code)
        hub.put("libraries", code, {"commune": commune["name"], "commune_code": commune["code"]})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    url: str
    app: object
    network: Network


@contextmanager
def serve(network: Network, documents_dir) -> Iterator[Served]:
    """The district web app over real HTTP on loopback (uvicorn in a thread)."""
    app = create_app(network.district.store.path, network.district)
    app.state.documents_dir = documents_dir
    network.lock = app.state.district.lock
    network.catch_up = app.state.district._catch_up_locked
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the district web app did not start")
        time.sleep(0.02)
    try:
        yield Served(f"http://127.0.0.1:{port}", app, network)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        network.lock = None
        network.catch_up = None
