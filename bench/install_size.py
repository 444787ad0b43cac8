"""Size of a kiosk's Python environment with and without the camera extra, and with everything.

    python -m bench.install_size [--keep DIR]

Builds throwaway virtual environments (real installs of this source tree and its
dependencies from the package index) and prints their size in MiB, with and without pip and
setuptools, which an appliance does not need to run. Takes a few minutes the first time
(downloads), about a minute with a warm pip cache.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = (("kiosk", ""), ("kiosk+camera", "[camera]"), ("everything", "[camera,hub]"))
TOOLING = ("pip", "setuptools", "pkg_resources", "_distutils_hack")


def _mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) \
        / 2**20


def measure(folder: Path) -> list[tuple[str, float, float]]:
    rows = []
    for name, extra in VARIANTS:
        venv = folder / name.replace("+", "-")
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", f"{ROOT}{extra}"], check=True)
        site = next((venv / "lib").glob("python3*/site-packages"))
        tooling = sum(_mib(site / t) for t in TOOLING if (site / t).exists())
        total = _mib(venv)
        rows.append((name, total, total - tooling))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the environments here and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kiosk-size-"))
    try:
        rows = measure(folder)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    everything = rows[-1][1]
    for name, total, runtime in rows:
        print(f"{name:14} {total:6.0f} MiB  ({runtime:4.0f} MiB without pip/setuptools)  "
              f"{100 * total / everything:3.0f} % of everything")


if __name__ == "__main__":
    main()
