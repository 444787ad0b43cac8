"""The administration pages over real HTTP: a uvicorn server on loopback, real devices.

Devices are real node databases that enrol with a code issued on the admin page and
sync through ``sync.client`` against the live server, so the dashboard is checked
against what the libraries' own ``Stats`` say.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import time
from typing import Self

import httpx
import pytest
import uvicorn

from district import accounts
from district.app import create_app
from web_client import WebClient
from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.errors import LibraryError
from kiosk.core.node import init_library
from sync import auth, client, enrolment, identity, protocol
from sync.joining import found_library

NOW = "2026-11-20T09:00:00"
PASSWORD = "mat-khau-huyen-2026"
LIBRARIES = {
    "TN-PHUTHO": ("Thư viện xã Phú Thọ", "Phú Thọ"),
    "TN-PHUHIEP": ("Thư viện xã Phú Hiệp", "Phú Hiệp"),
    "TN-TRAMCHIM": ("Điểm đọc thị trấn Tràm Chim", "Tràm Chim"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The district app under uvicorn in a thread (lifespan included, as in production)."""

    def __init__(self, app):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                    log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def district_clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def district(tmp_path, district_clock):
    lib = open_library(tmp_path / "district.db", district_clock)
    init_library(lib, "TAMNONG", "Phòng Văn hóa và Thông tin huyện Tam Nông", kind="district")
    lib.store.set_meta("role", enrolment.DISTRICT_ROLE)
    accounts.ensure_schema(lib)
    for code, (name, commune) in LIBRARIES.items():
        lib.put("libraries", code, {"name": name, "kind": "commune", "commune": commune})
    accounts.create_user(lib, "admin", PASSWORD, accounts.ADMIN)
    accounts.create_user(lib, "thanhtra", PASSWORD, accounts.INSPECTOR)
    accounts.create_user(lib, "thuthu.phutho", PASSWORD, accounts.LIBRARIAN, "TN-PHUTHO")
    yield lib
    lib.store.close()


@pytest.fixture
def site(district):
    app = create_app(district.store.path, district)
    with LiveServer(app) as server:
        yield server


def login(site: LiveServer, username: str, password: str = PASSWORD) -> WebClient:
    http = WebClient(base_url=site.url)
    reply = http.post("/quan-tri/dang-nhap", data={"username": username, "password": password})
    assert reply.status_code == 303, reply.text
    return http


def scalar(site: LiveServer, sql: str, params=()):
    with site.server.config.app.state.district.db() as lib:
        return lib.store.scalar(sql, params)


def issue_code(http: httpx.Client, library: str) -> str:
    page = http.post("/quan-tri/thiet-bi/ma-dang-ky", data={"library": library})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    return re.search(r'id="enrolment-code">([0-9-]+)<', page.text).group(1)


def signed_pull(url: str, creds: dict) -> httpx.Response:
    body = protocol.encode({"vector": {}, "limit": 10})
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json",
               **auth.sign_headers(creds["device_key"], creds["device_id"], "POST",
                                   protocol.PULL, body)}
    return httpx.post(url + protocol.PULL, content=body, headers=headers, timeout=30)


def signed_push_status(url: str, creds: dict, status: dict) -> httpx.Response:
    body = protocol.encode({"events": [], "status": status})
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json",
               **auth.sign_headers(creds["device_key"], creds["device_id"], "POST",
                                   protocol.PUSH, body)}
    return httpx.post(url + protocol.PUSH, content=body, headers=headers, timeout=30)


def row_numbers(html: str, code: str) -> dict[str, str]:
    row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.DOTALL).group(1)
    return dict(re.findall(r'data-key="(\w+)">(.*?)</td>', row, re.DOTALL))


# Roles


