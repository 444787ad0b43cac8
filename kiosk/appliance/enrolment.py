"""Enrolling a freshly provisioned device now, or remembering to do it later.

A commune library's network is often down on installation day. First boot must not fail
for that: the request (server, one-time code, peers) moves from the boot partition into
a marker on the data partition readable only by the kiosk user, and ``kiosk enrol-retry`` (run by
``kiosk-enrol-retry.timer``) tries again until the district answers. Enrolment itself is
exactly ``kiosk enrol``: the same function (:func:`sync.joining.enrol`), so a device enrolled either way is the same.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from kiosk.appliance.files import atomic_write

log = logging.getLogger(__name__)

PENDING = "/var/lib/kiosk/enrol-pending.json"
ENROLLED, PENDING_RETRY, REFUSED = "enrolled", "pending", "refused"


@dataclass(frozen=True)
class Request:
    server: str
    code: str
    device_name: str
    library_code: str
    peers: tuple[str, ...] = ()


def reachable(server: str, timeout: tuple[float, float] = (5.0, 10.0)) -> bool:
    """Whether the district answers at all (a refusal is an answer; a timeout is not)."""
    from sync import protocol

    try:
        requests.get(server.rstrip("/") + protocol.HELLO, timeout=timeout)
    except (requests.ConnectionError, requests.Timeout):
        return False
    return True


def enrol_device(request: Request, db: Path) -> bool:
    """Enrol with the hub exactly as ``kiosk enrol`` does (bootstraps an empty device)."""
    from sync.joining import JoinRefused, enrol

    try:
        joined = enrol(db, request.server, request.code, device_name=request.device_name)
    except JoinRefused as exc:
        log.warning("enrolment refused: %s", exc)
        return False
    log.info("%s", joined.message)
    return True


def is_enrolled(db: Path) -> bool:
    if not db.exists():
        return False
    from kiosk.store import open_store
    from sync.enrolment import credentials

    store = open_store(db)
    try:
        return credentials(store) is not None and bool(store.get_meta("district_url"))
    finally:
        store.close()


def _apply_peers(request: Request, db: Path) -> None:
    from kiosk.core import provisioning
    from kiosk.store import open_store

    store = open_store(db)
    try:
        provisioning.save(store, request.server, "\n".join(request.peers))
        held = store.get_meta("library_code")
    finally:
        store.close()
    if held != request.library_code:
        log.warning("the district enrolled this device for library %s, settings said %s",
                    held, request.library_code)


def remember(request: Request, pending: Path, owner: tuple[int, int] | None) -> None:
    atomic_write(pending, json.dumps(asdict(request)), mode=0o600)
    if owner is not None:
        os.chown(pending, *owner)


def enrol_or_remember(request: Request, db: Path, pending: Path, *,
                      owner: tuple[int, int] | None = None,
                      is_reachable=reachable, enrol=enrol_device) -> str:
    """Enrol now when the district answers; otherwise (or when refused) keep the request."""
    if is_enrolled(db):
        pending.unlink(missing_ok=True)
        return ENROLLED
    if not is_reachable(request.server):
        log.warning("district %s unreachable: enrolment will be retried", request.server)
        remember(request, pending, owner)
        return PENDING_RETRY
    if not enrol(request, db):
        log.error("the district refused enrolment; the request is kept for a technician")
        remember(request, pending, owner)
        return REFUSED
    _apply_peers(request, db)
    pending.unlink(missing_ok=True)
    log.info("device enrolled with the district")
    return ENROLLED


def retry(db: Path, pending: Path, **kwargs) -> str | None:
    """One retry of a remembered enrolment; None when nothing is pending."""
    if not pending.exists():
        return None
    data = json.loads(pending.read_text(encoding="utf-8"))
    request = Request(**{**data, "peers": tuple(data.get("peers", ()))})
    return enrol_or_remember(request, db, pending, **kwargs)
