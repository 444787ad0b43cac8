"""OPAC counts and facets over every matching work, with pages (not the best 200 only)."""

from __future__ import annotations

import httpx


def search(served, **params):
    reply = httpx.get(served.url + "/api/tim", params=params, timeout=30)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_a_common_name_counts_every_matching_work_and_pages_through_them(served):
    net = served.network
    device = net.devices["TN-PHUTHANHA"]
    with device.transaction():
        for n in range(260):
            record = device.catalogue.add_record({
                "title": f"Tuyển tập Nguyễn {n:03d}", "authors": ["Nguyễn Văn Bình"],
                "year": 1990 + n % 30, "subjects": ["Văn học"] if n % 2 else ["Lịch sử"]})
            device.catalogue.add_item(record, f"NG{n:05d}")
    net.sync("TN-PHUTHANHA")
    first = search(served, q="nguyen")
    assert first["total"] == 260 + 2  # and the two Truyện Kiều works (2015, 2019) by Nguyễn Du
    assert first["pages"] == 14 and len(first["works"]) == 20
    facets = {name: {f["value"]: f["count"] for f in entries}
              for name, entries in first["facets"].items()}
    assert facets["library"]["TN-PHUTHANHA"] == 261
    assert facets["subject"]["Văn học"] == 130 and facets["subject"]["Lịch sử"] == 130
    assert sum(facets["year"].values()) == 262
    keys = []
    for page in range(1, 15):
        keys += [w["key"] for w in search(served, q="nguyen", trang=str(page))["works"]]
    assert len(keys) == len(set(keys)) == 262
    narrowed = search(served, q="nguyen", chu_de="Lịch sử", trang="7")
    assert narrowed["total"] == 130 and narrowed["pages"] == 7 and len(narrowed["works"]) == 10
    page = httpx.get(served.url + "/tim", params={"q": "nguyen", "trang": "2"}, timeout=30).text
    assert "Tìm thấy <strong>262</strong> đầu sách" in page and "Trang 2/14" in page
