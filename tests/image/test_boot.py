"""The appliance's root filesystem booted with systemd as PID 1 (systemd-nspawn --boot).

A card is the image's root plus a boot partition and a data partition. Here a card is an
overlay on the unpacked root (its writes stay in the card's own upper directory), a
directory bound at /boot/firmware holding the technician's kiosk-settings.toml, and one
bound at /var/lib/kiosk. Every card boots in a network namespace of its own with only a
loopback, where a real district server (this checkout's) answers the enrolment.

What differs from a Pi, and why (image-build/README.md "The boot test"):
- no display and no tty1: a drop-in gives kiosk-ui.service cage's headless backend
  (WLR_BACKENDS=headless) and no TTY; everything else in the unit runs as on the card;
- nspawn runs no initramfs, so overlayroot cannot make the root read-only: once the image
  says so (kiosk-image-readonly.service wrote `overlayroot="tmpfs..."` and `ro` in fstab at
  the reboot provisioning ends with), the card boots with --volatile=overlay, which is what
  overlayroot does: the real root read-only under a RAM overlay.
- the host's cgroups are a v1/v2 hybrid, which trixie's systemd refuses:
  SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 gives the container a cgroup v2 tree.

Needs root, systemd-container (systemd-nspawn), iproute2 and the cached root filesystem.
About 4 minutes on a busy 2-core machine with the root filesystem cached.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from rootfs_tools import (REPO, chroot_mounts, log, refresh_app_and_units, remove_root, run,
                          unpack)

from kiosk.appliance import input_method
from sync import protocol

pytestmark = pytest.mark.image

KIOSK = "/opt/kiosk/venv/bin/kiosk"
LIBRARY = "TN-THUNGHIEM"
DISTRICT_PORT = 8000
STAFF_PIN, TECHNICIAN_PIN = "482913", "731950"
PROVISIONING_SECONDS = 240
READY_SECONDS = 150
# The test's stand-in for a display: cage's headless backend, no tty1.
HEADLESS_DROP_IN = """\
# Written by tests/image/test_boot.py: a container has no display and no tty1.
[Unit]
ConditionPathExists=
[Service]
Environment=WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman
TTYPath=
StandardInput=null
"""
PATH_ENV = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "HOME=/root"]


def wait_for(what: str, check, seconds: float, every: float = 1.0):
    """Poll ``check`` until it returns something true; bounded in time."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(every)


class Netns:
    """A network namespace with only a loopback, removed again at the end."""

    def __init__(self):
        self.name = f"kiosk-boot-{os.getpid()}"
        run(["ip", "netns", "add", self.name])
        run(["ip", "-n", self.name, "link", "set", "lo", "up"])
        self.path = f"/run/netns/{self.name}"

    def command(self, *cmd: str) -> list[str]:
        return ["ip", "netns", "exec", self.name, *cmd]

    def remove(self) -> None:
        subprocess.run(["ip", "netns", "del", self.name])


