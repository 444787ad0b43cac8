"""``kiosk tour``: drive every screen through the real widgets offscreen and save screenshots.

A fresh demo library is built in a temporary folder (the same seed as ``kiosk demo``), the
window is sized to each target screen in turn, and the patron journey is played as a
patron would: card, borrow, refusal, slip, return with a hold trap, search and its
filters, record, forms, then the staff and technician areas. Every step writes
``<W>x<H>-<nn>-<step>.png``.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

TOUR_CARD = "TN-TRAMCHIM000002"
TOUR_TECHNICIAN_PIN = "97531"  # the tour's own throwaway copy of the demo only


def pump(app, runtime, ms: int = 120) -> None:
    """Let queued work finish and its results reach the widgets."""
    deadline = time.monotonic() + 5
    while runtime.ctx.ops.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def typed(search, text: str) -> None:
    """``text`` in the search box, searched at once (not after the typing pause)."""
    search.query.setText(text)
    search.timer.stop()
    search.search()


def tour_fixtures(lib) -> dict:
    """Barcodes for the journey, chosen from the demo library (runs on the database thread)."""
    code = lib.code
    free = [r[0] for r in lib.store.all(
        "SELECT i.barcode FROM items i WHERE i.library_id = ? AND i.status = 'available' "
        "AND i.item_type = 'book' AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id) "
        "AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.item_id = i.id) "
        "AND NOT EXISTS (SELECT 1 FROM holds h WHERE h.record_id = i.record_id AND h.status = 'waiting') "
        "ORDER BY i.barcode LIMIT 2", (code,))]
    on_loan = lib.store.one(
        "SELECT i.barcode FROM loans l JOIN items i ON i.id = l.item_id ORDER BY i.barcode LIMIT 1")
    trap = lib.store.one(
        "SELECT i.barcode FROM loans l JOIN items i ON i.id = l.item_id WHERE EXISTS "
        "(SELECT 1 FROM holds h WHERE h.record_id = i.record_id AND h.status = 'waiting' "
        "AND h.pickup_library = ?) ORDER BY i.barcode LIMIT 1", (code,))
    return {"free": free, "on_loan": on_loan[0], "trap": trap[0] if trap else None}


def _shots(out: Path, size: tuple[int, int], step: list[int]) -> Callable:
    def shoot(app, runtime, name: str) -> None:
        pump(app, runtime)
        step[0] += 1
        path = out / f"{size[0]}x{size[1]}-{step[0]:02d}-{name}.png"
        runtime.shell.grab().save(str(path))
    return shoot


def journey(app, runtime, shoot, demo_pin: str, area_pins: dict[str, str]) -> None:
    shell = runtime.shell
    fixtures: dict = {}
    runtime.ctx.ops.run(lambda: tour_fixtures(runtime.ctx.library), fixtures.update)
    pump(app, runtime)
    shoot(app, runtime, "attract")
    shell.go("identify", then="borrow")
    identify = shell.screens["identify"]
    identify.card.setText(TOUR_CARD)
    identify.pin.setText("0000")
    identify.submit()
    shoot(app, runtime, "identify-wrong-pin")
    identify.pin.setText(demo_pin)
    identify.submit()
    pump(app, runtime)
    for barcode in fixtures["free"] + [fixtures["on_loan"]]:
        shell.deliver_scan(barcode)
    shoot(app, runtime, "borrow")
    shell._countdown(12)
    shoot(app, runtime, "borrow-idle-countdown")
    shell._countdown(-1)
    shell.screens["borrow"].finish(True)
    shoot(app, runtime, "goodbye")
    shell.logout()
    shell.go("return")
    shell.deliver_scan(fixtures["free"][0])
    if fixtures["trap"]:
        shell.deliver_scan(fixtures["trap"])
    shoot(app, runtime, "return-hold-shelf")
    shell.logout()
    shell.go("search")
    search = shell.screens["search"]
    typed(search, "ky thuat trong lua")
    shoot(app, runtime, "search")
    typed(search, "dong thap")
    pump(app, runtime)
    search.filter_button.click()
    pump(app, runtime)
    search.panel.available_button.click()
    shoot(app, runtime, "search-filters")
    search.panel.clear_button.click()
    typed(search, "ky thuat trong lua")  # the record shown next is its first hit
    pump(app, runtime)
    shell.go("browse")
    shoot(app, runtime, "browse")
    browse = shell.screens["browse"]
    browse.open_class("600")
    browse.open_division("630")
    shoot(app, runtime, "browse-division")
    if search.hits:
        shell.go("record", record_id=search.hits[0].id)
        shoot(app, runtime, "record")
    shell.go("identify", then="account")
    shell.deliver_scan(TOUR_CARD)
    pump(app, runtime)
    shoot(app, runtime, "account")
    if search.hits:
        shell.go("request", kind="postal", record_id=search.hits[0].id, title=search.hits[0].title)
        shoot(app, runtime, "request-postal")
    shell.logout()
    shell.toggle_contrast()
    shoot(app, runtime, "attract-high-contrast")
    shell.toggle_contrast()
    shell.toggle_large_text()
    shell.go("identify", then="borrow")
    shoot(app, runtime, "identify-large-text")
    shell.toggle_large_text()
    shell.logout()
    for area in ("staff", "technician"):
        shell.go(area)
        screen = shell.screens[area]
        if screen.gate is not None:
            shoot(app, runtime, f"{area}-pin")
            screen.gate.pin.setText(area_pins[area])
            screen.gate.submit()
        shoot(app, runtime, area)
        if area == "staff" and screen.unlocked:
            desk_with_a_loan(app, runtime, screen, fixtures["free"][0])
            shoot(app, runtime, "staff-desk")
            shell.toggle_large_text()
            shoot(app, runtime, "staff-desk-large-text")
            shell.toggle_large_text()
            staff_tabs(app, runtime, shoot, screen)
        shell.logout()


def staff_tabs(app, runtime, shoot, area) -> None:
    """The counter's other tabs a librarian works in: patrons, cataloguing, reports, rules."""
    from kiosk.ui.staff import CataloguingScreen, PatronsScreen, ReportsScreen, SettingsScreen

    for name, cls in (("staff-patrons", PatronsScreen), ("staff-cataloguing", CataloguingScreen),
                      ("staff-reports", ReportsScreen), ("staff-rules", SettingsScreen)):
        area.tabs.setCurrentWidget(area.inside.findChild(cls))
        pump(app, runtime)
        shoot(app, runtime, name)


