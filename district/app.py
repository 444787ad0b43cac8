"""The hub as an ASGI application (FastAPI + Jinja2, one SQLite file).

One writer and concurrent readers. :attr:`District.library` is the single writing
connection, behind :attr:`District.lock`, which the sync service's pushes, enrolments
and pairings share; :meth:`District.read` lends a page, an OAI request, an export or a
device pull one of a few read connections (``district/pool.py``), so no read ever waits
for a write. After every write the hub's derived tables (union keys, OAI datestamps)
are brought up to date on the writer (:meth:`District.catch_up`), and a background
thread does the same for writes made by other processes (``district`` commands).
Pages are server-rendered and small so they work on a cheap phone over a slow link;
the JSON API is described by OpenAPI.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Iterator

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from district import received
from district.config import HubConfig
from district.limits import BodyLimit
from district.browse import CountsCache
from district.pool import Pool, read_library
from district.recommend import HubRecommendations
from district.sync_endpoint import SyncEndpoint
from district.web.guard import WebGuard, WebSettings
from district.web.sessions import web_secret
from district.web.throttle import Throttle
from kiosk.app import open_library
from kiosk.core.library import Library
from sync.enrolment import is_district

TEMPLATES = Path(__file__).parent / "templates"
CATCH_UP_SECONDS = 5.0
log = logging.getLogger(__name__)


class District:
    """What every route gets: the writer and its lock, the read pool, the templates."""

    def __init__(self, library: Library, config: HubConfig | None = None):
        from district.hub_sync import HubSync
        from district.union import UnionCatalogue

        if not is_district(library.store):
            raise RuntimeError(f"{library.store.path} is not a district database: run "
                               f"`district --db {library.store.path} init`")
        self.library = library
        self.config = config or HubConfig()
        self.path = library.store.path
        self.readers = Pool(lambda: read_library(self.path, library.clock),
                            self.config.read_connections)
        self.sync = HubSync(self)
        self.lock = self.sync.lock
        self.union = UnionCatalogue
        self.templates = Jinja2Templates(directory=str(TEMPLATES))
        self._stop = threading.Event()
        self._scanned: int | None = None  # events rowid the derived tables are known to cover

    @property
    def name(self) -> str:
        return self.config.name or self.library.name

    @contextmanager
    def db(self) -> Iterator[Library]:
        """The writer, for a change; derived tables are brought up to date afterwards."""
        with self.lock:
            yield self.library
            self._catch_up_locked()

    @contextmanager
    def read(self) -> Iterator[Library]:
        """A read connection of its own for as long as the block runs."""
        with self.readers.take() as library:
            yield library

    def catch_up(self) -> None:
        """Bring the derived tables and their marks fully up to date (one commit)."""
        with self.lock:
            self._catch_up_locked(persist=True)

    def _catch_up_locked(self, persist: bool = False) -> None:
        """After a write: re-key and re-stamp what changed. Most pushes carry circulation
        only (loans, returns, visits), which changes neither; they cost one indexed look at
        the new events and no commit (every commit here is an fsync: ~10 ms a push). The
        marks then lag behind the log until the next catalogue change or the background
        round (``persist``), which is harmless: the next scan starts from them."""
        store = self.library.store
        top = int(store.scalar("SELECT COALESCE(MAX(rowid), 0) FROM events"))
        if not persist:
            if top == self._scanned:
                return
            if self._scanned is not None and store.one(
                    "SELECT 1 FROM events WHERE rowid > ? AND rowid <= ? AND "
                    "+type IN ('record.put', 'record.delete') LIMIT 1",
                    (self._scanned, top)) is None:
                self._scanned = top
                return
        with store.transaction():
            self.union(self.library).refresh()
            received.catch_up(self.library)
            self.sync.seen.flush(store)
        self._scanned = top

    def warm_up(self) -> None:
        """Load what the OPAC counts with (``union_search.Facts``) before the first search."""
        from district.union_search import facts_of

        started = time.monotonic()
        with self.read() as library:
            facts_of(library.store)
        log.info("OPAC ready: catalogue facts loaded in %.1f s", time.monotonic() - started)

    def background(self) -> threading.Thread:
        """Warm up, then catch up every few seconds with writes from other processes
        (CLI commands)."""
        def run():
            try:
                self.warm_up()
            except Exception:  # noqa: BLE001 - logged; the first search loads them instead
                log.exception("loading the OPAC's catalogue facts failed")
            while not self._stop.wait(CATCH_UP_SECONDS):
                try:
                    self.catch_up()
                except Exception:  # noqa: BLE001 - logged; the next round retries
                    log.exception("catching up with the event log failed")

        thread = threading.Thread(target=run, name="district-catch-up", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
        with self.lock:
            self.sync.seen.flush(self.library.store)

    def render(self, request: Request, template: str, status_code: int = 200, **context):
        return self.templates.TemplateResponse(
            request, template, {"district_name": self.name, "hub": self.config, **context},
            status_code=status_code)


def create_app(db_path: str | Path, library: Library | None = None,
               settings: WebSettings | None = None, throttle: Throttle | None = None,
               config: HubConfig | None = None) -> FastAPI:
    """The hub's app. ``settings`` says which proxies are believed (none by default);
    ``throttle`` holds the login and PIN guess limits (a test passes one with its clock);
    ``config`` the hub's name, level and pool size (``district/config.py``)."""
    from district.accounts import ensure_schema

    library = library or open_library(db_path)
    ensure_schema(library)
    district = District(library, config)
    district.catch_up()

    @asynccontextmanager
    async def lifespan(app):
        district.background()
        yield
        district.stop()

    app = FastAPI(title=f"Thư viện {district.config.level_noun} — máy chủ", version="1",
                  docs_url="/api/docs", openapi_url="/api/openapi.json", lifespan=lifespan)
    app.state.district = district
    app.state.throttle = throttle or Throttle()
    app.state.recommendations = HubRecommendations(district)
    app.state.shelf_counts = CountsCache()
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
