"""Catalogue input for the import benchmark: a MARC21 file written with pymarc, or direct adds.

The records come from the demo generator so they look like a Vietnamese library's
(titles with diacritics, 978-604 ISBNs, Koha-style 952 holdings), but with their own
barcode prefix so they can be imported into a demo database without collisions.
"""

from __future__ import annotations

import random
from pathlib import Path

from pymarc import Field, Indicators, Leader, MARCWriter, Record, Subfield

from kiosk.core.isbn import ean13_check_digit
from kiosk.core.library import Library
from kiosk.demo import generated_record
from kiosk.demo_data import LOCATIONS, PUBLISHERS
from kiosk.core.catalogue import ITEM_TYPES

TYPE_CODES = {"book": "BK", "children": "CHILD", "periodical": "CR", "av": "VM", "reference": "REF"}
assert set(TYPE_CODES) == set(ITEM_TYPES)


def _entries(count: int, seed: int):
    """(record fields, item type, barcodes) for ``count`` titles, ISBNs in a 978-604-8 block."""
    rng = random.Random(seed)
    for n in range(count):
        fields, publisher, item_type = generated_record(rng)
        name, place, _ = PUBLISHERS[publisher]
        body = f"9786048{n:05d}"
        fields.update(publisher=name, place=place, isbn13=body + ean13_check_digit(body))
        barcodes = [f"IM{n:06d}{c}" for c in range(rng.choice([1, 1, 2, 3]))]
        yield fields, item_type, barcodes


def _field(tag: str, ind: str, *pairs: tuple[str, object]) -> Field:
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]),
                 subfields=[Subfield(c, str(v)) for c, v in pairs if v not in (None, "")])


def write_marc(path: Path, count: int, seed: int) -> None:
    with open(path, "wb") as fh:
        writer = MARCWriter(fh)
        for n, (f, item_type, barcodes) in enumerate(_entries(count, seed)):
            rec = Record(force_utf8=True, leader=Leader("00000nam a2200000 a 4500"))
            rec.add_field(Field(tag="001", data=f"BENCH{n:06d}"))
            rec.add_field(_field("020", "  ", ("a", f["isbn13"])))
            rec.add_field(_field("082", "04", ("a", f["ddc"])))
            for i, author in enumerate(f["authors"]):
                rec.add_field(_field("100" if i == 0 else "700", "0 ", ("a", author)))
            rec.add_field(_field("245", "10", ("a", f["title"] + (" :" if f["subtitle"] else "")),
                                 ("b", f["subtitle"])))
            rec.add_field(_field("260", "  ", ("a", f["place"] + " :"),
                                 ("b", f["publisher"] + ","), ("c", f["year"])))
            if f["series"]:
                rec.add_field(_field("490", "0 ", ("a", f["series"])))
            for subject in f["subjects"]:
                rec.add_field(_field("650", " 4", ("a", subject)))
            for barcode in barcodes:
                rec.add_field(_field("952", "  ", ("a", "TN-TRAMCHIM"), ("b", "TN-TRAMCHIM"),
                                     ("c", LOCATIONS[item_type]), ("o", f["ddc"]),
                                     ("p", barcode), ("y", TYPE_CODES[item_type])))
            writer.write(rec)
        writer.close(close_fh=False)


def add_batched(lib: Library, count: int, seed: int, batch: int = 1000) -> None:
    """The catalogue write path without a file parser, 1,000 titles per transaction."""
    entries = list(_entries(count, seed))
    for start in range(0, len(entries), batch):
        with lib.transaction():
            for fields, item_type, barcodes in entries[start:start + batch]:
                record_id = lib.catalogue.add_record(fields)
                for barcode in barcodes:
                    lib.catalogue.add_item(record_id, barcode, item_type=item_type,
                                           location=LOCATIONS[item_type])
