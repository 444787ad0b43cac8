"""The English catalogue is complete, consistent with the sources, and compiled.

After changing interface strings: run the ``pyside6-lupdate`` command in README.md (all four
UI folders), translate every new message in ``kiosk/ui/i18n/kiosk_en.ts``, then ``pyside6-lrelease``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from kiosk.core import staff

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "kiosk" / "ui"
TS = UI / "i18n" / "kiosk_en.ts"
QM = UI / "i18n" / "kiosk_en.qm"
UI_FOLDERS = (UI, UI / "patron", UI / "staff", UI / "technician")

# %1..%9 (also %L1) and %n for QString.arg / plurals; {name} for str.format.
PLACEHOLDER = re.compile(r"%L?[1-9]|%n|\{[^{}]*\}")
# Sentence-final marks that the English must keep when the Vietnamese has them.
FINAL_MARKS = (":", ".", "…", "?", "!")


def _messages(path: Path) -> list[dict]:
    """Every live message of a .ts file (vanished/obsolete ones are history, not catalogue)."""
    rows = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "unfinished"
            if kind in ("vanished", "obsolete"):
                continue
            location = message.find("location")
            where = f"{location.get('filename')}:{location.get('line')}" if location is not None else "?"
            rows.append({"context": name, "source": message.findtext("source") or "",
                         "translation": (translation.text or "") if translation is not None else "",
                         "kind": kind, "where": where})
    return rows


def _tool(name: str) -> str:
    """A Qt tool of the PySide6 in use: the wrapper next to Python, or the packaged binary."""
    beside = Path(sys.executable).parent / f"pyside6-{name}"
    if beside.exists():
        return str(beside)
    found = shutil.which(f"pyside6-{name}")
    if found:
        return found
    import PySide6
    packaged = Path(PySide6.__file__).parent / name
    if packaged.exists():
        return str(packaged)
    pytest.fail(f"pyside6-{name} not found; install PySide6-Essentials")


def _describe(row: dict) -> str:
    return f"  [{row['context']}] {row['source']!r}  ({row['where']})"


def test_every_message_is_translated_with_the_same_placeholders():
    rows = _messages(TS)
    assert rows, f"{TS} has no messages"
    unfinished = [row for row in rows if row["kind"] == "unfinished" or not row["translation"].strip()]
    assert not unfinished, "untranslated messages in kiosk_en.ts:\n" + "\n".join(map(_describe, unfinished))
    mismatched = [
        f"{_describe(row)}: {sorted(PLACEHOLDER.findall(row['source']))} in the source, "
        f"{sorted(PLACEHOLDER.findall(row['translation']))} in {row['translation']!r}"
        for row in rows
        if Counter(PLACEHOLDER.findall(row["source"])) != Counter(PLACEHOLDER.findall(row["translation"]))]
    assert not mismatched, "placeholders differ:\n" + "\n".join(mismatched)


def test_translations_keep_the_edges_of_the_source():
    """Fragments glued to other text keep their spaces; sentences keep their final mark."""
    problems = []
    for row in _messages(TS):
        source, english = row["source"], row["translation"]
        if (source[:1].isspace(), source[-1:].isspace()) != (english[:1].isspace(), english[-1:].isspace()):
            problems.append(f"{_describe(row)}: leading/trailing space differs in {english!r}")
        mark = source.rstrip()[-1:]
        if mark in FINAL_MARKS and not english.rstrip().endswith(mark):
            problems.append(f"{_describe(row)}: should end with {mark!r}: {english!r}")
    assert not problems, "\n".join(problems)


def test_every_string_in_the_sources_is_in_the_catalogue(tmp_path):
    fresh = tmp_path / "kiosk_en.ts"
    sources = sorted(str(path) for folder in UI_FOLDERS for path in folder.glob("*.py"))
    result = subprocess.run([_tool("lupdate"), "-silent", "-locations", "none", *sources,
                             "-ts", str(fresh)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    extracted = _messages(fresh)
    assert len(extracted) > 100, "lupdate found suspiciously few strings"
    shipped = {(row["context"], row["source"]): row for row in _messages(TS)}
    missing = [row for row in extracted
               if (row["context"], row["source"]) not in shipped
               or shipped[(row["context"], row["source"])]["kind"] == "unfinished"
               or not shipped[(row["context"], row["source"])]["translation"].strip()]
    assert not missing, (
        "interface strings without an English translation (run the pyside6-lupdate command in "
        "README.md, translate them in kiosk/ui/i18n/kiosk_en.ts, then pyside6-lrelease):\n"
        + "\n".join(f"  [{row['context']}] {row['source']!r}" for row in missing))


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    rebuilt = tmp_path / "kiosk_en.qm"
    result = subprocess.run([_tool("lrelease"), "-silent", str(TS), "-qm", str(rebuilt)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert QM.read_bytes() == rebuilt.read_bytes(), (
        "kiosk_en.qm is stale: run pyside6-lrelease kiosk/ui/i18n/kiosk_en.ts -qm kiosk/ui/i18n/kiosk_en.qm")


@pytest.mark.parametrize(("context", "source", "english"), [
    ("BorrowScreen", "Xong, in phiếu", "Done, print slip"),
    ("CirculationScreen", "Cho mượn", "Check out"),
    ("DiagnosticsScreen", "In trang thử", "Print test page"),
])
def test_the_compiled_catalogue_translates_patron_staff_and_technician_screens(
        qapp, context, source, english):
    translator = QTranslator()
    assert translator.load(str(QM)), f"cannot load {QM}"
    qapp.installTranslator(translator)
    try:
        assert QCoreApplication.translate(context, source) == english
    finally:
        qapp.removeTranslator(translator)


def test_the_staff_and_technician_tab_titles_are_english_with_the_english_catalogue(
        qtbot, qapp, lib, make_runtime):
    from kiosk.ui.staff import STAFF_SCREENS
    from kiosk.ui.technician import TECHNICIAN_SCREENS

    translator = QTranslator()
    assert translator.load(str(QM)), f"cannot load {QM}"
    qapp.installTranslator(translator)
    try:
        for title, _cls in STAFF_SCREENS + TECHNICIAN_SCREENS:
            english = QCoreApplication.translate("ProtectedArea", title)
            assert english and english != title, f"tab title {title!r} has no English"
        staff.set_pin(lib.store, staff.STAFF, "482913")
        shell = make_runtime().shell
        shell.go("staff")
        area = shell.screens["staff"]
        area.gate.pin.setText("482913")
        area.gate.submit()
        qtbot.waitUntil(lambda: area.unlocked, timeout=3000)
        titles = [area.tabs.tabText(i) for i in range(area.tabs.count())]
        assert titles[:3] == ["Check out – return", "Patrons", "Cataloguing"]
        assert titles == [QCoreApplication.translate("ProtectedArea", title)
                          for title, _cls in STAFF_SCREENS]
    finally:
        qapp.removeTranslator(translator)