def desk_with_a_loan(app, runtime, area, barcode: str) -> None:
    """The circulation desk as a librarian sees it mid-visit: a patron, a loan, the slip button."""
    from kiosk.ui.staff.circulation import CirculationScreen

    desk = area.inside.findChild(CirculationScreen)
    desk.load_patron(TOUR_CARD)
    pump(app, runtime)
    desk.barcode.setText(barcode)
    desk.scan_item()
    pump(app, runtime)


def run_tour(args) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.app import open_library
    from kiosk.core import staff
    from kiosk.demo import DEMO_PIN, DEMO_STAFF_PIN, build_demo
    from kiosk.ui.app import SIZES, application, build_runtime, install_translation

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = SIZES
    if args.size:
        sizes = tuple(tuple(int(n) for n in s.lower().split("x")) for s in args.size)
    app = application()
    install_translation(app, args.lang)
    workdir = Path(tempfile.mkdtemp(prefix="kiosk-tour-"))
    try:
        template = workdir / "demo.db"
        lib = open_library(template)
        build_demo(lib, books=1500)
        staff.set_pin(lib.store, staff.TECHNICIAN, TOUR_TECHNICIAN_PIN)
        lib.store.close()
        settings = {"lang": args.lang}
        for size in sizes:
            path = workdir / f"tour-{size[0]}.db"
            shutil.copy(template, path)
            library = open_library(path)
            runtime = build_runtime(library, demo=False, settings=settings, size=size,
                                    environ={})
            runtime.cleanups.append(library.store.close)
            try:
                journey(app, runtime, _shots(out, size, [0]), DEMO_PIN,
                        {"staff": DEMO_STAFF_PIN, "technician": TOUR_TECHNICIAN_PIN})
            finally:
                runtime.shutdown()
                app.processEvents()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"screenshots in {out}")
    return 0