class Boot:
    """One boot of a card: systemd-nspawn with systemd as PID 1."""

    def __init__(self, card: "Card", number: int, volatile: bool):
        self.card = card
        self.log_path = card.base / f"boot-{number}.log"
        cmd = ["systemd-nspawn", "--quiet", "--register=no", "--keep-unit", "--boot",
               "--console=pipe", f"--directory={card.merged}",
               f"--network-namespace-path={card.netns.path}",
               f"--bind={card.boot_dir}:/boot/firmware", f"--bind={card.data}:/var/lib/kiosk"]
        if volatile:
            cmd.append("--volatile=overlay")
        env = {**os.environ, "SYSTEMD_NSPAWN_UNIFIED_HIERARCHY": "1"}
        with open(self.log_path, "w") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                         stdin=subprocess.DEVNULL)
        self.pid1 = wait_for("the container's PID 1", self._find_pid1, 30, every=0.2)
        self.last_journal = ""

    def _find_pid1(self) -> int | None:
        if self.proc.poll() is not None:
            raise AssertionError(f"systemd-nspawn exited with {self.proc.returncode}: "
                                 f"{self.log_path.read_text()}")
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except FileNotFoundError:
            return None
        for pid in children.split():
            try:
                if Path(f"/proc/{pid}/comm").read_text().strip() == "systemd":
                    return int(pid)
            except FileNotFoundError:
                continue
        return None

    def running(self) -> bool:
        return self.proc.poll() is None

    def exec(self, *cmd: str, timeout: float = 60) -> subprocess.CompletedProcess:
        """A command inside the running card (its mounts, hostname, network and PIDs)."""
        return subprocess.run(["nsenter", "-t", str(self.pid1), "-m", "-u", "-i", "-n", "-p",
                               "--", *PATH_ENV, *cmd], capture_output=True, text=True,
                              timeout=timeout)

    def ok(self, *cmd: str, timeout: float = 60) -> str:
        done = self.exec(*cmd, timeout=timeout)
        assert done.returncode == 0, f"{cmd}: {done.stdout}{done.stderr}\n{self.journal()}"
        return done.stdout

    def as_kiosk(self, *cmd: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(["nsenter", "-t", str(self.pid1), "-m", "-u", "-i", "-n", "-p",
                               "--", "setpriv", "--reuid=kiosk", "--regid=kiosk",
                               "--init-groups", *PATH_ENV, "KIOSK_DB=/var/lib/kiosk/kiosk.db",
                               *cmd], capture_output=True, text=True, input=stdin, timeout=60)

    def unit(self, name: str) -> dict[str, str]:
        out = self.exec("systemctl", "show", name, "-p",
                        "ActiveState,SubState,StatusText,NRestarts,Result,"
                        "WatchdogTimestampMonotonic").stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def journal(self) -> str:
        if self.running():
            done = self.exec("journalctl", "-b", "--no-pager", "-n", "80", "-o", "short-monotonic")
            self.last_journal = done.stdout[-8000:]
        return f"--- journal of {self.card.name} ---\n{self.last_journal}"

    def wait_active(self, name: str, seconds: float = READY_SECONDS) -> dict[str, str]:
        def active():
            state = self.unit(name)
            if state.get("ActiveState") == "failed":
                raise AssertionError(f"{name} failed: {state}\n{self.journal()}")
            return state if (state.get("ActiveState"), state.get("SubState")) == \
                ("active", "running") else None
        try:
            return wait_for(f"{name} active", active, seconds)
        except AssertionError as exc:
            raise AssertionError(f"{exc}: {self.unit(name)}\n{self.journal()}") from None

    def wait_exit(self, seconds: float) -> int:
        try:
            return self.proc.wait(seconds)
        except subprocess.TimeoutExpired:
            journal = self.journal()
            self.stop()
            raise AssertionError(f"the card did not reboot within {seconds:.0f} s\n{journal}") \
                from None

    def reboot(self) -> int:
        self.journal()
        self.exec("systemctl", "reboot")
        return self.wait_exit(120)

    def stop(self) -> None:
        """Power the card off; if it hangs, a second SIGTERM makes nspawn kill it at once."""
        if not self.running():
            return
        self.exec("systemctl", "poweroff", "--no-block")
        for _ in range(2):
            try:
                self.proc.wait(20)
                return
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGTERM)
        self.proc.kill()
        self.proc.wait()


class Card:
    """A flashed card: overlay on the image's root, a boot and a data partition."""

    def __init__(self, base: Path, image_root: Path, netns: Netns, settings: str):
        self.base, self.netns, self.name = base, netns, base.name
        self.upper, self.work, self.merged = base / "upper", base / "work", base / "merged"
        self.boot_dir, self.data = base / "boot", base / "data"
        for path in (self.upper, self.work, self.merged, self.boot_dir, self.data):
            path.mkdir(parents=True)
        # As build-image.sh makes KIOSKDATA: owned by the kiosk user (uid 900).
        os.chown(self.data, 900, 900)
        self.data.chmod(0o750)
        (self.boot_dir / "kiosk-settings.toml").write_text(settings)
        run(["mount", "-t", "overlay", "overlay", "-o",
             f"lowerdir={image_root},upperdir={self.upper},workdir={self.work}",
             str(self.merged)])
        drop_in = self.merged / "etc/systemd/system/kiosk-ui.service.d/50-boot-test.conf"
        drop_in.parent.mkdir(parents=True)
        drop_in.write_text(HEADLESS_DROP_IN)
        self.boots = 0
        self.current: Boot | None = None

    def root_file(self, path: str) -> Path:
        """A file of the card's root partition (not what a volatile boot shows)."""
        return self.merged / path.lstrip("/")

    def read_only_configured(self) -> bool:
        overlay = self.root_file("/etc/overlayroot.local.conf").read_text()
        fstab = self.root_file("/etc/fstab").read_text()
        return bool(re.search(r'(?m)^overlayroot="tmpfs', overlay)
                    and re.search(r"(?m)^LABEL=KIOSKROOT\s+/\s+ext4\s+ro,", fstab))

    def boot(self) -> Boot:
        self.boots += 1
        self.current = Boot(self, self.boots, volatile=self.read_only_configured())
        return self.current

    def remove(self) -> None:
        if self.current is not None:
            self.current.stop()
        if self.merged.is_mount():
            subprocess.run(["umount", str(self.merged)], check=True)


