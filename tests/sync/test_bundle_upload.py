"""The hub's admin page takes a library's USB-stick bundle: with the CSRF token only."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from district import accounts
from district.app import create_app
from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.node import init_library
from replication import transfer
from sync import enrolment, joining
from sync.bundle import export

PASSWORD = "mat-khau-huyen-2026"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def hub_and_stick(tmp_path):
    hub = open_library(tmp_path / "hub.db", FixedClock("2026-11-20T08:00:00"))
    init_library(hub, "TAMNONG", "Phòng Văn hóa huyện Tam Nông", kind="district")
    hub.store.set_meta("role", enrolment.DISTRICT_ROLE)
    accounts.ensure_schema(hub)
    accounts.create_user(hub, "quantri", PASSWORD, "admin")
    counter = open_library(tmp_path / "counter.db", FixedClock("2026-11-20T09:00:00"))
    joining.found_library(counter, "TN-PHUTHO", "Thư viện xã Phú Thọ", device_name="quầy")
    counter.store.set_meta("hub_public_key", enrolment.hub_keys(hub.store)[1])
    record = counter.catalogue.add_record({"title": "Đất rừng phương Nam"})
    counter.catalogue.add_item(record, "PT1")
    counter.patrons.add("Bạn đọc", "adult", card_number="C1")
    transfer(counter, hub)
    counter.circulation.checkout("C1", "PT1")       # at the reading point, no link
    bundle, _ = export(counter, tmp_path / "stick", peer="hub")
    return hub, bundle


def logged_in(client):
    token = TOKEN.search(client.get("/quan-tri/dang-nhap").text).group(1)
    done = client.post("/quan-tri/dang-nhap", data={"username": "quantri", "password": PASSWORD,
                                                    "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303


def test_an_admin_uploads_a_bundle_and_gets_the_reply(hub_and_stick, tmp_path):
    hub, bundle = hub_and_stick
    with TestClient(create_app(tmp_path / "hub.db", hub)) as client:
        logged_in(client)
        page = client.get("/quan-tri/goi-dong-bo")
        token = TOKEN.search(page.text).group(1)
        refused = client.post("/quan-tri/goi-dong-bo",
                              files={"file": (bundle.name, bundle.read_bytes())})
        assert refused.status_code == 403
        assert hub.store.scalar("SELECT COUNT(*) FROM loans") == 0
        done = client.post("/quan-tri/goi-dong-bo", data={"csrf_token": token},
                           files={"file": (bundle.name, bundle.read_bytes())})
        assert done.status_code == 200, done.text
        assert "Đã nhập gói từ" in done.text and "1 sự kiện mới" in done.text
        reply = re.search(r'href="(/quan-tri/goi-dong-bo/tra-loi/[^"]+)"', done.text).group(1)
        fetched = client.get(reply)
        assert fetched.status_code == 200 and fetched.content.startswith(b"\xfd7zXZ")
        damaged = client.post("/quan-tri/goi-dong-bo", data={"csrf_token": token},
                              files={"file": ("x.kbundle", bundle.read_bytes()[:-30])})
        assert damaged.status_code == 400 and "Không nhập được" in damaged.text
    assert hub.store.scalar("SELECT COUNT(*) FROM loans") == 1
