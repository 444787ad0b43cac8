"""Sync by USB stick: hub -> stick -> library -> stick -> hub, idempotent and in any order,
and a bundle from a revoked device, another library or a tampered file is refused."""

from __future__ import annotations

import lzma

import pytest

from district.cli import main as district_main
from kiosk.app import open_library
from kiosk.cli import main as kiosk_main
from kiosk.core.clock import FixedClock
from replication import new_node, transfer
from sync import enrolment, identity, joining, replica
from sync.bundle import BundleRefused, export, import_bundle
from sync.validate import event_to_wire


def forge(path, signer, events):
    """A correctly signed bundle by ``signer``'s device carrying ``events``."""
    import hashlib

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sync import bundle

    lines = [bundle._line({"format": bundle.FORMAT, "version": bundle.VERSION,
                           "sender": identity.device_id(signer.store), "library": signer.code,
                           "vector": {}})] + [bundle._line(e) for e in events]
    digest = hashlib.sha256(b"".join(lines)).hexdigest()
    key = Ed25519PrivateKey.from_private_bytes(bundle._unb64(identity.private_key(signer.store)))
    lines.append(bundle._line({"end": True, "sha256": digest,
                               "signature": bundle._b64(key.sign(bundle._signed_text(digest)))}))
    path.write_bytes(lzma.compress(b"".join(lines)))
    return path


def loans(lib):
    return sorted((r[0], r[1]) for r in lib.store.all(
        "SELECT i.barcode, p.card_number FROM loans l JOIN items i ON i.id = l.item_id "
        "JOIN patrons p ON p.id = l.patron_id"))


@pytest.fixture
def site(tmp_path):
    """A hub, a library's counter (no link) and a kiosk of the library that reaches the hub."""
    hub = new_node(tmp_path / "hub.db", FixedClock("2026-11-20T08:00:00"), code="TAMNONG")
    hub.store.set_meta("role", enrolment.DISTRICT_ROLE)
    counter = open_library(tmp_path / "counter.db", FixedClock("2026-11-20T09:00:00"))
    joining.found_library(counter, "TN-PHUTHO", "Thư viện xã Phú Thọ", device_name="quầy")
    counter.store.set_meta("hub_public_key", enrolment.hub_keys(hub.store)[1])
    for n in range(6):
        record = counter.catalogue.add_record({"title": f"Sách {n}"})
        counter.catalogue.add_item(record, f"PT{n}")
    for card in ("C1", "C2", "C3"):
        counter.patrons.add(f"Bạn đọc {card}", "adult", card_number=card)
    kiosk = open_library(tmp_path / "kiosk.db", FixedClock("2026-11-20T10:00:00"))
    kiosk.store.set_meta("library_code", "TN-PHUTHO")
    transfer(counter, kiosk)
    transfer(counter, hub)   # once, when the counter was at the district office
    stick = tmp_path / "stick"
    return {"hub": hub, "counter": counter, "kiosk": kiosk, "stick": stick, "tmp": tmp_path}


def test_hub_to_stick_to_library_to_stick_to_hub(site):
    hub, counter, kiosk, stick = site["hub"], site["counter"], site["kiosk"], site["stick"]
    kiosk.circulation.checkout("C1", "PT1")
    transfer(kiosk, hub)                                   # the kiosk has a link, the counter not
    counter.circulation.checkout("C2", "PT2")              # offline at the counter

    to_library, count = export(hub, stick, peer_library="TN-PHUTHO")
    assert count > 0
    first = import_bundle(counter, to_library)
    assert first.applied == 1 and loans(counter) == [("PT1", "C1"), ("PT2", "C2")]
    assert first.reply is not None and first.reply.parent == stick and first.reply_events >= 1

    back = import_bundle(hub, first.reply)
    assert back.applied == first.reply_events and back.quarantined == 0
    assert loans(hub) == loans(counter)

    again = import_bundle(counter, to_library, reply=False)  # the same stick, once more
    assert (again.applied, again.duplicates) == (0, count)
    twice = import_bundle(hub, first.reply, reply=False)
    assert twice.applied == 0
    assert loans(hub) == loans(counter) == [("PT1", "C1"), ("PT2", "C2")]
    assert replica.vector(hub.store) == {**replica.vector(hub.store), **{
        o: s for o, s in replica.vector(counter.store).items()}}


