"""OAI-PMH 2.0 over the union catalogue, Dublin Core only, one set per library.

Harvesters (the provincial library, national union catalogues) page through the
catalogue with resumption tokens. A record's datestamp is when the hub *received* its
latest change (``district/received.py``), not the record's own ``updated_at``: an edit
made at a library offline for a week and synced today is stamped today, so a
harvester asking for "everything since my last harvest" gets it. Lists walk the
``(stamp, seq)`` index of ``district_oai_records`` (or of ``district_oai_sets`` for a
set), and a token carries the last ``(stamp, seq)`` sent, the list size and the cursor:
each page is one index range, so a harvest is linear in what it lists, and a record
changed while a harvester pages moves to the end and comes again rather than being
missed. Records whose row is gone or whose copies are all withdrawn are reported as
deleted, for ever (``deletedRecord`` is ``persistent``). Text that XML 1.0 cannot carry
(control characters pasted into a title) is dropped, so every response is well formed.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from kiosk.store.db import Store

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
for _prefix, _uri in (("", OAI), ("oai_dc", OAI_DC), ("dc", DC), ("xsi", XSI)):
    ET.register_namespace(_prefix, _uri)

PAGE = 100
FORMATS = {"oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC)}
VERBS = {  # verb: (required, optional); resumptionToken is exclusive where allowed
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
TOKEN_KEYS = {"m", "f", "u", "s", "k", "t", "c"}
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def xml_text(value: Any) -> str:
    """``value`` as text XML 1.0 can carry: characters it forbids are dropped."""
    return NOT_XML.sub("", str(value))


def _sub(parent: ET.Element, ns: str, tag: str, text: Any = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, _q(ns, tag), {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def utc_stamp(moment: str) -> str:
    parsed = dt.datetime.fromisoformat(moment)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC)
    return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")


class Repository:
    def __init__(self, store: Store, base_url: str, name: str, namespace: str,
                 admin_email: str):
        self.store = store
        self.base_url = base_url
        self.name = name
        self.namespace = namespace
        self.admin_email = admin_email

    def identifier(self, record_id: str) -> str:
        return f"oai:{self.namespace}:{record_id}"

    def _record_id(self, identifier: str) -> str:
        prefix = f"oai:{self.namespace}:"
        if not identifier.startswith(prefix):
            raise OaiError("idDoesNotExist", f"không có biểu ghi {identifier}")
        return identifier[len(prefix):]

    def respond(self, args: Mapping[str, list[str]], now: dt.datetime) -> bytes:
        """The whole OAI-PMH response document for one request's arguments."""
        root = ET.Element(_q(OAI, "OAI-PMH"), {
            _q(XSI, "schemaLocation"): f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"})
        _sub(root, OAI, "responseDate", now.astimezone(dt.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"))
        request = _sub(root, OAI, "request", self.base_url)
        try:
            verb, params = self._check(args)
            body = ET.Element(_q(OAI, verb))
            getattr(self, f"_{verb}")(body, params)
            for key, value in {"verb": verb, **params}.items():
                request.set(key, xml_text(value))
            root.append(body)
        except OaiError as exc:
            if exc.code not in ("badVerb", "badArgument"):
                for key, value in args.items():
                    request.set(key, xml_text(value[0]))
            _sub(root, OAI, "error", exc.message, code=exc.code)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")

    def _check(self, args: Mapping[str, list[str]]) -> tuple[str, dict[str, str]]:
        verbs = args.get("verb", [])
        if len(verbs) != 1 or verbs[0] not in VERBS:
            raise OaiError("badVerb", "thiếu hoặc sai tham số verb")
        verb = verbs[0]
        required, optional = VERBS[verb]
        params = {}
        for key, values in args.items():
            if key == "verb":
                continue
            if key not in required | optional:
                raise OaiError("badArgument", f"tham số không hợp lệ: {key}")
            if len(values) != 1:
                raise OaiError("badArgument", f"tham số lặp lại: {key}")
            params[key] = values[0]
        if "resumptionToken" in params:
            if len(params) != 1:
                raise OaiError("badArgument", "resumptionToken phải là tham số duy nhất")
        elif not required <= params.keys():
            raise OaiError("badArgument", f"thiếu tham số: {', '.join(sorted(required))}")
        return verb, params

    def _Identify(self, el: ET.Element, params: dict[str, str]) -> None:
        earliest = self.store.scalar("SELECT MIN(stamp) FROM district_oai_records")
        _sub(el, OAI, "repositoryName", self.name)
        _sub(el, OAI, "baseURL", self.base_url)
        _sub(el, OAI, "protocolVersion", "2.0")
        _sub(el, OAI, "adminEmail", self.admin_email)
        _sub(el, OAI, "earliestDatestamp", earliest or "1970-01-01T00:00:00Z")
        _sub(el, OAI, "deletedRecord", "persistent")
        _sub(el, OAI, "granularity", "YYYY-MM-DDThh:mm:ssZ")

    def _ListMetadataFormats(self, el: ET.Element, params: dict[str, str]) -> None:
        if "identifier" in params:
            self._row(self._record_id(params["identifier"]))
        for prefix, (schema, namespace) in FORMATS.items():
            fmt = _sub(el, OAI, "metadataFormat")
            _sub(fmt, OAI, "metadataPrefix", prefix)
            _sub(fmt, OAI, "schema", schema)
            _sub(fmt, OAI, "metadataNamespace", namespace)

    def _ListSets(self, el: ET.Element, params: dict[str, str]) -> None:
        if "resumptionToken" in params:
            raise OaiError("badResumptionToken", "danh sách bộ không chia trang")
        for r in self.store.all("SELECT code, name FROM libraries WHERE kind != 'district' "
                                "ORDER BY code"):
            s = _sub(el, OAI, "set")
            _sub(s, OAI, "setSpec", r["code"])
            _sub(s, OAI, "setName", r["name"])

    def _GetRecord(self, el: ET.Element, params: dict[str, str]) -> None:
        self._format(params["metadataPrefix"])
        record_id = self._record_id(params["identifier"])
        listed = self.store.one("SELECT record_id, stamp, seq, deleted FROM district_oai_records "
                                "WHERE record_id = ?", (record_id,))
        if listed is None:
            raise OaiError("idDoesNotExist", f"không có biểu ghi {self.identifier(record_id)}")
        self._records(el, [listed], with_metadata=True)

    def _ListIdentifiers(self, el: ET.Element, params: dict[str, str]) -> None:
        self._list(el, params, with_metadata=False)

    def _ListRecords(self, el: ET.Element, params: dict[str, str]) -> None:
        self._list(el, params, with_metadata=True)

    def _format(self, prefix: str) -> None:
        if prefix not in FORMATS:
            raise OaiError("cannotDisseminateFormat", f"không hỗ trợ định dạng {prefix}")

    def _row(self, record_id: str):
        row = self.store.one("SELECT record_id FROM district_oai_records WHERE record_id = ?",
                             (record_id,))
        if row is None:
            raise OaiError("idDoesNotExist", f"không có biểu ghi {self.identifier(record_id)}")
        return row

    def _list(self, el: ET.Element, params: dict[str, str], with_metadata: bool) -> None:
        if "resumptionToken" in params:
            query = decode_token(params["resumptionToken"])
        else:
            query = {"m": params["metadataPrefix"], "f": _bound(params.get("from"), False),
                     "u": _bound(params.get("until"), True), "s": params.get("set"),
                     "k": None, "t": None, "c": 0}
            if "from" in params and "until" in params and \
                    len(params["from"]) != len(params["until"]):
                raise OaiError("badArgument", "from và until phải cùng độ chi tiết")
        self._format(query["m"])
        if query["s"] is not None and self.store.one(
                "SELECT 1 FROM libraries WHERE code = ?", (query["s"],)) is None:
            raise OaiError("badArgument", f"không có bộ {query['s']}")
        table = "district_oai_sets" if query["s"] else "district_oai_records"
        where, values = [], []
        if query["s"]:
            where.append("set_spec = ?")
            values.append(query["s"])
        if query["f"]:
            where.append("stamp >= ?")
            values.append(query["f"])
        if query["u"]:
            where.append("stamp <= ?")
            values.append(query["u"])
        condition = " AND ".join(where) or "1"
        total = query["t"]
        if total is None:
            total = self.store.scalar(f"SELECT COUNT(*) FROM {table} WHERE {condition}", values)
        after, after_values = "", []
        if query["k"]:
            after, after_values = " AND (stamp, seq) > (?, ?)", list(query["k"])
        rows = self.store.all(
            f"SELECT record_id, stamp, seq, deleted FROM {table} WHERE {condition}{after} "
            "ORDER BY stamp, seq LIMIT ?", (*values, *after_values, PAGE + 1))
        if not rows and query["k"] is None:
            raise OaiError("noRecordsMatch", "không có biểu ghi nào thỏa điều kiện")
        self._records(el, rows[:PAGE], with_metadata)
        if "resumptionToken" in params or len(rows) > PAGE:
            last = rows[PAGE - 1] if len(rows) > PAGE else None
            token = encode_token({**query, "k": [last["stamp"], last["seq"]], "t": total,
                                  "c": query["c"] + PAGE}) if last else ""
            _sub(el, OAI, "resumptionToken", token, completeListSize=str(total),
                 cursor=str(query["c"]))

    def _records(self, parent: ET.Element, listed: list, with_metadata: bool) -> None:
        """Headers (and Dublin Core) for ``listed`` rows of the stamp tables, in order."""
        ids = [r["record_id"] for r in listed]
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        rows = {r["id"]: r for r in self.store.all(
            f"SELECT * FROM records WHERE id IN ({marks})", ids)} if with_metadata else {}
        sets: dict[str, list[str]] = {}
        for r in self.store.all(f"SELECT record_id, set_spec FROM district_oai_sets WHERE "
                                f"record_id IN ({marks}) AND deleted = 0 ORDER BY set_spec", ids):
            sets.setdefault(r[0], []).append(r[1])
        for entry in listed:
            deleted = bool(entry["deleted"])
            row = rows.get(entry["record_id"])
            if with_metadata and row is None:
                deleted = True
            target = _sub(parent, OAI, "record") if with_metadata else parent
            header = _sub(target, OAI, "header", **({"status": "deleted"} if deleted else {}))
            _sub(header, OAI, "identifier", self.identifier(entry["record_id"]))
            _sub(header, OAI, "datestamp", entry["stamp"])
            for spec in sets.get(entry["record_id"], []):
                _sub(header, OAI, "setSpec", spec)
            if with_metadata and not deleted:
                dublin_core(_sub(target, OAI, "metadata"), row)


def dublin_core(parent: ET.Element, row) -> None:
    dc = ET.SubElement(parent, _q(OAI_DC, "dc"), {
        _q(XSI, "schemaLocation"): f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"})
    title = row["title"] + (f" : {row['subtitle']}" if row["subtitle"] else "")
    _sub(dc, DC, "title", title)
    for author in json.loads(row["authors"] or "[]"):
        _sub(dc, DC, "creator", author)
    for subject in json.loads(row["subjects"] or "[]"):
        _sub(dc, DC, "subject", subject)
    if row["ddc"]:
        _sub(dc, DC, "subject", f"DDC {row['ddc']}")
    if row["publisher"]:
        _sub(dc, DC, "publisher", row["publisher"])
    if row["year"]:
        _sub(dc, DC, "date", row["year"])
    _sub(dc, DC, "type", "Text")
    if row["isbn13"]:
        _sub(dc, DC, "identifier", f"urn:isbn:{row['isbn13']}")
    if row["language"]:
        _sub(dc, DC, "language", row["language"])


def _bound(value: str | None, end: bool) -> str | None:
    """A from/until argument as a UTC ``YYYY-MM-DDThh:mm:ssZ`` stamp (how stamps are kept)."""
    if value is None:
        return None
    if DAY.match(value):
        moment = f"{value}T{'23:59:59' if end else '00:00:00'}Z"
    elif SECOND.match(value):
        moment = value
    else:
        raise OaiError("badArgument", f"ngày không hợp lệ: {value}")
    try:
        dt.datetime.strptime(moment, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise OaiError("badArgument", f"ngày không hợp lệ: {value}") from None
    return moment


def encode_token(query: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(query, separators=(",", ":")).encode()).decode()


def decode_token(token: str) -> dict[str, Any]:
    try:
        query = json.loads(base64.urlsafe_b64decode(token.encode()))
        if not (isinstance(query, dict) and set(query) == TOKEN_KEYS
                and isinstance(query["t"], int) and isinstance(query["c"], int)
                and isinstance(query["k"], list) and len(query["k"]) == 2
                and isinstance(query["k"][0], str) and isinstance(query["k"][1], int)):
            raise ValueError(token)
        for key in ("m", "f", "u", "s"):
            if query[key] is not None and not isinstance(query[key], str):
                raise ValueError(token)
    except (ValueError, UnicodeDecodeError, TypeError):
        raise OaiError("badResumptionToken", "resumptionToken không hợp lệ hoặc đã hết hạn") \
            from None
    return query
