"""Discovery over real multicast DNS, between two network namespaces joined by a veth pair.

Each node is its own process inside its own namespace (``discovery_node.py``), so the
packets really cross an interface; nothing leaves the namespaces this test creates.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest
from zeroconf import ServiceInfo, ServiceStateChange

from sync.discovery import DEVICE, LIBRARY, SCHEMA, Advertiser, Browser
from sync.protocol import SERVICE_TYPE

NODE = str(Path(__file__).with_name("discovery_node.py"))
LIBRARY_CODE = "TN-PHUTHO"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


@pytest.fixture
def namespaces():
    """Two namespaces ``a`` (10.200.0.1) and ``b`` (10.200.0.2) joined by a veth pair."""
    tag = f"{os.getpid() % 100000}"
    names = {side: f"tvdisc-{side}-{tag}" for side in "ab"}
    links = {side: f"tvd{side}{tag}" for side in "ab"}
    try:
        for side in "ab":
            _ip("netns", "add", names[side])
        _ip("link", "add", links["a"], "type", "veth", "peer", "name", links["b"])
        for number, side in enumerate("ab", start=1):
            _ip("link", "set", links[side], "netns", names[side])
            _ip("-n", names[side], "addr", "add", f"10.200.0.{number}/24", "dev", links[side])
            _ip("-n", names[side], "link", "set", "lo", "up")
            _ip("-n", names[side], "link", "set", links[side], "up", "multicast", "on")
        # Side a listens on every interface, which needs a multicast route (a Pi has a
        # default route); side b names its address explicitly instead.
        _ip("-n", names["a"], "route", "add", "224.0.0.0/4", "dev", links["a"])
        yield names
    finally:
        for name in names.values():
            subprocess.run(["ip", "netns", "del", name], check=False, capture_output=True)


def _node(namespace: str, *args: str, stdin=subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen(["ip", "netns", "exec", namespace, sys.executable, NODE, *args],
                            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=Path(__file__).parents[2])


def _first_line(proc: subprocess.Popen, timeout: float) -> dict:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    line = proc.stdout.readline() if ready else ""
    assert line, f"node printed nothing; stderr: {proc.stderr.read() if proc.poll() is not None else ''}"
    return json.loads(line)


def test_two_nodes_in_separate_namespaces_find_each_other_and_sync_over_the_discovered_url(
        namespaces, tmp_path):
    server = _node(namespaces["a"], "serve", str(tmp_path / "counter.db"), "counter-device-1",
                   LIBRARY_CODE, stdin=subprocess.PIPE)
    try:
        served = _first_line(server, 60)
        assert served["advertised"] == [True, True]
        fetcher = _node(namespaces["b"], "fetch", str(tmp_path / "kiosk.db"), "kiosk-device-2",
                        LIBRARY_CODE, served["pair_code"], "10.200.0.2")
        fetched = _first_line(fetcher, 90)
        fetcher.wait(10)
    finally:
        server.stdin.close()
        server.wait(15)

    assert fetched["started"] == [True, True]
    assert sorted(lib for _, lib, _ in fetched["found"]) == ["TN-KHAC", LIBRARY_CODE, LIBRARY_CODE]
    assert fetched["peers"] == [f"http://10.200.0.1:{served['port']}"]
    assert fetched["ok"], fetched["errors"]
    assert fetched["records"] == served["records"]
    assert len(fetched["loans"]) == 1


def test_with_no_usable_network_discovery_warns_and_finds_no_peers():
    namespace = f"tvdisc-empty-{os.getpid() % 100000}"
    _ip("netns", "add", namespace)
    try:
        proc = _node(namespace, "probe", "lonely-device-1", LIBRARY_CODE)
        out, err = proc.communicate(timeout=30)
    finally:
        subprocess.run(["ip", "netns", "del", namespace], check=False, capture_output=True)
    assert json.loads(out) == {"started": [False, False], "peers": []}
    assert "zeroconf advertising unavailable" in err
    assert "zeroconf discovery unavailable" in err


class FakeZeroconf:
    """Answers resolutions from a table, as a zeroconf instance's cache would."""

    def __init__(self):
        self.services: dict[str, ServiceInfo] = {}

    def get_service_info(self, type_, name, timeout=3000):
        return self.services.get(name)


def _service(name: str, device: str, library: str, address: str, port: int) -> ServiceInfo:
    return ServiceInfo(SERVICE_TYPE, f"{name}.{SERVICE_TYPE}", port=port,
                       properties={DEVICE: device, LIBRARY: library, SCHEMA: "7"},
                       addresses=[bytes(int(p) for p in address.split("."))])


def test_peers_lists_only_our_library_without_ourselves_and_forgets_removed_services():
    zc = FakeZeroconf()
    browser = Browser(LIBRARY_CODE, own_device_id="me")
    for info in (_service("counter", "counter-1", LIBRARY_CODE, "192.168.1.10", 8765),
                 _service("self", "me", LIBRARY_CODE, "192.168.1.11", 8765),
                 _service("other", "x-1", "TN-KHAC", "192.168.1.12", 8765),
                 ServiceInfo(SERVICE_TYPE, f"bare.{SERVICE_TYPE}", port=1, properties={})):
        zc.services[info.name] = info
        browser._on_change(zc, SERVICE_TYPE, info.name, ServiceStateChange.Added)
    assert browser.peers() == ["http://192.168.1.10:8765"]
    assert len(browser.found()) == 3

    browser._on_change(zc, SERVICE_TYPE, f"counter.{SERVICE_TYPE}", ServiceStateChange.Removed)
    assert browser.peers() == []


def test_a_mistyped_interface_address_is_refused_when_configured_not_when_started():
    with pytest.raises(ValueError, match="not an IPv4 address"):
        Browser(LIBRARY_CODE, interfaces=["wlan0"])
    with pytest.raises(ValueError, match="not an IPv4 address"):
        Advertiser(8765, "device-1", LIBRARY_CODE, 7, interfaces=["10.0.0.300"])
