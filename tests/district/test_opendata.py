"""Open data, the library map and OAI-PMH, over real HTTP against a synced district."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import requests
import test_reports
from pymarc import MARCReader

from district import oai

COORDS = test_reports.COORDS
at = test_reports.at
activity = test_reports.activity  # the shared fixture


NS = {"o": oai.OAI, "oai_dc": oai.OAI_DC, "dc": oai.DC}


@pytest.fixture
def old_record(activity):
    """A title catalogued in January, to test from/until against ``updated_at``."""
    device = activity.devices["TN-PHUTHANHA"]
    at(device, "2026-01-15T08:00:00")
    record_id = device.catalogue.add_record({
        "title": "Sổ tay trồng lúa", "authors": ["Phạm Văn Lúa"], "year": 2024,
        "language": "vie",
        "subjects": ["Lúa"], "publisher": "Nông nghiệp"})
    device.catalogue.add_item(record_id, "PTA000099")
    activity.sync()
    return record_id


def oai_get(url: str, **params) -> ET.Element:
    reply = requests.get(url + "/oai", params=params, timeout=10)
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(reply.content)
    assert root.tag == f"{{{oai.OAI}}}OAI-PMH"
    assert root.find("o:responseDate", NS).text.endswith("Z")
    assert root.find("o:request", NS).text == url + "/oai"
    return root


def oai_error(root: ET.Element) -> str | None:
    error = root.find("o:error", NS)
    return None if error is None else error.get("code")


def test_geojson_lists_every_located_library_in_lon_lat_order(served, activity):
    data = requests.get(served.url + "/api/thu-vien.geojson", timeout=10).json()
    assert data["type"] == "FeatureCollection"
    features = {f["properties"]["code"]: f for f in data["features"]}
    assert set(features) == set(COORDS)
    for code, (lat, lon) in COORDS.items():
        assert features[code]["type"] == "Feature"
        assert features[code]["geometry"] == {"type": "Point", "coordinates": [lon, lat]}
    assert features["TN-PHUTHO"]["properties"]["status"] == "online"
    assert features["TN-TRAMCHIM"]["properties"]["status"] == "offline"
    assert features["TN-TRAMCHIM"]["properties"]["last_sync"].startswith("2026-11-17")
    assert features["TN-PHUTHANHA"]["properties"]["last_sync"] is None
    assert features["TN-PHUTHO"]["properties"]["name"] == "Thư viện xã Phú Thọ"


def test_open_data_has_the_catalogue_and_holdings_but_no_patrons(served, activity):
    store = activity.district.store
    patrons = store.all("SELECT name, phone, card_number FROM patrons")
    assert len(patrons) == 4
    texts = {}
    for path in ("thu-muc.csv", "thu-muc.json", "thu-muc.mrc", "thu-muc.xml", "thu-vien.csv",
                 "thu-vien.json", "thu-vien.geojson"):
        reply = requests.get(f"{served.url}/du-lieu-mo/{path}", timeout=30)
        assert reply.status_code == 200, path
        texts[path] = reply.content.decode("utf-8")
    for path, text in texts.items():
        for p in patrons:
            for value in p:
                if value:
                    assert value not in text, (path, value)
    catalogue = json.loads(texts["thu-muc.json"])
    assert len(catalogue) == store.scalar("SELECT COUNT(*) FROM records")
    kieu = next(r for r in catalogue if r["title"] == "Truyện Kiều" and r["year"] == 2015)
    assert kieu["holdings"] == {"TN-PHUTHO": 2} and kieu["authors"] == ["Nguyễn Du"]
    rows = list(csv.DictReader(io.StringIO(texts["thu-muc.csv"].lstrip("\ufeff"))))
    assert {r["Nhan đề"] for r in rows} >= {"Dế Mèn phiêu lưu ký", "Địa chí Đồng Tháp"}
    marc = list(MARCReader(io.BytesIO(texts["thu-muc.mrc"].encode("utf-8")), to_unicode=True))
    assert len(marc) == len(catalogue)
    registry = json.loads(texts["thu-vien.json"])
    assert "contact" not in registry[0]
    page = requests.get(served.url + "/du-lieu-mo", timeout=10).text
    for link in ("/du-lieu-mo/thu-muc.csv", "/du-lieu-mo/thu-muc.mrc", "/oai?verb=Identify"):
        assert link in page


def test_oai_identify_and_formats(served, activity):
    root = oai_get(served.url, verb="Identify")
    ident = root.find("o:Identify", NS)
    for tag in ("repositoryName", "baseURL", "protocolVersion", "adminEmail",
                "earliestDatestamp", "deletedRecord", "granularity"):
        assert ident.find(f"o:{tag}", NS) is not None, tag
    assert ident.find("o:protocolVersion", NS).text == "2.0"
    assert ident.find("o:baseURL", NS).text == served.url + "/oai"
    formats = oai_get(served.url, verb="ListMetadataFormats").findall(".//o:metadataPrefix", NS)
    assert [f.text for f in formats] == ["oai_dc"]
    sets = oai_get(served.url, verb="ListSets").findall(".//o:setSpec", NS)
    assert {s.text for s in sets} == {"TN-PHUTHO", "TN-PHUTHANHA", "TN-TRAMCHIM"}


def test_oai_list_records_pages_to_the_end(served, activity, old_record, monkeypatch):
    monkeypatch.setattr(oai, "PAGE", 3)
    total = activity.district.store.scalar("SELECT COUNT(*) FROM records")
    assert total == 8
    seen, pages = [], 0
    root = oai_get(served.url, verb="ListRecords", metadataPrefix="oai_dc")
    while True:
        pages += 1
        records = root.findall("o:ListRecords/o:record", NS)
        for record in records:
            seen.append(record.find("o:header/o:identifier", NS).text)
            dc = record.find("o:metadata/oai_dc:dc", NS)
            assert dc.find("dc:title", NS).text
            assert record.find("o:header/o:datestamp", NS).text.endswith("Z")
        token = root.find("o:ListRecords/o:resumptionToken", NS)
        assert token.get("completeListSize") == str(total)
        if not token.text:
            break
        root = oai_get(served.url, verb="ListRecords", resumptionToken=token.text)
    assert pages == 3 and len(seen) == len(set(seen)) == total


def test_oai_get_record_is_dublin_core(served, activity):
    record_id = activity.records["de_men@TN-PHUTHO"]
    identifier = f"oai:tamnong.thuvien:{record_id}"
    root = oai_get(served.url, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    record = root.find("o:GetRecord/o:record", NS)
    assert record.find("o:header/o:identifier", NS).text == identifier
    assert [s.text for s in record.findall("o:header/o:setSpec", NS)] == ["TN-PHUTHO"]
    dc = record.find("o:metadata/oai_dc:dc", NS)
    assert dc.find("dc:title", NS).text == "Dế Mèn phiêu lưu ký"
    assert dc.find("dc:creator", NS).text == "Tô Hoài"
    assert dc.find("dc:date", NS).text == "2020"
    assert dc.find("dc:identifier", NS).text.startswith("urn:isbn:978604212345")
    assert "Văn học thiếu nhi" in [s.text for s in dc.findall("dc:subject", NS)]


def test_oai_from_until_and_sets_filter(served, old_record):
    """Datestamps are when the hub received a record (here the hub's 2026-11-20 09:00,
    02:00 UTC), not when its library catalogued it (January)."""
    def ids(**params):
        root = oai_get(served.url, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)
        return oai_error(root) or [h.text.rsplit(":", 1)[1] for h in
                                   root.findall("o:ListIdentifiers/o:header/o:identifier", NS)]

    assert ids(until="2026-01-31") == "noRecordsMatch"
    assert old_record in ids(**{"from": "2026-11-20"})
    assert old_record in ids(**{"from": "2026-11-20T02:00:00Z", "until": "2026-11-20T02:00:00Z"})
    assert ids(**{"from": "2026-11-20T02:00:01Z", "until": "2026-11-30T00:00:00Z"}) == \
        "noRecordsMatch"
    assert set(ids(set="TN-PHUTHANHA")) >= {old_record}
    assert old_record not in ids(set="TN-TRAMCHIM")


@pytest.mark.parametrize("params, code", [
    ({"verb": "Dance"}, "badVerb"),
    ({}, "badVerb"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "Identify", "extra": "1"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "hôm qua"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:y"},
     "idDoesNotExist"),
    ({"verb": "ListRecords", "resumptionToken": "rác"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2030-01-01"}, "noRecordsMatch"),
])
def test_oai_errors(served, activity, params, code):
    root = oai_get(served.url, **params)
    assert oai_error(root) == code
    if code in ("badVerb", "badArgument"):
        assert root.find("o:request", NS).attrib == {}
