"""The union catalogue over real HTTP: one entry per work, holdings per library, facets."""

from __future__ import annotations

import httpx
from district_net import DE_MEN_ISBN

from district import accounts, received
from district.union import UnionCatalogue


def search(served, **params):
    reply = httpx.get(served.url + "/api/tim", params=params, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()


def holdings(work):
    return {h["library"]: h["copies"] for h in work["holdings"]}


def test_the_same_isbn_at_two_libraries_is_one_work_with_two_holdings(served):
    found = search(served, q="de men")
    [work] = found["works"]
    assert work["key"] == "i" + DE_MEN_ISBN
    assert work["title"] == "Dế Mèn phiêu lưu ký"
    assert holdings(work) == {"TN-PHUTHO": 2, "TN-TRAMCHIM": 1}
    names = {h["library"]: h["library_name"] for h in work["holdings"]}
    assert names["TN-TRAMCHIM"] == "Thư viện thị trấn Tràm Chim"
    phutho = next(h for h in work["holdings"] if h["library"] == "TN-PHUTHO")
    assert phutho["call_numbers"] == ["895.92 T450H"]


def test_the_same_title_author_and_year_without_isbn_is_one_work_and_another_year_is_another(served):
    works = search(served, q="truyen kieu")["works"]
    by_year = {w["year"]: holdings(w) for w in works}
    assert by_year == {2015: {"TN-PHUTHO": 1, "TN-PHUTHANHA": 1}, 2019: {"TN-TRAMCHIM": 1}}


def test_facets_count_works_per_library_subject_decade_and_type(served):
    facets = search(served, q="truyen kieu")["facets"]
    counts = {name: {f["value"]: f["count"] for f in entries} for name, entries in facets.items()}
    assert counts["library"] == {"TN-PHUTHO": 1, "TN-PHUTHANHA": 1, "TN-TRAMCHIM": 1}
    assert counts["year"] == {2010: 2}
    assert counts["subject"] == {"Thơ": 2, "Văn học Việt Nam": 2}
    assert counts["type"] == {"book": 2}
    labels = {f["value"]: f["label"] for f in facets["year"]}
    assert labels[2010] == "2010–2019"

    everything = search(served, q="van hoc")["facets"]
    assert {f["value"]: f["count"] for f in everything["type"]} == {"book": 3, "children": 1}


def test_facet_filters_narrow_the_results(served):
    only = search(served, q="truyen kieu", thu_vien="TN-TRAMCHIM")
    assert [w["year"] for w in only["works"]] == [2019]
    assert search(served, q="kieu", nam="2010", chu_de="Thơ")["total"] == 2
    assert search(served, q="kieu", nam="2000")["total"] == 0
    assert [w["title"] for w in search(served, q="ca tra", loai="periodical")["works"]] == \
        ["Kỹ thuật nuôi cá tra"]
    assert search(served, q="van hoc", loai="periodical")["total"] == 0


def test_an_edit_synced_from_a_device_moves_its_record_into_the_matching_work(network):
    accounts.ensure_schema(network.district)
    union = UnionCatalogue(network.district)
    union.refresh()
    received.catch_up(network.district)
    assert len(union.search("truyen kieu")["works"]) == 2
    tramchim = network.devices["TN-TRAMCHIM"]
    tramchim.catalogue.update_record(network.records["kieu2019@TN-TRAMCHIM"], {"year": 2015})
    network.sync("TN-TRAMCHIM")
    assert union.refresh() == 1  # what the hub does after every push it applies
    received.catch_up(network.district)
    [work] = union.search("truyen kieu")["works"]
    assert {h.library for h in work.holdings} == {"TN-PHUTHO", "TN-PHUTHANHA", "TN-TRAMCHIM"}
    assert union.refresh() == 0


def test_the_page_of_a_record_id_redirects_to_its_work(served):
    record = served.network.records["de_men@TN-TRAMCHIM"]
    reply = httpx.get(f"{served.url}/sach/{record}", timeout=10)
    assert reply.status_code == 301
    assert reply.headers["location"] == "/sach/i" + DE_MEN_ISBN
    assert httpx.get(f"{served.url}/sach/khong-co", timeout=10).status_code == 404
    work = httpx.get(f"{served.url}/api/sach/{record}", timeout=10).json()
    assert work["key"] == "i" + DE_MEN_ISBN
