"""The administration pages under ``/quan-tri``: login, dashboard, libraries, devices, audit.

Routes stay thin: they check the role (``accounts.require``), call one function of
``district.accounts``/``libraries``/``fleet``/``dashboard`` under the database lock, and
render. Every change is written to the audit log by those functions.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from district import accounts, audit, dashboard, fleet, libraries, units
from district.accounts import (
    ADMIN,
    INSPECTOR,
    LIBRARIAN,
    Forbidden,
    LoginRequired,
    User,
)
from district.web import sessions
from district.web.throttle import Throttled
from kiosk.core.errors import LibraryError
from sync import enrolment


@asynccontextmanager
async def _lifespan(app):
    with app.state.district.db() as library:
        accounts.ensure_schema(library)
    yield


class _AdminRoute(APIRoute):
    """Turns the guard's refusals into a redirect to the login page or a Vietnamese page."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def route(request: Request):
            try:
                return await handler(request)
            except LoginRequired:
                return RedirectResponse("/quan-tri/dang-nhap", 303)
            except Forbidden as exc:
                return _district(request).render(request, "admin/denied.html", 403,
                                                  message=exc.detail, user=None)

        return route


router = APIRouter(prefix="/quan-tri", route_class=_AdminRoute, lifespan=_lifespan,
                   include_in_schema=False)
AnyUser = Annotated[User, Depends(accounts.require())]
Admin = Annotated[User, Depends(accounts.require(ADMIN))]
Editor = Annotated[User, Depends(accounts.require(ADMIN, LIBRARIAN))]
AuditReader = Annotated[User, Depends(accounts.require(ADMIN, INSPECTOR))]


def _district(request: Request):
    return request.app.state.district


def _page(request: Request, template: str, user: User | None, status_code: int = 200, **context):
    return _district(request).render(request, f"admin/{template}", status_code, user=user,
                                     **context)


def _scope(user: User) -> str | None:
    return user.library_code if user.role == LIBRARIAN else None


def _see(user: User, code: str) -> None:
    if not user.sees(code):
        raise Forbidden("Thủ thư chỉ xem và sửa được thư viện của mình")


# Login


@router.get("/dang-nhap")
def login_form(request: Request):
    return _page(request, "login.html", None)


@router.post("/dang-nhap")
def login(request: Request, username: str = Form(""), password: str = Form("")):
    """A plain ``def`` route: the scrypt check runs in the threadpool, outside the lock."""
    district, web = _district(request), request.state.web
    with district.read() as library:
        candidate = accounts.login_candidate(library, username)
    device = web.known_device(candidate.username)
    throttle = request.app.state.throttle
    try:
        throttle.before_login(web.client, candidate.username, candidate.throttle_epoch, device)
    except Throttled as exc:
        page = _page(request, "login.html", None, 429, error=str(exc), username=username)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    ok = accounts.check_password(candidate, password)
    with district.db() as library:
        try:
            user = accounts.finish_login(library, candidate, ok)
        except accounts.LoginRefused as exc:
            throttle.login_failed(candidate.username, candidate.throttle_epoch, device)
            return _page(request, "login.html", None, 401, error=str(exc), username=username)
        token = sessions.start(library, user.username)
    web.begin_session(token)
    web.remember_device(user.username)
    return RedirectResponse("/quan-tri", 303)


@router.post("/dang-xuat")
def logout(request: Request, user: AnyUser):
    """Ends the session on the server: the old cookie is worthless from now on."""
    web = request.state.web
    with _district(request).db() as library:
        sessions.end(library, web.token)
        audit.record(library, user.username, "logout")
    web.end_session()
    return RedirectResponse("/quan-tri/dang-nhap", 303)


# Dashboard


@router.get("")
def home(request: Request, user: AnyUser):
    with _district(request).read() as library:
        summary = dashboard.summary(library, _scope(user))
    return _page(request, "dashboard.html", user, summary=summary)


# Libraries


