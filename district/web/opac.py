"""The public catalogue (OPAC): search the union catalogue, see where to borrow, place holds.

Routes stay thin: the union catalogue (``district.union``) answers questions, the core
(holds, requests) writes, each page is one small server-rendered template. A hold or a
postal request is written into the chosen library's partition, so it reaches that
library's devices with their next sync round.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse
from pydantic import BaseModel

from district import browse
from district.recommend import HubRecommendations
from district.union import UnionCatalogue, Work
from district.web.throttle import Throttled
from kiosk.core import ddc, pins
from kiosk.core.errors import LibraryError

log = logging.getLogger(__name__)
router = APIRouter()

DOCUMENTS_ENV = "DISTRICT_DOCUMENTS"
DOCUMENTS_DEFAULT = "/var/lib/district/tai-lieu"
SERVABLE = ("image/", "application/pdf")
BAD_LOGIN = "Số thẻ hoặc mã PIN không đúng."
MY_LIBRARY_COOKIE = "thu_vien_cua_toi"  # a library code, so the next form starts there
MY_LIBRARY_DAYS = 365
FEW_WORKS = 3


def _district(request: Request):
    return request.app.state.district


def _union(request: Request, lib) -> UnionCatalogue:
    """The union view over ``lib``'s connection (a read connection for every page)."""
    return UnionCatalogue(lib)


def documents_dir(request: Request) -> Path:
    """Where digitised local documents live: ``app.state.documents_dir``, else
    ``$DISTRICT_DOCUMENTS``, else /var/lib/district/tai-lieu."""
    configured = getattr(request.app.state, "documents_dir", None)
    return Path(configured or os.environ.get(DOCUMENTS_ENV, DOCUMENTS_DEFAULT)).resolve()


