"""The appliance's root filesystem, built for this machine's architecture and run from inside.

`image-build/build-rootfs.sh` builds it (see rootfs_tools for the cache); on a cached root
the app's wheel and the systemd units are refreshed from this checkout, so the test always
runs the current code. Needs root, mmdebstrap, the Debian mirror and PyPI. On a 2-core
machine: 2-3 minutes without a cached tarball, about 30 s with one.

    pytest -m image tests/image          # KIOSK_IMAGE_SUITE=bookworm to test on bookworm
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from rootfs_tools import (IMAGE_BUILD, REPO, chroot_mounts, refresh_app_and_units, remove_root,
                          run, unpack)

pytestmark = pytest.mark.image

VENV_KIOSK = "/opt/kiosk/venv/bin/kiosk"


@pytest.fixture(scope="module")
def root(rootfs_tar, tmp_path_factory):
    root = tmp_path_factory.mktemp("rootfs") / "root"
    unpack(rootfs_tar, root)
    try:
        with chroot_mounts(root):
            refresh_app_and_units(root)
            yield root
    finally:
        remove_root(root)


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

    run([str(script), str(fake)])
    assert re.search(r"(?m)^LABEL=KIOSKROOT\s+/\s+ext4\s+rw,", (fake / "etc/fstab").read_text())

    (fake / "var/lib/kiosk").mkdir(parents=True)
    (fake / "var/lib/kiosk/firstboot-done").touch()
    run([str(script), str(fake)])
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
