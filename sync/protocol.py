"""The wire: paths, JSON bodies, gzip, and the limits both sides enforce.

Every body is hostile until checked, and each check costs no more than the limit it
enforces: the compressed size is capped before anything is read (:func:`body_limit`), gzip
is inflated in bounded steps that stop one byte past the cap (:func:`gunzip`), and JSON is
scanned for nesting depth and value count with C-speed byte operations before
``json.loads`` builds any object (:func:`check_json`). The endpoints anyone can reach
without a key (hello, enrolment, pairing) get caps 64 times smaller than the signed
ones: they carry a code and a device name, never a batch.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import time
import zlib
from typing import Any, Callable

from sync.limits import RateLimiter

PREFIX = "/sync/v1"
HELLO, ENROL, PULL, PUSH, SNAPSHOT = (f"{PREFIX}/{name}" for name in
                                      ("hello", "enrol", "pull", "push", "snapshot"))
PAIR = f"{PREFIX}/pair"
BOOTSTRAP = f"{PREFIX}/bootstrap"    # ranges of the file SNAPSHOT describes
SERVICE_TYPE = "_thuvien-sync._tcp.local."

MAX_BODY = 16 * 1024 * 1024          # a signed pull or push, as sent (gzip)
MAX_UNZIPPED = 64 * 1024 * 1024      # the same once inflated
MAX_PUBLIC_BODY = 256 * 1024         # hello, enrolment, pairing: a code and a name
MAX_PUBLIC_UNZIPPED = 1024 * 1024
MAX_DEPTH = 32                       # a real batch nests about 6 deep
MAX_VALUES = 2_000_000               # containers and separators: a full batch has ~200k
SIGNED_BODIES = frozenset({PULL, PUSH})
PUBLIC_POSTS = frozenset({ENROL, PAIR})  # JSON bodies anyone may send, decoded off the lock
SIGNED = frozenset({PULL, PUSH, SNAPSHOT, BOOTSTRAP})


class BadRequest(ValueError):
    """A request the server cannot read (bad gzip, bad JSON, too large): HTTP 400."""

    status = 400


class TooLarge(BadRequest):
    """A body over its cap, before or after decompression: HTTP 413."""

    status = 413


def body_limit(path: str) -> tuple[int, int]:
    """``(compressed, inflated)`` caps for a request to ``path``."""
    if path in SIGNED_BODIES:
        return MAX_BODY, MAX_UNZIPPED
    return MAX_PUBLIC_BODY, MAX_PUBLIC_UNZIPPED


def too_large_message(limit: int) -> str:
    return f"yêu cầu quá lớn: tối đa {_size(limit)}"


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def encode(data: Any) -> bytes:
    return gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
                         compresslevel=6)


def gunzip(body: bytes, limit: int) -> bytes:
    """Inflate ``body`` (one or more gzip members), never holding more than ``limit + 1``
    inflated bytes: a bomb is refused after ``limit`` bytes of work, whatever it claims."""
    out = bytearray()
    data = body
    while True:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = data
        try:
            while pending and not inflater.eof:
                out += inflater.decompress(pending, limit + 1 - len(out))
                if len(out) > limit:
                    raise TooLarge(f"{too_large_message(limit)} sau khi giải nén")
                pending = inflater.unconsumed_tail
        except zlib.error as exc:
            raise BadRequest(f"nội dung không phải gzip hợp lệ: {exc}") from None
        if not inflater.eof:
            raise BadRequest("nội dung gzip bị cắt cụt")
        data = inflater.unused_data
        if not data:
            return bytes(out)


_STRING = re.compile(rb'"[^"]*"')
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{},')


def check_json(raw: bytes, max_depth: int = MAX_DEPTH, max_values: int = MAX_VALUES) -> None:
    """Refuse JSON nested deeper than ``max_depth`` or with more than ``max_values``
    containers and elements, without parsing it: linear time, no recursion.

    Escaped backslashes and quotes are dropped first, so every remaining ``"`` delimits a
    string; then everything but ``"[]{},`` goes, and the strings are cut out: what is left
    is the document's skeleton.
    Each pass deletes the innermost pairs, so ``max_depth`` passes empty any document
    that is shallow enough. A malformed skeleton (``[}``) is left to ``json.loads``.
    """
    openers = raw.count(b"[") + raw.count(b"{")
    if openers <= max_depth and 2 * openers + raw.count(b",") <= max_values:
        return
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = _STRING.sub(b"", unescaped.translate(None, _NOT_STRUCTURE))
    if len(skeleton) > max_values:
        raise TooLarge(f"JSON có quá nhiều phần tử: tối đa {max_values}")
    skeleton = skeleton.translate(None, b",")
    if re.search(rb"[\[{]{%d}" % (max_depth + 1), skeleton):
        raise BadRequest(f"JSON lồng quá sâu: tối đa {max_depth} tầng")
    for _ in range(max_depth):
        if not skeleton:
            return
        # "[]" becomes a placeholder first, so "{[]}" loses one level per pass, not two
        shorter = skeleton.replace(b"[]", b".").replace(b"{}", b"").translate(None, b".")
        if len(shorter) == len(skeleton):
            return
        skeleton = shorter
    if skeleton:
        raise BadRequest(f"JSON lồng quá sâu: tối đa {max_depth} tầng")


def loads(raw: bytes, max_depth: int = MAX_DEPTH, max_values: int = MAX_VALUES) -> Any:
    """``json.loads`` for bytes from the network: depth and size checked first."""
    check_json(raw, max_depth, max_values)
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise BadRequest(f"JSON lồng quá sâu: tối đa {max_depth} tầng") from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError, or an int too long
        raise BadRequest(f"nội dung không phải JSON UTF-8: {exc}") from None


def decode(body: bytes, gzipped: bool = True, *, max_body: int = MAX_BODY,
           max_unzipped: int = MAX_UNZIPPED) -> Any:
    if len(body) > max_body:
        raise TooLarge(too_large_message(max_body))
    if gzipped:
        body = gunzip(body, max_unzipped)
    elif len(body) > max_unzipped:
        raise TooLarge(too_large_message(max_unzipped))
    return loads(body)


def decode_for(path: str, body: bytes) -> Any:
    """Decode a gzip JSON request body under the caps of ``path``."""
    max_body, max_unzipped = body_limit(path)
    return decode(body, max_body=max_body, max_unzipped=max_unzipped)


class ClientLimits:
    """Per-client rate limits on what anyone can reach without a key.

    Enrolment and pairing attempts are counted as they arrive (a success forgets the
    client, so a technician setting up ten devices is not slowed); failed signatures are
    counted after the 401, and a client over its budget is not even authenticated.
    An empty client (an in-process caller, not a network peer) is never limited.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.attempts = {ENROL: RateLimiter(10, 1 / 30, clock=clock),
                         PAIR: RateLimiter(5, 1 / 60, clock=clock)}
        self.bad_signature = RateLimiter(10, 1 / 6, clock=clock)

    def wait(self, path: str, client: str) -> int:
        """Seconds ``client`` must wait before ``path`` is served; 0 to serve it now."""
        if not client:
            return 0
        limiter = self.attempts.get(path)
        if limiter is not None:
            return 0 if limiter.allow(client) else _seconds(limiter.retry_after(client))
        if path in SIGNED:
            return _seconds(self.bad_signature.retry_after(client))
        return 0

    def settle(self, path: str, client: str, status: int) -> None:
        """Count the answer: forget a client that enrolled or paired, charge a 401."""
        if not client:
            return
        if status == 200 and path in self.attempts:
            self.attempts[path].reset(client)
        elif status == 401 and path in SIGNED:
            self.bad_signature.allow(client)


def _seconds(wait: float) -> int:
    return math.ceil(wait) if wait > 0 else 0


def too_many_message(seconds: int) -> str:
    return f"quá nhiều lần thử từ địa chỉ này: chờ {seconds} giây rồi thử lại"


def parse_vector(data: Any) -> dict[str, int]:
    if not isinstance(data, dict) or len(data) > 100_000:
        raise BadRequest("vector must be an object of origin -> seq")
    out = {}
    for origin, seq in data.items():
        if not isinstance(origin, str) or len(origin) > 64 or type(seq) is not int or seq < 0:
            raise BadRequest("vector must map origin ids to non-negative integers")
        out[origin] = seq
    return out
