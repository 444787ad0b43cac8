"""The administrative units the hub ships (Đồng Tháp after 1 July 2025) and what a hostile
units file can do: it is refused with a clear message and the hub's units stay as they were."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from district import accounts, units
from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.core.errors import LibraryError
from kiosk.core.node import init_library
from sync import enrolment

REPO = Path(__file__).parents[2]
SHIPPED = REPO / "district" / "data" / "units-82-dong-thap.csv"
TAM_NONG = "Huyện Tam Nông (Đồng Tháp cũ)"


def district(db, *args):
    return subprocess.run([sys.executable, "-m", "district", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=60)


def shipped_rows() -> list[dict[str, str]]:
    """The file as any CSV reader sees it, independently of the importer."""
    return list(csv.DictReader(io.StringIO(SHIPPED.read_text(encoding="utf-8"))))


@pytest.fixture
def hub(tmp_path):
    lib = open_library(tmp_path / "tinh.db", FixedClock("2026-11-20T09:00:00"))
    init_library(lib, "DONGTHAP", "Thư viện tỉnh Đồng Tháp", kind="district")
    lib.store.set_meta("role", enrolment.DISTRICT_ROLE)
    accounts.ensure_schema(lib)
    yield lib
    lib.store.close()


def held(lib) -> tuple[list, list, list]:
    """Everything an import could change: units, clusters and the libraries' links."""
    store = lib.store
    return ([tuple(r) for r in store.all("SELECT * FROM district_units ORDER BY code")],
            [tuple(r) for r in store.all("SELECT * FROM district_clusters ORDER BY code")],
            [tuple(r) for r in store.all("SELECT code, commune, commune_code FROM libraries "
                                         "ORDER BY code")])


def test_the_shipped_list_gives_the_102_communes_and_wards_of_dong_thap(tmp_path):
    db = tmp_path / "hub.db"
    assert district(db, "init", "--code", "DONGTHAP", "--name", "Thư viện tỉnh Đồng Tháp"
                    ).returncode == 0
    imported = district(db, "units", "import", "--builtin", "dong-thap")
    assert imported.returncode == 0, imported.stderr
    assert "1 tỉnh, 102 xã/phường, 23 cụm (103 đơn vị mới" in imported.stdout
    listed = district(db, "units", "list").stdout.splitlines()
    assert len(listed) == 102
    assert f"30001\tXã Tràm Chim\t{TAM_NONG}" in listed
    assert "30028\tXã An Long\t" in listed  # formed from two former districts: no cluster
    store = open_library(db).store
    levels = dict(store.all("SELECT level, COUNT(*) FROM district_units "
                            "WHERE province_code = '82' GROUP BY level"))
    assert levels == {"commune": 82, "ward": 20}
    assert store.scalar("SELECT name FROM district_units WHERE code = '82' "
                        "AND level = 'province'") == "Tỉnh Đồng Tháp"
    codes = [r["ma_xa"] for r in shipped_rows() if r["ma_xa"]]
    assert len(codes) == len(set(codes)) == 102
    assert all(len(code) == 5 and code.isdigit() for code in codes)


def test_tram_chims_code_in_the_hub_is_the_one_in_the_file_and_tam_nong_is_its_cluster(hub):
    units.import_builtin(hub, "dong-thap")
    [row] = [r for r in shipped_rows() if r["ten_xa"] == "Xã Tràm Chim"]
    assert row["ma_xa"] == "30001"
    unit = units.commune(hub.store, row["ma_xa"])
    assert (unit["name"], unit["level"], unit["province_code"]) == ("Xã Tràm Chim", "commune",
                                                                     "82")
    tam_nong = sorted(u["name"] for u in units.communes(hub.store) if u["cluster"] == TAM_NONG)
    assert tam_nong == ["Xã An Hòa", "Xã Phú Cường", "Xã Phú Thọ", "Xã Tam Nông",
                        "Xã Tràm Chim"]
    clusters = dict(hub.store.all("SELECT code, name FROM district_clusters"))
    assert clusters["HUYEN-CHAU-THANH-TIEN-GIANG-CU"] != clusters["HUYEN-CHAU-THANH-DONG-THAP-CU"]


