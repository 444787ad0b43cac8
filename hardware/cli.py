"""`kiosk devices` and `kiosk scan-test`: what a technician runs at the kiosk with a screwdriver.

`devices` shows what is configured, whether it is connected and what is plugged in. `scan-test`
prints every read of a scanner or card reader, one line each, so a technician can check a device
and the card numbers it produces (stdout only; logs never carry full card numbers).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import select
import sys
import termios
import time
import tty
from collections.abc import Callable
from typing import IO

from hardware.cardreaders.rdm6300 import CARD_NUMBER_FORMATS, Rdm6300Reader, card_number_format
from hardware.device_config import ConfigError, load_config
from hardware.devices import DeviceRegistry, list_input_devices, list_serial_ports
from hardware.readers import Reader, ReaderStatus
from hardware.scanners.evdev_wedge import EvdevWedgeReader
from hardware.scanners.serial_scanner import TERMINATORS, SerialScanner
from hardware.scanners.wedge import ENTER, KeystrokeScanDetector, Verdict


def add_arguments(subparsers: argparse._SubParsersAction) -> None:
    devices = subparsers.add_parser("devices", help="list configured and detected devices")
    devices.add_argument("--config", dest="device_config", help="device config TOML (default: $KIOSK_DEVICES_CONFIG or demo)")
    devices.add_argument("--json", action="store_true", help="machine-readable output")
    devices.add_argument("--settle", type=float, default=0.5, metavar="SECONDS",
                         help="how long readers get to connect before status is shown")
    devices.set_defaults(func=run_devices)

    scan = subparsers.add_parser("scan-test", help="print every read of a scanner or card reader")
    scan.add_argument("--config", dest="device_config", help="device config TOML used when no device is named")
    source = scan.add_mutually_exclusive_group()
    source.add_argument("--device", metavar="serial:PORT|evdev:PATH", help="a scanner to read")
    source.add_argument("--rdm6300", metavar="PORT", help="an RDM6300 card reader's serial port")
    source.add_argument("--wedge", action="store_true",
                        help="read keystrokes from this terminal and tell scans from typing")
    scan.add_argument("--terminator", default="CR", choices=sorted(TERMINATORS))
    scan.add_argument("--card-format", default="decimal10", choices=sorted(CARD_NUMBER_FORMATS))
    scan.add_argument("--seconds", type=float, default=30.0, help="stop after this long")
    scan.add_argument("--count", type=int, default=0, help="stop after this many reads (0: no limit)")
    scan.set_defaults(func=run_scan_test)


def run_devices(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.device_config)
    except ConfigError as exc:
        print(f"kiosk devices: {exc}", file=sys.stderr)
        return 2
    registry = DeviceRegistry(config)
    registry.start()
    try:
        time.sleep(max(0.0, args.settle))
        rows = registry.status()
    finally:
        registry.stop()
    ports, inputs = list_serial_ports(), list_input_devices()
    if args.json:
        json.dump({"devices": [row.as_dict() for row in rows], "serial_ports": ports,
                   "input_devices": inputs}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    for row in rows:
        print(f"{row.kind:<12} {row.name:<28} {row.state:<13} {row.detail}")
    print("\nserial ports:")
    for port in ports:
        print(f"  {port['device']:<20} {port['usb_id']:<10} {port['description']}")
    print("input devices:" + (" unavailable (python-evdev not installed)" if inputs is None else ""))
    for device in inputs or []:
        print(f"  {device['device']:<20} {device['name']}")
    return 0


def run_scan_test(args: argparse.Namespace) -> int:
    reads: queue.Queue[tuple[str, str]] = queue.Queue()
    if args.wedge:
        return _wedge_test(args, sys.stdin, sys.stdout)
    try:
        readers = _readers_for(args, reads)
    except (ConfigError, ValueError) as exc:
        print(f"kiosk scan-test: {exc}", file=sys.stderr)
        return 2
    for reader in readers:
        reader.start()
    try:
        _print_reads(reads, args.seconds, args.count)
    finally:
        for reader in readers:
            reader.stop()
    return 0


def _readers_for(args: argparse.Namespace,
                 reads: queue.Queue[tuple[str, str]]) -> list[Reader | DeviceRegistry]:
    def sink(label: str) -> Callable[[str], None]:
        return lambda value: reads.put((label, value))

    def status(name: str) -> Callable[[ReaderStatus], None]:
        return lambda s: print(f"# {name}: {s.state.value} {s.detail}", file=sys.stderr)

    if args.rdm6300:
        name = f"rdm6300:{args.rdm6300}"
        return [Rdm6300Reader(args.rdm6300, sink("card"), name=name, on_status=status(name),
                              card_number=card_number_format(args.card_format))]
    if args.device:
        scheme, _, path = args.device.partition(":")
        if scheme == "serial" and path:
            return [SerialScanner(path, sink("scan"), terminator=args.terminator,
                                  on_status=status(args.device))]
        if scheme == "evdev" and path:
            return [EvdevWedgeReader(path, sink("scan"), on_status=status(args.device))]
        raise ValueError(f"--device {args.device!r}: expected serial:PORT or evdev:PATH")
    return [DeviceRegistry(load_config(args.device_config), sink("scan"), sink("card"), hotplug_factory=None)]


def _print_reads(reads: queue.Queue[tuple[str, str]], seconds: float, count: int) -> None:
    deadline = time.monotonic() + seconds
    printed = 0
    while count <= 0 or printed < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            label, value = reads.get(timeout=min(remaining, 0.2))
        except queue.Empty:
            continue
        print(f"{label}\t{value}", flush=True)
        printed += 1


def _wedge_test(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    """Scans from a wedge scanner typing into this terminal; typing is shown as such.

    On a terminal, keys are read one by one with their arrival times (cbreak mode); from a pipe
    no timing exists, so each line counts as one read.
    """
    if not stdin.isatty():
        return _wedge_lines(args, stdin, stdout)
    fd = stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)
    try:
        _wedge_keys(args, fd, stdout)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    return 0


def _wedge_lines(args: argparse.Namespace, stdin: IO[str], stdout: IO[str]) -> int:
    deadline = time.monotonic() + args.seconds
    printed = 0
    while time.monotonic() < deadline and (args.count <= 0 or printed < args.count):
        ready, _, _ = select.select([stdin], [], [], min(0.2, max(0.0, deadline - time.monotonic())))
        if not ready:
            continue
        line = stdin.readline()
        if not line:
            break
        if line.strip():
            print(f"scan\t{line.strip()}", file=stdout, flush=True)
            printed += 1
    return 0


def _wedge_keys(args: argparse.Namespace, fd: int, stdout: IO[str]) -> None:
    settings = load_config(args.device_config).wedge.settings()
    detector = KeystrokeScanDetector(settings)
    typed: list[str] = []
    deadline = time.monotonic() + args.seconds
    printed = 0

    def show(verdict: Verdict, key: str | None) -> int:
        keys = [stroke.key for stroke in verdict.release]
        if key is not None and not verdict.hold:
            keys.append(key)
        for released in keys:
            if released == ENTER:
                print(f"typed\t{''.join(typed)}", file=stdout, flush=True)
                typed.clear()
            elif len(released) == 1:
                typed.append(released)
        for code in verdict.scans:
            print(f"scan\t{code}", file=stdout, flush=True)
        return len(verdict.scans)

    while time.monotonic() < deadline and (args.count <= 0 or printed < args.count):
        ready, _, _ = select.select([fd], [], [], settings.max_interval)
        now = time.monotonic()
        if not ready:
            printed += show(detector.flush(now), None)
            continue
        data = os.read(fd, 256).decode("utf-8", "replace")
        if not data:
            break
        for char in data:
            key = ENTER if char in "\r\n" else ("Tab" if char == "\t" else char)
            printed += show(detector.feed(key, now), key)
