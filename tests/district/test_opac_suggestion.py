"""The OPAC reads Telex/VNI keys and offers "Có phải bạn muốn tìm: …" for a misspelt query."""

from __future__ import annotations

import httpx


def get(served, path, **params):
    return httpx.get(served.url + path, params=params, timeout=10)


def test_a_misspelt_query_offers_the_catalogue_spelling_as_a_link(served):
    page = get(served, "/tim", q="truyen kieuuu")
    assert page.status_code == 200
    assert "Không tìm thấy sách nào" in page.text
    assert 'Có phải bạn muốn tìm: <a href="/tim?q=truyen%20ki%E1%BB%81u">truyen kiều</a>' in page.text
    followed = get(served, "/tim", q="truyen kiều")
    assert "Truyện Kiều" in followed.text and "Có phải bạn muốn tìm" not in followed.text


def test_telex_and_vni_typed_without_an_input_method_find_the_title(served):
    for typed in ("truyeenj kieeuf", "truye6n5 kie6u2"):
        page = get(served, "/tim", q=typed)
        assert "Truyện Kiều" in page.text, typed
        assert "Có phải bạn muốn tìm" not in page.text
