"""Device keys and signed requests.

Every device has its own Ed25519 key pair, made on the device (``kiosk init``, ``kiosk
pair``, ``kiosk enrol``); the private half never leaves its ``meta`` table and is never
in a snapshot. The public half is a replicated row of the library (``device_registry``),
so any peer of the library, the hub included, can check any device's requests with no
shared secret, and revoking a device is a row that syncs.

A request is signed over the device id, method, path, a timestamp, a nonce and the
body's SHA-256. The timestamp is the *server's* clock (the client learns it from the
unsigned hello), so a Pi that booted in 1970 can still sync; a server accepts a
timestamp within :data:`WINDOW_S` of its own clock and each nonce once inside that
window, so a captured request cannot be replayed later.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections import OrderedDict

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

DEVICE_HEADER = "X-Kiosk-Device"
SIGNATURE_HEADER = "X-Kiosk-Signature"
TIME_HEADER = "X-Kiosk-Time"
NONCE_HEADER = "X-Kiosk-Nonce"
PUBLIC_KEY_HEADER = "X-Kiosk-Public-Key"
CERTIFICATE_HEADER = "X-Kiosk-Certificate"
WINDOW_S = 300


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_keypair() -> tuple[str, str]:
    """``(private, public)``, both URL-safe base64 of the raw 32-byte keys."""
    private = Ed25519PrivateKey.generate()
    return _b64(private.private_bytes_raw()), _b64(private.public_key().public_bytes_raw())


def public_of(private: str) -> str:
    return _b64(Ed25519PrivateKey.from_private_bytes(_unb64(private)).public_key()
                .public_bytes_raw())


def valid_public_key(text: object) -> bool:
    if not isinstance(text, str) or len(text) != 43:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(text))
    except ValueError:
        return False
    return True


def _certified(device_id: str, library_id: str, public: str) -> bytes:
    return f"device-certificate\n{device_id}\n{library_id}\n{public}".encode()


def certify(hub_private: str, device_id: str, library_id: str, public: str) -> str:
    """The hub's word that ``public`` is ``device_id``'s key in ``library_id``."""
    key = Ed25519PrivateKey.from_private_bytes(_unb64(hub_private))
    return _b64(key.sign(_certified(device_id, library_id, public)))


def certificate_valid(hub_public: str, certificate: str, device_id: str, library_id: str,
                      public: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(hub_public)).verify(
            _unb64(certificate), _certified(device_id, library_id, public))
    except (InvalidSignature, ValueError):
        return False
    return True


def new_code() -> str:
    """A one-time enrolment code a technician can type: 4 groups of 4 digits."""
    digits = "".join(secrets.choice("0123456789") for _ in range(16))
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def new_pair_code() -> str:
    """A short pairing code for the LAN: 2 groups of 4 digits (single use, minutes long)."""
    digits = "".join(secrets.choice("0123456789") for _ in range(8))
    return f"{digits[:4]}-{digits[4:]}"


def hash_code(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").strip().encode()).hexdigest()


def _message(device_id: str, method: str, path: str, stamp: str, nonce: str, body: bytes) -> bytes:
    return "\n".join([device_id, method.upper(), path, stamp, nonce,
                      hashlib.sha256(body).hexdigest()]).encode()


def sign_headers(private: str, device_id: str, method: str, path: str, body: bytes,
                 now: float | None = None) -> dict[str, str]:
    stamp = str(int(time.time() if now is None else now))
    nonce = secrets.token_hex(16)
    key = Ed25519PrivateKey.from_private_bytes(_unb64(private))
    signature = key.sign(_message(device_id, method, path, stamp, nonce, body))
    return {DEVICE_HEADER: device_id, TIME_HEADER: stamp, NONCE_HEADER: nonce,
            SIGNATURE_HEADER: _b64(signature)}


def verify(public: str, method: str, path: str, body: bytes, headers, now: float) -> str | None:
    """None when ``headers`` carry a fresh, valid signature by ``public``; else why not."""
    device_id = headers.get(DEVICE_HEADER, "")
    stamp = headers.get(TIME_HEADER, "")
    nonce = headers.get(NONCE_HEADER, "")
    if not stamp.isdigit() or len(nonce) != 32:
        return "missing timestamp or nonce"
    if abs(int(stamp) - now) > WINDOW_S:
        return "timestamp outside the accepted window"
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(public)).verify(
            _unb64(headers.get(SIGNATURE_HEADER, "")),
            _message(device_id, method, path, stamp, nonce, body))
    except (InvalidSignature, ValueError):
        return "bad signature"
    return None


class NonceCache:
    """Nonces seen within the window, bounded in memory (oldest dropped first)."""

    def __init__(self, max_entries: int = 200_000, window_s: float = 2 * WINDOW_S,
                 clock=time.monotonic):
        self._seen: OrderedDict[str, float] = OrderedDict()
        self.max_entries = max_entries
        self.window_s = window_s
        self.clock = clock
        self._lock = threading.Lock()

    def first_use(self, nonce: str) -> bool:
        """True the first time ``nonce`` is seen inside the window."""
        with self._lock:
            now = self.clock()
            while self._seen:
                oldest, at = next(iter(self._seen.items()))
                if now - at <= self.window_s and len(self._seen) < self.max_entries:
                    break
                self._seen.popitem(last=False)
            if nonce in self._seen:
                return False
            self._seen[nonce] = now
            return True