def test_pages_need_a_login(site):
    reply = httpx.get(site.url + "/quan-tri", follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"] == "/quan-tri/dang-nhap"
    page = httpx.get(site.url + "/quan-tri/dang-nhap")
    assert "Đăng nhập quản trị" in page.text


def test_an_inspector_reads_everything_but_cannot_add_a_library(site):
    http = login(site, "thanhtra")
    assert http.get("/quan-tri").status_code == 200
    assert http.get("/quan-tri/nhat-ky").status_code == 200
    assert http.get("/quan-tri/thu-vien/moi").status_code == 403
    refused = http.post("/quan-tri/thu-vien", data={"code": "TN-ANLONG", "name": "Thư viện xã An Long",
                                                    "kind": "commune"})
    assert refused.status_code == 403 and "không có quyền" in refused.text
    assert scalar(site, "SELECT COUNT(*) FROM libraries WHERE code = 'TN-ANLONG'") == 0
    assert http.post("/quan-tri/thiet-bi/ma-dang-ky", data={"library": "TN-PHUTHO"}).status_code == 403
    listing = http.get("/quan-tri/thu-vien").text
    assert all(code in listing for code in LIBRARIES)


def test_a_librarian_sees_and_edits_only_its_own_library(site):
    http = login(site, "thuthu.phutho")
    home = http.get("/quan-tri").text
    assert 'data-code="TN-PHUTHO"' in home and 'data-code="TN-PHUHIEP"' not in home
    listing = http.get("/quan-tri/thu-vien").text
    assert "TN-PHUTHO" in listing and "TN-PHUHIEP" not in listing and "TN-TRAMCHIM" not in listing
    assert http.get("/quan-tri/thu-vien/TN-PHUHIEP").status_code == 403
    assert http.post("/quan-tri/thu-vien/TN-PHUHIEP", data={
        "name": "Đổi tên", "kind": "commune"}).status_code == 403
    assert http.get("/quan-tri/nhat-ky").status_code == 403
    saved = http.post("/quan-tri/thu-vien/TN-PHUTHO", data={
        "name": "Thư viện xã Phú Thọ", "kind": "commune", "commune": "Phú Thọ",
        "opening_hours": "Thứ 2–thứ 7, 7:30–11:00", "contact": "0277 3827 123"})
    assert saved.status_code == 303
    assert scalar(site, "SELECT opening_hours FROM libraries WHERE code = 'TN-PHUTHO'") == \
        "Thứ 2–thứ 7, 7:30–11:00"
    assert scalar(site, "SELECT name FROM libraries WHERE code = 'TN-PHUHIEP'") == \
        "Thư viện xã Phú Hiệp"
    assert scalar(site, "SELECT actor FROM district_audit WHERE action = 'library.edited'") == \
        "thuthu.phutho"


# Login and audit (throttling and sessions: test_web_security.py)


def test_a_wrong_password_says_so_in_vietnamese_and_is_audited(site):
    http = WebClient(base_url=site.url)
    reply = http.post("/quan-tri/dang-nhap", data={"username": "admin", "password": "sai-roi-123"})
    assert reply.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in reply.text
    assert http.get("/quan-tri", follow_redirects=False).status_code == 303
    admin = login(site, "admin")
    log = admin.get("/quan-tri/nhat-ky").text
    failed = re.search(r'<tr data-action="login.failed">(.*?)</tr>', log, re.DOTALL).group(1)
    assert "admin" in failed and "sai mật khẩu lần 1" in failed
    assert 'data-action="login"' in log
    assert "sai-roi-123" not in log
    assert scalar(site, "SELECT COUNT(*) FROM district_audit WHERE detail LIKE '%sai-roi%'") == 0


def test_logout_ends_the_session(site):
    http = login(site, "admin")
    assert http.post("/quan-tri/dang-xuat").status_code == 303
    assert http.get("/quan-tri", follow_redirects=False).status_code == 303
    assert scalar(site, "SELECT COUNT(*) FROM district_audit WHERE action = 'logout'") == 1


def test_passwords_are_stored_salted_and_slow(district):
    stored = district.store.scalar("SELECT password_hash FROM district_users WHERE username = 'admin'")
    other = district.store.scalar("SELECT password_hash FROM district_users WHERE username = 'thanhtra'")
    assert PASSWORD not in stored and stored.startswith(f"scrypt${accounts.N}$")
    assert stored != other
    assert accounts.verify_password(PASSWORD, stored)
    assert not accounts.verify_password(PASSWORD + "!", stored)


def test_create_user_refuses_bad_accounts(district):
    with pytest.raises(LibraryError, match="ít nhất"):
        accounts.create_user(district, "ngan", "1234567", accounts.ADMIN)
    with pytest.raises(LibraryError, match="thủ thư"):
        accounts.create_user(district, "thuthu2", PASSWORD, accounts.LIBRARIAN)
    with pytest.raises(LibraryError, match="chưa có thư viện"):
        accounts.create_user(district, "thuthu3", PASSWORD, accounts.LIBRARIAN, "TN-KHONGCO")
    with pytest.raises(LibraryError, match="đã có"):
        accounts.create_user(district, "Admin", PASSWORD, accounts.ADMIN)
    created = district.store.all("SELECT target FROM district_audit WHERE action = 'user.created'")
    assert [r["target"] for r in created] == ["admin", "thanhtra", "thuthu.phutho"]


# Libraries


def test_an_administrator_adds_a_library_with_coordinates(site):
    http = login(site, "admin")
    bad = http.post("/quan-tri/thu-vien", data={"code": "TN-ANLONG", "name": "Thư viện xã An Long",
                                                "kind": "commune", "lat": "10,81", "lon": ""})
    assert bad.status_code == 400 and "cả vĩ độ và kinh độ" in bad.text
    added = http.post("/quan-tri/thu-vien", data={
        "code": "TN-ANLONG", "name": "Thư viện xã An Long", "kind": "community",
        "commune": "An Long", "address": "Ấp 3, xã An Long", "lat": "10,8123", "lon": "105.4567",
        "opening_hours": "7:00–17:00", "contact": "0909 000 111"})
    assert added.status_code == 303
    with site.server.config.app.state.district.db() as lib:
        row = lib.store.one("SELECT * FROM libraries WHERE code = 'TN-ANLONG'")
    assert (row["lat"], row["lon"], row["kind"], row["contact"]) == \
        (10.8123, 105.4567, "community", "0909 000 111")
    listing = http.get("/quan-tri/thu-vien").text
    assert "10.81230, 105.45670" in listing and "Điểm đọc sách cộng đồng" in listing
    assert http.post("/quan-tri/thu-vien", data={
        "code": "TN-ANLONG", "name": "Trùng", "kind": "commune"}).status_code == 400
    assert scalar(site, "SELECT target FROM district_audit WHERE action = 'library.added'") == \
        "TN-ANLONG"


def test_the_library_columns_are_added_once_and_kept_through_the_fold(tmp_path):
    lib = open_library(tmp_path / "d.db", FixedClock(NOW))
    init_library(lib, "TAMNONG", "Huyện", kind="district")
    accounts.ensure_schema(lib)
    accounts.ensure_schema(lib)
    lib.put("libraries", "TN-X", {"name": "X", "lat": 10.7, "lon": 105.5, "contact": "01"})
    row = lib.store.one("SELECT lat, lon, contact FROM libraries WHERE code = 'TN-X'")
    assert tuple(row) == (10.7, 105.5, "01")


# Devices


def enrol_node(tmp_path, site, http, code: str, name: str, clock: FixedClock):
    node = open_library(tmp_path / f"{code}.db", clock)
    found_library(node, code, LIBRARIES[code][0], commune=LIBRARIES[code][1])
    device, public = identity.make_keys(node.store)
    creds = client.enrol(site.url, issue_code(http, code), name, device, public)
    enrolment.save_enrolment(node.store, site.url)
    return node, {**creds, "device_key": identity.private_key(node.store)}


def test_an_enrolled_device_is_listed_and_a_revoked_one_is_refused(tmp_path, site):
    http = login(site, "admin")
    node, creds = enrol_node(tmp_path, site, http, "TN-PHUTHO", "Máy mượn trả Phú Thọ",
                             FixedClock("2026-11-20T08:00:00"))
    assert client.PeerClient(node, site.url).round().ok
    devices = http.get("/quan-tri/thiet-bi").text
    assert "Máy mượn trả Phú Thọ" in devices and "2026-11-20 09:00" in devices
    assert re.search(rf'data-device="{creds["device_id"]}".*?<span class="tag good">Tốt',
                     devices, re.DOTALL)
    assert signed_pull(site.url, creds).status_code == 200

    assert http.post(f"/quan-tri/thiet-bi/{creds['device_id']}/thu-hoi").status_code == 303
    refused = signed_pull(site.url, creds)
    assert refused.status_code == 403 and "thu hồi" in refused.json()["error"]
    assert not client.PeerClient(node, site.url, retries=1).round().ok
    assert "Đã thu hồi" in http.get("/quan-tri/thiet-bi").text
    actions = [r for r, in _rows(site, "SELECT action FROM district_audit ORDER BY id")]
    assert "enrolment_code.issued" in actions and actions[-1] == "device.revoked"
    node.store.close()


def test_an_enrolment_code_is_shown_once_and_not_stored_in_clear(site):
    http = login(site, "admin")
    code = issue_code(http, "TN-PHUHIEP")
    assert scalar(site, "SELECT COUNT(*) FROM enrolment_codes WHERE code_hash = ?",
                  (auth.hash_code(code),)) == 1
    assert code not in http.get("/quan-tri/thiet-bi").text
    assert code not in http.get("/quan-tri/nhat-ky").text


def _rows(site, sql):
    with site.server.config.app.state.district.db() as lib:
        return [tuple(r) for r in lib.store.all(sql)]


# Dashboard


def test_the_dashboard_counts_equal_the_libraries_own_stats(tmp_path, site, district_clock):
    http = login(site, "admin")
    clock = FixedClock("2026-10-28T10:00:00")
    phutho, _ = enrol_node(tmp_path, site, http, "TN-PHUTHO", "Quầy Phú Thọ", clock)
    phuhiep, hiep_creds = enrol_node(tmp_path, site, http, "TN-PHUHIEP", "Kiosk Phú Hiệp", clock)
    cards = {}
    for node, prefix in ((phutho, "PT"), (phuhiep, "PH")):
        record = node.catalogue.add_record({"title": "Dế Mèn phiêu lưu ký", "authors": ["Tô Hoài"]})
        for n in range(1, 6):
            node.catalogue.add_item(record, f"{prefix}{n:06d}")
        cards[prefix] = [node.patrons.add(f"Bạn đọc {n}", "adult", pin="2468")["card_number"]
                         for n in range(3)]
        clock.set(dt.datetime.fromisoformat("2026-10-28T10:00:00"))
        node.circulation.checkout(cards[prefix][0], f"{prefix}000001")  # last month: not counted
        clock.set(dt.datetime.fromisoformat("2026-11-19T10:00:00"))
        node.circulation.checkout(cards[prefix][1], f"{prefix}000002")
        node.circulation.record_visit(cards[prefix][2])
        node.circulation.record_visit(None)
    phutho.circulation.checkout(cards["PT"][2], "PT000003")
    for node in (phutho, phuhiep):
        assert client.PeerClient(node, site.url).round().ok
    assert signed_push_status(site.url, hiep_creds, {"version": "1", "conflicts": 0,
                                                     "printer": {"paper": "out"}}).status_code == 200

    home = http.get("/quan-tri").text
    for node in (phutho, phuhiep):
        mine = node.stats.period("2026-11")
        shown = row_numbers(home, node.code)
        items = node.store.scalar("SELECT COUNT(*) FROM items WHERE library_id = ?", (node.code,))
        assert int(shown["items"]) == items == 5
        assert int(shown["loans"]) == mine["loans"]
        assert int(shown["visits"]) == mine["visits"] == 2
        assert int(shown["active_patrons"]) == mine["active_patrons"]
    assert int(row_numbers(home, "TN-PHUTHO")["loans"]) == 2
    assert int(row_numbers(home, "TN-PHUHIEP")["loans"]) == 1
    assert "1 tốt" in row_numbers(home, "TN-PHUTHO")["devices"]
    assert "1 có vấn đề" in row_numbers(home, "TN-PHUHIEP")["devices"]
    idle = row_numbers(home, "TN-TRAMCHIM")
    assert [idle[k] for k in ("items", "loans", "active_patrons", "visits")] == ["0"] * 4
    assert "chưa có" in idle["devices"]
    assert re.search(r'id="total-loans">3<', home)
    assert "máy in: out" in http.get("/quan-tri/thiet-bi").text

    assert "67%" in home and "2/3 thư viện" in home and "Đã đạt" in home
    http.post(f"/quan-tri/thiet-bi/{hiep_creds['device_id']}/thu-hoi")
    after = http.get("/quan-tri").text
    assert "33%" in after and "1/3 thư viện" in after and "Chưa đạt" in after

    district_clock.set(district_clock.now() + dt.timedelta(hours=25))
    assert http.get("/quan-tri", follow_redirects=False).status_code == 303  # sessions last 8 h
    late = login(site, "admin").get("/quan-tri").text
    assert "1 có vấn đề" in row_numbers(late, "TN-PHUTHO")["devices"]
    phutho.store.close()
    phuhiep.store.close()
