"""Live availability and web holds: what a device does reaches the web, and back."""

from __future__ import annotations

import httpx
from district_net import CARDS, DE_MEN_ISBN, PIN
from web_client import WebClient

DE_MEN = "i" + DE_MEN_ISBN


def work(served, key=DE_MEN):
    reply = httpx.get(f"{served.url}/api/sach/{key}", timeout=10)
    assert reply.status_code == 200, reply.text
    return {h["library"]: h for h in reply.json()["holdings"]}


def place(served, key=DE_MEN, **form):
    with WebClient(base_url=served.url) as http:
        return http.post(f"/sach/{key}", data=form)


def test_a_loan_made_on_a_device_shows_as_on_loan_once_synced(served):
    net = served.network
    assert (work(served)["TN-PHUTHO"]["available"], work(served)["TN-PHUTHO"]["on_loan"]) == (2, 0)
    net.devices["TN-PHUTHO"].circulation.checkout(CARDS["TN-PHUTHO"], "PT000001")
    assert work(served)["TN-PHUTHO"]["on_loan"] == 0
    net.sync("TN-PHUTHO")
    holding = work(served)["TN-PHUTHO"]
    assert (holding["available"], holding["on_loan"], holding["copies"]) == (1, 1, 2)
    assert work(served)["TN-TRAMCHIM"]["available"] == 1
    page = httpx.get(f"{served.url}/sach/{DE_MEN}", timeout=10).text
    assert "1 đang cho mượn" in page


def test_a_hold_placed_on_the_web_reaches_the_chosen_librarys_device(served):
    net = served.network
    district = net.district
    reply = place(served, thu_vien="TN-TRAMCHIM", kieu="hold", the=CARDS["TN-TRAMCHIM"], pin=PIN)
    assert reply.status_code == 200, reply.text
    assert "Đã đặt giữ sách" in reply.text and "Tràm Chim" in reply.text

    [event] = district.store.all("SELECT * FROM events WHERE type = 'hold.placed'")
    assert event["library_id"] == "TN-TRAMCHIM"
    assert event["origin_id"] != district.log.origin_id
    assert work(served)["TN-TRAMCHIM"]["waiting_holds"] == 1

    net.pull("TN-TRAMCHIM")
    net.pull("TN-PHUTHO")
    tramchim = net.devices["TN-TRAMCHIM"]
    [hold] = tramchim.holds.of_patron(CARDS["TN-TRAMCHIM"])
    assert (hold["pickup_library"], hold["status"], hold["title"]) == \
        ("TN-TRAMCHIM", "waiting", "Dế Mèn phiêu lưu ký")
    assert net.devices["TN-PHUTHO"].store.scalar("SELECT COUNT(*) FROM holds") == 0

    tramchim.circulation.checkout("TC-000001", "TC000001")
    [loan] = tramchim.circulation.loans()
    assert loan["barcode"] == "TC000001"
    assert tramchim.holds.of_patron(CARDS["TN-TRAMCHIM"]) == []
    net.sync("TN-TRAMCHIM")
    assert district.store.scalar("SELECT status FROM holds") == "filled"


def test_a_second_web_hold_writes_the_same_partition_origin_and_a_device_still_accepts_it(served):
    net = served.network
    assert place(served, thu_vien="TN-TRAMCHIM", the=CARDS["TN-TRAMCHIM"], pin=PIN).status_code == 200
    assert place(served, thu_vien="TN-PHUTHO", the=CARDS["TN-PHUTHO"], pin=PIN).status_code == 200
    origins = dict(net.district.store.all(
        "SELECT library_id, origin_id FROM events WHERE type = 'hold.placed'"))
    assert origins["TN-TRAMCHIM"] != origins["TN-PHUTHO"]
    kieu = httpx.get(f"{served.url}/api/tim", params={"q": "truyen kieu", "nam": "2010"},
                     timeout=10).json()["works"]
    key = next(w["key"] for w in kieu if w["year"] == 2019)
    assert place(served, key=key, thu_vien="TN-TRAMCHIM", the=CARDS["TN-TRAMCHIM"],
                 pin=PIN).status_code == 200
    assert net.district.store.scalar(
        "SELECT COUNT(DISTINCT origin_id) FROM events WHERE library_id = 'TN-TRAMCHIM' "
        "AND type = 'hold.placed'") == 1
    net.pull("TN-TRAMCHIM")
    assert len(net.devices["TN-TRAMCHIM"].holds.of_patron(CARDS["TN-TRAMCHIM"])) == 2


def test_a_wrong_pin_or_card_is_refused_with_one_message_and_writes_nothing(served):
    for card, pin in ((CARDS["TN-PHUTHO"], "9999"), ("KHONG-CO", PIN)):
        reply = place(served, thu_vien="TN-PHUTHO", the=card, pin=pin)
        assert reply.status_code == 400
        assert "Số thẻ hoặc mã PIN không đúng." in reply.text
    assert served.network.district.store.scalar(
        "SELECT COUNT(*) FROM events WHERE type LIKE 'hold.%'") == 0


def test_a_refusal_of_the_library_rules_is_shown_on_the_page(served):
    assert place(served, thu_vien="TN-PHUTHO", the=CARDS["TN-PHUTHO"], pin=PIN).status_code == 200
    again = place(served, thu_vien="TN-PHUTHO", the=CARDS["TN-PHUTHO"], pin=PIN)
    assert again.status_code == 400
    assert "Bạn đã đặt trước" in again.text or "đã đặt" in again.text
    other = place(served, thu_vien="TN-PHUTHANHA", the=CARDS["TN-PHUTHO"], pin=PIN)
    assert other.status_code == 400 and "Xin chọn một thư viện có sách này." in other.text


def test_a_postal_request_reaches_the_chosen_library_with_the_address(served):
    net = served.network
    missing = place(served, thu_vien="TN-PHUTHO", kieu="postal", the=CARDS["TN-PHUTHANHA"], pin=PIN)
    assert missing.status_code == 400 and "địa chỉ" in missing.text
    reply = place(served, thu_vien="TN-PHUTHO", kieu="postal", the=CARDS["TN-PHUTHANHA"],
                  pin=PIN, dia_chi="Ấp 3, xã Phú Thành A")
    assert reply.status_code == 200 and "bưu điện" in reply.text
    net.pull("TN-PHUTHO")
    [request] = net.devices["TN-PHUTHO"].store.all("SELECT * FROM requests")
    assert (request["kind"], request["library_id"], request["status"]) == ("postal", "TN-PHUTHO", "new")
    assert "Ấp 3, xã Phú Thành A" in request["details"]
