"""Finding the other nodes of this library on the LAN with mDNS / DNS-SD (zeroconf).

Discovery is a convenience, never a requirement: multicast is often blocked on Wi-Fi,
so manually configured peer addresses always work too, and any zeroconf failure here
(no multicast route, interface down) is logged as a warning and simply yields no peers.

zeroconf calls back on its own threads; the only state they share with callers is the
table of resolved services, kept behind a lock. Nothing here touches Qt: a UI asks
``Browser.peers()`` from its worker, never from a zeroconf callback.
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import ifaddr
import zeroconf
from zeroconf import (
    InterfaceChoice,
    IPVersion,
    ServiceBrowser,
    ServiceInfo,
    ServiceStateChange,
    Zeroconf,
)

from sync.protocol import SERVICE_TYPE

log = logging.getLogger(__name__)

DEVICE, LIBRARY, SCHEMA = "device_id", "library_id", "schema_version"
# A node that loses power sends no goodbye; with the default 75-minute pointer TTL it
# would stay listed that long. Two minutes costs a few packets on a LAN of a few nodes.
RECORD_TTL = 120
FAILURES = (OSError, zeroconf.Error, RuntimeError)


@dataclass(frozen=True)
class FoundPeer:
    url: str
    device_id: str
    library_id: str
    schema_version: str


def local_ipv4() -> list[str]:
    """This host's IPv4 addresses, loopback only when there is nothing else."""
    found = [ip.ip for adapter in ifaddr.get_adapters() for ip in adapter.ips
             if ip.is_IPv4 and isinstance(ip.ip, str)]
    outside = [ip for ip in found if not ip.startswith("127.")]
    return list(dict.fromkeys(outside or [ip for ip in found if ip.startswith("127.")]))


def _addresses(interfaces: Sequence[str] | None) -> list[str] | None:
    """Configured interface addresses; a mistyped one is a config error, refused at once."""
    if not interfaces:
        return None
    for address in interfaces:
        try:
            ipaddress.IPv4Address(address)
        except ValueError:
            raise ValueError(f"zeroconf interface {address!r} is not an IPv4 address") from None
    return list(interfaces)


def _open(interfaces: Sequence[str] | None) -> Zeroconf:
    return Zeroconf(interfaces=list(interfaces) if interfaces else InterfaceChoice.All,
                    ip_version=IPVersion.V4Only)


def _close(zc: Zeroconf | None) -> None:
    if zc is not None:
        try:
            zc.close()
        except FAILURES as exc:
            log.debug("closing zeroconf: %s", exc)


class Advertiser:
    """Announces this node's sync server so peers of the same library can find it.

    Cloned SD cards carry the same names, so the service name may be changed by zeroconf
    on collision (``allow_name_change``) and the host name gets a random suffix per start.
    """

    def __init__(self, port: int, device_id: str, library_id: str, schema_version: int | str,
                 interfaces: Sequence[str] | None = None):
        self.port = port
        self.device_id = device_id
        self.library_id = library_id
        self.schema_version = str(schema_version)
        self.interfaces = _addresses(interfaces)
        self._zc: Zeroconf | None = None
        self._info: ServiceInfo | None = None

    @property
    def name(self) -> str | None:
        """The registered service name (after any collision renaming), None when not advertising."""
        return self._info.name if self._info is not None else None

    def start(self) -> bool:
        """Register the service; False (and a warning) when zeroconf cannot run here."""
        instance = f"thuvien {self.library_id} {self.device_id[:8]}"
        zc = None
        try:
            addresses = self.interfaces or local_ipv4()
            zc = _open(self.interfaces)
            info = ServiceInfo(
                SERVICE_TYPE, f"{instance}.{SERVICE_TYPE}", port=self.port,
                properties={DEVICE: self.device_id, LIBRARY: self.library_id,
                            SCHEMA: self.schema_version},
                server=f"thuvien-{self.device_id[:8]}-{secrets.token_hex(3)}.local.",
                addresses=[socket.inet_aton(a) for a in addresses])
            zc.register_service(info, ttl=RECORD_TTL, allow_name_change=True)
        except FAILURES as exc:
            log.warning("zeroconf advertising unavailable (%s): peers can still be given "
                        "this node's address by hand", exc)
            _close(zc)
            return False
        self._zc, self._info = zc, info
        log.info("advertising sync service %r on port %d", info.name, self.port)
        return True

    def stop(self) -> None:
        """Say goodbye (so peers drop us at once) and release the sockets."""
        zc, info = self._zc, self._info
        self._zc = self._info = None
        if zc is None:
            return
        try:
            zc.unregister_service(info)
        except FAILURES as exc:
            log.debug("unregistering sync service: %s", exc)
        _close(zc)


