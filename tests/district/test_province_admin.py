"""Administration after the 2025 reform: units as data, libraries in their communes and
partitions, reports rolled up and closed, files that hold 300 libraries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import test_reports

from district import accounts, closing, libraries, report_files, reports, schema, units
from district.app import create_app
from district.config import HubConfig
from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.node import init_library
from sync import enrolment

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "don-vi-hanh-chinh-VI-DU.csv"
activity = test_reports.activity
at = test_reports.at


def district(db, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "district", "--db", str(db), *args],
                          capture_output=True, text=True, input=stdin, timeout=60)


def test_units_are_imported_from_the_operators_file_and_libraries_refuse_a_taken_code(tmp_path):
    db = tmp_path / "hub.db"
    assert district(db, "init", "--code", "DONGTHAP", "--name", "Thư viện tỉnh Đồng Tháp"
                    ).returncode == 0
    imported = district(db, "units", "import", str(EXAMPLE))
    assert imported.returncode == 0 and "6 xã/phường, 1 cụm" in imported.stdout
    listed = district(db, "units", "list").stdout
    assert "VIDU-0003\tXã Tràm Chim\tTam Nông (huyện cũ)" in listed
    added = district(db, "library", "TV-TRAMCHIM", "Thư viện xã Tràm Chim", "--kind", "public",
                     "--commune", "VIDU-0003", "--address", "Khóm 1, xã Tràm Chim",
                     "--lat", "10.6690", "--lon", "105.5720")
    assert added.returncode == 0, added.stderr
    again = district(db, "library", "TV-TRAMCHIM", "Tên khác")
    assert again.returncode == 1 and "đã có thư viện mã TV-TRAMCHIM" in again.stderr
    unknown = district(db, "library", "TV-X", "Điểm đọc X", "--commune", "KHONG-CO")
    assert unknown.returncode == 1 and "không có xã/phường mã KHONG-CO" in unknown.stderr
    lib = open_library(db)
    row = lib.store.one("SELECT * FROM libraries WHERE code = 'TV-TRAMCHIM'")
    assert (row["name"], row["commune"], row["commune_code"], row["lat"], row["lon"],
            row["address"], row["kind"]) == ("Thư viện xã Tràm Chim", "Xã Tràm Chim",
                                             "VIDU-0003", 10.669, 105.572,
                                             "Khóm 1, xã Tràm Chim", "public")
    event = lib.store.one("SELECT library_id, origin_id FROM events WHERE type = 'record.put' "
                          "AND json_extract(payload, '$.id') = 'TV-TRAMCHIM'")
    assert event["library_id"] == "TV-TRAMCHIM" and event["origin_id"] != lib.log.origin_id


def test_a_bad_units_file_names_its_line(tmp_path):
    bad = tmp_path / "don-vi.csv"
    bad.write_text("ma_tinh,ten_tinh,ma_xa,ten_xa,cap,cum\nDT,Tỉnh Đồng Tháp,X1,Xã A,huyện,\n",
                   encoding="utf-8")
    db = tmp_path / "hub.db"
    district(db, "init")
    refused = district(db, "units", "import", str(bad))
    assert refused.returncode == 1 and "dòng 2" in refused.stderr


def test_library_details_edited_at_the_hub_reach_that_librarys_devices(network):
    hub = network.district
    accounts.ensure_schema(hub)
    libraries.edit(hub, "TN-PHUTHO", libraries.parse_form({
        "name": "Thư viện xã Phú Thọ (mới)", "kind": "public",
        "opening_hours": "Thứ 2–thứ 7, 7:30–17:00", "address": "Ấp Phú Thọ A"}), "quantri")
    network.pull("TN-PHUTHO")
    device = network.devices["TN-PHUTHO"]
    row = device.store.one("SELECT name, opening_hours, address FROM libraries "
                           "WHERE code = 'TN-PHUTHO'")
    assert tuple(row) == ("Thư viện xã Phú Thọ (mới)", "Thứ 2–thứ 7, 7:30–17:00", "Ấp Phú Thọ A")
    assert device.store.scalar("SELECT COUNT(*) FROM quarantine") == 0
    network.pull("TN-TRAMCHIM")  # another library's devices never receive it
    other = network.devices["TN-TRAMCHIM"].store.scalar(
        "SELECT name FROM libraries WHERE code = 'TN-PHUTHO'")
    assert other != "Thư viện xã Phú Thọ (mới)"


def _place(hub, code: str, commune: str) -> None:
    hub.put("libraries", code, {"commune_code": commune}, library_id=code)


def test_reports_roll_up_library_commune_cluster_and_kind(activity):
    hub = activity.district
    units.import_csv(hub, EXAMPLE)
    _place(hub, "TN-PHUTHO", "VIDU-0002")
    _place(hub, "TN-PHUTHANHA", "VIDU-0002")
    _place(hub, "TN-TRAMCHIM", "VIDU-0003")
    report = reports.annual(hub.store, 2026, starts=10)
    communes = {g.name: g for g in report.communes}
    assert communes["Xã Phú Thọ"].libraries == 2
    assert communes["Xã Phú Thọ"].values["loans"] == report.totals["TN-PHUTHO"]["loans"] == 3
    assert communes["Xã Tràm Chim"].values["renewals"] == 1
    [cluster] = report.clusters
    assert (cluster.name, cluster.libraries, cluster.values["loans"]) == \
        ("Tam Nông (huyện cũ)", 3, 3)
    assert report.province == "Tỉnh Đồng Tháp"
    rollup = report_files.rollup_rows(report, HubConfig(level="tinh"))
    assert rollup[-1][:4] == ["Tỉnh", "", "Tỉnh Đồng Tháp", 3]
    assert [r[2] for r in rollup if r[0] == "Xã/phường"] == ["Xã Phú Thọ", "Xã Tràm Chim"]


def test_a_closed_month_keeps_its_figures_when_late_changes_arrive(activity):
    hub = activity.district
    phutho = activity.devices["TN-PHUTHO"]
    before = reports.monthly(hub.store, "2026-03").totals["TN-PHUTHO"]
    assert closing.close_month(hub, "2026-03", "quantri")
    assert not closing.close_month(hub, "2026-03", "quantri")
    at(phutho, "2026-03-20T09:00:00")  # a visit made in March, synced long after
    phutho.circulation.record_visit("PT-000001")
    at(phutho, "2026-11-19T09:00:00")
    phutho.catalogue.update_item("PT000010", status="withdrawn")
    activity.sync("TN-PHUTHO")
    march = reports.monthly(hub.store, "2026-03")
    assert march.totals["TN-PHUTHO"] == before and march.final
    assert closing.live(hub.store, "2026-03")["TN-PHUTHO"]["visits"] == before["visits"] + 1
    november = reports.monthly(hub.store, "2026-11").totals["TN-PHUTHO"]
    assert november["withdrawals"] == 1 and not reports.monthly(hub.store, "2026-11").final


def test_months_close_by_themselves_once_the_grace_days_are_over(activity):
    hub = activity.district
    due = closing.due(hub.store, dt.date(2026, 11, 20), 10)
    assert due[0] == "2025-09" and due[-1] == "2026-10"
    assert closing.due(hub.store, dt.date(2026, 11, 5), 10)[-1] == "2026-09"
    closing.close_due(hub, 10)
    assert reports.annual(hub.store, 2026, starts=10).final
    assert reports.annual(hub.store, 2026, starts=10).totals["TN-PHUTHO"]["active_users"] == 2
    assert not reports.annual(hub.store, 2026).final  # November and December are still open


@pytest.fixture
def province(tmp_path):
    """A province hub with 300 libraries (long names among them) and some loans."""
    hub = open_library(tmp_path / "tinh.db", FixedClock("2026-11-20T09:00:00"))
    init_library(hub, "DONGTHAP", "Thư viện tỉnh Đồng Tháp", kind="district")
    hub.store.set_meta("role", enrolment.DISTRICT_ROLE)
    accounts.ensure_schema(hub)
    with hub.transaction():
        for n in range(1, 301):
            code = f"DT-{n:03d}"
            name = f"Thư viện số {n:03d}" + (" — điểm đọc sách cộng đồng ấp Long Hưng A, xã "
                                                "Long Khánh" if n % 50 == 0 else "")
            hub.put("libraries", code, {"name": name, "kind": "public"}, library_id=code)
            for _ in range(n % 7):
                hub.record("visit", {"patron_id": None}, library_id=code)
    yield hub
    hub.store.close()


def test_the_report_files_stay_correct_for_300_libraries(province, tmp_path):
    report = reports.monthly(province.store, "2026-11")
    assert len(report.libraries) == 300
    config = HubConfig(level="tinh")
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(report_files.to_pdf(report, config))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    assert len(pages) > 10
    for line in text.splitlines():
        assert len(re.findall(r"Thư viện số \d{3}", line)) <= 1, line  # no rows overlap
    shown = set(re.findall(r"Thư viện số (\d{3})", text))
    assert shown == {f"{n:03d}" for n in range(1, 301)}
    assert "Toàn tỉnh" in text and "trang 2/" in text
    rows = list(csv.DictReader(io.StringIO(
        report_files.to_csv(report, config).decode("utf-8-sig"))))
    assert len(rows) == 300 * 2 + 1 and rows[-1]["Thư viện"] == "Toàn tỉnh"
    assert sum(int(r["Lượt bạn đọc đến thư viện"]) for r in rows[:-1] if r["Tháng"] == "Cả kỳ") == \
        sum(n % 7 for n in range(1, 301))
    wb = openpyxl.load_workbook(io.BytesIO(report_files.to_xlsx(report, config)))
    assert wb["Tổng hợp"].max_row == 3 + 300 + 1


def test_the_report_pages_of_a_province_say_tinh_and_answer(province, tmp_path):
    from starlette.testclient import TestClient

    accounts.create_user(province, "thongke", "thong-ke-tinh-2026", accounts.INSPECTOR)
    app = create_app(province.store.path, province, config=HubConfig(level="tinh"))
    with TestClient(app) as http:
        page = http.get("/").text
        assert "Tra cứu sách trong tỉnh" in page
        form = http.get("/quan-tri/dang-nhap").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        http.post("/quan-tri/dang-nhap", data={"username": "thongke",
                                              "password": "thong-ke-tinh-2026",
                                              "csrf_token": token})
        month = http.get("/bao-cao/thang/2026-11")
        assert month.status_code == 200 and "Toàn tỉnh" in month.text
        assert http.get("/bao-cao/thang-2026-11.pdf").content.startswith(b"%PDF")


def test_a_hub_from_before_the_reform_upgrades_and_stamps_every_record(network):
    hub = network.district
    assert "0003_province_hub" not in schema.applied(hub.store)
    create_app(hub.store.path, hub)
    assert "0003_province_hub" in schema.applied(hub.store)
    assert hub.store.scalar("SELECT COUNT(*) FROM district_oai_records") == \
        hub.store.scalar("SELECT COUNT(*) FROM records") == 7
    assert hub.store.scalar("SELECT COUNT(DISTINCT stamp) FROM district_oai_records") == 1
