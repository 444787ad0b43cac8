"""The bootstrap file's format (version 3, column blocks): rows come back exactly, a file
of another version or a malformed block is refused with what to do, and a server that
still holds a file of the old version makes a new one instead of serving it."""

from __future__ import annotations

import base64
import json
import lzma

import pytest

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from sync import bootstrap, bootstrap_serve, snapshot
from test_bootstrap import PARTITION, a_library

ID = "0123456789abcdef0123456789abcdef"


def lines_of(data: bytes) -> list[bytes]:
    return lzma.decompress(data).split(b"\n")[:-1]


def resealed(lines: list[bytes]) -> bytes:
    """The lines with a trailer that matches them (what a forger or an old writer makes)."""
    import hashlib

    body = [line for line in lines if not line.startswith(b'{"end"')]
    trailer = json.loads(next(line for line in lines if line.startswith(b'{"end"')))
    trailer["sha256"] = hashlib.sha256(b"".join(line + b"\n" for line in body)).hexdigest()
    return lzma.compress(b"".join(line + b"\n" for line in body)
                         + json.dumps(trailer).encode() + b"\n")


def test_a_block_keeps_every_value_exactly():
    rows = [[ID, "Truyện Kiều", None, 3, ID.upper()], [ID[::-1], "Số đỏ", None, -1, "x"]]
    block = bootstrap.encode_block(rows, 5)
    assert block[0] == 2 and block[3] is None and "hex" in block[1]
    assert bootstrap.decode_block(json.loads(bootstrap._line(block)), 5) == rows


def test_an_installed_file_has_the_same_ids_as_the_library(tmp_path):
    counter = a_library(tmp_path / "counter.db")
    data, _ = snapshot.make(counter, PARTITION, compression="xz")
    snapshot.install(data, tmp_path / "kiosk.db", "TN-PHUTHO", None)
    kiosk = open_library(tmp_path / "kiosk.db", FixedClock("2026-11-20T12:00:00"))
    for sql in ("SELECT id, record_id, barcode FROM items ORDER BY id",
                "SELECT id, card_number FROM patrons ORDER BY id",
                "SELECT origin_id, seq, uuid, payload FROM events WHERE type LIKE 'loan.%' "
                "ORDER BY origin_id, seq"):
        assert [tuple(r) for r in kiosk.store.all(sql)] == [tuple(r) for r in counter.store.all(sql)]


@pytest.mark.parametrize("version, advice", [(bootstrap.VERSION - 1, "hãy tạo lại tệp"),
                                             (bootstrap.VERSION + 1, "hãy cập nhật phần mềm")])
def test_a_file_of_another_format_version_is_refused_with_what_to_do(tmp_path, version, advice):
    counter = a_library(tmp_path / "counter.db")
    data, _ = snapshot.make(counter, PARTITION, compression="xz")
    lines = lines_of(data)
    header = json.loads(lines[0])
    header["version"] = version
    lines[0] = json.dumps(header).encode()
    with pytest.raises(bootstrap.Damaged, match=advice) as refused:
        snapshot.install(resealed(lines), tmp_path / "kiosk.db", "TN-PHUTHO", None)
    assert f"phiên bản {version}" in str(refused.value)
    assert not (tmp_path / "kiosk.db").exists()


def test_a_malformed_block_is_refused_even_with_a_matching_checksum(tmp_path):
    counter = a_library(tmp_path / "counter.db")
    data, _ = snapshot.make(counter, PARTITION, compression="xz")
    lines = lines_of(data)
    at = next(i for i, line in enumerate(lines) if b'"hex"' in line)
    block = json.loads(lines[at])
    column = next(i for i, c in enumerate(block) if isinstance(c, dict))
    block[column] = {"hex": base64.b64encode(b"short").decode()}
    lines[at] = json.dumps(block).encode()
    with pytest.raises(bootstrap.Damaged, match="sai độ dài"):
        snapshot.install(resealed(lines), tmp_path / "kiosk.db", "TN-PHUTHO", None)
    assert not (tmp_path / "kiosk.db").exists()


def test_a_server_never_serves_a_file_made_before_an_upgrade(tmp_path):
    counter = a_library(tmp_path / "counter.db")
    files = bootstrap_serve.BootstrapFiles(tmp_path / "counter.db")
    current = files.build_now(PARTITION, "TN-PHUTHO")
    key = bootstrap_serve.key_of(PARTITION)
    old = {**current, "version": bootstrap.VERSION - 1, "sha256": "a" * 64,
           "created": current["created"] + 60}
    (files.folder / f"{key}-{'a' * 64}.json").write_text(json.dumps(old))
    (files.folder / f"{key}-{'a' * 64}{bootstrap.SUFFIX}").write_bytes(b"old format")
    assert files.manifest(PARTITION, "TN-PHUTHO")["sha256"] == current["sha256"]
    files.build_now(PARTITION, "TN-PHUTHO")
    assert not (files.folder / f"{key}-{'a' * 64}{bootstrap.SUFFIX}").exists()
    counter.store.close()


def test_long_blocks_are_split_and_a_line_over_the_cap_is_refused(tmp_path, monkeypatch):
    counter = a_library(tmp_path / "counter.db")
    monkeypatch.setattr(bootstrap, "MAX_LINE", 600)
    data, _ = snapshot.make(counter, PARTITION, compression="xz")
    assert all(len(line) < 600 for line in lines_of(data))
    snapshot.install(data, tmp_path / "kiosk.db", "TN-PHUTHO", None)
    kiosk = open_library(tmp_path / "kiosk.db", FixedClock("2026-11-20T12:00:00"))
    sql = "SELECT id, barcode FROM items ORDER BY id"
    assert [tuple(r) for r in kiosk.store.all(sql)] == [tuple(r) for r in counter.store.all(sql)]

    monkeypatch.setattr(bootstrap, "MAX_LINE", 32 * 1024 * 1024)
    whole, _ = snapshot.make(counter, PARTITION, compression="xz")
    assert len(lines_of(whole)) < len(lines_of(data))  # the same rows in fewer, longer blocks
    monkeypatch.setattr(bootstrap, "MAX_LINE", 600)
    with pytest.raises(bootstrap.Damaged, match="dài quá mức"):
        snapshot.install(whole, tmp_path / "other.db", "TN-PHUTHO", None)
    assert not (tmp_path / "other.db").exists()
