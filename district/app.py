"""The district server as an ASGI application (FastAPI + Jinja2, one SQLite file).

One :class:`~kiosk.core.library.Library` over the district database serves every
request; a lock serialises database work (the sync service shares it), which an
office server with tens of devices never notices. Pages are server-rendered and small
so they work on a cheap phone over a slow link; the JSON API is described by OpenAPI.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from district.limits import BodyLimit
from district.sync_endpoint import SyncEndpoint
from district.web.guard import WebGuard, WebSettings
from district.web.sessions import web_secret
from district.web.throttle import Throttle
from kiosk.app import open_library
from kiosk.core.library import Library
from sync.enrolment import is_district
from sync.service import SyncService

TEMPLATES = Path(__file__).parent / "templates"


class District:
    """What every route gets: the library, its lock and the templates."""

    def __init__(self, library: Library):
        if not is_district(library.store):
            raise RuntimeError(f"{library.store.path} is not a district database: run "
                               f"`district --db {library.store.path} init`")
        self.library = library
        self.sync = SyncService(library)
        self.lock = self.sync.lock
        self.templates = Jinja2Templates(directory=str(TEMPLATES))

    @contextmanager
    def db(self) -> Iterator[Library]:
        with self.lock:
            yield self.library

    def render(self, request: Request, template: str, status_code: int = 200, **context):
        return self.templates.TemplateResponse(
            request, template, {"district_name": self.library.name, **context},
            status_code=status_code)


def create_app(db_path: str | Path, library: Library | None = None,
               settings: WebSettings | None = None, throttle: Throttle | None = None) -> FastAPI:
    """The hub's app. ``settings`` says which proxies are believed (none by default);
    ``throttle`` holds the login and PIN guess limits (a test passes one with its clock)."""
    from district.accounts import ensure_schema

    library = library or open_library(db_path)
    district = District(library)
    ensure_schema(library)
    app = FastAPI(title="Thư viện huyện — máy chủ", version="1", docs_url="/api/docs",
                  openapi_url="/api/openapi.json")
    app.state.district = district
    app.state.throttle = throttle or Throttle()
    app.add_middleware(WebGuard, settings=settings or WebSettings(), secret=web_secret(library))

    sync_endpoint = SyncEndpoint(district.sync)

    @app.api_route("/sync/v1/{endpoint}", methods=["GET", "POST"], include_in_schema=False)
    async def sync_route(endpoint: str, request: Request) -> Response:
        return await sync_endpoint(request)

    from district.web import routers

    for router in routers():
        app.include_router(router)
    app.add_middleware(BodyLimit)  # outermost: caps every body but the sync route's own
    return app
