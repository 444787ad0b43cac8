"""The hub's web accounts against an attacker: CSRF and Origin, sessions that really end,
cookies behind HTTPS, and a login throttle that slows guessing without locking anyone out.
(OPAC PIN guessing: test_opac_pins.py; the browser attack: test_csrf_browser.py.)"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re

import pytest
from test_admin import PASSWORD, district, district_clock, site  # noqa: F401 (fixtures)
from web_client import WebClient, WebTestClient, csrf_token

from district import accounts
from district.app import create_app
from district.web.guard import WebSettings
from district.web.throttle import Throttle

NEW_LIBRARY = {"code": "TN-ANLONG", "name": "Thư viện xã An Long", "kind": "commune"}


class Tick:
    """A monotonic clock a test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def tick() -> Tick:
    return Tick()


@pytest.fixture
def app(district, tick):  # noqa: F811
    return create_app(district.store.path, district, throttle=Throttle(clock=tick))


def client(app, address: str = "198.51.100.7", **kwargs) -> WebTestClient:
    return WebTestClient(app, client=(address, 40000), follow_redirects=False, **kwargs)


def log_in(http, username: str = "admin", password: str = PASSWORD):
    return http.post("/quan-tri/dang-nhap", data={"username": username, "password": password})


def error_of(page) -> str:
    return re.search(r'<p class="error" role="alert">(.*?)</p>', page.text, re.DOTALL).group(1)


def libraries_named_an_long(district) -> int:  # noqa: F811
    return district.store.scalar("SELECT COUNT(*) FROM libraries WHERE code = 'TN-ANLONG'")


# CSRF and Origin


def test_a_form_without_its_token_is_refused_and_changes_nothing(app, district):  # noqa: F811
    http = client(app)
    assert log_in(http).status_code == 303
    refused = http.post_without_token("/quan-tri/thu-vien", data=NEW_LIBRARY)
    assert refused.status_code == 403
    assert "biểu mẫu đã hết hạn hoặc không hợp lệ" in error_of(refused)
    assert "Không có gì bị thay đổi." in error_of(refused)
    assert libraries_named_an_long(district) == 0
    assert http.post("/quan-tri/thu-vien", data=NEW_LIBRARY).status_code == 303
    assert libraries_named_an_long(district) == 1


def test_another_sessions_token_does_not_open_this_one(app, district):  # noqa: F811
    attacker, admin = client(app, "203.0.113.9"), client(app)
    stolen_token = csrf_token(attacker)
    assert log_in(admin).status_code == 303
    refused = admin.post("/quan-tri/thu-vien", data={**NEW_LIBRARY, "csrf_token": stolen_token})
    assert refused.status_code == 403
    refused = admin.post("/quan-tri/thiet-bi/x/thu-hoi", data={"csrf_token": "doan-bua"})
    assert refused.status_code == 403
    assert libraries_named_an_long(district) == 0


def test_a_request_from_another_origin_is_refused_even_with_a_good_token(app, district):  # noqa: F811
    http = client(app)
    assert log_in(http).status_code == 303
    for headers in ({"Origin": "http://testserver:8081"}, {"Origin": "null"},
                    {"Referer": "http://127.0.0.1:9999/trang-qua-tang"}):
        refused = http.post("/quan-tri/thu-vien", data=NEW_LIBRARY, headers=headers)
        assert refused.status_code == 403, headers
        assert "gửi từ một trang web khác" in error_of(refused)
    assert libraries_named_an_long(district) == 0
    same = http.post("/quan-tri/thu-vien", data=NEW_LIBRARY,
                     headers={"Origin": "http://testserver", "Referer": "http://testserver/x"})
    assert same.status_code == 303 and libraries_named_an_long(district) == 1


def test_login_and_the_opac_form_need_the_token_too(app, district):  # noqa: F811
    http = client(app)
    refused = http.post_without_token("/quan-tri/dang-nhap",
                                      data={"username": "admin", "password": PASSWORD})
    assert refused.status_code == 403
    assert scalar_sessions(district) == 0
    refused = http.post_without_token("/sach/khong-co", data={
        "thu_vien": "TN-PHUTHO", "the": "PT-000001", "pin": "1234"})
    assert refused.status_code == 403