class Browser:
    """Keeps a live list of the sync servers of one library, other than this device."""

    def __init__(self, library_id: str, interfaces: Sequence[str] | None = None, *,
                 own_device_id: str | None = None, resolve_timeout: float = 3.0):
        self.library_id = library_id
        self.own_device_id = own_device_id
        self.interfaces = _addresses(interfaces)
        self.resolve_timeout = resolve_timeout
        self._lock = threading.Lock()
        self._found: dict[str, FoundPeer] = {}
        self._stopping = False
        self._zc: Zeroconf | None = None
        self._browser: ServiceBrowser | None = None

    def start(self) -> bool:
        """Start listening; False (and a warning) when zeroconf cannot run here."""
        zc = None
        try:
            zc = _open(self.interfaces)
            self._browser = ServiceBrowser(zc, SERVICE_TYPE, handlers=[self._on_change])
        except FAILURES as exc:
            log.warning("zeroconf discovery unavailable (%s): only configured peers will sync",
                        exc)
            _close(zc)
            return False
        self._zc = zc
        return True

    def stop(self) -> None:
        browser, zc = self._browser, self._zc
        self._browser = self._zc = None
        with self._lock:
            self._stopping = True
        if browser is not None:
            try:
                browser.cancel()
            except FAILURES as exc:
                log.debug("cancelling the zeroconf browser: %s", exc)
        _close(zc)
        with self._lock:
            self._found.clear()
            self._stopping = False

    def found(self) -> list[FoundPeer]:
        """Every resolved service, of any library (for a technician's screen)."""
        with self._lock:
            return sorted(self._found.values(), key=lambda p: (p.library_id, p.url))

    def peers(self) -> list[str]:
        """``http://ADDR:PORT`` of the visible servers of our library, excluding ourselves."""
        return [p.url for p in self.found()
                if p.library_id == self.library_id and p.device_id != self.own_device_id]

    def _on_change(self, zeroconf: Zeroconf, service_type: str, name: str,
                   state_change: ServiceStateChange) -> None:
        """Runs on zeroconf's browser thread: resolve, then update the table under the lock."""
        if state_change is ServiceStateChange.Removed:
            with self._lock:
                self._found.pop(name, None)
            return
        try:
            info = zeroconf.get_service_info(service_type, name,
                                             timeout=int(self.resolve_timeout * 1000))
        except FAILURES as exc:
            if not self._stopping:
                log.warning("could not resolve a sync service: %s", exc)
            return
        peer = _peer(info) if info is not None else None
        with self._lock:
            if self._stopping:
                return
            if peer is None:
                self._found.pop(name, None)
            else:
                self._found[name] = peer


def _peer(info: ServiceInfo) -> FoundPeer | None:
    """A usable peer from a resolved service, or None when it lacks an address or our TXT keys."""
    props = {k.decode("utf-8", "replace"): (v or b"").decode("utf-8", "replace")
             for k, v in info.properties.items() if isinstance(k, bytes)}
    addresses = info.parsed_addresses(IPVersion.V4Only)
    if not addresses or not info.port or not props.get(DEVICE) or not props.get(LIBRARY):
        return None
    return FoundPeer(f"http://{addresses[0]}:{info.port}", props[DEVICE], props[LIBRARY],
                     props.get(SCHEMA, ""))
