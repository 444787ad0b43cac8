"""The wire: paths, JSON bodies, gzip, and the limits both sides enforce."""

from __future__ import annotations

import gzip
import json
from typing import Any

PREFIX = "/sync/v1"
HELLO, ENROL, PULL, PUSH, SNAPSHOT = (f"{PREFIX}/{name}" for name in
                                      ("hello", "enrol", "pull", "push", "snapshot"))
MAX_BODY = 16 * 1024 * 1024
MAX_UNZIPPED = 64 * 1024 * 1024
SERVICE_TYPE = "_thuvien-sync._tcp.local."


class BadRequest(ValueError):
    """A request the server cannot read (bad gzip, bad JSON, too large)."""


def encode(data: Any) -> bytes:
    return gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
                         compresslevel=6)


def decode(body: bytes, gzipped: bool = True) -> Any:
    if len(body) > MAX_BODY:
        raise BadRequest("request too large")
    if gzipped:
        try:
            with gzip.GzipFile(fileobj=__import__("io").BytesIO(body)) as stream:
                body = stream.read(MAX_UNZIPPED + 1)
        except (OSError, EOFError) as exc:
            raise BadRequest(f"body is not valid gzip: {exc}") from None
        if len(body) > MAX_UNZIPPED:
            raise BadRequest("request too large once unzipped")
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(f"body is not UTF-8 JSON: {exc}") from None


def parse_vector(data: Any) -> dict[str, int]:
    if not isinstance(data, dict) or len(data) > 100_000:
        raise BadRequest("vector must be an object of origin -> seq")
    out = {}
    for origin, seq in data.items():
        if not isinstance(origin, str) or len(origin) > 64 or type(seq) is not int or seq < 0:
            raise BadRequest("vector must map origin ids to non-negative integers")
        out[origin] = seq
    return out