def scalar_sessions(district) -> int:  # noqa: F811
    return district.store.scalar("SELECT COUNT(*) FROM district_sessions")


def test_a_huge_form_is_refused_before_it_is_read(app):
    http = client(app)
    refused = http.post("/quan-tri/dang-nhap", data={"username": "x" * 300_000, "password": "y"})
    assert refused.status_code == 413


# Sessions


def test_logout_kills_the_cookie_on_the_server(app, district):  # noqa: F811
    http = client(app)
    before = http.get("/quan-tri/dang-nhap").cookies.get("district_session")
    assert log_in(http).status_code == 303
    cookie = http.cookies.get("district_session")
    assert cookie and cookie != before, "a login must start a new session token"
    stored = district.store.scalar("SELECT token_hash FROM district_sessions")
    assert stored == hashlib.sha256(cookie.encode()).hexdigest(), "only a hash is stored"

    thief = client(app, "203.0.113.9", cookies={"district_session": cookie})
    assert thief.get("/quan-tri").status_code == 200
    assert http.post("/quan-tri/dang-xuat").status_code == 303
    assert http.cookies.get("district_session") != cookie
    again = thief.get("/quan-tri")
    assert again.status_code == 303 and again.headers["location"] == "/quan-tri/dang-nhap"
    assert scalar_sessions(district) == 0
    assert http.get("/quan-tri").status_code == 303


def test_a_session_lasts_eight_hours(app, district, district_clock):  # noqa: F811
    http = client(app)
    log_in(http)
    district_clock.set(district_clock.now() + dt.timedelta(hours=7, minutes=59))
    assert http.get("/quan-tri").status_code == 200
    district_clock.set(district_clock.now() + dt.timedelta(minutes=2))
    assert http.get("/quan-tri").status_code == 303


# Cookies


def cookie_headers(reply) -> list[str]:
    return reply.headers.get_list("set-cookie")


def test_cookies_are_httponly_lax_and_secure_over_https(app):
    plain = cookie_headers(client(app).get("/"))
    assert plain and all("HttpOnly" in c and "SameSite=Lax" in c for c in plain)
    assert not any("Secure" in c for c in plain)
    https = client(app, base_url="https://thuvien.example")
    reply = https.get("/quan-tri/dang-nhap")
    assert all("Secure" in c and "HttpOnly" in c for c in cookie_headers(reply))
    assert log_in(https).status_code == 303
    session = next(c for c in cookie_headers(log_in(https)) if c.startswith("district_session="))
    assert "Secure" in session and "Max-Age=28800" in session


def test_x_forwarded_proto_counts_only_from_a_trusted_proxy(district):  # noqa: F811
    app = create_app(district.store.path, district,
                     settings=WebSettings(trusted_proxies=frozenset({"10.0.0.2"})))
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    proxy = client(app, "10.0.0.2", headers=https)
    assert all("Secure" in c for c in cookie_headers(proxy.get("/")))
    stranger = client(app, "10.0.0.3", headers=https)
    assert not any("Secure" in c for c in cookie_headers(stranger.get("/")))
    # Behind the proxy the hub's own origin is the https one the browser sees. (The jar
    # keeps Secure cookies from this plain-http test client: send the cookie by hand.)
    page = proxy.get("/quan-tri/dang-nhap")
    cookie = re.search(r"district_session=([^;]+)", page.headers["set-cookie"]).group(1)
    form = {"username": "admin", "password": PASSWORD,
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)}
    jar = {"Cookie": f"district_session={cookie}"}
    assert proxy.post_without_token("/quan-tri/dang-nhap", data=form, headers={
        **jar, "Origin": "http://testserver"}).status_code == 403
    logged = proxy.post_without_token("/quan-tri/dang-nhap", data=form, headers={
        **jar, "Origin": "https://testserver"})
    assert logged.status_code == 303
    assert "Secure" in logged.headers["set-cookie"]