def test_importing_the_same_list_again_changes_nothing_and_keeps_the_libraries_links(hub,
                                                                                   tmp_path):
    units.import_builtin(hub, "dong-thap")
    hub.put("libraries", "TV-TRAMCHIM", {"name": "Thư viện xã Tràm Chim", "kind": "public",
                                         "commune": "Xã Tràm Chim", "commune_code": "30001"},
            library_id="TV-TRAMCHIM")
    before = held(hub)
    hub.clock.set(hub.clock.now().replace(year=2027))
    again = units.import_builtin(hub, "dong-thap")
    assert (again["communes"], again["added"], again["changed"]) == (102, 0, 0)
    copy = tmp_path / "ban-sao.csv"
    copy.write_bytes(SHIPPED.read_bytes())
    assert units.import_csv(hub, copy)["changed"] == 0
    assert held(hub) == before  # not even the import date moved


def test_an_edited_list_renames_a_unit_and_keeps_units_missing_from_it(hub, tmp_path):
    units.import_builtin(hub, "dong-thap")
    edited = tmp_path / "don-vi-moi.csv"
    edited.write_text("ma_tinh,ten_tinh,ma_xa,ten_xa,cap,cum\n"
                      "82,Tỉnh Đồng Tháp,30028,Xã An Long,xã,Huyện Tam Nông (Đồng Tháp cũ)\n",
                      encoding="utf-8")
    counts = units.import_csv(hub, edited)
    assert (counts["added"], counts["changed"]) == (0, 1)
    assert units.commune(hub.store, "30028")["cluster_code"] == "HUYEN-TAM-NONG-DONG-THAP-CU"
    assert hub.store.scalar("SELECT COUNT(*) FROM district_units WHERE level != 'province'") == 102


