"""The login flow in a real headless Chromium at 1280x800, against the live server."""

from __future__ import annotations

import os
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait
from test_admin import PASSWORD, district, district_clock, enrol_node, login, site  # noqa: F401 (fixtures)

from kiosk.core.clock import FixedClock
from sync import client


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=vi",
                 "--window-size=1280,800", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_window_size(1280, 800)
    yield driver
    driver.quit()


def log_in(browser, url: str, username: str, password: str) -> None:
    browser.get(url + "/quan-tri")
    WebDriverWait(browser, 10).until(seen.presence_of_element_located((By.ID, "username")))
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()


def test_an_administrator_logs_in_and_sees_the_dashboard(site, browser, tmp_path):  # noqa: F811
    node, _ = enrol_node(tmp_path, site, login(site, "admin"), "TN-PHUTHO", "Quầy Phú Thọ",
                         FixedClock("2026-11-19T10:00:00"))
    record = node.catalogue.add_record({"title": "Đất rừng phương Nam", "authors": ["Đoàn Giỏi"]})
    node.catalogue.add_item(record, "PT000001")
    card = node.patrons.add("Lê Văn Tám", "adult", pin="2468")["card_number"]
    node.circulation.checkout(card, "PT000001")
    assert client.PeerClient(node, site.url).round().ok
    node.store.close()

    log_in(browser, site.url, "admin", "khong-dung-mat-khau")
    error = WebDriverWait(browser, 10).until(
        seen.presence_of_element_located((By.CSS_SELECTOR, "p.error")))
    assert error.text == "Tên đăng nhập hoặc mật khẩu không đúng."

    log_in(browser, site.url, "admin", PASSWORD)
    WebDriverWait(browser, 10).until(seen.url_to_be(site.url + "/quan-tri"))
    assert browser.find_element(By.CSS_SELECTOR, "main h1").text == "Tổng quan tháng 11/2026"
    assert "admin · Quản trị viên huyện" in browser.find_element(By.CLASS_NAME, "who").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#libraries tbody tr")
    assert len(rows) == 3
    assert browser.find_element(By.ID, "total-loans").text == "1"
    assert "33%" in browser.find_element(By.ID, "managed").text
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 1280, "the dashboard must not scroll sideways at 1280 px"

    shot = tmp_path / "admin-dashboard.png"
    assert browser.save_screenshot(str(shot))
    if os.environ.get("ADMIN_SCREENSHOT"):
        shutil.copy(shot, os.environ["ADMIN_SCREENSHOT"])

    browser.find_element(By.CSS_SELECTOR, ".admin-nav button").click()
    WebDriverWait(browser, 10).until(seen.presence_of_element_located((By.ID, "username")))
    assert browser.current_url == site.url + "/quan-tri/dang-nhap"
