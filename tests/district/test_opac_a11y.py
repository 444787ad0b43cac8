"""The web OPAC and the hub's tables for a keyboard or screen-reader user (issue 16): a skip
link on every page, one h1 on the results page, focus on the error after a wrong card or
PIN, and wide tables at phone width in scroll boxes that Tab reaches and a reader names.

Real HTTP on loopback; the focus checks in a real headless Chromium at phone width.
"""

from __future__ import annotations

import re

import httpx
import pytest
from district_net import CARDS, DE_MEN_ISBN, PIN
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait
from test_admin import PASSWORD, district, district_clock, site  # noqa: F401 (fixtures)

from district.web.opac import BAD_LOGIN

WORK = "/sach/i" + DE_MEN_ISBN
SKIP = '<a class="skip" href="#noi-dung">Bỏ qua, đến nội dung chính</a>'


@pytest.fixture
def phone(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=375,740",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_window_size(375, 740)
    yield driver
    driver.quit()


def _body(page: str) -> str:
    return page.split("<body>", 1)[1]


def test_the_opac_has_a_skip_link_an_h1_for_results_and_focus_on_a_wrong_pin(served, phone):
    with httpx.Client(base_url=served.url, timeout=10) as http:
        for path in ("/", "/tim?q=de+men", "/tim?q=khong+co+sach+nay", WORK, "/moi"):
            page = http.get(path)
            assert page.status_code == 200, path
            body = _body(page.text).lstrip()
            assert body.startswith(SKIP), path             # the first thing Tab reaches
            assert '<main id="noi-dung" tabindex="-1">' in body, path
        results = http.get("/tim?q=de+men").text
        headings = re.findall(r"<h1[^>]*>(.*?)</h1>", results, re.DOTALL)
        assert len(headings) == 1
        assert re.sub(r"<[^>]+>", "", headings[0]) == "Tìm thấy 1 đầu sách cho “de men”"
        assert re.search(r"<h2><a href=\"/sach/[^\"]+\">Dế Mèn phiêu lưu ký</a></h2>", results)
        empty = http.get("/tim?q=khong+co+sach+nay").text
        assert "<h1 class=\"found\">Không tìm thấy sách nào cho “khong co sach nay”</h1>" in empty

    phone.get(served.url + WORK)
    phone.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = phone.switch_to.active_element
    assert skip.text == "Bỏ qua, đến nội dung chính" and skip.is_displayed()
    skip.send_keys(Keys.ENTER)
    assert phone.switch_to.active_element.get_attribute("id") == "noi-dung"

    phone.find_element(By.CSS_SELECTOR, "#thu_vien option[value='TN-TRAMCHIM']").click()
    phone.find_element(By.ID, "the").send_keys(CARDS["TN-TRAMCHIM"])
    phone.find_element(By.ID, "pin").send_keys("9" + PIN[1:])
    phone.find_element(By.CSS_SELECTOR, "form.place button").click()
    WebDriverWait(phone, 10).until(seen.presence_of_element_located((By.ID, "loi-dat")))
    focused = phone.switch_to.active_element
    assert focused.get_attribute("id") == "loi-dat"
    assert focused.text == BAD_LOGIN
    assert focused.find_element(By.CSS_SELECTOR, "[role=alert]").text == BAD_LOGIN
    top = phone.execute_script("return arguments[0].getBoundingClientRect().top", focused)
    assert 0 <= top < 740                                  # and it is on the screen
    assert served.network.district.store.scalar("SELECT COUNT(*) FROM holds") == 0


def test_wide_admin_tables_at_phone_width_scroll_in_boxes_tab_reaches_and_a_reader_names(
        site, phone):  # noqa: F811
    phone.get(site.url + "/quan-tri")
    WebDriverWait(phone, 10).until(seen.presence_of_element_located((By.ID, "username")))
    phone.find_element(By.ID, "username").send_keys("admin")
    phone.find_element(By.ID, "password").send_keys(PASSWORD)
    phone.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(phone, 10).until(seen.url_to_be(site.url + "/quan-tri"))
    for path in ("/quan-tri", "/quan-tri/thu-vien", "/quan-tri/thiet-bi", "/quan-tri/nhat-ky"):
        phone.get(site.url + path)
        assert phone.execute_script("return document.documentElement.scrollWidth") <= 375, path
        boxes = phone.find_elements(By.CSS_SELECTOR, ".scroll")
        assert boxes, path
        for box in boxes:
            assert box.get_attribute("tabindex") == "0", path
            named = box.get_attribute("aria-label") or phone.find_element(
                By.ID, box.get_attribute("aria-labelledby")).text
            assert named.strip(), path
        wide = [b for b in boxes if phone.execute_script(
            "return arguments[0].scrollWidth > arguments[0].clientWidth", b)]
        assert wide, path                                  # there is something to scroll
        body = phone.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        wanted, reached = {b.id for b in wide}, set()
        for _ in range(40):
            element = phone.switch_to.active_element
            if element.id in wanted and element.id not in reached:
                reached.add(element.id)
                element.send_keys(Keys.ARROW_RIGHT)          # the keyboard scrolls it
                WebDriverWait(phone, 5).until(lambda d, box=element: d.execute_script(
                    "return arguments[0].scrollLeft", box) > 0)
                if reached == wanted:
                    break
            element.send_keys(Keys.TAB)
        assert reached == wanted, path
