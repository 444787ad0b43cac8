"""The admin page that takes a USB-stick bundle from a library with no link (``/quan-tri/goi-dong-bo``).

An administrator uploads the ``.kbundle`` file a library's device wrote (``kiosk bundle
export``); it is checked and applied exactly as ``district bundle import`` does
(:func:`sync.bundle.import_bundle`: signer, partitions, ownership, quarantine), under the
writer's lock in a worker thread, and the page offers the reply bundle to carry back.
Uploads go through the web guard (CSRF token, same origin) and its form size cap; larger
bundles are imported with the ``district bundle import`` command.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from district import audit
from district.accounts import User
from district.web.admin import Admin, _AdminRoute, _district, _page
from district.web.guard import MAX_FORM_BYTES
from sync.bundle import SUFFIX, BundleRefused, import_bundle

router = APIRouter(prefix="/quan-tri", route_class=_AdminRoute, include_in_schema=False)
_NAME = re.compile(r"^[A-Za-z0-9_.+-]+\.kbundle$")


def _replies(request: Request) -> Path:
    folder = Path(str(_district(request).path) + ".bundles")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@router.get("/goi-dong-bo")
def bundle_form(request: Request, user: Admin):
    return _page(request, "bundles.html", user, limit_kb=MAX_FORM_BYTES // 1024)


@router.post("/goi-dong-bo")
async def bundle_upload(request: Request, user: Admin):
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if hasattr(upload, "read") else b""
    return await anyio.to_thread.run_sync(_apply, request, user, data)


def _apply(request: Request, user: User, data: bytes):
    limit_kb = MAX_FORM_BYTES // 1024
    if not data:
        return _page(request, "bundles.html", user, 400, limit_kb=limit_kb,
                     error="Chưa chọn tệp gói đồng bộ (.kbundle).")
    with tempfile.TemporaryDirectory(prefix="bundle-upload-") as folder:
        path = Path(folder) / f"upload{SUFFIX}"
        path.write_bytes(data)
        with _district(request).db() as library:
            try:
                result = import_bundle(library, path, reply_to=_replies(request))
            except BundleRefused as exc:
                audit.record(library, user.username, "bundle.refused", str(exc)[:200])
                return _page(request, "bundles.html", user, 400, limit_kb=limit_kb,
                             error=str(exc))
            audit.record(library, user.username, "bundle.imported",
                         f"{result.library or result.sender}: {result.applied}")
    return _page(request, "bundles.html", user, limit_kb=limit_kb, result=result,
                 reply=result.reply.name if result.reply else None)


@router.get("/goi-dong-bo/tra-loi/{name}")
def bundle_reply(request: Request, name: str, user: Admin):
    path = _replies(request) / name
    if not _NAME.match(name) or not path.is_file():
        return _page(request, "denied.html", user, 404, message="Không có gói trả lời này.")
    return FileResponse(path, media_type="application/octet-stream", filename=name)