def test_bundles_imported_out_of_order_wait_for_the_older_one_and_lose_nothing(site):
    hub, counter, kiosk, stick = site["hub"], site["counter"], site["kiosk"], site["stick"]
    kiosk.circulation.checkout("C1", "PT1")
    transfer(kiosk, hub)
    older, _ = export(hub, stick / "1", peer_library="TN-PHUTHO")
    kiosk.circulation.checkout("C3", "PT3")
    transfer(kiosk, hub)
    assumed = {**replica.vector(counter.store), **replica.vector(kiosk.store)}
    assumed[kiosk.log.origin_id] -= 1                      # "the counter has read the older stick"
    newer, _ = export(hub, stick / "2", peer_library="TN-PHUTHO", their=assumed)

    early = import_bundle(counter, newer, reply=False)
    assert early.applied == 0 and early.held_back == 1
    assert "nhập gói đó rồi nhập lại tệp này" in early.message()
    assert import_bundle(counter, older, reply=False).applied >= 1
    assert import_bundle(counter, newer, reply=False).applied == 1
    assert loans(counter) == loans(kiosk) == [("PT1", "C1"), ("PT3", "C3")]

    superset, _ = export(hub, stick / "3", peer_library="TN-PHUTHO")
    assert import_bundle(counter, older, reply=False).applied == 0   # older after newer: no-op
    assert import_bundle(counter, superset, reply=False).applied == 0


def test_a_bundle_from_a_revoked_device_or_another_library_or_a_tampered_file_is_refused(site):
    hub, counter, stick, tmp = site["hub"], site["counter"], site["stick"], site["tmp"]
    counter.circulation.checkout("C1", "PT1")
    from_counter, _ = export(counter, stick, peer="hub")

    raw = lzma.decompress(from_counter.read_bytes())
    tampered = stick / "tampered.kbundle"
    tampered.write_bytes(lzma.compress(raw.replace(b'"C1"', b'"C2"', 1) if b'"C1"' in raw
                                       else raw.replace(b"loan.checkout", b"loan.checkin", 1)))
    with pytest.raises(BundleRefused, match="SHA-256 không khớp"):
        import_bundle(hub, tampered)
    cut = stick / "cut.kbundle"
    cut.write_bytes(from_counter.read_bytes()[:-40])
    with pytest.raises(BundleRefused, match="hỏng|cắt cụt"):
        import_bundle(hub, cut)

    other = open_library(tmp / "other.db", FixedClock("2026-11-20T09:00:00"))
    joining.found_library(other, "TN-TRAMCHIM", "Thư viện xã Tràm Chim", device_name="quầy")
    other.patrons.add("Người Tràm Chim", "adult", card_number="TC1")
    transfer(other, hub)
    foreign, _ = export(other, stick / "other", peer="TN-PHUTHO-counter")
    with pytest.raises(BundleRefused, match="thiết bị lạ"):   # not of this library
        import_bundle(counter, foreign)
    assert counter.store.one("SELECT 1 FROM patrons WHERE card_number = 'TC1'") is None
    phutho_events = [event_to_wire(e) for e in replica.events_since(
        counter.store, {}, {"TN-PHUTHO"})[0]][:5]
    forged = forge(stick / "forged.kbundle", other, phutho_events)
    with pytest.raises(BundleRefused, match="sự kiện của thư viện khác"):
        import_bundle(hub, forged)

    device = identity.device_id(counter.store)
    identity.revoke(hub, device, by="quản trị")
    with pytest.raises(BundleRefused, match="thu hồi"):
        import_bundle(hub, from_counter)
    assert ("PT1", "C1") not in loans(hub)


def test_the_commands_round_trip_through_one_stick(site, capsys):
    hub, counter, kiosk, stick, tmp = (site[k] for k in ("hub", "counter", "kiosk", "stick", "tmp"))
    kiosk.circulation.checkout("C1", "PT4")
    transfer(kiosk, hub)
    hub_db, counter_db = str(tmp / "hub.db"), str(tmp / "counter.db")
    hub.store.close()
    counter.circulation.checkout("C2", "PT5")
    counter.store.close()

    assert district_main(["--db", hub_db, "bundle", "export", "--library", "TN-PHUTHO",
                          "--to", str(stick)]) == 0
    [made] = stick.glob("*.kbundle")
    assert kiosk_main(["--db", counter_db, "bundle", "import", str(made)]) == 0
    out = capsys.readouterr().out
    assert "Đã nhập gói từ hub: 1 sự kiện mới" in out and "Gói trả lời" in out
    [reply] = [p for p in stick.glob("*.kbundle") if p != made]
    assert district_main(["--db", hub_db, "bundle", "import", str(reply)]) == 0
    assert "1 sự kiện mới" in capsys.readouterr().out
    assert kiosk_main(["--db", counter_db, "bundle", "export", "--to", str(stick / "next")]) == 0
    assert "Đã ghi 1 sự kiện" in capsys.readouterr().out   # not acknowledged yet: sent again
    [answer] = [p for p in stick.glob("*.kbundle") if p not in (made, reply)]
    assert kiosk_main(["--db", counter_db, "bundle", "import", str(answer), "--no-reply"]) == 0
    assert "0 sự kiện mới" in capsys.readouterr().out
    assert kiosk_main(["--db", counter_db, "bundle", "export", "--to", str(stick / "last")]) == 0
    assert "Đã ghi 0 sự kiện" in capsys.readouterr().out   # the hub's answer acknowledged it
    assert loans(open_library(hub_db)) == [("PT4", "C1"), ("PT5", "C2")]
