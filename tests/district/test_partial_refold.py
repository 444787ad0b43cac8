"""A late push at the hub refolds only its own libraries, and gets what a full refold gets."""

from __future__ import annotations

import datetime as dt
import shutil

from district_net import CARDS, _wire

from district import refold
from district.accounts import ensure_schema
from kiosk.app import open_library
from kiosk.core import fold
from sync import replica

A, B, C = "TN-PHUTHO", "TN-PHUTHANHA", "TN-TRAMCHIM"
TABLES = {"loans": "library_id = ?", "requests": "library_id = ?",
          "holds": "pickup_library = ?"}


def rows_of(store, library: str) -> dict[str, list[tuple]]:
    """Every derived circulation row of ``library``, column for column."""
    out = {t: [tuple(r) for r in store.all(f"SELECT * FROM {t} WHERE {w} ORDER BY id",
                                           (library,))] for t, w in TABLES.items()}
    out["conflicts"] = [tuple(r) for r in store.all(
        "SELECT c.* FROM conflicts c WHERE EXISTS (SELECT 1 FROM json_each(c.event_uuids) j "
        "JOIN events e ON e.uuid = j.value WHERE e.library_id = ?) ORDER BY c.id", (library,))]
    return out


def everything(store) -> dict[str, list[tuple]]:
    out = {t: [tuple(r) for r in store.all(f"SELECT * FROM {t} ORDER BY id")]
           for t in (*TABLES, "conflicts")}
    out["quarantine"] = [tuple(r) for r in store.all(
        "SELECT origin_id, seq, reason, status FROM quarantine ORDER BY origin_id, seq")]
    return out


def fully_refolded(hub, tmp_path) -> dict[str, list[tuple]]:
    hub.store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "full-refold.db"
    shutil.copy(hub.store.path, copy)
    other = open_library(copy, hub.clock)
    try:
        fold.rebuild_circulation(other.store)
        return everything(other.store)
    finally:
        other.store.close()


def push(net, code: str):
    events, _ = replica.events_since(net.devices[code].store, replica.vector(net.district.store),
                                     {code})
    return replica.apply_batch(net.district, _wire(events), allowed={code},
                               refold=refold.refold)


def busy_province(net):
    """Every library lends, returns, renews and holds; all of it reaches the hub in order."""
    ensure_schema(net.district)
    a, b, c = (net.devices[x] for x in (A, B, C))
    a.circulation.checkout(CARDS[A], "PT000001")
    a.holds.place(CARDS[A], net.records["kieu2015@TN-PHUTHO"])
    b.circulation.checkout(CARDS[B], "PTA000001")
    b.holds.place(CARDS[B], net.records["ca_tra@TN-PHUTHANHA"])
    c.circulation.checkout(CARDS[C], "TC000001")
    c.circulation.renew(CARDS[C], "TC000001")
    net.sync()
    for device in (b, c):  # the others carry on an hour later; library A is offline
        device.clock.advance(hours=1)
    b.circulation.checkin("PTA000001")
    b.circulation.checkout(CARDS[B], "PTA000002")
    c.circulation.checkin("TC000001")
    for code in (B, C):
        push(net, code)
    # The hub lends A's copy PT000002 at its web desk, in A's partition, after the others.
    net.district.clock.set(dt.datetime.fromisoformat("2026-11-20T11:00:00"))
    net.district.record("loan.checkout", {"item_id": item(net, "PT000002"),
                                          "patron_id": patron(net, A), "due_date": "2026-12-04"},
                        library_id=A)


def item(net, barcode: str) -> str:
    return net.district.store.scalar("SELECT id FROM items WHERE barcode = ?", (barcode,))


def patron(net, code: str) -> str:
    return net.district.store.scalar("SELECT id FROM patrons WHERE card_number = ?",
                                     (CARDS[code],))


def test_a_late_push_refolds_its_own_library_and_leaves_the_others_byte_identical(network,
                                                                                   tmp_path):
    busy_province(network)
    hub = network.district.store
    before = {code: rows_of(hub, code) for code in (B, C)}
    assert before[B]["loans"] and before[B]["holds"] and before[C]["loans"] == []
    # A's device, offline at 09:00, returned one copy and lent PT000002 before the hub did.
    a = network.devices[A]
    a.circulation.checkin("PT000001")
    a.circulation.checkout(CARDS[A], "PT000002")

    result = push(network, A)

    assert result.refolded and result.applied == 2
    assert {code: rows_of(hub, code) for code in (B, C)} == before
    assert everything(hub) == fully_refolded(network.district, tmp_path)
    [loan] = hub.all("SELECT * FROM loans WHERE library_id = ?", (A,))
    assert loan["item_id"] == item(network, "PT000002")
    # The device lent it first (in stamp order), so the hub's own loan is the conflict.
    assert loan["checked_out_at"].startswith("2026-11-20T09:00")
    assert hub.scalar("SELECT kind FROM conflicts WHERE item_id = ?",
                      (item(network, "PT000002"),)) == "double_checkout"


def test_a_library_that_touched_another_librarys_copy_is_refolded_with_it(network, tmp_path):
    busy_province(network)
    hub = network.district.store
    # B's device returns A's copy (a mis-scan): refused and kept aside, but the two
    # libraries now share a row, so a late push of either refolds both.
    b = network.devices[B]
    b.record("loan.checkin", {"item_id": item(network, "PT000001")})
    push(network, B)
    assert hub.scalar("SELECT reason FROM quarantine WHERE library_id = ?", (B,)) == "foreign_row"
    assert refold.group(hub, {A}) == {A, B}
    untouched = rows_of(hub, C)
    network.devices[A].circulation.checkin("PT000001")

    assert push(network, A).refolded
    assert rows_of(hub, C) == untouched
    assert everything(hub) == fully_refolded(network.district, tmp_path)
    assert [r[0] for r in hub.all("SELECT item_id FROM loans WHERE library_id = ?", (A,))] \
        == [item(network, "PT000002")]


def test_visits_arriving_late_change_nothing_and_refold_nothing(network):
    ensure_schema(network.district)
    network.devices[B].clock.advance(hours=1)
    network.devices[B].circulation.checkout(CARDS[B], "PTA000001")
    push(network, B)
    loans = rows_of(network.district.store, B)
    network.devices[A].circulation.record_visit(CARDS[A])

    result = push(network, A)

    assert result.applied == 1 and not result.refolded
    assert rows_of(network.district.store, B) == loans
