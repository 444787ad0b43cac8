"""PIN key-derivation cost: what one check costs a patron, and what guessing costs a thief.

Run ``python -m bench.pin_kdf [--repeat 7] [--pi-ratio 4] [--json]``. It measures, with
the standard library only, scrypt at several (N, r) — time per derivation (best and
median of ``--repeat``) and the memory it takes (peak RSS of a fresh process) — and
PBKDF2-HMAC-SHA256 for comparison, then projects each time onto a Raspberry Pi 4 by
``--pi-ratio`` (how many times slower a Pi 4 core is than this machine's; 1 when run on
the Pi itself, which is the way to check the projection). The target is 0.25–0.5 s per
check on a Pi 4; ``kiosk.core.pins`` holds the chosen cost and ``docs/security.md`` the
reasoning behind the ratio. The last lines price an exhaustive search of 4- and 6-digit
PINs for someone holding a copy of the SD card.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time

from kiosk.core import pins

TARGET = (0.25, 0.5)
GRID = [(2**13, 8), (2**14, 8), (2**14, 10), (2**14, 12), (2**15, 8), (2**16, 8)]
DEFAULT_PI_RATIO = 4.0  # Pi 4 (Cortex-A72, 1.5–1.8 GHz) vs a 2020s x86-64 server core
PBKDF2_ITERATIONS = 200_000

# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
_PEAK = """
import hashlib, sys
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
n, r = int(sys.argv[1]), int(sys.argv[2])
before = hwm()
hashlib.scrypt(b"482913", salt=b"s" * 16, n=n, r=r, p=1, dklen=32,
               maxmem=128 * r * (n + 2) + 2**20)
print(hwm() - before)
"""


def time_scrypt(n: int, r: int, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of ``repeat`` derivations. On a shared machine the CPU
    time (which leaves out waiting for a core) is the steadier figure; on an idle one the
    two agree."""
    wall, cpu = [], []
    for i in range(repeat):
        salt = os.urandom(16)
        started, started_cpu = time.perf_counter(), time.process_time()
        pins.derive(f"{i:06d}", salt, n, r, 1)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def peak_kib(n: int, r: int) -> int:
    """Extra peak resident memory of one derivation, in a fresh interpreter (KiB)."""
    done = subprocess.run([sys.executable, "-c", _PEAK, str(n), str(r)], capture_output=True,
                          text=True, check=True, timeout=120)
    return int(done.stdout.strip())


def pbkdf2_rate(iterations: int = PBKDF2_ITERATIONS) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        hashlib.pbkdf2_hmac("sha256", b"482913", os.urandom(16), iterations, 32)
        best = min(best, time.process_time() - started)
    return iterations / best


def _duration(seconds: float) -> str:
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    on_pi = platform.machine() in ("aarch64", "arm64") and "x86" not in platform.processor()
    parser.add_argument("--pi-ratio", type=float, default=1.0 if on_pi else DEFAULT_PI_RATIO,
                        help="how many times slower a Pi 4 is than this machine (1 on a Pi)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    rows = []
    for n, r in GRID:
        wall, cpu = time_scrypt(n, r, args.repeat)
        best, median = min(cpu), statistics.median(cpu)
        rows.append({"n": n, "r": r, "p": 1, "memory_mib": pins.memory_bytes(n, r) / 2**20,
                     "peak_rss_mib": peak_kib(n, r) / 1024, "best_s": best, "median_s": median,
                     "wall_best_s": min(wall), "wall_median_s": statistics.median(wall),
                     "pi4_s": best * args.pi_ratio,
                     "in_target": TARGET[0] <= best * args.pi_ratio <= TARGET[1]})
    rate = pbkdf2_rate()
    chosen = next(row for row in rows if (row["n"], row["r"]) == (pins.N, pins.R))
    result = {
        "machine": f"{platform.machine()} {platform.processor() or ''} "
                   f"({os.cpu_count()} CPUs), {platform.python_implementation()} "
                   f"{platform.python_version()}",
        "pi_ratio": args.pi_ratio, "target_s": TARGET, "scrypt": rows,
        "pbkdf2_sha256_iterations_per_s": rate,
        "chosen": {"n": pins.N, "r": pins.R, "p": pins.P},
        "search": {digits: {"here_one_core_s": 10 ** digits / 2 * chosen["best_s"],
                            "pi4_one_core_s": 10 ** digits / 2 * chosen["pi4_s"]}
                   for digits in (4, 6)},
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return result
    print(f"PIN KDF bench on {result['machine']}; Pi 4 = this machine x {args.pi_ratio:g}")
    print("times: CPU seconds per derivation, best and median; wall-clock best in brackets")
    print(f"{'scrypt N':>9} {'r':>3} {'memory':>8} {'peak RSS':>9} {'best':>8} {'median':>8} "
          f"{'(wall)':>8} {'Pi 4 est.':>9}")
    for row in rows:
        mark = " <- chosen" if row is chosen else (" in target" if row["in_target"] else "")
        print(f"{'2^%d' % (row['n'].bit_length() - 1):>9} {row['r']:>3} "
              f"{row['memory_mib']:>6.0f} MiB {row['peak_rss_mib']:>6.0f} MiB "
              f"{row['best_s'] * 1000:>6.0f} ms {row['median_s'] * 1000:>6.0f} ms "
              f"({row['wall_best_s'] * 1000:>4.0f} ms) {row['pi4_s']:>7.2f} s{mark}")
    same = rate * chosen["best_s"]
    print(f"PBKDF2-HMAC-SHA256: {rate:,.0f} iterations/s here; {same:,.0f} iterations cost "
          f"the same time as the chosen scrypt, with no memory cost (cheap on a GPU)")
    for digits, cost in result["search"].items():
        print(f"{digits}-digit PIN, half the space on average: {_duration(cost['here_one_core_s'])} "
              f"on one core of this machine, {_duration(cost['pi4_one_core_s'])} on a Pi 4 core")
    if not TARGET[0] <= chosen["pi4_s"] <= TARGET[1]:
        print(f"WARNING: the chosen cost projects to {chosen['pi4_s']:.2f} s on a Pi 4, outside "
              f"{TARGET[0]}–{TARGET[1]} s: revisit kiosk.core.pins.N/R")
    return result


if __name__ == "__main__":
    main()
