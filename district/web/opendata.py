"""Public pages: the library map, open-data downloads and the OAI-PMH endpoint.

Nothing here needs a login and nothing here reads patrons or circulation: what is
published is the catalogue, holdings counts and the library registry. Every route
reads on a read connection in the threadpool (plain ``def`` routes; OAI's POST body
is read on the loop, then answered in a worker); catalogue files are built in the
background (``district/exports.py``).
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from district import catalogue_data, exports, oai, registry

router = APIRouter(include_in_schema=False)
TILE_URL_ENV = "DISTRICT_MAP_TILES"
MAP_SIZE = 600
CSV = "text/csv; charset=utf-8"


def _registry(request: Request) -> list[dict]:
    district = request.app.state.district
    with district.read() as library:
        return registry.libraries(library.store, library.clock.now())


def _file(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/ban-do")
def map_page(request: Request):
    rows = _registry(request)
    return request.app.state.district.render(
        request, "opendata/map.html", rows=rows, size=MAP_SIZE,
        markers=registry.svg_markers(rows, MAP_SIZE, MAP_SIZE),
        kinds=registry.KIND_LABELS, colours=registry.KIND_COLOURS,
        tiles=os.environ.get(TILE_URL_ENV))


@router.get("/api/thu-vien.geojson")
def libraries_geojson(request: Request):
    return JSONResponse(registry.geojson(_registry(request)),
                        media_type="application/geo+json")


@router.get("/du-lieu-mo")
def open_data_page(request: Request):
    with request.app.state.district.read() as library:
        counts = {"records": library.store.scalar("SELECT COUNT(*) FROM records"),
                  "libraries": library.store.scalar("SELECT COUNT(*) FROM libraries")}
    return request.app.state.district.render(request, "opendata/index.html", counts=counts)


def _exports(request: Request) -> exports.Exports:
    found = getattr(request.app.state, "exports", None)
    if found is None:
        district = request.app.state.district
        found = request.app.state.exports = exports.Exports(
            district.path, district.library.clock,
            getattr(request.app.state, "exports_dir", None))
    return found


@router.get("/du-lieu-mo/thu-muc.{fmt}")
def catalogue_download(request: Request, fmt: str):
    if fmt not in exports.FORMATS:
        return Response("Không có định dạng này", 404)
    files = _exports(request)
    with request.app.state.district.read() as library:
        generation = files._generation(library.store)
    path = files.file(fmt, generation)
    name, media_type = exports.FORMATS[fmt]
    if path is None:
        return Response("Tệp đang được chuẩn bị, xin thử lại sau ít phút.", 503,
                        headers={"Retry-After": "60"}, media_type="text/plain; charset=utf-8")
    return FileResponse(path, media_type=media_type, filename=name)


@router.get("/du-lieu-mo/thu-vien.{fmt}")
def registry_download(request: Request, fmt: str):
    rows = _registry(request)
    if fmt == "csv":
        return _file(catalogue_data.registry_csv(rows), CSV, "thu-vien.csv")
    if fmt == "json":
        return _file(catalogue_data.registry_json(rows), "application/json", "thu-vien.json")
    if fmt == "geojson":
        return _file(JSONResponse(registry.geojson(rows)).body, "application/geo+json",
                     "thu-vien.geojson")
    return Response("Không có định dạng này", 404)


@router.api_route("/oai", methods=["GET", "POST"])
async def oai_endpoint(request: Request):
    """OAI-PMH allows POST with a form body as well as GET."""
    if request.method == "POST":
        args = parse_qs((await request.body()).decode("utf-8", "replace"),
                        keep_blank_values=True)
    else:
        args = parse_qs(request.url.query, keep_blank_values=True)
    district = request.app.state.district
    base_url = str(request.url.replace(query="", fragment=""))

    def answer() -> bytes:
        with district.read() as library:
            store = library.store
            code = library.code
            repo = oai.Repository(
                store, base_url, f"Thư mục liên hợp — {district.name}",
                store.get_meta("oai_namespace") or f"{code.lower()}.thuvien",
                store.get_meta("oai_admin_email") or f"thuvien@{code.lower()}.invalid")
            return repo.respond(args, library.clock.now())

    body = await anyio.to_thread.run_sync(answer)
    return Response(body, media_type="text/xml; charset=utf-8")
