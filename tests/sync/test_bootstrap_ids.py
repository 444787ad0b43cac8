"""Id columns in a bootstrap file (format version 3): the ids a node minted travel as a
prefix and a counter step, a fraction of a byte each; any mix of minted and random ids
comes back exactly; a crafted column is refused and nothing is installed."""

from __future__ import annotations

import base64
import json
import lzma

import pytest

from kiosk.app import open_library
from kiosk.core.clock import FixedClock
from kiosk.store.eventlog import COUNTER_LIMIT, new_id
from replication import new_node
from sync import bootstrap, snapshot
from test_bootstrap import PARTITION, a_library
from test_bootstrap_format import lines_of, resealed


def minted(lib, count: int) -> list[str]:
    with lib.transaction():
        return [lib.log.new_entity_id() for _ in range(count)]


def xz_bytes_per_id(column, ids: list[str]) -> float:
    return len(lzma.compress(bootstrap._line(column), preset=9)) / len(ids)


def whole(ids: list[str]) -> dict:
    return {"hex": base64.b64encode(b"".join(bytes.fromhex(i) for i in ids)).decode()}


def test_a_block_of_minted_ids_costs_a_fraction_of_a_byte_an_id_not_sixteen(tmp_path):
    lib = new_node(tmp_path / "counter.db")
    ids = minted(lib, bootstrap.BLOCK)
    packed = xz_bytes_per_id(bootstrap.encode_block([[i] for i in ids], 1), ids)
    random_ids = [new_id() for _ in ids]
    assert packed * 5 < xz_bytes_per_id(whole(ids), ids) < 16 < xz_bytes_per_id(
        whole(random_ids), random_ids)


def test_minted_ids_of_several_nodes_and_random_ids_come_back_exactly(tmp_path):
    a, b, c = (new_node(tmp_path / f"{name}.db") for name in "abc")
    ids = [x for pair in zip(minted(a, 300), minted(b, 300)) for x in pair]
    ids[::7] = [new_id() for _ in ids[::7]]      # random ids of an older database
    ids[100] = minted(c, 1)[0]                   # the one id of a third node in this block
    ids[200:204] = [ids[199]] * 4                # the same id again (a record's fields)
    rows = [[i, n] for n, i in enumerate(ids)]
    block = json.loads(bootstrap._line(bootstrap.encode_block(rows, 2)))
    assert "ids" in block[1]
    assert bootstrap.decode_block(block, 2) == rows
    random_only = [[new_id()] for _ in range(50)]
    plain = bootstrap.encode_block(random_only, 1)
    assert "hex" in plain[1] and bootstrap.decode_block(plain, 1) == random_only


def test_a_library_with_old_random_and_new_minted_ids_installs_with_the_same_rows(
        tmp_path, monkeypatch):
    counter = new_node(tmp_path / "counter.db")
    with monkeypatch.context() as before_the_change:
        before_the_change.setattr(counter.log, "new_entity_id", new_id)
        old = counter.catalogue.add_record({"title": "Truyện Kiều"})
        counter.catalogue.add_item(old, "PT01")
        counter.patrons.add("Bạn đọc cũ", "adult", card_number="C1")
    for n in range(30):
        record = counter.catalogue.add_record({"title": f"Sách mới {n}"})
        counter.catalogue.add_item(record, f"PT1{n:02d}")
    counter.patrons.add("Bạn đọc mới", "adult", card_number="C2")
    counter.circulation.checkout("C1", "PT100")
    counter.circulation.checkout("C2", "PT01")
    data, _ = snapshot.make(counter, PARTITION, compression="xz")
    snapshot.install(data, tmp_path / "kiosk.db", "TN-PHUTHO", None)
    kiosk = open_library(tmp_path / "kiosk.db", FixedClock("2026-11-20T12:00:00"))
    for sql in ("SELECT id, title FROM records ORDER BY id",
                "SELECT id, record_id, barcode FROM items ORDER BY id",
                "SELECT id, card_number FROM patrons ORDER BY id",
                "SELECT item_id, patron_id FROM loans ORDER BY item_id"):
        assert [tuple(r) for r in kiosk.store.all(sql)] == [tuple(r) for r in counter.store.all(sql)]
    kiosk.circulation.checkin("PT01")
    assert kiosk.store.scalar("SELECT COUNT(*) FROM loans") == 1


def crafted(tmp_path, change) -> bytes:
    """The file of a small library with one packed id column changed by ``change``."""
    counter = a_library(tmp_path / "counter.db")
    data, _ = snapshot.make(counter, PARTITION, compression="xz")
    counter.store.close()
    lines = lines_of(data)
    at = next(i for i, line in enumerate(lines) if b'{"ids"' in line)
    block = json.loads(lines[at])
    column = next(c for c in block if isinstance(c, dict) and "ids" in c)
    assert len(column["ids"]["d"]) >= 3
    change(column["ids"])
    lines[at] = json.dumps(block).encode()
    return resealed(lines)


def _set(key, value):
    return lambda ids: ids.__setitem__(key, value)


def _at(key, index, value):
    return lambda ids: ids[key].__setitem__(index, value)


ATTACKS = {
    "unknown prefix index": (lambda ids: ids["k"].__setitem__(
        next(i for i, k in enumerate(ids["k"]) if k >= 0), len(ids["p"])), "tiền tố không có"),
    "prefix index as true": (_at("k", 0, True), "tiền tố không có"),
    "huge step": (_at("d", 1, 10 ** 40), "vượt giới hạn"),
    "counter overflowing": (lambda ids: ids["d"].__setitem__(
        slice(0, 2), [COUNTER_LIMIT - 1, 1]), "vượt giới hạn"),
    "counter below zero": (_at("d", 1, -10 ** 6), "vượt giới hạn"),
    "step as a float": (_at("d", 0, 1.5), "bước đếm"),
    "a step missing": (lambda ids: ids["d"].pop(), "bước đếm"),
    "whole ids cut short": (lambda ids: ids.__setitem__(
        "r", base64.b64encode(base64.b64decode(ids["r"]) + b"x" * 15).decode()), "sai độ dài"),
    "whole ids not base64": (_set("r", "!!!"), "không đọc được"),
    "a prefix that is not hex": (_at("p", 0, "zz" * 6), "tiền tố mã định danh không hợp lệ"),
    "an unknown part": (_set("x", 1), "thiếu hoặc thừa"),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_crafted_id_column_is_refused_with_a_clear_message_and_nothing_is_installed(
        tmp_path, attack):
    change, message = ATTACKS[attack]
    data = crafted(tmp_path, change)
    with pytest.raises(bootstrap.Damaged, match=message) as refused:
        snapshot.install(data, tmp_path / "kiosk.db", "TN-PHUTHO", None)
    assert "không cài đặt gì" in str(refused.value)
    assert not (tmp_path / "kiosk.db").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".bootstrap")] == []
