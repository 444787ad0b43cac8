"""First boot: turn a freshly flashed card into this library's kiosk or counter.

Run once by ``kiosk-firstboot.service`` from ``/boot/firmware/kiosk-settings.toml``. Each
step can run again safely (a power cut mid-way means the service simply runs again), and
the secrets leave the boot partition only after they are kept where they are needed: the
Wi-Fi passphrase in NetworkManager's root-only file, the enrolment code spent at the
district or kept in the retry marker, the staff and technician PINs (``[pins]``) turned
into verifiers in the database (or, while the database waits for its enrolment, in a
root-only file beside it that the kiosk installs when it starts: never the PIN in clear).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path

import appconfig
from kiosk.appliance import enrolment
from kiosk.appliance import settings as settings_file
from kiosk.appliance.files import atomic_symlink, atomic_write, under
from kiosk.appliance.settings import Pins, Settings, Wifi
from kiosk.core import pins, staff
from kiosk.store import open_store

log = logging.getLogger(__name__)

KIOSK_TOML = "/etc/kiosk/kiosk.toml"
DEVICES_TOML = "/etc/kiosk/devices.toml"
ROLE_COUNTER = "/etc/kiosk/role-counter"
DATA_DIR = "/var/lib/kiosk"
DB = "/var/lib/kiosk/kiosk.db"
STATE = "/var/lib/kiosk/firstboot.json"
DONE = "/var/lib/kiosk/firstboot-done"
PINS_PENDING = "/var/lib/kiosk/pins-pending.json"
WIFI = "/etc/NetworkManager/system-connections/kiosk-wifi.nmconnection"
ZONEINFO = "/usr/share/zoneinfo"


@dataclass(frozen=True)
class Result:
    hostname: str
    enrolment: str
    wifi_written: bool
    secrets_removed: bool
    pins_set: tuple[str, ...] = ()


def config_files(settings: Settings) -> dict[str, str]:
    """The text of ``kiosk.toml`` and ``devices.toml``, each read back through the kiosk's own
    loader before anything is written (a file the kiosk would refuse is never written)."""
    from hardware.device_config import parse_config

    kiosk_toml = settings_file.render({"db": DB, "log_level": "INFO"},
                                      header="Written by kiosk firstboot from kiosk-settings.toml.")
    appconfig.read("kiosk", tomllib.loads(kiosk_toml))
    devices = appconfig.table(settings.devices)
    devices_toml = settings_file.render(devices, header="Written by kiosk firstboot; every "
                                        "setting is listed in docs/operations.md.")
    parse_config(tomllib.loads(devices_toml), environ={})
    return {KIOSK_TOML: kiosk_toml, DEVICES_TOML: devices_toml}


def set_role(root: Path, role: str) -> None:
    marker = under(root, ROLE_COUNTER)
    if role == "counter":
        atomic_write(marker, "counter\n")
    else:
        marker.unlink(missing_ok=True)


def set_timezone(root: Path, name: str) -> None:
    atomic_write(under(root, "/etc/timezone"), name + "\n")
    atomic_symlink(under(root, "/etc/localtime"), f"{ZONEINFO}/{name}")


def nmconnection(wifi: Wifi) -> str:
    """A NetworkManager keyfile; WPA-PSK when a passphrase is given, else an open network."""
    lines = ["[connection]", "id=kiosk-wifi", f"uuid={uuid.uuid5(uuid.NAMESPACE_DNS, wifi.ssid)}",
             "type=wifi", "autoconnect=true", "", "[wifi]", "mode=infrastructure",
             f"ssid={wifi.ssid}", ""]
    if wifi.passphrase:
        lines += ["[wifi-security]", "key-mgmt=wpa-psk", f"psk={wifi.passphrase}", ""]
    lines += ["[ipv4]", "method=auto", "", "[ipv6]", "method=auto", ""]
    return "\n".join(lines)


def write_wifi(root: Path, wifi: Wifi | None) -> bool:
    """Write the Wi-Fi connection; a rerun without the (removed) passphrase keeps the file."""
    if wifi is None:
        return False
    path = under(root, WIFI)
    if wifi.passphrase is None and path.exists():
        return False
    atomic_write(path, nmconnection(wifi), mode=0o600)
    return True


def hostname_for(library_code: str, suffix: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", library_code.lower()).strip("-")
    return f"thuvien-{base}"[:58].rstrip("-") + f"-{suffix}"


def regenerate_identity(root: Path, library_code: str, state: dict) -> str:
    """New hostname and machine id, once: a cloned card must not collide on the LAN."""
    if state.get("hostname"):
        return state["hostname"]
    name = hostname_for(library_code, secrets.token_hex(2))
    atomic_write(under(root, "/etc/hostname"), name + "\n")
    hosts = under(root, "/etc/hosts")
    lines = hosts.read_text().splitlines() if hosts.exists() else ["127.0.0.1\tlocalhost"]
    lines = [line for line in lines if not line.startswith("127.0.1.1")] + [f"127.0.1.1\t{name}"]
    atomic_write(hosts, "\n".join(lines) + "\n")
    atomic_write(under(root, "/etc/machine-id"), "", mode=0o444)
    dbus_id = under(root, "/var/lib/dbus/machine-id")
    if dbus_id.is_file() and not dbus_id.is_symlink():
        dbus_id.unlink()
    state["hostname"] = name
    return name


def hand_over(folder: Path, owner: tuple[int, int] | None) -> None:
    """The data folder belongs to the kiosk user, who runs every service but this one."""
    if owner is None:
        return
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, *owner, follow_symlinks=False)


def remove_secrets(path: Path, raw: dict) -> bool:
    clean = settings_file.without_secrets(raw)
    if clean == raw:
        return False
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    atomic_write(path, settings_file.render(
        clean, header=f"Mã đăng ký, mật khẩu Wi-Fi và mã PIN đã được xoá sau khi dùng ({stamp}).\n"
                      "Enrolment code, Wi-Fi passphrase and PINs removed after use."), mode=None)
    return True


def provision_pins(root: Path, given: Pins) -> tuple[str, ...]:
    """Keep the settings file's PINs as verifiers until the database can take them.

    Hashed at once, written 0600 beside the database, then installed into it when it
    exists (at once when the device is enrolled, else when the kiosk first starts).
    """
    pending = under(root, PINS_PENDING)
    verifiers = {area: pins.hash_pin(pin) for area, pin in
                 ((staff.STAFF, given.staff), (staff.TECHNICIAN, given.technician)) if pin}
    if verifiers:
        held = json.loads(pending.read_text()) if pending.exists() else {}
        atomic_write(pending, json.dumps({**held, **verifiers}), mode=0o600)
    return install_pending_pins(under(root, DB), pending)


def install_pending_pins(db: Path, pending: Path) -> tuple[str, ...]:
    """Install PIN verifiers left by first boot into an existing ``db``; the areas set."""
    if not pending.exists() or not Path(db).exists():
        return ()
    verifiers = json.loads(pending.read_text())
    store = open_store(db)
    try:
        for area, verifier in verifiers.items():
            staff.set_verifier(store, area, verifier)
    finally:
        store.close()
    pending.unlink()
    log.info("staff/technician PINs installed from first boot: %s", ", ".join(verifiers))
    return tuple(verifiers)


def _enrol(root: Path, settings: Settings, hostname: str, owner, **enrol_kwargs) -> str:
    db, pending = under(root, DB), under(root, enrolment.PENDING)
    if settings.enrolment_code is None:
        if enrolment.is_enrolled(db):
            return enrolment.ENROLLED
        return enrolment.retry(db, pending, owner=owner, **enrol_kwargs) or "not_requested"
    request = enrolment.Request(settings.district_url, settings.enrolment_code,
                                settings.device_name or hostname, settings.library_code,
                                settings.peers)
    return enrolment.enrol_or_remember(request, db, pending, owner=owner, **enrol_kwargs)


def run(settings_path: Path, root: Path = Path("/"), *, owner: tuple[int, int] | None = None,
        **enrol_kwargs) -> Result:
    """Apply the settings file to the system under ``root``; safe to run again."""
    settings_path, root = Path(settings_path), Path(root)
    raw = settings_file.load_raw(settings_path)
    settings = settings_file.parse(raw)
    files = config_files(settings)
    state_path = under(root, STATE)
    state = json.loads(state_path.read_text()) if state_path.exists() else {}

    for path, text in files.items():
        atomic_write(under(root, path), text)
    set_role(root, settings.role)
    set_timezone(root, settings.timezone)
    wifi_written = write_wifi(root, settings.wifi)
    hostname = regenerate_identity(root, settings.library_code, state)
    atomic_write(state_path, json.dumps(state))
    outcome = _enrol(root, settings, hostname, owner, **enrol_kwargs)
    pins_set = provision_pins(root, settings.pins)
    removed = remove_secrets(settings_path, raw)
    atomic_write(under(root, DONE), f"{dt.datetime.now().isoformat(timespec='seconds')}\n")
    hand_over(under(root, DATA_DIR), owner)
    log.info("first boot done: role %s, enrolment %s", settings.role, outcome)
    return Result(hostname, outcome, wifi_written, removed, pins_set)
