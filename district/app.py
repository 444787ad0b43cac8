"""The district server as an ASGI application (FastAPI + Jinja2, one SQLite file).

One :class:`~kiosk.core.library.Library` over the district database serves every
request; a lock serialises database work (the sync service shares it), which an
office server with tens of devices never notices. Pages are server-rendered and small
so they work on a cheap phone over a slow link; the JSON API is described by OpenAPI.
"""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

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


def _secret(library: Library) -> str:
    secret = library.store.get_meta("web_secret")
    if secret is None:
        secret = secrets.token_urlsafe(32)
        library.store.set_meta("web_secret", secret)
    return secret


def create_app(db_path: str | Path, library: Library | None = None) -> FastAPI:
    from district.accounts import ensure_schema

    library = library or open_library(db_path)
    district = District(library)
    ensure_schema(library)
    app = FastAPI(title="Thư viện huyện — máy chủ", version="1", docs_url="/api/docs",
                  openapi_url="/api/openapi.json")
    app.state.district = district
    app.add_middleware(SessionMiddleware, secret_key=_secret(library), same_site="lax",
                       max_age=8 * 3600)

    @app.api_route("/sync/v1/{endpoint}", methods=["GET", "POST"], include_in_schema=False)
    async def sync_endpoint(endpoint: str, request: Request) -> Response:
        body = await request.body()
        reply = district.sync.handle(request.method, request.url.path, request.headers, body)
        return Response(reply.body, reply.status, reply.headers)

    from district.web import routers

    for router in routers():
        app.include_router(router)
    return app
