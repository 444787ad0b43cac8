"""PIN verifiers: scrypt (memory-hard, in the standard library), at a cost tuned for a Pi 4.

A patron's verifier travels to every device of their home library, because each of them
must check a PIN with no network; anyone who copies such a device's SD card can guess
PINs offline. The key-derivation cost is what that guessing pays per try, and what a
patron pays once per sign-in on the slowest device that checks PINs (a Raspberry Pi 4).
The figures behind the choice, and what this does and does not protect against, are in
``docs/security.md``; ``python -m bench.pin_kdf`` measures them again.

Stored form: ``scrypt$N$r$p$<salt b64>$<digest b64>``. The parameters travel with each
hash, so hashes made at an older cost still verify, and :func:`needs_rehash` tells the
caller to store a new one at the current cost after the next successful check.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

SCHEME = "scrypt"
# N = 2**14, r = 12: 24 MiB and about 0.35 s per check on a Pi 4 (81–96 ms measured on the
# development machine, times the ratio of 4 argued in docs/security.md; ``python -m
# bench.pin_kdf`` measures again). r = 8 (16 MiB, ~0.25 s on a Pi 4) was the cost before
# 2026-12; such verifiers still open and are replaced on the next successful check.
N, R, P = 2**14, 12, 1
DKLEN = 32
SALT_BYTES = 16
PIN_LENGTHS = range(4, 9)
FORMAT_HINT = "mã PIN phải gồm 4–8 chữ số (nên dùng 6)"
# A stored verifier never makes a device spend more than this (a damaged or hostile row).
MAX_MEMORY = 256 * 1024 * 1024
MAX_WORK = 2**20 * 16

_DUMMY_SALT = b"\x00" * SALT_BYTES


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def memory_bytes(n: int, r: int, p: int = 1) -> int:
    """What one derivation allocates: 128·N·r for the ROMix vector plus 128·r·p for B."""
    return 128 * r * (n + p)


def derive(pin: str, salt: bytes, n: int = N, r: int = R, p: int = P, dklen: int = DKLEN) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=memory_bytes(n, r, p) + 1024 * 1024)


def hash_pin(pin: str) -> str:
    """A new verifier at the current cost."""
    salt = os.urandom(SALT_BYTES)
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(derive(pin, salt))}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        params = int(n), int(r), int(p)
        salt_bytes, expected = base64.b64decode(salt, validate=True), base64.b64decode(
            digest, validate=True)
    except (ValueError, TypeError):
        return None
    n_, r_, p_ = params
    if (scheme != SCHEME or n_ < 2 or n_ & (n_ - 1) or r_ < 1 or p_ < 1 or not expected
            or memory_bytes(n_, r_, p_) > MAX_MEMORY or n_ * r_ * p_ > MAX_WORK):
        return None
    return n_, r_, p_, salt_bytes, expected


def verify_pin(pin: str, stored: str | None) -> bool:
    """True when ``pin`` matches ``stored``.

    A card without a verifier (or with an unreadable one) still costs one derivation at
    the current cost, so the time taken does not tell which cards have a PIN.
    """
    parsed = _parse(stored) if stored else None
    if parsed is None:
        derive(pin, _DUMMY_SALT)
        return False
    n, r, p, salt, expected = parsed
    actual = derive(pin, salt, n, r, p, len(expected))
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str | None) -> bool:
    """True for a readable verifier made at less than the current cost."""
    parsed = _parse(stored) if stored else None
    if parsed is None:
        return False
    n, r, p, _, expected = parsed
    return n * r * p < N * R * P or n * r < N * R or len(expected) < DKLEN


def cost(stored: str) -> tuple[int, int, int] | None:
    """The (N, r, p) a verifier was made with; None when it is not one of ours."""
    parsed = _parse(stored)
    return None if parsed is None else parsed[:3]


def valid_pin_format(pin: str) -> bool:
    """4–8 ASCII digits (6 recommended). ``str.isdigit`` alone would take ``²`` or ``٣``."""
    return pin.isascii() and pin.isdigit() and len(pin) in PIN_LENGTHS
