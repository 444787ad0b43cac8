"""``kiosk run`` (the touch-screen window) and ``kiosk tour`` (screenshots of every screen).

Qt is imported only when one of these commands runs, so the rest of the CLI starts fast.
"""

from __future__ import annotations

import argparse


def add_arguments(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="open the kiosk window (patron, staff or technician mode)")
    run.add_argument("--mode", choices=("kiosk", "staff", "technician"), default="kiosk",
                     help="the home screen: the patron attract screen, or a PIN-protected area")
    run.add_argument("--demo", action="store_true",
                     help="use a demo library (built once into ~/.cache/kiosk) and fake devices")
    run.add_argument("--fullscreen", action="store_true", help="fill the screen (the appliance)")
    run.add_argument("--lang", choices=("vi", "en"), default="vi", help="interface language")
    run.add_argument("--idle-seconds", type=float, default=None,
                     help="end a patron session after this many idle seconds (default: config, 60)")
    run.set_defaults(func=_run)

    tour = sub.add_parser("tour", help="walk every screen offscreen and save PNG screenshots")
    tour.add_argument("--out", required=True, help="folder for the PNG files")
    tour.add_argument("--size", action="append", default=None, metavar="WxH",
                      help="only these window sizes (default: 1024x600, 1280x800, 1920x1080)")
    tour.add_argument("--lang", choices=("vi", "en"), default="vi")
    tour.set_defaults(func=_tour)


def _run(args: argparse.Namespace) -> int:
    from kiosk.ui.app import run

    return run(args)


def _tour(args: argparse.Namespace) -> int:
    from kiosk.ui.tour import run_tour

    return run_tour(args)
