"""OAI-PMH as harvesters see it: every verb valid against the OAI-PMH 2.0 and oai_dc
schemas, datestamps when the hub received a change, deleted records, and a full and an
incremental harvest by an independent harvester (Sickle) over real HTTP."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import requests
from lxml import etree
from sickle import Sickle

from district import oai

SCHEMAS = Path(__file__).parent / "oai_schemas"
NS = {"o": oai.OAI, "oai_dc": oai.OAI_DC, "dc": oai.DC}


@pytest.fixture(scope="module")
def schemas():
    return (etree.XMLSchema(etree.parse(str(SCHEMAS / "OAI-PMH.xsd"))),
            etree.XMLSchema(etree.parse(str(SCHEMAS / "oai_dc.xsd"))))


def valid(schemas, content: bytes):
    """The parsed response, after checking it against both schemas."""
    response, dublin_core = schemas
    root = etree.fromstring(content)
    response.assertValid(root)
    for dc in root.iterfind(".//oai_dc:dc", NS):
        dublin_core.assertValid(etree.fromstring(etree.tostring(dc)))
    return root


def get(served, schemas, **params):
    reply = requests.get(served.url + "/oai", params=params, timeout=10)
    assert reply.status_code == 200
    return valid(schemas, reply.content)


def ids(root) -> list[str]:
    return [h.text.rsplit(":", 1)[1] for h in root.iterfind(".//o:header/o:identifier", NS)]


def later(served, **delta) -> str:
    """Move the hub's clock on; returns the new time as an OAI datestamp."""
    clock = served.network.district.clock
    clock.set(clock.now() + dt.timedelta(**delta))
    return clock.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identifier(record_id: str) -> str:
    return f"oai:tamnong.thuvien:{record_id}"


