"""The OPAC pages over real HTTP: search with facet links, new arrivals, documents, API."""

from __future__ import annotations

import base64

import httpx
from district_net import DE_MEN_ISBN

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def get(served, path, **params):
    return httpx.get(served.url + path, params=params, timeout=10)


def test_the_home_page_has_a_search_box_and_new_arrivals(served):
    page = get(served, "/")
    assert page.status_code == 200
    assert 'action="/tim"' in page.text and 'name="q"' in page.text
    assert "Sách mới về" in page.text and "Dế Mèn phiêu lưu ký" in page.text
    assert '<html lang="vi">' in page.text


def test_results_without_diacritics_link_to_the_work_and_to_facet_filters(served):
    page = get(served, "/tim", q="dia chi dong thap")
    assert page.status_code == 200
    assert "Địa chí Đồng Tháp" in page.text
    assert "Tìm thấy <strong>1</strong>" in page.text
    assert "loai=reference" in page.text and "Tài liệu tra cứu" in page.text
    kieu = get(served, "/tim", q="truyen kieu")
    assert "thu_vien=TN-PHUTHANHA" in kieu.text and "nam=2010" in kieu.text
    filtered = get(served, "/tim", q="truyen kieu", thu_vien="TN-TRAMCHIM")
    assert "Tìm thấy <strong>1</strong>" in filtered.text and "Đang lọc" in filtered.text
    assert "Thư viện thị trấn Tràm Chim ✕" in filtered.text
    assert get(served, "/tim", q="khong co sach nay").text.count("Không tìm thấy sách nào") == 1


def test_a_work_page_lists_every_library_with_its_copies_and_the_hold_form(served):
    page = get(served, f"/sach/i{DE_MEN_ISBN}").text
    assert "Thư viện xã Phú Thọ" in page and "Thư viện thị trấn Tràm Chim" in page
    assert "Còn 2 bản trên giá" in page and "895.92 T450H" in page
    assert 'name="pin"' in page and 'value="postal"' in page


def test_new_arrivals_district_wide_and_per_library(served):
    everywhere = get(served, "/moi").text
    for title in ("Dế Mèn phiêu lưu ký", "Kỹ thuật nuôi cá tra", "Địa chí Đồng Tháp"):
        assert title in everywhere
    phuthanh = get(served, "/moi/TN-PHUTHANHA").text
    assert "Kỹ thuật nuôi cá tra" in phuthanh and "Truyện Kiều" in phuthanh
    assert "Dế Mèn" not in phuthanh and "Địa chí Đồng Tháp" not in phuthanh
    assert get(served, "/moi/TN-KHONGCO").status_code == 404


def attach(served, uri, kind, label):
    net = served.network
    tramchim = net.devices["TN-TRAMCHIM"]
    attachment = tramchim.catalogue.add_attachment(net.records["dia_chi@TN-TRAMCHIM"], uri,
                                                   kind=kind, label=label)
    net.sync("TN-TRAMCHIM")
    return attachment


def test_local_documents_are_shown_inline_with_their_own_content_type(served, tmp_path):
    folder = tmp_path / "tai-lieu" / "dia-chi"
    folder.mkdir(parents=True)
    (folder / "trang-1.png").write_bytes(PNG)
    (folder / "dia-chi.pdf").write_bytes(PDF)
    image = attach(served, "dia-chi/trang-1.png", "image", "Trang 1")
    pdf = attach(served, f"file://{folder / 'dia-chi.pdf'}", "pdf", "Toàn văn")

    work = get(served, "/tim", q="dia chi").text
    assert "Địa chí Đồng Tháp" in work
    page = get(served, f"/tai-lieu/{image}")
    assert page.status_code == 200 and f'<img class="doc" src="/tai-lieu/{image}/tep"' in page.text
    data = get(served, f"/tai-lieu/{image}/tep")
    assert data.headers["content-type"] == "image/png" and data.content == PNG
    assert get(served, f"/tai-lieu/{pdf}").text.count(f'href="/tai-lieu/{pdf}/tep"') == 1
    data = get(served, f"/tai-lieu/{pdf}/tep")
    assert data.headers["content-type"] == "application/pdf"
    assert data.headers["content-disposition"].startswith("inline")
    assert data.content == PDF


def test_documents_outside_the_folder_are_never_served_and_remote_ones_are_links(served, tmp_path):
    (tmp_path / "secret.png").write_bytes(PNG)
    escape = attach(served, "../secret.png", "image", "Lọt ra ngoài")
    system = attach(served, "file:///etc/passwd", "pdf", "Hệ thống")
    remote = attach(served, "https://thuvien.dongthap.gov.vn/dia-chi.pdf", "pdf", "Bản trên mạng")
    for attachment in (escape, system):
        assert get(served, f"/tai-lieu/{attachment}/tep").status_code == 404
        assert "chưa có bản số" in get(served, f"/tai-lieu/{attachment}").text
    assert 'href="https://thuvien.dongthap.gov.vn/dia-chi.pdf"' in get(
        served, f"/tai-lieu/{remote}").text
    assert get(served, "/tai-lieu/khong-co").status_code == 404


def test_the_json_api_is_in_the_openapi_document(served):
    paths = get(served, "/api/openapi.json").json()["paths"]
    assert "/api/tim" in paths and "/api/sach/{key}" in paths
    schemas = get(served, "/api/openapi.json").json()["components"]["schemas"]
    assert {"SearchOut", "WorkOut", "HoldingOut"} <= set(schemas)
    assert get(served, "/api/sach/khong-co").status_code == 404