def _proc(boot: Boot, pid: int, name: str) -> str:
    return boot.ok("cat", f"/proc/{pid}/{name}")


def _environ(boot: Boot, pid: int) -> dict[str, str]:
    text = boot.ok("sh", "-c", f"tr '\\0' '\\n' < /proc/{pid}/environ")
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def _socket_peers(boot: Boot) -> list[tuple[str, str, str, str]]:
    """Every connected unix socket: (local path, local inode, peer inode, owners)."""
    rows = []
    for line in boot.ok("ss", "-x", "-p", "-n", "-H").splitlines():
        parts = line.split()
        if len(parts) >= 8:
            rows.append((parts[4], parts[5], parts[7], " ".join(parts[8:])))
    return rows


def assert_vietnamese_typing_in_the_window(boot: Boot, engine: str) -> None:
    """IBus runs in the window's login session as the kiosk user with ``engine``, and the
    window process uses it (issue #16): Unikey (Telex) for the counter's keyboard; a kiosk
    starts with keys as typed, so its wedge scanner's scans reach the scan detector."""
    cage = int(boot.ok("pgrep", "-x", "-u", "kiosk", "cage").split()[0])
    children = [int(pid) for pid in boot.ok("pgrep", "-P", str(cage)).split()]
    by_name = {pid: _proc(boot, pid, "cmdline").replace("\0", " ") for pid in children}
    daemons = [pid for pid, cmd in by_name.items() if "ibus-daemon" in cmd]
    windows = [pid for pid, cmd in by_name.items() if "kiosk run" in cmd]
    assert len(daemons) == 1 and len(windows) == 1, f"{by_name}\n{boot.journal()}"
    daemon, window = daemons[0], windows[0]
    assert re.search(r"(?m)^Uid:\s+900\s", _proc(boot, daemon, "status"))
    # One login session: the daemon sits in the window's session-N.scope (logind's, PAMName=).
    cgroup = _proc(boot, daemon, "cgroup").strip()
    assert "/session-" in cgroup and cgroup == _proc(boot, window, "cgroup").strip(), cgroup
    env = _environ(boot, window)
    assert env.get("QT_IM_MODULE") == "ibus", env
    address_file = env["IBUS_ADDRESS_FILE"]
    assert address_file.startswith("/run/user/900/"), address_file
    current = boot.as_kiosk("env", f"IBUS_ADDRESS_FILE={address_file}", "ibus", "engine")
    assert current.stdout.strip() == engine, current.stdout + current.stderr
    assert "NOTIFY_SOCKET" not in _environ(boot, daemon)
    # The window holds a connection to IBus's own bus: Qt's IBus plugin found the address.
    socket = _environ(boot, daemon)["IBUS_ADDRESS_FILE"].rsplit("/", 1)[0] + "/bus"
    rows = _socket_peers(boot)
    accepted = {peer for path, _inode, peer, owners in rows
                if path == socket and f"pid={daemon}," in owners}
    assert any(inode in accepted and f"pid={window}," in owners
               for _path, inode, _peer, owners in rows), rows
    # The window's log lines come from the session's scope, not the unit's cgroup.
    journal = boot.ok("journalctl", "-b", "--no-pager", "-o", "json")
    ready = [entry for entry in map(json.loads, journal.splitlines())
             if f"IBus ready with {engine}" in str(entry.get("MESSAGE"))]
    assert ready, boot.ok("journalctl", "-b", "--no-pager", "-o", "cat")[-6000:]
    log(f"{boot.card.name}: {ready[-1]['MESSAGE']} "
        f"({ready[-1].get('_SYSTEMD_UNIT')}, {ready[-1].get('SYSLOG_IDENTIFIER')})")
    # Its emoji dictionaries stay out of the image (files/etc/dpkg/dpkg.cfg.d/50-kiosk-ibus).
    assert boot.exec("test", "-e", "/usr/share/ibus/dicts").returncode == 1