@router.get("/thu-vien")
def library_list(request: Request, user: AnyUser):
    with _district(request).read() as library:
        rows = libraries.listing(library, _scope(user))
    return _page(request, "libraries.html", user, libraries=rows)


@router.get("/thu-vien/moi")
def library_new(request: Request, user: Admin):
    return _form_page(request, user, {"kind": "public"}, True)


def _form_page(request: Request, user: User, lib: dict, new: bool, status_code: int = 200,
               **context):
    with _district(request).read() as library:
        communes = units.communes(library.store)
    return _page(request, "library_form.html", user, status_code, lib=lib, new=new,
                 kinds=units.KINDS, communes=communes, **context)


@router.post("/thu-vien")
async def library_add(request: Request, user: Admin):
    """The form is read on the event loop, the database work done in the threadpool."""
    form = await request.form()
    return await anyio.to_thread.run_sync(_library_add, request, user, form)


def _library_add(request: Request, user: User, form):
    code = str(form.get("code") or "")
    with _district(request).db() as library:
        try:
            libraries.add(library, code, libraries.parse_form(form, library.store),
                          user.username)
        except LibraryError as exc:
            error = exc.message
        else:
            return RedirectResponse("/quan-tri/thu-vien", 303)
    return _form_page(request, user, dict(form), True, 400, error=error)


@router.get("/thu-vien/{code}")
def library_show(request: Request, code: str, user: Editor):
    _see(user, code)
    with _district(request).read() as library:
        row = libraries.get(library, code)
    if row is None:
        return _page(request, "denied.html", user, 404, message=f"Không có thư viện {code}")
    return _form_page(request, user, row, False)


@router.post("/thu-vien/{code}")
async def library_edit(request: Request, code: str, user: Editor):
    _see(user, code)
    form = await request.form()
    return await anyio.to_thread.run_sync(_library_edit, request, code, user, form)


def _library_edit(request: Request, code: str, user: User, form):
    with _district(request).db() as library:
        try:
            libraries.edit(library, code, libraries.parse_form(form, library.store),
                           user.username)
        except LibraryError as exc:
            error = exc.message
        else:
            return RedirectResponse("/quan-tri/thu-vien", 303)
    return _form_page(request, user, {**form, "code": code}, False, 400, error=error)


# Devices


@router.get("/thiet-bi")
def device_list(request: Request, user: AnyUser):
    with _district(request).read() as library:
        rows = fleet.devices(library, _scope(user))
        choices = libraries.listing(library, _scope(user))
    return _page(request, "devices.html", user, devices=rows, libraries=choices)


@router.post("/thiet-bi/ma-dang-ky")
async def enrolment_code(request: Request, user: Admin):
    code_for = str((await request.form()).get("library") or "")
    return await anyio.to_thread.run_sync(_enrolment_code, request, user, code_for)


def _enrolment_code(request: Request, user: User, code_for: str):
    with _district(request).db() as library:
        target = libraries.get(library, code_for)
        if target is None:
            return _page(request, "denied.html", user, 400,
                         message=f"Không có thư viện {code_for}")
        code = enrolment.issue_code(library, code_for)
        audit.record(library, user.username, "enrolment_code.issued", code_for)
    page = _page(request, "enrolment_code.html", user, code=code, lib=target,
                 days=enrolment.CODE_VALIDITY.days)
    page.headers["Cache-Control"] = "no-store"  # the code is shown once, never from a cache
    return page


@router.post("/thiet-bi/{device_id}/thu-hoi")
def device_revoke(request: Request, device_id: str, user: Admin):
    with _district(request).db() as library:
        fleet.revoke(library, device_id, user.username)
    return RedirectResponse("/quan-tri/thiet-bi", 303)


# Audit log


@router.get("/nhat-ky")
def audit_log(request: Request, user: AuditReader):
    with _district(request).read() as library:
        rows = audit.recent(library)
    return _page(request, "audit.html", user, entries=rows)
