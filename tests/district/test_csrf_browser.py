"""Cross-site request forgery in a real headless Chromium: a page served on another
loopback port of the same host posts the admin's forms while the admin is logged in.

Ports do not separate cookies, and SameSite treats every port of 127.0.0.1 as the same
site, so the browser does send the admin's session cookie: only the hub's Origin check
and CSRF token stand between that page and the admin's powers.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait
from test_admin import PASSWORD, district, district_clock, scalar, site  # noqa: F401 (fixtures)
from test_admin_browser import browser, log_in  # noqa: F401 (fixture)

DEVICE = "dev-phutho-quay"


def attack_page(target: str, fields: dict[str, str]) -> bytes:
    inputs = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields.items())
    return (f'<!doctype html><html><body><h1>Quà tặng</h1><form id="f" method="post" '
            f'action="{target}">{inputs}</form><script>document.getElementById("f").submit()'
            f'</script></body></html>').encode()


@pytest.fixture
def attacker():
    """A site on another loopback port; ``pages`` maps a path to the HTML it serves."""
    pages: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


def refused_text(browser) -> str:
    error = WebDriverWait(browser, 10).until(
        seen.presence_of_element_located((By.CSS_SELECTOR, "p.error")))
    return error.text


def test_a_page_on_another_port_cannot_add_a_library_or_revoke_a_device(
        site, browser, attacker):  # noqa: F811
    with site.server.config.app.state.district.db() as lib:  # a device as enrolment leaves it
        lib.store.execute("INSERT INTO devices (device_id, library_id, name, key, enrolled_at) "
                          "VALUES (?, 'TN-PHUTHO', 'Quầy Phú Thọ', 'k', ?)", (DEVICE, lib.now_iso()))
    log_in(browser, site.url, "admin", PASSWORD)
    WebDriverWait(browser, 10).until(seen.url_to_be(site.url + "/quan-tri"))

    evil, pages = attacker
    pages["/add"] = attack_page(site.url + "/quan-tri/thu-vien", {
        "code": "TN-GIA", "name": "Thư viện giả", "kind": "commune", "csrf_token": "doan-bua"})
    pages["/revoke"] = attack_page(f"{site.url}/quan-tri/thiet-bi/{DEVICE}/thu-hoi",
                                   {})
    for path in ("/add", "/revoke"):
        browser.get(evil + path)
        assert "gửi từ một trang web khác" in refused_text(browser)
        assert browser.current_url.startswith(site.url)
        assert "Không có gì bị thay đổi." in browser.find_element(By.TAG_NAME, "main").text

    assert scalar(site, "SELECT COUNT(*) FROM libraries WHERE code = 'TN-GIA'") == 0
    assert scalar(site, "SELECT COUNT(*) FROM district_revoked_devices") == 0
    assert scalar(site, "SELECT COUNT(*) FROM district_audit WHERE action IN "
                        "('library.added', 'device.revoked')") == 0

    # The admin's own session was alive all along: the hub's own form still works.
    browser.get(site.url + "/quan-tri/thu-vien/moi")
    browser.find_element(By.ID, "code").send_keys("TN-ANLONG")
    browser.find_element(By.ID, "name").send_keys("Thư viện xã An Long")
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(seen.url_to_be(site.url + "/quan-tri/thu-vien"))
    assert "Thư viện xã An Long" in browser.find_element(By.TAG_NAME, "main").text
    assert scalar(site, "SELECT COUNT(*) FROM libraries WHERE code = 'TN-ANLONG'") == 1
