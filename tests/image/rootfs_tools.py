"""Building, caching and unpacking the appliance's root filesystem for tests/image.

`image-build/build-rootfs.sh` builds it (mmdebstrap, then the app's venv from PyPI inside
the chroot); the tarball is cached under `image-build/cache/`, keyed by the hash of the
package lists, `pyproject.toml`, the constraints and the build scripts. An unpacked root gets
the app's wheel and the systemd units of this checkout, so the tests always run the current
code.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
IMAGE_BUILD = REPO / "image-build"
CACHE = IMAGE_BUILD / "cache"
SUITE = os.environ.get("KIOSK_IMAGE_SUITE", "trixie")
ARCH = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())

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


def cache_key() -> str:
    digest = hashlib.sha256(f"{ARCH} {SUITE}\n".encode())
    for name in KEY_FILES:
        path = REPO / name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"-")
    for path in sorted((IMAGE_BUILD / "files").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(IMAGE_BUILD)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def log(message: str) -> None:
    print(f"[image] {message}", file=sys.stderr, flush=True)


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, **kwargs)


def build_or_cached() -> Path:
    """The cached root filesystem tarball of this architecture and suite, built if missing."""
    tar = CACHE / f"rootfs-{ARCH}-{SUITE}-{cache_key()}.tar"
    if tar.exists():
        log(f"cached root filesystem {tar.name}")
        return tar
    CACHE.mkdir(parents=True, exist_ok=True)
    out = CACHE / f"build-{os.getpid()}"
    started = time.monotonic()
    try:
        run([str(IMAGE_BUILD / "build-rootfs.sh"), ARCH, SUITE, str(out)])
        for stale in CACHE.glob(f"rootfs-{ARCH}-{SUITE}-*.tar"):
            stale.unlink()
        (out / f"rootfs-{ARCH}-{SUITE}.tar").rename(tar)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    log(f"built {tar.name} in {time.monotonic() - started:.0f} s")
    return tar


def mounts_under(root: Path) -> list[str]:
    prefix = str(root)
    points = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        point = line.split()[4].replace("\\040", " ")
        if point == prefix or point.startswith(prefix + "/"):
            points.append(point)
    return points


@contextlib.contextmanager
def chroot_mounts(root: Path):
    """/proc, /sys and /dev for programs in the chroot; always unmounted again.

    /dev is a non-recursive bind of the host's, with a private devpts and /dev/shm on top,
    so nothing the chroot does reaches the host's terminals or shared memory.
    """
    mounted: list[Path] = []

    def mount(target: Path, *args: str) -> None:
        run(["mount", *args, str(target)])
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


def unpack(tar: Path, root: Path) -> None:
    root.mkdir(parents=True)
    run(["tar", "-C", str(root), "--numeric-owner", "--xattrs", "--xattrs-include=*",
         "-xpf", str(tar)])


def refresh_app_and_units(root: Path) -> None:
    """This checkout's wheel and units in the unpacked root; needs chroot_mounts(root)."""
    started = time.monotonic()
    src = root.parent / "src.tar"
    run([str(IMAGE_BUILD / "hooks/source-tar.sh"), str(src)])
    run([str(IMAGE_BUILD / "hooks/install-app.sh"), str(root), str(src), "--app-only"])
    run([str(IMAGE_BUILD / "hooks/install-units.sh"), str(root)])
    src.unlink()
    log(f"refreshed the app and units in {time.monotonic() - started:.0f} s")


def remove_root(root: Path) -> None:
    """Delete an unpacked root, never through a mount still inside it (the host's /dev)."""
    left = mounts_under(root)
    if left:
        raise AssertionError(f"still mounted inside the test root: {left}")
    shutil.rmtree(root.parent)
