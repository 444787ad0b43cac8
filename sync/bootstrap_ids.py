"""Id columns of a bootstrap block, packed by the node that minted them.

An entity id minted by a node (:meth:`kiosk.store.eventlog.EventLog.new_entity_id`) is a
16-hex-digit prefix (part of the node's origin and a random part drawn per process) and a
16-digit counter. Written as the 16 bytes of each id, a column costs several bytes a row
(16 for random ids); split into its parts, a prefix is named once per block and each id is
the step from the previous id of the same prefix: rows come in an order where it is mostly
a small number, often 0 (a record's field versions) or 1. A column whose 32-hex values
share no prefix (the random ids of an older database, event uuids) keeps the plain
``{"hex": BASE64}`` form.

The packed form of a block's column of ``n`` ids::

    {"ids": {"p": [PREFIX, ...], "k": [INDEX, ...], "d": [STEP, ...], "r": BASE64}}

- ``p``: the prefixes (16 hex digits) that two or more different ids of the block share;
- ``k``: per id, the index of its prefix in ``p``, or -1 for an id written whole;
- ``d``: per id with a prefix, its counter minus the previous counter of that prefix in
  the block (the first: minus 0);
- ``r``: the ids written whole, 16 bytes each, in order.

Any 32-hex value round-trips exactly, whoever minted it. A crafted column (an index outside
``p``, a counter stepping out of its 64 bits, lengths that disagree) is refused.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections import Counter
from typing import Any, Callable

from kiosk.store.eventlog import COUNTER_HEX, COUNTER_LIMIT, PREFIX_HEX

_PREFIX = re.compile(f"^[0-9a-f]{{{PREFIX_HEX}}}$")
KEYS = {"p", "k", "d", "r"}


def encode(values: list[str]) -> dict | None:
    """The packed column of ``values`` (32-hex ids), or None when no two share a prefix.

    A prefix is worth naming when two *different* ids share it: one random id repeated
    (an event's uuid on each of its fields) is cheaper whole, as the compressor's match.
    """
    shares: Counter = Counter()
    seen: set[str] = set()
    for value in values:
        if value not in seen:
            seen.add(value)
            shares[value[:PREFIX_HEX]] += 1
    prefixes = [p for p, n in shares.items() if n > 1]
    if not prefixes:
        return None
    index = {p: i for i, p in enumerate(prefixes)}
    last = [0] * len(prefixes)
    kinds, steps, whole = [], [], bytearray()
    for value in values:
        at = index.get(value[:PREFIX_HEX], -1)
        kinds.append(at)
        if at < 0:
            whole += bytes.fromhex(value)
            continue
        counter = int(value[PREFIX_HEX:], 16)
        steps.append(counter - last[at])
        last[at] = counter
    return {"ids": {"p": prefixes, "k": kinds, "d": steps,
                    "r": base64.b64encode(whole).decode("ascii")}}


def is_packed(column: Any) -> bool:
    return isinstance(column, dict) and len(column) == 1 and "ids" in column


def decode(column: dict, n: int, damaged: Callable[[str], Exception]) -> list[str]:
    """The ``n`` ids of a packed column; raises ``damaged(detail)`` on any malformed part."""
    packed = column["ids"]
    if not isinstance(packed, dict) or set(packed) != KEYS:
        raise damaged("cột mã định danh thiếu hoặc thừa phần")
    prefixes, kinds, steps = packed["p"], packed["k"], packed["d"]
    if not isinstance(prefixes, list) or not all(
            isinstance(p, str) and _PREFIX.match(p) for p in prefixes) or len(prefixes) > n:
        raise damaged("tiền tố mã định danh không hợp lệ")
    if not isinstance(kinds, list) or len(kinds) != n or not all(
            type(k) is int and -1 <= k < len(prefixes) for k in kinds):
        raise damaged("mã định danh trỏ tới tiền tố không có")
    counted = n - kinds.count(-1)
    if not isinstance(steps, list) or len(steps) != counted or not all(
            type(s) is int for s in steps):
        raise damaged("bước đếm mã định danh không hợp lệ")
    whole = _bytes(packed["r"], damaged)
    if len(whole) != 16 * (n - counted):
        raise damaged("mã định danh sai độ dài")
    last = [0] * len(prefixes)
    out = []
    step = raw = 0
    for at in kinds:
        if at < 0:
            out.append(whole[16 * raw:16 * raw + 16].hex())
            raw += 1
            continue
        counter = last[at] + steps[step]
        if not 0 <= counter < COUNTER_LIMIT:
            raise damaged("bộ đếm mã định danh vượt giới hạn")
        last[at] = counter
        out.append(f"{prefixes[at]}{counter:0{COUNTER_HEX}x}")
        step += 1
    return out


def _bytes(text: Any, damaged: Callable[[str], Exception]) -> bytes:
    if not isinstance(text, str):
        raise damaged("mã định danh không đọc được")
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise damaged("mã định danh không đọc được") from None
