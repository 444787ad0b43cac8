"""Reports: counts built with real circulation on device nodes at known dates, synced to the
district, read back over HTTP as a page, XLSX, CSV and PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess

import openpyxl
import pytest
import requests
from web_client import requests_login

from district import accounts, reports
from kiosk.core.clock import LIBRARY_TZ
from sync import auth, enrolment

PASSWORD = "thong-ke-2026"
COORDS = {  # approximate positions in huyện Tam Nông
    "TAMNONG": (10.6740, 105.5630), "TN-PHUTHO": (10.7380, 105.4560),
    "TN-PHUTHANHA": (10.6270, 105.6050), "TN-TRAMCHIM": (10.6690, 105.5720),
}
NEWCOMER = {"name": "Lê Thị Mười Hai", "phone": "0912345678", "card": "PT-009999"}


def at(device, moment: str) -> None:
    device.clock.set(dt.datetime.fromisoformat(moment))


@pytest.fixture
def activity(network):
    """Circulation at known dates in report year 2026 (10/2025–09/2026) and just outside it."""
    district = network.district
    accounts.ensure_schema(district)
    for code, (lat, lon) in COORDS.items():
        district.put("libraries", code, {"lat": lat, "lon": lon})
    phutho, tramchim = network.devices["TN-PHUTHO"], network.devices["TN-TRAMCHIM"]

    at(phutho, "2026-03-02T08:00:00")
    phutho.patrons.add(NEWCOMER["name"], "adult", phone=NEWCOMER["phone"],
                       card_number=NEWCOMER["card"], commune="Phú Thọ")
    phutho.catalogue.add_item(network.records["kieu2015@TN-PHUTHO"], "PT000010")
    at(phutho, "2026-03-05T09:00:00")
    phutho.circulation.checkout("PT-000001", "PT000001")
    phutho.circulation.checkout(NEWCOMER["card"], "PT000002")
    phutho.circulation.record_visit(NEWCOMER["card"])
    at(phutho, "2026-03-12T15:00:00")
    phutho.circulation.renew("PT-000001", "PT000001")
    phutho.circulation.record_visit()
    at(phutho, "2026-04-01T10:00:00")
    phutho.circulation.checkin("PT000001")
    phutho.circulation.checkout("PT-000001", "PT000003")
    at(phutho, "2026-10-01T10:00:00")
    phutho.circulation.checkin("PT000003")
    phutho.circulation.checkout("PT-000001", "PT000001")

    at(tramchim, "2025-09-30T16:00:00")
    tramchim.circulation.checkout("TC-000001", "TC000001")
    at(tramchim, "2025-10-02T08:30:00")
    tramchim.circulation.renew("TC-000001", "TC000001")
    tramchim.circulation.record_visit("TC-000001")
    network.sync()

    now = district.clock.now()
    for code, seen in (("TN-PHUTHO", now - dt.timedelta(hours=2)),
                       ("TN-TRAMCHIM", now - dt.timedelta(days=3))):
        _, public = auth.new_keypair()
        creds = enrolment.enrol_device(district, enrolment.issue_code(district, code),
                                       f"kiosk {code}", "test", public)
        district.store.execute("UPDATE devices SET last_seen = ? WHERE device_id = ?",
                               (seen.isoformat(timespec="seconds"), creds["device_id"]))
    accounts.create_user(district, "thongke", PASSWORD, accounts.INSPECTOR)
    return network


@pytest.fixture
def session(served, activity):
    s, reply = requests_login(served.url, "thongke", PASSWORD)
    assert reply.status_code == 200 and reply.url.endswith("/quan-tri")
    return s


def direct(store, event_type: str, library: str, month: str) -> int:
    return store.scalar("SELECT COUNT(*) FROM events WHERE type = ? AND library_id = ? "
                        "AND wall_time LIKE ?", (event_type, library, month + "%"))


def test_a_month_of_one_library_matches_the_events_made_at_its_counter(activity):
    store = activity.district.store
    march = reports.monthly(store, "2026-03").totals["TN-PHUTHO"]
    assert march["loans"] == direct(store, "loan.checkout", "TN-PHUTHO", "2026-03") == 2
    assert march["renewals"] == direct(store, "loan.renew", "TN-PHUTHO", "2026-03") == 1
    assert march["visits"] == direct(store, "visit", "TN-PHUTHO", "2026-03") == 2
    assert march["active_users"] == 2
    assert march["new_users"] == 1
    assert march["acquisitions"] == 1
    assert march["collection"] == 1
    assert reports.monthly(store, "2026-03").totals["TN-TRAMCHIM"]["loans"] == 0


def test_a_province_counting_october_to_september_gets_that_year_each_reader_once(activity):
    report = reports.annual(activity.district.store, 2026, starts=10)
    assert report.months[0] == "2025-10" and report.months[-1] == "2026-09"
    phutho, tramchim = report.totals["TN-PHUTHO"], report.totals["TN-TRAMCHIM"]
    assert phutho["loans"] == 3
    assert phutho["active_users"] == 2
    assert sum(report.cell("TN-PHUTHO", m)["active_users"] for m in report.months) == 3
    assert tramchim == {**tramchim, "loans": 0, "renewals": 1, "visits": 1, "active_users": 1}
    assert report.grand["loans"] == 3 and report.grand["active_users"] == 3
    assert {code for code, _ in report.libraries} == {"TN-PHUTHO", "TN-PHUTHANHA", "TN-TRAMCHIM"}


def test_reports_need_a_login(served, activity):
    reply = requests.get(served.url + "/bao-cao", allow_redirects=False, timeout=10)
    assert reply.status_code == 303
    assert reply.headers["location"] == "/quan-tri/dang-nhap"


def test_the_page_states_the_period_and_shows_the_totals(served, session):
    page = session.get(served.url + "/bao-cao?nam=2026", timeout=10).text
    assert "Từ tháng 1/2026 đến hết tháng 12/2026" in page
    assert "Thông tư 16/2022/TT-BVHTTDL" in page
    assert 'data-library="TN-PHUTHO"' in page
    row = page.split('data-library="TN-PHUTHO"')[1].split("</tr>")[0]
    assert '<td class="n" data-metric="loans">4</td>' in row


def test_the_xlsx_has_the_totals_monthly_sheet_and_charts(served, session, activity):
    reply = session.get(served.url + "/bao-cao/nam-2026.xlsx", timeout=30)
    assert reply.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(reply.content))
    assert wb.sheetnames == ["Tổng hợp", "Theo tháng", "Lượt mượn theo tháng",
                             "Lượt mượn theo thư viện, tháng", "Theo xã, cụm, loại"]
    totals = wb["Tổng hợp"]
    header = [c.value for c in totals[3]]
    assert header[:4] == ["Mã thư viện", "Thư viện", "Vốn tài liệu (bản)", "Bổ sung (bản)"]
    rows = {r[0]: dict(zip(header, r)) for r in totals.iter_rows(min_row=4, values_only=True)}
    store = activity.district.store
    year_loans = store.scalar("SELECT COUNT(*) FROM events WHERE type = 'loan.checkout' AND "
                              "library_id = 'TN-PHUTHO' AND wall_time >= '2026-01' "
                              "AND wall_time < '2027-01'")
    assert rows["TN-PHUTHO"]["Lượt mượn"] == year_loans == 4
    assert rows["TN-PHUTHO"]["Lượt gia hạn"] == 1
    assert rows["TN-TRAMCHIM"]["Lượt gia hạn"] == 0  # renewed in October 2025
    assert len(totals._charts) == 1 and len(wb["Lượt mượn theo tháng"]._charts) == 1
    monthly = list(wb["Theo tháng"].iter_rows(values_only=True))
    march = next(r for r in monthly if r[0] == "TN-PHUTHO" and r[2] == "03/2026")
    assert march[monthly[0].index("Lượt mượn")] == 2


def test_the_csv_has_a_bom_and_parses(served, session):
    reply = session.get(served.url + "/bao-cao/thang-2026-03.csv", timeout=10)
    assert reply.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(reply.content.decode("utf-8-sig"))))
    phutho = next(r for r in rows if r["Mã thư viện"] == "TN-PHUTHO" and r["Tháng"] == "03/2026")
    assert phutho["Lượt mượn"] == "2" and phutho["Thẻ bạn đọc cấp mới"] == "1"
    assert rows[-1]["Thư viện"] == "Toàn huyện"  # the hub's level (configured: huyện)


def test_the_pdf_is_a_pdf_with_vietnamese_headers(served, session, tmp_path):
    reply = session.get(served.url + "/bao-cao/nam-2026.pdf", timeout=30)
    assert reply.content.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(reply.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Báo cáo thống kê thư viện năm 2026" in text
    assert "Lượt mượn theo thư viện" in text
    assert "Thư viện xã Phú Thọ" in text


def test_a_librarian_sees_only_their_own_library(served, activity):
    accounts.create_user(activity.district, "thuthu", PASSWORD, accounts.LIBRARIAN, "TN-TRAMCHIM")
    s, _ = requests_login(served.url, "thuthu", PASSWORD)
    rows = list(csv.reader(io.StringIO(
        s.get(served.url + "/bao-cao/nam-2026.csv", timeout=10).content.decode("utf-8-sig"))))
    assert {r[0] for r in rows[1:-1]} == {"TN-TRAMCHIM"}


def test_a_report_year_is_the_calendar_year_unless_the_province_counts_from_another_month():
    assert reports.report_year_of(dt.date(2026, 12, 31)) == 2026
    assert reports.annual_months(2026) == ("2026-01", "2026-12")
    assert reports.report_year_of(dt.date(2026, 9, 30), 10) == 2026
    assert reports.report_year_of(dt.datetime(2026, 10, 1, tzinfo=LIBRARY_TZ).date(), 10) == 2027
    assert reports.annual_months(2026, 10) == ("2025-10", "2026-09")


def test_a_library_name_that_looks_like_a_formula_opens_as_text(served, session, activity):
    """A name typed at the hub or synced from a device must not run in the province's Excel."""
    hostile = '=HYPERLINK("http://127.0.0.1:9/x","Bấm vào đây")'
    activity.district.put("libraries", "TN-PHUTHO", {"name": hostile})
    book = openpyxl.load_workbook(io.BytesIO(
        session.get(served.url + "/bao-cao/nam-2026.xlsx", timeout=30).content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value == hostile for c in cells)
    assert not [c for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    rows = list(csv.reader(io.StringIO(session.get(
        served.url + "/bao-cao/thang-2026-03.csv", timeout=10).content.decode("utf-8-sig"))))
    names = [cell for row in rows for cell in row if "HYPERLINK" in cell]
    assert names and all(name == "'" + hostile for name in names)
