"""A demo library of the former huyện Tam Nông, Đồng Tháp, built through the real core.

Training, screenshots and benchmarks need a catalogue that looks like a commune library's
and a loan history whose events are genuine: every loan, return, renewal, hold and
request below goes through the same domain operations a kiosk uses, with the library's
clock moved forward one day at a time. The same seed gives the same titles, barcodes and
card numbers (record ids are made as in production, so they differ between builds).

For training: the first three cards (``TN-TRAMCHIM000001``–``000003`` in a fresh
database) have the PIN ``1234`` (``DEMO_PIN``) and the fourth has expired; the summary
returned by :func:`build_demo` lists them. The README's walk-through must work as written:
the PIN cards take no part in the history (their accounts start clean, the first is an
adult's, allowed five books) and the first titles' copies (``TC000001``–``TC000012``:
Dế Mèn phiêu lưu ký, Truyện Kiều, Số đỏ, Tắt đèn) stay on the shelf, never lent or held. A demo database this module initialises itself
also gets the staff PIN ``246810`` (``DEMO_STAFF_PIN``), so a trainee can open the staff
area; its technician area stays locked, as on a real device until a technician sets its
PIN. A real library's database never gets a PIN from here.

Catalogue writes are batched (1,000 titles per transaction) so a 200,000-title benchmark
database costs one fsync per batch, not one per record.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from pathlib import Path
from typing import Any

from kiosk import demo_data as data
from kiosk.core import staff
from kiosk.core.clock import FixedClock
from kiosk.core.isbn import ean13_check_digit
from kiosk.core.library import Library
from kiosk.core.node import init_library
from kiosk.core.text import fold
from kiosk.demo_history import History

DEMO_PIN = "1234"
DEMO_STAFF_PIN = "246810"
DEMO_CODE = "TN-TRAMCHIM"
DEMO_NAME = "Thư viện thị trấn Tràm Chim"
BATCH = 1000
DEMO_BOOKS = 2000
WALKTHROUGH_TITLES = 4     # the first classics, every copy kept on the shelf
DEMO_DB_ENV = "KIOSK_DEMO_DB"
CATEGORIES = [("adult", 35), ("student", 25), ("child", 25), ("elderly", 10), ("disabled", 5)]
BIRTH_YEARS = {"child": (6, 12), "student": (13, 22), "adult": (23, 60), "elderly": (61, 88),
               "disabled": (18, 75)}


class _Isbns:
    """Unique ISBN-13s in the 978-604 group, numbered per (demo) publisher registrant."""

    def __init__(self) -> None:
        self.next = {key: 0 for key in data.PUBLISHERS}

    def take(self, publisher: str) -> str | None:
        registrant = data.PUBLISHERS[publisher][2]
        number = self.next[publisher]
        width = 6 - len(registrant)
        if number >= 10 ** width:
            return None
        self.next[publisher] = number + 1
        body = f"978604{registrant}{number:0{width}d}"
        return body + ean13_check_digit(body)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _apply(form: str, topic: str) -> str:
    return form.format(t=topic, T=_cap(topic))


def person_name(rng: random.Random, female: bool | None = None) -> str:
    female = rng.random() < 0.5 if female is None else female
    family = rng.choices([n for n, _ in data.FAMILY_NAMES], [w for _, w in data.FAMILY_NAMES])[0]
    middle = rng.choice(data.MIDDLE_FEMALE if female else data.MIDDLE_MALE)
    given = rng.choice(data.GIVEN_FEMALE if female else data.GIVEN_MALE)
    return f"{family} {middle} {given}"


def generated_record(rng: random.Random) -> tuple[dict[str, Any], str, str]:
    """One plausible title: (fields without publisher and ISBN, publisher key, item type)."""
    domain = rng.choices(["agri", "lit", "child", "place", "health", "law", "skill"],
                         [30, 18, 20, 8, 8, 6, 10])[0]
    item_type, series, subjects = "book", None, []
    if domain == "child":
        a, b = rng.sample(data.ANIMALS, 2)
        title = _cap(rng.choice(data.CHILD_FORMS).format(a=a.lower(), b=b.lower()))
        ddc, item_type = "895.9223", "children"
        publisher = rng.choice(["Kim Đồng", "Trẻ", "Giáo dục"])
        subjects = ["Văn học thiếu nhi", "Truyện tranh" if rng.random() < 0.3 else "Truyện"]
        series = rng.choice([None, "Tủ sách Tuổi thơ", "Thiên nhiên quanh em"])
    elif domain == "lit":
        form, ddc = rng.choice(data.LIT_FORMS)
        title = rng.choice(data.LIT_NOUNS) + rng.choice(data.LIT_TAILS)
        subjects = [form, "Văn học Việt Nam"]
        publisher = rng.choice(["Văn học", "Hội Nhà văn", "Trẻ", "Tổng hợp"])
    else:
        topics, forms, publishers = {
            "agri": (data.AGRI_TOPICS, data.AGRI_FORMS, ["Nông nghiệp"] * 4 + ["Tổng hợp"]),
            "place": (data.PLACE_TOPICS, data.PLACE_FORMS, ["Chính trị", "Tổng hợp", "Văn học"]),
            "health": (data.HEALTH_TOPICS, data.HEALTH_FORMS, ["Tổng hợp", "Giáo dục", "Trẻ"]),
            "law": (data.LAW_TOPICS, data.LAW_FORMS, ["Chính trị", "Tổng hợp"]),
            "skill": (data.SKILL_TOPICS, data.SKILL_FORMS, ["Giáo dục", "Trẻ", "Tổng hợp"]),
        }[domain]
        topic, ddc, subject = rng.choice(topics)
        title = _apply(rng.choice(forms), topic)
        publisher = rng.choice(publishers)
        subjects = [subject] + (["Đồng Tháp"] if domain == "place" or rng.random() < 0.2 else [])
        if domain == "agri":
            series = rng.choice([None, None, "Tủ sách Khuyến nông", "Bạn của nhà nông"])
    if rng.random() < 0.15:
        title += f". Tập {rng.randint(1, 4)}"
    authors = [person_name(rng) for _ in range(rng.choice([1, 1, 1, 2]))]
    fields = {
        "title": title, "subtitle": rng.choice(data.SUBTITLES) if domain != "child" else None,
        "authors": authors, "year": rng.randint(1995, 2025), "language": "vie",
        "subjects": subjects, "ddc": ddc, "series": series,
    }
    return fields, publisher, item_type


def _call_number(ddc: str, authors: list[str]) -> str:
    cutter = fold(authors[0].split()[-1])[:3].upper() if authors else "XXX"
    return f"{ddc} {cutter}"


class _Catalogue:
    def __init__(self, lib: Library, rng: random.Random):
        self.lib, self.rng = lib, rng
        self.isbns = _Isbns()
        self.barcode_seq = 0
        self.lendable: list[tuple[str, list[str], str]] = []

    def add(self, fields: dict[str, Any], publisher_key: str, item_type: str, copies: int) -> None:
        name, place, _ = data.PUBLISHERS[publisher_key]
        fields = {**fields, "publisher": name, "place": place}
        isbn = self.isbns.take(publisher_key)
        if isbn:
            fields["isbn13"] = isbn
        record_id = self.lib.catalogue.add_record(fields)
        barcodes = []
        for _ in range(copies):
            self.barcode_seq += 1
            barcode = f"TC{self.barcode_seq:06d}"
            self.lib.catalogue.add_item(
                record_id, barcode, location=data.LOCATIONS[item_type],
                call_number=_call_number(fields["ddc"], fields["authors"]),
                item_type=item_type, price=self.rng.randrange(20, 250) * 1000)
            barcodes.append(barcode)
        if item_type != "reference":
            self.lendable.append((record_id, barcodes, item_type))

    def build(self, books: int) -> None:
        classics = data.CLASSICS[:books]
        with self.lib.transaction():
            for title, authors, pub, year, ddc, subjects, item_type, series in classics:
                copies = 1 if item_type in ("reference", "periodical", "av") else 3
                fields = {"title": title, "authors": authors, "year": year, "language": "vie",
                          "subjects": subjects, "ddc": ddc, "series": series}
                self.add(fields, pub, item_type, copies)
        remaining = books - len(classics)
        while remaining > 0:
            with self.lib.transaction():
                for _ in range(min(BATCH, remaining)):
                    fields, publisher, item_type = generated_record(self.rng)
                    copies = self.rng.choices([1, 2, 3], [50, 35, 15])[0]
                    self.add(fields, publisher, item_type, copies)
                    remaining -= 1


def _patron_specs(rng: random.Random, count: int, this_year: int) -> list[dict[str, Any]]:
    specs = []
    for _ in range(count):
        category = rng.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
        low, high = BIRTH_YEARS[category]
        commune = rng.choices(data.COMMUNES, [6] + [1] * (len(data.COMMUNES) - 1))[0]
        hamlet = ("Khóm" if commune == "Tràm Chim" else "Ấp") + f" {rng.randint(1, 6)}"
        unit = "thị trấn" if commune == "Tràm Chim" else "xã"
        with_phone = category != "child" and rng.random() < 0.7
        phone = f"09{rng.randrange(10**7, 10**8)}" if with_phone else None
        specs.append({
            "name": person_name(rng), "category": category,
            "birth_year": this_year - rng.randint(low, high), "phone": phone, "commune": commune,
            "address": f"{hamlet}, {unit} {commune}, tỉnh Đồng Tháp",
        })
    return specs


def build_demo(library: Library, books: int = 2000, patrons: int | None = None, seed: int = 7,
               history_days: int = 120) -> dict[str, Any]:
    """Fill ``library`` with a Tam Nông catalogue, patrons and ``history_days`` of circulation.

    The history ends just before the library clock's current time, which is where the
    clock is left. A clock without ``set`` (the system clock) is replaced by a
    FixedClock for the duration. An uninitialised library becomes ``TN-TRAMCHIM``.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    original = library.clock
    clock = original if hasattr(original, "set") else FixedClock(original.now())
    staff_pin = None
    library.clock = library.log.wall = clock
    try:
        end = clock.now()
        start = dt.datetime.combine(end.date() - dt.timedelta(days=history_days),
                                    dt.time(7, 0), end.tzinfo)
        clock.set(start)
        if library.store.get_meta("library_code") is None:
            init_library(library, DEMO_CODE, DEMO_NAME, commune="Tràm Chim",
                         address="Khóm 2, thị trấn Tràm Chim, tỉnh Đồng Tháp",
                         opening_hours="Thứ Hai – Thứ Bảy, 7:00–11:00 và 13:30–17:00")
            staff.set_pin(library.store, staff.STAFF, DEMO_STAFF_PIN)
            staff_pin = DEMO_STAFF_PIN
        catalogue = _Catalogue(library, rng)
        catalogue.build(books)
        built_catalogue = time.perf_counter() - started
        count = patrons if patrons is not None else max(30, min(2000, books // 10))
        specs = _patron_specs(rng, count, end.year)
        specs[0].update(category="adult", birth_year=end.year - 35)
        shelf = catalogue.lendable[:WALKTHROUGH_TITLES]
        history = History(library, clock, rng, catalogue.lendable[WALKTHROUGH_TITLES:] or shelf)
        cards = history.register_initial(specs, DEMO_PIN, expired_before=end.date())
        history.run(start.date(), history_days)
        clock.set(end)
    finally:
        library.clock = library.log.wall = original
    return {
        "library": library.code, "seed": seed, "records": library.catalogue.count(),
        "items": library.store.scalar("SELECT COUNT(*) FROM items"),
        "patrons": library.patrons.count(), "history_from": start.date().isoformat(),
        "history_to": end.date().isoformat(), "demo_pin": DEMO_PIN, "pin_cards": cards["pin"],
        "demo_staff_pin": staff_pin,
        "expired_card": cards["expired"], **history.summary(),
        "catalogue_seconds": round(built_catalogue, 2),
        "seconds": round(time.perf_counter() - started, 2),
    }


def demo_path(environ: dict[str, str] | None = None) -> Path:
    """The one demo library that ``./dev.sh demo`` shows, as a window or on the command line.

    ``$KIOSK_DEMO_DB`` if set; in a source checkout, ``demo/demo.db`` beside ``dev.sh`` (the
    file its command-line demo builds with ``kiosk demo``); otherwise ``~/.cache/kiosk/demo.db``.
    """
    environ = os.environ if environ is None else environ
    if environ.get(DEMO_DB_ENV):
        return Path(environ[DEMO_DB_ENV])
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "dev.sh").is_file() and os.access(checkout, os.W_OK):
        return checkout / "demo" / "demo.db"
    base = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "kiosk" / "demo.db"


def ensure_demo_staff_pin(library: Library) -> bool:
    """Give a demo database built before PINs had no default its documented staff PIN.

    Only the demo library (``TN-TRAMCHIM``, the cached ``kiosk run --demo`` database) and
    only when it has none; True when it set one.
    """
    if library.code != DEMO_CODE or staff.has_pin(library.store, staff.STAFF):
        return False
    staff.set_pin(library.store, staff.STAFF, DEMO_STAFF_PIN)
    return True