def test_every_verb_and_every_error_is_valid_oai_pmh(served, schemas, monkeypatch):
    monkeypatch.setattr(oai, "PAGE", 3)
    record = served.network.records["de_men@TN-PHUTHO"]
    ident = get(served, schemas, verb="Identify").find("o:Identify", NS)
    assert ident.find("o:deletedRecord", NS).text == "persistent"
    get(served, schemas, verb="ListMetadataFormats")
    get(served, schemas, verb="ListMetadataFormats", identifier=identifier(record))
    assert len(get(served, schemas, verb="ListSets").findall(".//o:set", NS)) == 3
    seen = []
    for verb in ("ListIdentifiers", "ListRecords"):
        root = get(served, schemas, verb=verb, metadataPrefix="oai_dc")
        while True:
            seen.append((verb, ids(root)))
            token = root.find(f"o:{verb}/o:resumptionToken", NS)
            if token is None or not token.text:
                break
            root = get(served, schemas, verb=verb, resumptionToken=token.text)
    assert sorted(i for verb, page in seen if verb == "ListRecords" for i in page) == \
        sorted(i for verb, page in seen if verb == "ListIdentifiers" for i in page)
    assert len([i for verb, page in seen if verb == "ListRecords" for i in page]) == 7
    got = get(served, schemas, verb="GetRecord", identifier=identifier(record),
              metadataPrefix="oai_dc")
    assert got.find(".//dc:title", NS).text == "Dế Mèn phiêu lưu ký"
    for params in ({"verb": "Nhảy"}, {"verb": "ListRecords"}, {"verb": "GetRecord",
                   "metadataPrefix": "oai_dc", "identifier": "oai:x:\x01y"},
                   {"verb": "ListRecords", "resumptionToken": "rác"},
                   {"verb": "ListRecords", "metadataPrefix": "marc21"},
                   {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "TN-KHONG"},
                   {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2099-01-01"}):
        assert get(served, schemas, **params).find("o:error", NS) is not None, params


def test_control_characters_in_a_title_never_make_the_response_invalid(served, schemas):
    device = served.network.devices["TN-PHUTHO"]
    record = device.catalogue.add_record({"title": "Sổ tay\x0b nông dân\x01", "year": 2024,
                                          "authors": ["Tác giả\x1f"]})
    device.catalogue.add_item(record, "PT000077")
    served.network.sync("TN-PHUTHO")
    root = get(served, schemas, verb="GetRecord", identifier=identifier(record),
               metadataPrefix="oai_dc")
    assert root.find(".//dc:title", NS).text == "Sổ tay nông dân"
    get(served, schemas, verb="ListRecords", metadataPrefix="oai_dc", set="TN-PHUTHO")


def test_an_edit_made_offline_long_ago_is_stamped_when_the_hub_receives_it(served, schemas):
    device = served.network.devices["TN-TRAMCHIM"]
    record = served.network.records["dia_chi@TN-TRAMCHIM"]
    device.clock.set(dt.datetime.fromisoformat("2026-01-10T08:00:00+07:00"))
    device.catalogue.update_record(record, {"title": "Địa chí Đồng Tháp (tái bản)"})
    harvested_until = later(served, hours=1)
    arrived = later(served, hours=1)
    served.network.sync("TN-TRAMCHIM")  # a week (here: ten months) late
    since = get(served, schemas, verb="ListRecords", metadataPrefix="oai_dc",
                **{"from": harvested_until})
    assert ids(since) == [record]
    assert since.find(".//o:header/o:datestamp", NS).text == arrived
    assert since.find(".//dc:title", NS).text == "Địa chí Đồng Tháp (tái bản)"
    old = get(served, schemas, verb="ListIdentifiers", metadataPrefix="oai_dc",
              until="2026-01-31")
    assert old.find("o:error", NS).get("code") == "noRecordsMatch"


def test_a_record_whose_copies_are_all_withdrawn_is_reported_deleted_and_stays_so(served,
                                                                                  schemas):
    device = served.network.devices["TN-PHUTHANHA"]
    record = served.network.records["ca_tra@TN-PHUTHANHA"]
    since = later(served, minutes=5)
    for barcode in ("PTA000002", "PTA000003"):
        device.catalogue.update_item(barcode, status="withdrawn")
    served.network.sync("TN-PHUTHANHA")
    root = get(served, schemas, verb="ListIdentifiers", metadataPrefix="oai_dc",
               **{"from": since})
    [header] = root.findall(".//o:header", NS)
    assert header.get("status") == "deleted" and ids(root) == [record]
    got = get(served, schemas, verb="GetRecord", identifier=identifier(record),
              metadataPrefix="oai_dc")
    assert got.find(".//o:header", NS).get("status") == "deleted"
    assert got.find(".//o:metadata", NS) is None
    in_set = get(served, schemas, verb="ListIdentifiers", metadataPrefix="oai_dc",
                 set="TN-PHUTHANHA")
    statuses = {i: h.get("status") for i, h in zip(ids(in_set), in_set.iterfind(
        ".//o:header", NS))}
    assert statuses[record] == "deleted"
    later(served, days=30)
    assert get(served, schemas, verb="ListIdentifiers", metadataPrefix="oai_dc").find(
        f".//o:header[o:identifier='{identifier(record)}']", NS).get("status") == "deleted"


def test_sickle_harvests_everything_then_only_what_changed(served, monkeypatch):
    monkeypatch.setattr(oai, "PAGE", 2)
    harvester = Sickle(served.url + "/oai", max_retries=1, timeout=10)
    full = {r.header.identifier: r for r in harvester.ListRecords(metadataPrefix="oai_dc")}
    assert len(full) == served.network.district.store.scalar("SELECT COUNT(*) FROM records")
    de_men = full[identifier(served.network.records["de_men@TN-PHUTHO"])]
    assert de_men.metadata["title"] == ["Dế Mèn phiêu lưu ký"]
    assert de_men.header.setSpecs == ["TN-PHUTHO"]
    assert {s.setSpec for s in harvester.ListSets()} == {"TN-PHUTHO", "TN-PHUTHANHA",
                                                          "TN-TRAMCHIM"}

    since = later(served, minutes=10)
    phutho = served.network.devices["TN-PHUTHO"]
    phutho.catalogue.update_record(served.network.records["kieu2015@TN-PHUTHO"],
                                   {"subtitle": "Đoạn trường tân thanh"})
    added = phutho.catalogue.add_record({"title": "Cẩm nang khuyến nông", "year": 2025})
    phutho.catalogue.add_item(added, "PT000088")
    served.network.sync("TN-PHUTHO")
    changed = {r.header.identifier: r for r in
               harvester.ListRecords(metadataPrefix="oai_dc", **{"from": since})}
    assert set(changed) == {identifier(served.network.records["kieu2015@TN-PHUTHO"]),
                            identifier(added)}
    kieu = changed[identifier(served.network.records["kieu2015@TN-PHUTHO"])]
    assert kieu.metadata["title"] == ["Truyện Kiều : Đoạn trường tân thanh"]
    in_set = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="TN-PHUTHO",
                                            **{"from": since}))
    assert {h.identifier for h in in_set} == set(changed)


def test_list_pages_walk_the_stamp_index_so_a_harvest_is_linear(served):
    store = served.network.district.store
    for table, where in (("district_oai_records", "1"), ("district_oai_sets", "set_spec = ?")):
        args = ["TN-PHUTHO"] if table == "district_oai_sets" else []
        plan = " ".join(r["detail"] for r in store.all(
            f"EXPLAIN QUERY PLAN SELECT record_id, stamp, seq, deleted FROM {table} WHERE "
            f"{where} AND stamp >= ? AND stamp <= ? AND (stamp, seq) > (?, ?) "
            "ORDER BY stamp, seq LIMIT 101", [*args, "2026-01-01T00:00:00Z",
                                              "2027-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 0]))
        assert f"USING INDEX {table}_stamp" in plan and "TEMP B-TREE" not in plan, plan
