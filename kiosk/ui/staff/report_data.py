"""The monthly report as rows: shown on the reports screen and exported to CSV.

No widgets here: the screen shows these rows and the CSV file holds the same ones, so what a
librarian sees is what the district receives. The row labels are marked with
``QT_TRANSLATE_NOOP("ReportsScreen", ...)`` only: the screen translates them, the CSV stays
Vietnamese.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from kiosk.core import ddc
from kiosk.core.stats import DDC_CLASSES

PERIOD_LABELS = {
    "loans": QT_TRANSLATE_NOOP("ReportsScreen", "Lượt mượn"),
    "renewals": QT_TRANSLATE_NOOP("ReportsScreen", "Lượt gia hạn"),
    "returns": QT_TRANSLATE_NOOP("ReportsScreen", "Lượt trả"),
    "visits": QT_TRANSLATE_NOOP("ReportsScreen", "Lượt bạn đọc đến"),
    "active_patrons": QT_TRANSLATE_NOOP("ReportsScreen", "Bạn đọc có hoạt động"),
    "new_patrons": QT_TRANSLATE_NOOP("ReportsScreen", "Bạn đọc mới"),
    "acquisitions": QT_TRANSLATE_NOOP("ReportsScreen", "Bản sách bổ sung"),
    "holds_placed": QT_TRANSLATE_NOOP("ReportsScreen", "Lượt đặt trước"),
    "requests": QT_TRANSLATE_NOOP("ReportsScreen", "Yêu cầu (gửi sách, sao chụp)"),
}


def counts_rows(period: dict[str, Any]) -> list[tuple[str, int]]:
    return [(label, int(period[key])) for key, label in PERIOD_LABELS.items()]


def ddc_bars(rows: list[dict[str, Any]], value: str, lang: str = "vi") -> list[tuple[str, int]]:
    """All ten DDC classes in order (zero where nothing), then anything unclassified, named
    in the screen's language."""
    by_class = {row["class"]: row[value] for row in rows}
    names = DDC_CLASSES if lang != "en" else {
        cls: ddc.MAIN_CLASSES_EN[f"{cls}00"] for cls in DDC_CLASSES}
    bars = [(f"{cls} – {names[cls]}", int(by_class.get(cls, 0))) for cls in DDC_CLASSES]
    extra = sum(int(v) for cls, v in by_class.items() if cls not in DDC_CLASSES)
    if extra:
        bars.append(("? – " + ("Unclassified" if lang == "en" else "Chưa phân loại"), extra))
    return bars


def write_csv(path: str | Path, report: dict[str, Any]) -> Path:
    """Write the month's report to a UTF-8 CSV with a BOM (so Excel shows Vietnamese)."""
    path = Path(path)
    month = report["period"]["period"]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Thư viện", report.get("library", ""), "Kỳ báo cáo", month])
        out.writerow([])
        out.writerow(["Chỉ tiêu", "Số lượng"])
        out.writerows(counts_rows(report["period"]))
        out.writerow([])
        out.writerow(["Lớp DDC", f"Lượt mượn {month}", "Đầu sách trong kho", "Bản sách trong kho"])
        loans = {r["class"]: r["loans"] for r in report["loans_by_ddc"]}
        stock = {r["class"]: r for r in report["collection_by_ddc"]}
        for cls in sorted(set(loans) | set(stock)):
            label = (stock.get(cls) or {}).get("label") or next(
                (r["label"] for r in report["loans_by_ddc"] if r["class"] == cls), "")
            out.writerow([f"{cls} – {label}", loans.get(cls, 0),
                          (stock.get(cls) or {}).get("titles", 0),
                          (stock.get(cls) or {}).get("items", 0)])
    return path