def _hostile(tmp_path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


HEADER = "ma_tinh,ten_tinh,ma_xa,ten_xa,cap,cum\n"
GOOD = "82,Tỉnh Đồng Tháp,30001,Xã Tràm Chim,xã,\n"


@pytest.mark.parametrize(("content", "message"), [
    ("ma_tinh;ten_tinh;ma_xa;ten_xa;cap;cum\n82;Tỉnh Đồng Tháp;30001;Xã Tràm Chim;xã;\n",
     "tệp thiếu cột: cap, cum, ma_tinh, ma_xa, ten_tinh, ten_xa (các cột phải cách nhau"),
    ("ma,ten\n82,Tỉnh Đồng Tháp\n", "tệp thiếu cột: cap, cum, ma_tinh, ma_xa, ten_tinh, ten_xa"),
    (HEADER + '82,Tỉnh Đồng Tháp,30001,"=HYPERLINK(""http://x.example/"",""Xã Tràm Chim"")",xã,\n',
     'dòng 2: tên xã "=HYPERLINK("http://x.exa" bắt đầu bằng "=": bảng tính'),
    (HEADER + "82,Tỉnh Đồng Tháp,30001,+Xã Tràm Chim,xã,\n", 'bắt đầu bằng "+"'),
    (HEADER + "82,Tỉnh Đồng Tháp,30001,Xã Tràm Chim,xã,@SUM(A1)\n", 'tên cụm "@SUM(A1)"'),
    (HEADER + "82,-2+3,30001,Xã Tràm Chim,xã,\n", 'tên tỉnh "-2+3" bắt đầu bằng "-"'),
    (HEADER + '82,Tỉnh Đồng Tháp,30001,"Xã Tràm\nChim",xã,\n', "tên xã có ký tự điều khiển"),
    (HEADER + GOOD + "82,Tỉnh Đồng Tháp,30001,Xã Tam Nông,xã,\n",
     "dòng 3: mã xã 30001 đã có ở dòng 2"),
    (HEADER + GOOD + "82,Tỉnh Tiền Giang,30010,Xã Tam Nông,xã,\n",
     'dòng 3: tỉnh mã 82 đã có tên "Tỉnh Đồng Tháp"'),
    (HEADER + "82,Tỉnh Đồng Tháp,82,Xã Tràm Chim,xã,\n", "mã 82 vừa là mã tỉnh vừa là mã xã"),
    (HEADER + "82,Tỉnh Đồng Tháp,30001,Xã Tràm Chim,xã,Tam Nông\n"
              "82,Tỉnh Đồng Tháp,30010,Xã Tam Nông,xã,Tam Nong\n",
     'cụm "Tam Nong" trùng mã với cụm "Tam Nông"'),
    (HEADER + "82,Tỉnh Đồng Tháp,30001,Xã Tràm Chim,xã,,=1+1\n", "dòng 2: nhiều ô hơn số cột"),
    (HEADER + "82,Tỉnh Đồng Tháp,30001,Xã Tràm Chim,huyện,\n", "cấp 'huyện' phải là xã"),
    (HEADER + "82,Tỉnh Đồng Tháp,30001,X" + "ã" * 120 + ",xã,\n", "tên xã dài quá 100 ký tự"),
    ((HEADER + GOOD).encode("utf-16"), "tệp không phải UTF-8"),  # Excel's "Unicode text"
])
def test_a_hostile_units_file_is_refused_whole_and_changes_nothing(hub, tmp_path, content,
                                                                    message):
    units.import_builtin(hub, "dong-thap")
    before = held(hub)
    with pytest.raises(LibraryError) as refused:
        units.import_csv(hub, _hostile(tmp_path, "don-vi.csv", content))
    assert message in refused.value.message
    assert held(hub) == before


def test_a_50_mb_file_is_refused_by_the_command_without_being_read(tmp_path):
    db = tmp_path / "hub.db"
    district(db, "init")
    assert district(db, "units", "import", "--builtin", "dong-thap").returncode == 0
    before = held(open_library(db))
    huge = tmp_path / "don-vi.csv"
    with huge.open("wb") as f:
        f.write(SHIPPED.read_bytes())
        f.truncate(50 * 1024 * 1024)
    refused = district(db, "units", "import", str(huge))
    assert refused.returncode == 1
    assert "tệp lớn hơn 2 MB" in refused.stderr and "Traceback" not in refused.stderr
    missing = district(db, "units", "import", str(tmp_path / "khong-co.csv"))
    assert missing.returncode == 1 and "không mở được tệp" in missing.stderr
    unknown = district(db, "units", "import", "--builtin", "ha-noi")
    assert unknown.returncode == 2 and "invalid choice: 'ha-noi'" in unknown.stderr
    assert held(open_library(db)) == before


def test_a_formula_in_a_unit_name_never_reaches_the_report_files(hub, tmp_path):
    """The refusal is what keeps the XLSX safe: a name starting with '=' is a live formula."""
    import openpyxl

    from district import report_files, reports

    units.import_builtin(hub, "dong-thap")
    hub.put("libraries", "TV-TRAMCHIM", {"name": "Thư viện xã Tràm Chim", "kind": "public",
                                         "commune_code": "30001"}, library_id="TV-TRAMCHIM")
    bad = _hostile(tmp_path, "don-vi.csv", HEADER + '82,Tỉnh Đồng Tháp,30001,"=HYPERLINK(""'
                   'http://x.example/"",""Xã Tràm Chim"")",xã,\n')
    with pytest.raises(LibraryError):
        units.import_csv(hub, bad)
    report = reports.monthly(hub.store, "2026-11")
    sheet = openpyxl.load_workbook(io.BytesIO(report_files.to_xlsx(report)))["Tổng hợp"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Xã Tràm Chim" in [c.value for c in cells]
    assert not [c for c in cells if c.data_type == "f"]


def test_the_demo_hubs_reports_roll_up_its_tam_nong_libraries_under_the_real_communes(network):
    from district_net import place_in_communes

    from district import report_files, reports
    from district.config import HubConfig

    place_in_communes(network)
    report = reports.annual(network.district.store, 2026)
    communes = {(g.code, g.name): g.libraries for g in report.communes}
    assert communes == {("30034", "Xã Phú Thọ"): 2, ("30001", "Xã Tràm Chim"): 1}
    assert [(g.name, g.libraries) for g in report.clusters] == [(TAM_NONG, 3)]
    rollup = report_files.rollup_rows(report, HubConfig(level="tinh"))
    assert ["Cụm", "HUYEN-TAM-NONG-DONG-THAP-CU", TAM_NONG, 3] in [r[:4] for r in rollup]
    assert rollup[-1][:4] == ["Tỉnh", "", "Tỉnh Đồng Tháp", 3]


def test_every_shipped_data_file_is_declared_as_package_data_so_the_wheel_carries_it():
    """An operator who installs the hub from its wheel gets ``--builtin dong-thap`` only if
    pyproject's package-data names the file (the wheel build itself needs PyPI)."""
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["district"]
    package = REPO / "district"
    declared = {p for pattern in patterns for p in package.glob(pattern)}
    shipped = set((package / "data").iterdir())
    assert SHIPPED in shipped and shipped <= declared, sorted(map(str, shipped - declared))
    text = units.builtin_file("dong-thap").read_text(encoding="utf-8")
    assert text == SHIPPED.read_text(encoding="utf-8")