def _year(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _search(request: Request, q: str, thu_vien: str | None, chu_de: str | None,
            nam: str | None, loai: str | None, trang: str = "1") -> dict[str, Any]:
    page = int(trang) if trang.isdigit() and 0 < int(trang) < 10_000 else 1
    with _district(request).read() as lib:
        return _union(request, lib).search(q, library=thu_vien or None, subject=chu_de or None,
                                           year=_year(nam), item_type=loai or None, page=page)


# Pages

@router.get("/", include_in_schema=False)
def home(request: Request):
    with _district(request).read() as lib:
        union = _union(request, lib)
        arrivals = union.new_arrivals(limit=6)
        libraries = union.libraries()
    return _district(request).render(request, "opac/home.html", q="", arrivals=arrivals,
                                     libraries=libraries)


@router.get("/tim", include_in_schema=False)
def results(request: Request, q: str = "", thu_vien: str = "", chu_de: str = "",
            nam: str = "", loai: str = "", trang: str = "1"):
    if not q.strip():
        return RedirectResponse("/", status_code=303)
    found = _search(request, q, thu_vien, chu_de, nam, loai, trang)
    chosen = {}
    for param, facet, value in (("thu_vien", "library", thu_vien), ("chu_de", "subject", chu_de),
                                ("nam", "year", nam), ("loai", "type", loai)):
        if value:
            chosen[param] = next((f["label"] for f in found["facets"][facet]
                                  if str(f["value"]) == value), value)
    return _district(request).render(request, "opac/results.html", q=q, found=found,
                                     chosen=chosen, suggestion=_suggestion(request, q, found))


def _suggestion(request: Request, q: str, found: dict[str, Any]) -> str | None:
    """"Có phải bạn muốn tìm: …" when few works answer (the core's vocabulary speller)."""
    if found["total"] >= FEW_WORKS:
        return None
    with _district(request).read() as lib:
        return lib.search.find(q, limit=FEW_WORKS, prefix=False).suggestion


def _work_or_404(request: Request, lib, key: str) -> Work:
    work = _union(request, lib).work(key)
    if work is None:
        raise HTTPException(404, "Không tìm thấy đầu sách")
    return work


def _work_page(request: Request, key: str, status_code: int = 200, **context):
    context.setdefault("form", {"thu_vien": request.cookies.get(MY_LIBRARY_COOKIE, "")})
    with _district(request).read() as lib:
        union = _union(request, lib)
        work = union.work(key)
        if work is None:
            record_key = union.key_of_record(key)
            if record_key is not None:
                return RedirectResponse(f"/sach/{record_key}", status_code=301)
            raise HTTPException(404, "Không tìm thấy đầu sách")
        attachments = union.attachments(work.record_ids)
        related = union.works(_recommendations(request).similar(work.key))
    return _district(request).render(request, "opac/work.html", status_code=status_code,
                                     work=work, attachments=attachments, related=related,
                                     **context)


def _recommendations(request: Request) -> HubRecommendations:
    """The hub's co-borrowing model (``district.recommend``), made by ``create_app``."""
    return request.app.state.recommendations


@router.get("/sach/{key}", include_in_schema=False)
def work_page(request: Request, key: str):
    return _work_page(request, key)


@router.post("/sach/{key}", include_in_schema=False)
def place(request: Request, key: str, thu_vien: str = Form(...), kieu: str = Form("hold"),
          the: str = Form(...), pin: str = Form(...), dia_chi: str = Form("")):
    """Place a hold at the patron's own library (or a postal request at any), as it would.

    Only the patron's home library knows the patron (its devices hold its own patrons
    alone), so a hold to collect anywhere else could never be served: it is refused, and
    the form comes back set to the patron's library when that library has the title (a
    cookie remembers the library, so the patron's next form starts there too). The PIN
    check is throttled per card and per client, and costs one scrypt derivation whether
    the card is unknown, has no PIN or has one (same answer, same time); it runs on a
    read connection in the threadpool (a plain ``def`` route), never holding the writer.
    """
    form = {"thu_vien": thu_vien, "kieu": kieu, "the": the, "dia_chi": dia_chi}
    card = the.strip()
    with _district(request).read() as lib:
        work = _work_or_404(request, lib, key)
    holding = next((h for h in work.holdings if h.library == thu_vien), None)
    if holding is None:
        return _work_page(request, key, status_code=400, form=form,
                          error="Xin chọn một thư viện có sách này.")
    throttle = request.app.state.throttle
    try:
        throttle.before_pin_check(request.state.web.client, card)
    except Throttled as exc:
        page = _work_page(request, key, status_code=429, error=str(exc), form=form)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    with _district(request).read() as lib:
        patron = lib.store.one(
            "SELECT p.pin_hash, p.home_library, COALESCE(l.name, p.home_library) AS library_name "
            "FROM patrons p LEFT JOIN libraries l ON l.code = p.home_library "
            "WHERE p.card_number = ?", (card,))
    if not pin_matches(pin, patron["pin_hash"] if patron else None):
        return _work_page(request, key, status_code=400, error=BAD_LOGIN, form=form)
    throttle.pin_accepted(card)
    home = patron["home_library"]
    if kieu != "postal" and holding.library != home:  # a parcel needs no collecting
        mine = next((h for h in work.holdings if h.library == home), None)
        if mine is None:
            error = (f"Thẻ của bạn thuộc {patron['library_name']}, nơi chưa có sách này, nên "
                     "chưa đặt được qua mạng. Bạn có thể đến đọc hoặc làm thẻ tại một thư "
                     "viện có sách.")
        else:
            error = (f"Thẻ của bạn thuộc {patron['library_name']}: sách chỉ nhận được ở thư "
                     "viện của bạn. Biểu mẫu đã chọn sẵn thư viện đó, xin gửi lại.")
            form = {**form, "thu_vien": home}
        page = _work_page(request, key, status_code=400, error=error, form=form)
        page.set_cookie(MY_LIBRARY_COOKIE, home, max_age=MY_LIBRARY_DAYS * 86400,
                        httponly=True, samesite="lax", secure=request.state.web.secure)
        return page
    with _district(request).db() as lib:
        error, done = _place(lib, holding, kieu, card, dia_chi)
    if error:
        return _work_page(request, key, status_code=400, error=error, form=form)
    page = _district(request).render(request, "opac/placed.html", work=work, holding=holding,
                                     kind=kieu, done=done)
    page.set_cookie(MY_LIBRARY_COOKIE, home, max_age=MY_LIBRARY_DAYS * 86400, httponly=True,
                    samesite="lax", secure=request.state.web.secure)
    return page


@functools.cache
def _dummy_pin_hash() -> str:
    return pins.hash_pin(secrets.token_hex(4))


def pin_matches(pin: str, stored: str | None) -> bool:
    """One verifier derivation whatever the card: a dummy verifier stands in for none."""
    return pins.verify_pin(pin, stored or _dummy_pin_hash()) and bool(stored)


def _place(lib, holding, kind: str, card: str, address: str):
    try:
        if kind == "postal":
            done = lib.requests.create("postal", card, holding.record_id,
                                       {"address": address.strip(), "library": holding.library},
                                       partition=holding.library)
        else:
            done = lib.holds.place(card, holding.record_id, pickup_library=holding.library,
                                   partition=holding.library)
    except LibraryError as exc:
        return exc.message, None
    log.info("web %s placed at library %s", "request" if kind == "postal" else "hold",
             holding.library)
    return None, {"position": done.get("position"), "status": done.get("status_label")}


@router.get("/browse", include_in_schema=False)
def browse_classes(request: Request):
    """The shelves by Dewey class: ten main classes, their divisions, works in each."""
    with _district(request).read() as lib:
        union = _union(request, lib)
        classes = browse.classes(union, request.app.state.shelf_counts.get(union))
    return _district(request).render(request, "opac/browse.html", classes=classes)


@router.get("/browse/{code}", include_in_schema=False)
def browse_division(request: Request, code: str, trang: str = "1"):
    if code not in ddc.DIVISIONS:
        raise HTTPException(404, "Không có môn loại này")
    page = int(trang) if trang.isdigit() and 0 < int(trang) < 10_000 else 1
    with _district(request).read() as lib:
        found = browse.division(_union(request, lib), code, page)
    return _district(request).render(request, "opac/browse_division.html", found=found)


@router.get("/moi", include_in_schema=False)
def new_arrivals(request: Request):
    return _new_page(request, None)


@router.get("/moi/{library}", include_in_schema=False)
def new_arrivals_at(request: Request, library: str):
    return _new_page(request, library)


def _new_page(request: Request, library: str | None):
    with _district(request).read() as lib:
        union = _union(request, lib)
        libraries = union.libraries()
        if library and library not in {x["code"] for x in libraries}:
            raise HTTPException(404, "Không có thư viện này")
        works = union.new_arrivals(library, limit=30)
    name = next((x["name"] for x in libraries if x["code"] == library), None)
    return _district(request).render(request, "opac/new.html", works=works, library=library,
                                     library_name=name, libraries=libraries)


def _local_file(request: Request, uri: str) -> Path | None:
    """The attachment's file if it is a local path inside the documents folder."""
    parsed = urlparse(uri)
    if parsed.scheme not in ("", "file"):
        return None
    root = documents_dir(request)
    path = Path(unquote(parsed.path))
    path = (path if path.is_absolute() else root / path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def _content_type(path: Path) -> str | None:
    kind = mimetypes.guess_type(path.name)[0]
    return kind if kind and kind.startswith(SERVABLE) else None


def _attachment(request: Request, attachment_id: str):
    with _district(request).read() as lib:
        union = _union(request, lib)
        found = union.attachment(attachment_id)
        if found is None:
            raise HTTPException(404, "Không tìm thấy tài liệu")
        key = union.key_of_record(found["record_id"])
        work = union.work(key) if key else None
    return found, work


@router.get("/tai-lieu/{attachment_id}", include_in_schema=False)
def document(request: Request, attachment_id: str):
    found, work = _attachment(request, attachment_id)
    path = _local_file(request, found["uri"])
    kind = _content_type(path) if path else None
    remote = found["uri"] if urlparse(found["uri"]).scheme in ("http", "https") else None
    return _district(request).render(request, "opac/document.html", doc=found, work=work,
                                     kind=kind, remote=remote)


@router.get("/tai-lieu/{attachment_id}/tep", include_in_schema=False)
def document_file(request: Request, attachment_id: str):
    found, _ = _attachment(request, attachment_id)
    path = _local_file(request, found["uri"])
    kind = _content_type(path) if path else None
    if kind is None:
        raise HTTPException(404, "Tài liệu không có trên máy chủ")
    return FileResponse(path, media_type=kind, content_disposition_type="inline",
                        filename=path.name)


# JSON API

class HoldingOut(BaseModel):
    library: str
    library_name: str
    record_id: str
    copies: int
    available: int
    on_loan: int
    held: int
    waiting_holds: int
    call_numbers: list[str]
    item_types: list[str]


class WorkOut(BaseModel):
    key: str
    title: str
    subtitle: str | None
    authors: list[str]
    year: int | None
    isbn13: str | None
    publisher: str | None
    ddc: str | None
    subjects: list[str]
    record_ids: list[str]
    copies: int
    available: int
    holdings: list[HoldingOut]


class FacetOut(BaseModel):
    value: str | int
    label: str
    count: int


class SearchOut(BaseModel):
    query: str
    total: int
    page: int
    pages: int
    works: list[WorkOut]
    facets: dict[str, list[FacetOut]]


@router.get("/api/tim", response_model=SearchOut, tags=["Tra cứu"],
            summary="Search the union catalogue (diacritics optional), grouped into works")
def api_search(request: Request, q: str, thu_vien: str = "", chu_de: str = "", nam: str = "",
               loai: str = "", trang: str = "1"):
    found = _search(request, q, thu_vien, chu_de, nam, loai, trang)
    return {**found, "works": [w.as_dict() for w in found["works"]]}


@router.get("/api/sach/{key}", response_model=WorkOut, tags=["Tra cứu"],
            summary="One work: its details and holdings with live availability per library")
def api_work(request: Request, key: str):
    with _district(request).read() as lib:
        union = _union(request, lib)
        work = union.work(key) or union.work(union.key_of_record(key) or "")
        if work is None:
            raise HTTPException(404, "Không tìm thấy đầu sách")
    return work.as_dict()
