"""The `district` command as the district office's technician runs it."""

import subprocess
import sys

from district.accounts import authenticate
from kiosk.app import open_library


def district(db, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "district", "--db", str(db), *args],
                          capture_output=True, text=True, input=stdin, timeout=60)


def test_set_up_a_district_with_a_library_an_administrator_and_a_code(tmp_path):
    db = tmp_path / "district.db"
    assert district(db, "init").returncode == 0
    assert district(db, "library", "TN-ANLONG", "Thư viện xã An Long").returncode == 0
    added = district(db, "user", "add", "quantri", "--role", "admin", stdin="mat-khau-dai-1\n")
    assert added.returncode == 0, added.stderr
    code = district(db, "enrol-code", "--library", "TN-ANLONG")
    assert code.returncode == 0 and len(code.stdout.strip()) == 19
    lib = open_library(db)
    assert authenticate(lib, "quantri", "mat-khau-dai-1").role == "admin"
    assert b"mat-khau-dai-1" not in db.read_bytes()
    unknown = district(db, "enrol-code", "--library", "TN-KHONGCO")
    assert unknown.returncode == 1 and "TN-KHONGCO" in unknown.stderr


def test_a_kiosk_database_is_not_a_district(tmp_path):
    db = tmp_path / "kiosk.db"
    subprocess.run([sys.executable, "-m", "kiosk", "--db", str(db), "init", "--library", "TN-X",
                    "--name", "X"], check=True, capture_output=True)
    refused = district(db, "enrol-code", "--library", "TN-X")
    assert refused.returncode == 3 and "district" in refused.stderr
