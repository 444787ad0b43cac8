"""Statistics pages and downloads under /bao-cao, for logged-in district staff.

A librarian account sees its own library only; the district administrator and the
inspector see every library.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from district import accounts, closing, report_files, reports
from district.accounts import LIBRARIAN, User

router = APIRouter(prefix="/bao-cao", include_in_schema=False)
signed_in = accounts.require()
SignedIn = Annotated[User, Depends(signed_in)]
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
RENDER = {"xlsx": report_files.to_xlsx, "csv": report_files.to_csv, "pdf": report_files.to_pdf}


def _scoped(report: reports.Report, user: User) -> reports.Report:
    return reports.only(report, user.library_code) if user.role == LIBRARIAN else report


def _close_due(request: Request) -> None:
    """Months over for long enough are closed (on the writer) before any report is read."""
    district = request.app.state.district
    with district.read() as library:
        pending = closing.due(library.store, library.clock.today(),
                              district.config.close_after_days)
    if pending:
        with district.db() as library:
            closing.close_due(library, district.config.close_after_days)


def _annual(request: Request, year: int, user: User) -> reports.Report:
    if not 2000 <= year <= 2100:
        raise HTTPException(404)
    _close_due(request)
    with request.app.state.district.read() as library:
        return _scoped(reports.annual(library.store, year,
                                      request.app.state.district.config.year_starts), user)


def _monthly(request: Request, month: str, user: User) -> reports.Report:
    if not MONTH.match(month):
        raise HTTPException(404)
    _close_due(request)
    with request.app.state.district.read() as library:
        return _scoped(reports.monthly(library.store, month), user)


def _download(request: Request, report: reports.Report, fmt: str, filename: str) -> Response:
    if fmt not in RENDER:
        raise HTTPException(404)
    body = RENDER[fmt](report, request.app.state.district.config)
    return Response(body, media_type=MEDIA[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename}.{fmt}"'})


@router.get("")
def annual_page(request: Request, user: SignedIn, nam: int | None = None):
    district = request.app.state.district
    year = nam or reports.report_year_of(district.library.clock.today(),
                                         district.config.year_starts)
    report = _annual(request, year, user)
    return district.render(request, "reports/annual.html", report=report, year=year, user=user,
                           metrics=reports.METRICS, month_label=report_files.month_label)


@router.get("/thang/{month}")
def month_page(request: Request, month: str, user: SignedIn):
    report = _monthly(request, month, user)
    return request.app.state.district.render(
        request, "reports/month.html", report=report, month=month, user=user,
        metrics=reports.METRICS)


@router.get("/nam-{year}.{fmt}")
def annual_file(request: Request, year: int, fmt: str, user: SignedIn):
    return _download(request, _annual(request, year, user), fmt,
                     f"bao-cao-thu-vien-nam-{year}")


@router.get("/thang-{month}.{fmt}")
def month_file(request: Request, month: str, fmt: str, user: SignedIn):
    return _download(request, _monthly(request, month, user), fmt,
                     f"bao-cao-thu-vien-thang-{month}")
