"""Keys and signed requests.

Enrolment gives a device two secrets: its own device key (to talk to the district,
which knows every device's key) and its library's key (shared by the devices of one
library, so a kiosk and a counter can check each other on the LAN without the district).
Every request carries the sender's device id and an HMAC-SHA256 over the method, path
and body. Replaying a request gains nothing: pulls only read, pushes are idempotent.
Confidentiality on the internet leg comes from HTTPS in front of the district server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

DEVICE_HEADER = "X-Kiosk-Device"
SIGNATURE_HEADER = "X-Kiosk-Signature"


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")


def new_code() -> str:
    """A one-time enrolment code a technician can type: 4 groups of 4 digits."""
    digits = "".join(secrets.choice("0123456789") for _ in range(16))
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def hash_code(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().encode()).hexdigest()


def signature(key: str, device_id: str, method: str, path: str, body: bytes) -> str:
    message = "\n".join([device_id, method.upper(), path, hashlib.sha256(body).hexdigest()])
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def sign_headers(key: str, device_id: str, method: str, path: str, body: bytes) -> dict[str, str]:
    return {DEVICE_HEADER: device_id,
            SIGNATURE_HEADER: signature(key, device_id, method, path, body)}


def verify(key: str, device_id: str, method: str, path: str, body: bytes, given: str) -> bool:
    return hmac.compare_digest(signature(key, device_id, method, path, body), given or "")
