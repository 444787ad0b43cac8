"""A patron on a phone: search without diacritics, open the title, place a hold.

Real headless Chromium over real HTTP; the screenshots are kept for the docs and for a
human to look at (``$OPAC_SCREENSHOTS`` or the test's temporary folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from district_net import CARDS, PIN
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture
def phone(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=375,740",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(375, 740)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("OPAC_SCREENSHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_patron_finds_de_men_without_diacritics_and_places_a_hold_on_a_phone(served, phone,
                                                                                tmp_path):
    out = shots(tmp_path)
    phone.get(served.url + "/")
    box = phone.find_element(By.NAME, "q")
    box.send_keys("de men")
    box.submit()
    assert "Tìm thấy" in phone.find_element(By.TAG_NAME, "main").text
    phone.save_screenshot(str(out / "opac-results.png"))

    phone.find_element(By.LINK_TEXT, "Dế Mèn phiêu lưu ký").click()
    assert phone.find_element(By.TAG_NAME, "h1").text == "Dế Mèn phiêu lưu ký"
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 375
    phone.save_screenshot(str(out / "opac-work.png"))

    phone.find_element(By.CSS_SELECTOR, "#thu_vien option[value='TN-TRAMCHIM']").click()
    phone.find_element(By.ID, "the").send_keys(CARDS["TN-TRAMCHIM"])
    phone.find_element(By.ID, "pin").send_keys(PIN)
    phone.execute_script("document.getElementById('dat').scrollIntoView()")
    phone.save_screenshot(str(out / "opac-hold-form.png"))
    phone.find_element(By.CSS_SELECTOR, "form.place button").click()

    status = phone.find_element(By.CSS_SELECTOR, "[role=status]")
    assert "Đã đặt giữ sách" in status.text
    assert "Thư viện thị trấn Tràm Chim" in status.text
    phone.save_screenshot(str(out / "opac-hold-placed.png"))
    assert served.network.district.store.scalar(
        "SELECT pickup_library FROM holds") == "TN-TRAMCHIM"