@pytest.fixture(scope="module")
def image_root(rootfs_tar, tmp_path_factory):
    for tool in ("systemd-nspawn", "nsenter", "ip"):
        assert shutil.which(tool), f"{tool} is not installed (.ci/run installs systemd-container)"
    root = tmp_path_factory.mktemp("bootroot") / "root"
    unpack(rootfs_tar, root)
    try:
        with chroot_mounts(root):
            refresh_app_and_units(root)
        yield root
    finally:
        remove_root(root)


@pytest.fixture(scope="module")
def netns():
    namespace = Netns()
    yield namespace
    namespace.remove()


def _district(*args: str) -> str:
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    done = subprocess.run([sys.executable, "-m", "district", *args], capture_output=True,
                          text=True, env=env, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def district(netns, tmp_path_factory):
    """This checkout's district server on the cards' loopback; yields its database."""
    db = tmp_path_factory.mktemp("district") / "district.db"
    _district("--db", str(db), "init")
    _district("--db", str(db), "library", LIBRARY, "Thư viện xã Thử Nghiệm")
    env = {**os.environ, "KIOSK_CONFIG": "/nonexistent.toml"}
    server = subprocess.Popen(netns.command(sys.executable, "-m", "district", "--db", str(db),
                                            "serve", "--host", "127.0.0.1",
                                            "--port", str(DISTRICT_PORT)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                              cwd=REPO)
    probe = netns.command(sys.executable, "-c", "import urllib.request; urllib.request.urlopen("
                          f"'http://127.0.0.1:{DISTRICT_PORT}/', timeout=2)")
    try:
        wait_for("the district server", lambda: server.poll() is None and subprocess.run(
            probe, capture_output=True).returncode == 0, 60, every=0.5)
        yield db
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _settings(db: Path, role: str, scanner: str) -> str:
    code = _district("--db", str(db), "enrol-code", "--library", LIBRARY).strip()
    return f"""\
role = "{role}"
library_code = "{LIBRARY}"
district_url = "http://127.0.0.1:{DISTRICT_PORT}"
enrolment_code = "{code}"

[printer]
uri = "file:/var/lib/kiosk/slips.txt"
paper_width_mm = 80

[scanner]
{scanner}

[pins]
staff = "{STAFF_PIN}"
technician = "{TECHNICIAN_PIN}"
"""


@pytest.fixture(scope="module")
def kiosk_card(image_root, netns, district, tmp_path_factory):
    """A kiosk with a camera scanner, through its first boot (provisioning ends in a reboot)."""
    card = Card(tmp_path_factory.mktemp("cards") / "kiosk", image_root, netns,
                _settings(district, "kiosk", 'kind = "camera"'))
    try:
        started = time.monotonic()
        first = card.boot()
        card.first_boot_exit = first.wait_exit(PROVISIONING_SECONDS)
        log(f"first boot and provisioning took {time.monotonic() - started:.0f} s")
        yield card
    finally:
        card.remove()


@pytest.fixture(scope="module")
def kiosk_booted(kiosk_card):
    """The provisioned kiosk's second boot, with the window up."""
    started = time.monotonic()
    boot = kiosk_card.boot()
    boot.wait_active("kiosk-ui.service")
    log(f"provisioned boot to READY=1 in {time.monotonic() - started:.0f} s")
    return boot


def test_first_boot_should_provision_from_the_boot_partition_then_reboot(kiosk_card):
    # systemd-nspawn exits with 133 when the system inside reboots.
    assert kiosk_card.first_boot_exit == 133, kiosk_card.current.log_path.read_text()
    data = kiosk_card.data
    assert (data / "firstboot-done").exists() and (data / "kiosk.db").exists()
    assert (data / "kiosk.db").stat().st_uid == 900
    left = (kiosk_card.boot_dir / "kiosk-settings.toml").read_text()
    assert STAFF_PIN not in left and TECHNICIAN_PIN not in left
    assert "enrolment_code" not in left
    assert not kiosk_card.root_file("/etc/kiosk/role-counter").exists()
    hostname = kiosk_card.root_file("/etc/hostname").read_text().strip()
    assert re.fullmatch(r"thuvien-tn-thunghiem-[0-9a-f]{4}", hostname)
    devices = tomllib.loads(kiosk_card.root_file("/etc/kiosk/devices.toml").read_text())
    assert devices["scanner"]["kind"] == "camera"
    assert devices["printer"]["uri"] == "file:/var/lib/kiosk/slips.txt"
    assert devices["printer"]["paper_width_mm"] == 80
    # The reboot provisioning ends with switched the root to read-only for every later boot.
    assert kiosk_card.read_only_configured()


def test_provisioned_kiosk_should_show_its_window_and_run_sync_and_backup(kiosk_booted):
    boot = kiosk_booted
    ui = boot.unit("kiosk-ui.service")
    # Type=notify: "active" only once the window sent READY=1 from the attract screen.
    assert (ui["ActiveState"], ui["SubState"]) == ("active", "running"), ui
    assert boot.ok("hostname").strip() == \
        boot.card.root_file("/etc/hostname").read_text().strip()
    assert boot.ok("findmnt", "-n", "-o", "FSTYPE", "/").strip() == "overlay"

    sync = boot.wait_active("kiosk-sync.service", 60)
    assert sync["NRestarts"] == "0", boot.journal()
    timer = boot.unit("kiosk-backup.timer")
    assert timer["ActiveState"] == "active", timer
    boot.ok("systemctl", "start", "kiosk-backup.service", timeout=120)
    assert boot.unit("kiosk-backup.service")["Result"] == "success"
    assert list((boot.card.data / "backups").glob("kiosk-*.db")), boot.journal()

    assert_vietnamese_typing_in_the_window(boot, "xkb:us::eng")

    status = boot.as_kiosk(KIOSK, "staff-pin", "status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert status.stdout.count("đã đặt") == 2, status.stdout

    # The watchdog: the window keeps pinging (every 15 s of WatchdogSec=30) from under cage.
    first = int(boot.unit("kiosk-ui.service")["WatchdogTimestampMonotonic"])
    wait_for("a watchdog ping from the window", lambda: int(
        boot.unit("kiosk-ui.service")["WatchdogTimestampMonotonic"]) > first, 25)
    assert boot.unit("kiosk-ui.service")["NRestarts"] == "0", boot.journal()


def test_a_reboot_should_keep_the_library_data_and_drop_writes_to_the_root(kiosk_booted):
    boot = kiosk_booted
    closed = boot.as_kiosk(KIOSK, "calendar", "close", "2031-09-02", "--reason", "Quốc khánh")
    assert closed.returncode == 0, closed.stdout + closed.stderr
    boot.ok("sh", "-c", "echo probe > /etc/kiosk/boot-test-probe")

    assert boot.reboot() == 133
    again = boot.card.boot()
    again.wait_active("kiosk-ui.service")
    assert again.exec("test", "-e", "/etc/kiosk/boot-test-probe").returncode == 1
    listed = again.as_kiosk(KIOSK, "calendar", "list")
    assert listed.returncode == 0 and "02/09/2031" in listed.stdout, listed.stdout + listed.stderr
    assert again.unit("kiosk-firstboot.service")["ActiveState"] == "inactive"


@pytest.mark.parametrize("role, scanner, kind", [
    ("counter", 'kind = "serial"\nport = "/dev/ttyACM0"', "serial"),
    ("kiosk", 'kind = "wedge"', "wedge"),
], ids=["counter-serial", "kiosk-wedge"])
def test_each_role_and_scanner_kind_should_provision_and_show_the_window(
        image_root, netns, district, tmp_path, role, scanner, kind):
    card = Card(tmp_path / f"{role}-{kind}", image_root, netns, _settings(district, role, scanner))
    try:
        assert card.boot().wait_exit(PROVISIONING_SECONDS) == 133
        devices = tomllib.loads(card.root_file("/etc/kiosk/devices.toml").read_text())
        assert devices["scanner"]["kind"] == kind
        assert card.root_file("/etc/kiosk/role-counter").exists() == (role == "counter")
        boot = card.boot()
        boot.wait_active("kiosk-ui.service")
        if role == "counter":
            # Staff at the counter's keyboard type names in Vietnamese (Unikey's Telex).
            assert_vietnamese_typing_in_the_window(boot, input_method.ENGINE)
            # The counter serves the library's kiosks on the LAN (here the cards' loopback).
            boot.wait_active("kiosk-serve-sync.service", 60)
            hello = f"http://127.0.0.1:8470{protocol.HELLO}"
            wait_for("the counter's sync server", lambda: boot.exec(
                "/opt/kiosk/venv/bin/python", "-c",
                f"import urllib.request; urllib.request.urlopen({hello!r}, timeout=2)"
            ).returncode == 0, 60)
        else:
            assert boot.unit("kiosk-serve-sync.service")["ActiveState"] == "inactive"
            # Its wedge scanner's keys reach the window as typed (no Telex on a kiosk).
            assert_vietnamese_typing_in_the_window(boot, "xkb:us::eng")
    finally:
        card.remove()
