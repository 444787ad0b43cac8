"""A web hold goes where the patron can collect it: their own library, which knows them."""

from __future__ import annotations

import httpx
from district_net import CARDS, DE_MEN_ISBN, PIN
from web_client import WebClient

DE_MEN = "i" + DE_MEN_ISBN


def kieu_2015(served) -> str:
    works = httpx.get(f"{served.url}/api/tim", params={"q": "truyen kieu"}, timeout=10).json()
    return next(w["key"] for w in works["works"] if w["year"] == 2015)


def selected(page: str) -> str:
    options = page.split('<select id="thu_vien"')[1].split("</select>")[0]
    return options.split(" selected")[0].rsplit('value="', 1)[1].split('"')[0]


def test_a_hold_at_another_library_is_refused_and_the_form_turns_to_the_patrons_own(served):
    key = kieu_2015(served)  # held at Phú Thọ and at Phú Thành A
    with WebClient(base_url=served.url) as http:
        reply = http.post(f"/sach/{key}", data={"thu_vien": "TN-PHUTHO", "kieu": "hold",
                                                "the": CARDS["TN-PHUTHANHA"], "pin": PIN})
        assert reply.status_code == 400
        assert "Thẻ của bạn thuộc Thư viện xã Phú Thành A" in reply.text
        assert selected(reply.text) == "TN-PHUTHANHA"
        assert served.network.district.store.scalar(
            "SELECT COUNT(*) FROM events WHERE type = 'hold.placed'") == 0
        again = http.post(f"/sach/{key}", data={"thu_vien": "TN-PHUTHANHA", "kieu": "hold",
                                                "the": CARDS["TN-PHUTHANHA"], "pin": PIN})
        assert again.status_code == 200 and "Đã đặt giữ sách" in again.text
        # The next form this browser sees starts at the patron's library.
        assert selected(http.get(f"/sach/{DE_MEN}").text) != "TN-PHUTHANHA"  # not held there
        assert selected(http.get(f"/sach/{key}").text) == "TN-PHUTHANHA"
    net = served.network
    net.pull("TN-PHUTHANHA")
    [hold] = net.devices["TN-PHUTHANHA"].holds.of_patron(CARDS["TN-PHUTHANHA"])
    assert hold["pickup_library"] == "TN-PHUTHANHA"


def test_a_patron_whose_library_lacks_the_title_is_told_so_and_nothing_is_placed(served):
    reply = WebClient(base_url=served.url).post(
        f"/sach/{DE_MEN}", data={"thu_vien": "TN-PHUTHO", "kieu": "hold",
                                 "the": CARDS["TN-PHUTHANHA"], "pin": PIN})
    assert reply.status_code == 400
    assert "nơi chưa có sách này" in reply.text
    assert served.network.district.store.scalar(
        "SELECT COUNT(*) FROM events WHERE type = 'hold.placed'") == 0
