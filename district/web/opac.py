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

from district.union import UnionCatalogue, Work
from district.web.throttle import Throttled
from kiosk.core import pins
from kiosk.core.errors import LibraryError

log = logging.getLogger(__name__)
router = APIRouter()

DOCUMENTS_ENV = "DISTRICT_DOCUMENTS"
DOCUMENTS_DEFAULT = "/var/lib/district/tai-lieu"
SERVABLE = ("image/", "application/pdf")
BAD_LOGIN = "Số thẻ hoặc mã PIN không đúng."
FEW_WORKS = 3


def _district(request: Request):
    return request.app.state.district


def _union(request: Request, lib) -> UnionCatalogue:
    """One union view per app (it creates its table and indexes once); call under the lock."""
    union = getattr(request.app.state, "union", None)
    if union is None:
        union = request.app.state.union = UnionCatalogue(lib)
    return union


def documents_dir(request: Request) -> Path:
    """Where digitised local documents live: ``app.state.documents_dir``, else
    ``$DISTRICT_DOCUMENTS``, else /var/lib/district/tai-lieu."""
    configured = getattr(request.app.state, "documents_dir", None)
    return Path(configured or os.environ.get(DOCUMENTS_ENV, DOCUMENTS_DEFAULT)).resolve()


def _year(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _search(request: Request, q: str, thu_vien: str | None, chu_de: str | None,
            nam: str | None, loai: str | None) -> dict[str, Any]:
    with _district(request).db() as lib:
        return _union(request, lib).search(q, library=thu_vien or None, subject=chu_de or None,
                                  year=_year(nam), item_type=loai or None)


# Pages

@router.get("/", include_in_schema=False)
def home(request: Request):
    with _district(request).db() as lib:
        union = _union(request, lib)
        arrivals = union.new_arrivals(limit=6)
        libraries = union.libraries()
    return _district(request).render(request, "opac/home.html", q="", arrivals=arrivals,
                                     libraries=libraries)


@router.get("/tim", include_in_schema=False)
def results(request: Request, q: str = "", thu_vien: str = "", chu_de: str = "",
            nam: str = "", loai: str = ""):
    if not q.strip():
        return RedirectResponse("/", status_code=303)
    found = _search(request, q, thu_vien, chu_de, nam, loai)
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
    with _district(request).db() as lib:
        return lib.search.find(q, limit=FEW_WORKS, prefix=False).suggestion


def _work_or_404(request: Request, lib, key: str) -> Work:
    work = _union(request, lib).work(key)
    if work is None:
        raise HTTPException(404, "Không tìm thấy đầu sách")
    return work


def _work_page(request: Request, key: str, status_code: int = 200, **context):
    with _district(request).db() as lib:
        union = _union(request, lib)
        work = union.work(key)
        if work is None:
            record_key = union.key_of_record(key)
            if record_key is not None:
                return RedirectResponse(f"/sach/{record_key}", status_code=301)
            raise HTTPException(404, "Không tìm thấy đầu sách")
        attachments = union.attachments(work.record_ids)
    return _district(request).render(request, "opac/work.html", status_code=status_code,
                                     work=work, attachments=attachments, **context)


@router.get("/sach/{key}", include_in_schema=False)
def work_page(request: Request, key: str):
    return _work_page(request, key)


@router.post("/sach/{key}", include_in_schema=False)
def place(request: Request, key: str, thu_vien: str = Form(...), kieu: str = Form("hold"),
          the: str = Form(...), pin: str = Form(...), dia_chi: str = Form("")):
    """Place a hold (or a postal request) at the chosen library, as that library would.

    The PIN check is throttled per card and per client, and costs one scrypt derivation
    whether the card is unknown, has no PIN or has one (same answer, same time); it runs
    outside the database lock, in the threadpool (a plain ``def`` route).
    """
    form = {"thu_vien": thu_vien, "kieu": kieu, "the": the, "dia_chi": dia_chi}
    card = the.strip()
    with _district(request).db() as lib:
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
    with _district(request).db() as lib:
        stored = lib.store.scalar("SELECT pin_hash FROM patrons WHERE card_number = ?", (card,))
    if not pin_matches(pin, stored):
        return _work_page(request, key, status_code=400, error=BAD_LOGIN, form=form)
    throttle.pin_accepted(card)
    with _district(request).db() as lib:
        error, done = _place(lib, holding, kieu, card, dia_chi)
    if error:
        return _work_page(request, key, status_code=400, error=error, form=form)
    return _district(request).render(request, "opac/placed.html", work=work, holding=holding,
                                     kind=kieu, done=done)


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


@router.get("/moi", include_in_schema=False)
def new_arrivals(request: Request):
    return _new_page(request, None)


@router.get("/moi/{library}", include_in_schema=False)
def new_arrivals_at(request: Request, library: str):
    return _new_page(request, library)


def _new_page(request: Request, library: str | None):
    with _district(request).db() as lib:
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
    with _district(request).db() as lib:
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
    works: list[WorkOut]
    facets: dict[str, list[FacetOut]]


@router.get("/api/tim", response_model=SearchOut, tags=["Tra cứu"],
            summary="Search the union catalogue (diacritics optional), grouped into works")
def api_search(request: Request, q: str, thu_vien: str = "", chu_de: str = "", nam: str = "",
               loai: str = ""):
    found = _search(request, q, thu_vien, chu_de, nam, loai)
    return {**found, "works": [w.as_dict() for w in found["works"]]}


@router.get("/api/sach/{key}", response_model=WorkOut, tags=["Tra cứu"],
            summary="One work: its details and holdings with live availability per library")
def api_work(request: Request, key: str):
    with _district(request).db() as lib:
        union = _union(request, lib)
        work = union.work(key) or union.work(union.key_of_record(key) or "")
        if work is None:
            raise HTTPException(404, "Không tìm thấy đầu sách")
    return work.as_dict()
