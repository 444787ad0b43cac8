"""The appliance's root filesystem, built for this machine's architecture and run from inside.

`image-build/build-rootfs.sh` builds it (mmdebstrap, then the app's venv from PyPI inside
the chroot); the tarball is cached under `image-build/cache/`, keyed by the hash of the
package lists, `pyproject.toml`, the constraints and the build scripts. On a cached root
the app's wheel and the systemd units are refreshed from this checkout, so the test
always runs the current code. Needs root, mmdebstrap, the Debian mirror and PyPI.
On a 2-core machine: 2-3 minutes without a cached tarball, about 30 s with one.

    pytest -m image tests/image          # KIOSK_IMAGE_SUITE=bookworm to test on bookworm
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.image

REPO = Path(__file__).resolve().parents[2]
IMAGE_BUILD = REPO / "image-build"
CACHE = IMAGE_BUILD / "cache"
SUITE = os.environ.get("KIOSK_IMAGE_SUITE", "trixie")
ARCH = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
VENV_KIOSK = "/opt/kiosk/venv/bin/kiosk"

# What decides the contents of the cached tarball. The app's own code and the units are
# not in the key: they are re-installed on every run.
KEY_FILES = [
    "pyproject.toml",
    "image-build/packages.txt",
    "image-build/packages-build.txt",
    f"image-build/constraints-{SUITE}.txt",
    "image-build/build-rootfs.sh",
    "image-build/hooks/configure-system.sh",
    "image-build/hooks/install-app.sh",
    "image-build/hooks/finalize.sh",
]


def _cache_key() -> str:
    digest = hashlib.sha256(f"{ARCH} {SUITE}\n".encode())
    for name in KEY_FILES:
        path = REPO / name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"-")
    for path in sorted((IMAGE_BUILD / "files").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(IMAGE_BUILD)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _log(message: str) -> None:
    print(f"[image] {message}", file=sys.stderr, flush=True)


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def rootfs_tar() -> Path:
    assert os.geteuid() == 0, "building a root filesystem needs root"
    assert shutil.which("mmdebstrap"), "mmdebstrap is not installed (.ci/run installs it)"
    tar = CACHE / f"rootfs-{ARCH}-{SUITE}-{_cache_key()}.tar"
    if tar.exists():
        _log(f"cached root filesystem {tar.name}")
        return tar
    CACHE.mkdir(parents=True, exist_ok=True)
    out = CACHE / f"build-{os.getpid()}"
    started = time.monotonic()
    try:
        _run([str(IMAGE_BUILD / "build-rootfs.sh"), ARCH, SUITE, str(out)])
        for stale in CACHE.glob(f"rootfs-{ARCH}-{SUITE}-*.tar"):
            stale.unlink()
        (out / f"rootfs-{ARCH}-{SUITE}.tar").rename(tar)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    _log(f"built {tar.name} in {time.monotonic() - started:.0f} s")
    return tar


def _mounts_under(root: Path) -> list[str]:
    prefix = str(root)
    points = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        point = line.split()[4].replace("\\040", " ")
        if point == prefix or point.startswith(prefix + "/"):
            points.append(point)
    return points


@contextlib.contextmanager
def _chroot_mounts(root: Path):
    """/proc, /sys and /dev for programs in the chroot; always unmounted again.

    /dev is a non-recursive bind of the host's, with a private devpts and /dev/shm on top,
    so nothing the chroot does reaches the host's terminals or shared memory.
    """
    mounted: list[Path] = []

    def mount(target: Path, *args: str) -> None:
        _run(["mount", *args, str(target)])
        mounted.append(target)

    try:
        mount(root / "proc", "-t", "proc", "proc")
        mount(root / "sys", "-t", "sysfs", "-o", "ro", "sysfs")
        mount(root / "dev", "--bind", "/dev")
        mount(root / "dev/pts", "-t", "devpts", "-o", "newinstance,ptmxmode=0666", "devpts")
        mount(root / "dev/shm", "-t", "tmpfs", "-o", "mode=1777,size=256m", "tmpfs")
        yield
    finally:
        for target in reversed(mounted):
            if subprocess.run(["umount", str(target)]).returncode != 0:
                subprocess.run(["umount", "--lazy", str(target)])


@pytest.fixture(scope="module")
def root(rootfs_tar, tmp_path_factory):
    root = tmp_path_factory.mktemp("rootfs") / "root"
    root.mkdir()
    _run(["tar", "-C", str(root), "--numeric-owner", "--xattrs", "--xattrs-include=*",
          "-xpf", str(rootfs_tar)])
    src = root.parent / "src.tar"
    try:
        with _chroot_mounts(root):
            started = time.monotonic()
            _run([str(IMAGE_BUILD / "hooks/source-tar.sh"), str(src)])
            _run([str(IMAGE_BUILD / "hooks/install-app.sh"), str(root), str(src), "--app-only"])
            _run([str(IMAGE_BUILD / "hooks/install-units.sh"), str(root)])
            _log(f"refreshed the app and units in {time.monotonic() - started:.0f} s")
            yield root
    finally:
        left = _mounts_under(root)
        # Never delete through a mount that is still there: that would be the host's /dev.
        if left:
            pytest.fail(f"still mounted inside the test root: {left}")
        shutil.rmtree(root.parent)


def chroot(root: Path, *cmd: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/tmp", "LANG=C.UTF-8",
           "QT_QPA_PLATFORM=offscreen"]
    return subprocess.run(["chroot", str(root), *env, *cmd], capture_output=True, text=True,
                          timeout=timeout)


def _wanted_by(unit_file: Path) -> list[str]:
    text = unit_file.read_text()
    install = text.split("[Install]", 1)[1] if "[Install]" in text else ""
    return [target for line in install.splitlines() if line.startswith("WantedBy=")
            for target in line.split("=", 1)[1].split()]


def test_kiosk_version_and_help_should_run_from_its_venv(root):
    version = chroot(root, VENV_KIOSK, "--version")
    assert version.returncode == 0, version.stderr
    assert re.fullmatch(r"kiosk \d+\.\d+\.\d+\S*\n", version.stdout)

    helptext = chroot(root, VENV_KIOSK, "--help")
    assert helptext.returncode == 0, helptext.stderr
    for command in ("demo", "run", "tour", "sync", "serve-sync"):
        assert command in helptext.stdout


def test_venv_should_hold_the_app_from_this_checkout_with_pinned_dependencies(root):
    show = chroot(root, "/opt/kiosk/venv/bin/pip", "show", "commune-library-kiosk")
    assert show.returncode == 0, show.stderr
    assert "Location: /opt/kiosk/venv/lib/" in show.stdout
    frozen = (root / "etc/kiosk-image/python-packages.txt").read_text()
    assert re.search(r"(?im)^pyside6[-_]essentials==", frozen)
    assert not (root / "tmp/kiosk-build").exists()


def test_listed_units_present_in_systemd_folder_should_be_enabled(root):
    listed = [line.split("#")[0].strip() for line in (IMAGE_BUILD / "units.txt").read_text().splitlines()]
    present = [unit for unit in listed if unit and (REPO / "systemd" / unit).exists()]
    assert present, "systemd/ has none of the units image-build/units.txt lists"
    for unit in present:
        targets = _wanted_by(REPO / "systemd" / unit)
        assert targets, f"{unit} has no [Install] WantedBy="
        for target in targets:
            link = root / "etc/systemd/system" / f"{target}.wants" / unit
            assert link.is_symlink(), f"{unit} not enabled in {target}"
    identity = root / "etc/systemd/system/sysinit.target.wants/kiosk-image-identity.service"
    assert identity.is_symlink()


def test_image_should_carry_no_per_card_identity(root):
    assert (root / "etc/machine-id").read_text() == ""
    assert not list((root / "etc/ssh").glob("ssh_host_*"))
    assert (root / "etc/hostname").read_text() == "kiosk\n"
    passwd = chroot(root, "getent", "passwd", "kiosk")
    assert passwd.returncode == 0 and ":/var/lib/kiosk:" in passwd.stdout


def test_the_clock_should_come_from_ntp_and_the_app_should_know_its_build_date(root):
    link = root / "etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service"
    assert link.is_symlink(), "systemd-timesyncd is not enabled"
    conf = (root / "etc/systemd/timesyncd.conf.d/50-kiosk.conf").read_text()
    assert re.search(r"(?m)^NTP=.*vn\.pool\.ntp\.org", conf)
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or subprocess.run(
        ["git", "-C", str(REPO), "log", "-1", "--format=%ct"], capture_output=True, text=True,
        check=True).stdout)
    expected = time.strftime("%Y-%m-%d", time.gmtime(epoch))
    built = chroot(root, "/opt/kiosk/venv/bin/python", "-c", "import kiosk; print(kiosk.BUILD_DATE)")
    assert built.returncode == 0, built.stderr
    assert built.stdout.strip() == expected


def test_fstab_should_mount_the_data_partition_by_label(root):
    fstab = (root / "etc/fstab").read_text()
    assert re.search(r"(?m)^LABEL=KIOSKDATA\s+/var/lib/kiosk\s+ext4\s", fstab)
    assert re.search(r"(?m)^LABEL=KIOSKROOT\s+/\s+ext4\s", fstab)


def test_readonly_switch_should_wait_for_provisioning_then_make_root_ro(root, tmp_path):
    fake = tmp_path / "fake"
    for name in ("etc/fstab", "etc/overlayroot.local.conf"):
        (fake / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / name, fake / name)
    script = root / "usr/lib/kiosk-image/enable-readonly"

    _run([str(script), str(fake)])
    assert re.search(r"(?m)^LABEL=KIOSKROOT\s+/\s+ext4\s+rw,", (fake / "etc/fstab").read_text())

    (fake / "var/lib/kiosk").mkdir(parents=True)
    (fake / "var/lib/kiosk/firstboot-done").touch()
    _run([str(script), str(fake)])
    assert re.search(r"(?m)^LABEL=KIOSKROOT\s+/\s+ext4\s+ro,", (fake / "etc/fstab").read_text())
    assert 'overlayroot="tmpfs:recurse=0"' in (fake / "etc/overlayroot.local.conf").read_text()


def test_kiosk_should_render_every_screen_offscreen_on_a_demo_library(root):
    demo = chroot(root, VENV_KIOSK, "--db", "/tmp/demo.db", "demo", "--books", "50")
    assert demo.returncode == 0, demo.stderr
    search = chroot(root, VENV_KIOSK, "--db", "/tmp/demo.db", "search", "de men", "--json")
    assert search.returncode == 0, search.stderr
    # The tour builds its own demo library and drives every screen through the real widgets.
    tour = chroot(root, VENV_KIOSK, "tour", "--out", "/tmp/tour", "--size", "1024x600")
    assert tour.returncode == 0, tour.stdout + tour.stderr
    pngs = sorted((root / "tmp/tour").rglob("*.png"))
    assert len(pngs) >= 5, tour.stdout
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