def test_behind_https_is_declared_on_the_command_line_or_in_the_environment(monkeypatch):
    monkeypatch.delenv("DISTRICT_BEHIND_HTTPS", raising=False)
    assert WebSettings.load(False, None).trusted_proxies == frozenset()
    assert WebSettings.load(True, None).trusted_proxies == {"127.0.0.1", "::1"}
    assert WebSettings.load(True, ["10.1.1.1"]).trusted_proxies == {"10.1.1.1"}
    monkeypatch.setenv("DISTRICT_BEHIND_HTTPS", "1")
    monkeypatch.setenv("DISTRICT_TRUSTED_PROXIES", "10.2.2.2, 10.2.2.3")
    assert WebSettings.load(False, None).trusted_proxies == {"10.2.2.2", "10.2.2.3"}


# Login throttling


def test_an_attacker_hammering_the_admin_is_stopped_and_the_admin_still_logs_in(
        app, district):  # noqa: F811
    attacker = client(app, "203.0.113.9")
    answers = [log_in(attacker, "admin", f"doan-mat-khau-{n}") for n in range(40)]
    assert [a.status_code for a in answers[:10]] == [401] * 10
    assert {a.status_code for a in answers[10:]} == {429}
    assert "Bạn đã thử đăng nhập quá nhiều lần. Xin thử lại sau" in error_of(answers[-1])
    assert int(answers[-1].headers["retry-after"]) > 0
    assert log_in(attacker, "admin", PASSWORD).status_code == 429  # the right one too
    admin = client(app, "198.51.100.7")
    assert log_in(admin).status_code == 303
    assert admin.get("/quan-tri").status_code == 200
    assert district.store.scalar(
        "SELECT locked_until FROM district_users WHERE username = 'admin'") is None


def test_many_addresses_only_slow_strangers_never_the_admins_own_browser(
        app, district, tick):  # noqa: F811
    admin = client(app, "198.51.100.7")
    assert log_in(admin).status_code == 303  # this browser is now known for "admin"
    admin.post("/quan-tri/dang-xuat")
    for n in range(25):
        log_in(client(app, f"203.0.113.{n}"), "admin", "sai-mat-khau")
    stranger = client(app, "192.0.2.50")
    slowed = log_in(stranger, "admin", PASSWORD)
    assert slowed.status_code == 429
    assert "Tài khoản này đang bị thử mật khẩu nhiều lần" in error_of(slowed)
    assert log_in(admin).status_code == 303, "the admin's own browser is never slowed"
    tick.now += 60  # slowed, not locked: the bucket refills
    assert log_in(client(app, "192.0.2.51")).status_code == 303


def test_unlock_starts_the_accounts_throttle_afresh(app, district):  # noqa: F811
    for n in range(25):
        log_in(client(app, f"203.0.113.{n}"), "thanhtra", "sai-mat-khau")
    assert log_in(client(app, "192.0.2.50"), "thanhtra").status_code == 429
    accounts.unlock(district, "thanhtra", actor="admin")
    assert log_in(client(app, "192.0.2.50"), "thanhtra").status_code == 303
    assert district.store.scalar("SELECT actor FROM district_audit WHERE action = "
                                 "'user.unlocked' AND target = 'thanhtra'") == "admin"


def test_an_unknown_name_is_throttled_like_a_real_one(app):
    answers = [log_in(client(app, "203.0.113.9"), "khongco", "sai-mat-khau") for _ in range(11)]
    assert [a.status_code for a in answers] == [401] * 10 + [429]
    assert error_of(answers[0]) == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_the_password_check_runs_off_the_event_loop(app, monkeypatch):
    seen = []
    real = accounts.verify_password

    def spy(password, stored):
        try:
            asyncio.get_running_loop()
            seen.append("event loop")
        except RuntimeError:
            seen.append("worker thread")
        return real(password, stored)

    monkeypatch.setattr(accounts, "verify_password", spy)
    http = client(app)
    assert log_in(http, "admin", "sai-mat-khau").status_code == 401
    assert log_in(http, "khongco", "sai-mat-khau").status_code == 401
    assert log_in(http).status_code == 303
    assert seen == ["worker thread"] * 3


def test_a_real_server_answers_a_throttled_login_with_429(site):  # noqa: F811
    http = WebClient(base_url=site.url)
    codes = [http.post("/quan-tri/dang-nhap", data={"username": "admin", "password": "x" * 9}
                       ).status_code for _ in range(11)]
    assert codes == [401] * 10 + [429]
