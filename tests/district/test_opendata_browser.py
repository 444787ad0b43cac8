"""The map page in a real headless Chromium on a phone-sized window."""

from __future__ import annotations

import csv
import io
import os
import shutil

import test_reports
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from web_client import requests_login

PASSWORD = test_reports.PASSWORD
activity = test_reports.activity  # the shared fixture


SCREENSHOT_DIR = os.environ.get("DISTRICT_SCREENSHOTS")


def chromium(profile) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                 "--window-size=375,740", "--lang=vi"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def test_the_map_shows_one_marker_per_library_on_a_phone(served, activity, tmp_path):
    store = activity.district.store
    located = store.scalar("SELECT COUNT(*) FROM libraries WHERE lat IS NOT NULL")
    assert located == 4
    driver = chromium(tmp_path / "profile")
    try:
        driver.set_window_size(375, 740)
        driver.get(served.url + "/ban-do")
        svg = driver.find_element(By.ID, "map")
        markers = svg.find_elements(By.CSS_SELECTOR, "g.marker")
        assert len(markers) == located
        assert {m.get_attribute("data-code") for m in markers} == \
            {r[0] for r in store.all("SELECT code FROM libraries")}
        assert svg.size["width"] <= 375 and svg.size["height"] > 200
        labels = {m.get_attribute("data-code"): m.find_element(By.TAG_NAME, "text").text
                  for m in markers}
        assert labels["TN-PHUTHO"] == "Phú Thọ" and labels["TAMNONG"] == "Tam Nông"
        for marker in markers:
            box = marker.find_element(By.TAG_NAME, "circle").rect
            assert 0 <= box["x"] and box["x"] + box["width"] <= 375
        online = [m.get_attribute("data-code") for m in markers
                  if m.get_attribute("data-status") == "online"]
        assert online == ["TN-PHUTHO"]
        driver.execute_script("arguments[0].scrollIntoView()", svg)
        shot = tmp_path / "ban-do-375.png"
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 5000
        if SCREENSHOT_DIR:
            shutil.copy(shot, SCREENSHOT_DIR)
    finally:
        driver.quit()

    s, _ = requests_login(served.url, "thongke", PASSWORD)
    rows = list(csv.DictReader(io.StringIO(
        s.get(served.url + "/bao-cao/nam-2026.csv", timeout=10).content.decode("utf-8-sig"))))
    for code in ("TN-PHUTHO", "TN-TRAMCHIM"):
        total = next(r for r in rows if r["Mã thư viện"] == code and r["Tháng"] == "Cả kỳ")
        assert int(total["Lượt mượn"]) == store.scalar(
            "SELECT COUNT(*) FROM events WHERE type = 'loan.checkout' AND library_id = ? "
            "AND wall_time >= '2026-01-01' AND wall_time < '2027-01-01'", (code,))
        assert int(total["Lượt bạn đọc đến thư viện"]) == store.scalar(
            "SELECT COUNT(*) FROM events WHERE type = 'visit' AND library_id = ? "
            "AND wall_time >= '2026-01-01' AND wall_time < '2027-01-01'", (code,))
