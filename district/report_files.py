"""A :class:`~district.reports.Report` as the files the province asks for: XLSX, CSV, PDF.

Headers are Vietnamese. The CSV starts with a byte-order mark so Excel on a Vietnamese
Windows opens it as UTF-8; the PDF embeds DejaVu Sans because the core PDF fonts have
no Vietnamese letters. Charts are native (an openpyxl bar chart, fpdf2 rectangles) so
no plotting library is needed on the server.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from district.reports import METRICS, Report

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
LABELS = [label for _, label in METRICS]
KEYS = [key for key, _ in METRICS]
WHOLE_PERIOD = "Cả kỳ"


def month_label(month: str) -> str:
    year, mon = month.split("-")
    return f"{mon}/{year}"


def rows(report: Report) -> list[list]:
    """The long table: one row per library and month, then the period total of each library."""
    out = []
    for code, name in report.libraries:
        for month in report.months:
            cell = report.cell(code, month)
            out.append([code, name, month_label(month), *(cell[k] for k in KEYS)])
        out.append([code, name, WHOLE_PERIOD, *(report.totals[code][k] for k in KEYS)])
    out.append(["", "Toàn huyện", WHOLE_PERIOD, *(report.grand[k] for k in KEYS)])
    return out


HEADER = ["Mã thư viện", "Thư viện", "Tháng", *LABELS]


def to_csv(report: Report) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(rows(report))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _bold_row(ws, row: int) -> None:
    for cell in ws[row]:
        cell.font = Font(bold=True)


def to_xlsx(report: Report) -> bytes:
    """Sheets: period totals per library (with a chart), the monthly table, loans by month."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    ws.append([report.title])
    ws.append([report.period])
    ws.append(["Mã thư viện", "Thư viện", *LABELS])
    _bold_row(ws, 3)
    for code, name in report.libraries:
        ws.append([code, name, *(report.totals[code][k] for k in KEYS)])
    ws.append(["", "Toàn huyện", *(report.grand[k] for k in KEYS)])
    _bold_row(ws, ws.max_row)
    ws.column_dimensions["B"].width = 32
    last = 3 + len(report.libraries)
    if report.libraries:
        chart = BarChart()
        chart.title = "Lượt mượn theo thư viện"
        chart.y_axis.title = "Lượt mượn"
        loans_col = 3 + KEYS.index("loans")
        chart.add_data(Reference(ws, min_col=loans_col, min_row=3, max_row=last),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=4, max_row=last))
        chart.width, chart.height = 18, 9
        ws.add_chart(chart, f"A{last + 3}")

    monthly = wb.create_sheet("Theo tháng")
    monthly.append(HEADER)
    _bold_row(monthly, 1)
    for row in rows(report):
        monthly.append(row)
    monthly.column_dimensions["B"].width = 32

    pivot = wb.create_sheet("Lượt mượn theo tháng")
    pivot.append(["Tháng", *(name for _, name in report.libraries)])
    _bold_row(pivot, 1)
    for month in report.months:
        pivot.append([month_label(month),
                      *(report.cell(code, month)["loans"] for code, _ in report.libraries)])
    if report.libraries:
        chart = BarChart()
        chart.title = "Lượt mượn theo tháng"
        chart.add_data(Reference(pivot, min_col=2, max_col=1 + len(report.libraries), min_row=1,
                                 max_row=1 + len(report.months)), titles_from_data=True)
        chart.set_categories(Reference(pivot, min_col=1, min_row=2,
                                       max_row=1 + len(report.months)))
        chart.width, chart.height = 22, 10
        pivot.add_chart(chart, f"A{len(report.months) + 4}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class _Pdf(FPDF):
    def __init__(self):
        super().__init__(orientation="L", format="A4")
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(True, margin=12)


def _table(pdf: FPDF, header: list[str], body: list[list], widths: list[float]) -> None:
    pdf.set_font("DejaVu", "B", 7.5)
    height = 9
    x, y = pdf.get_x(), pdf.get_y()
    for text, w in zip(header, widths):
        pdf.rect(pdf.get_x(), y, w, height)
        pdf.multi_cell(w, height / 2, text, align="C", new_x="RIGHT", new_y="TOP",
                       max_line_height=height / 2)
    pdf.set_xy(x, y + height)
    pdf.set_font("DejaVu", "", 8)
    for i, row in enumerate(body):
        bold = i == len(body) - 1
        pdf.set_font("DejaVu", "B" if bold else "", 8)
        for j, (value, w) in enumerate(zip(row, widths)):
            pdf.cell(w, 6, str(value), border=1, align="L" if j == 0 else "R")
        pdf.ln(6)


def _bar_chart(pdf: FPDF, title: str, bars: list[tuple[str, int]]) -> None:
    """Horizontal bars drawn with rectangles: readable on paper, no image library."""
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    top = max((v for _, v in bars), default=0) or 1
    label_w, bar_w = 70, 170
    pdf.set_font("DejaVu", "", 8)
    for name, value in bars:
        y = pdf.get_y()
        pdf.cell(label_w, 6, name)
        pdf.set_fill_color(11, 107, 80)
        width = bar_w * value / top
        if width:
            pdf.rect(pdf.l_margin + label_w, y + 1, width, 4, style="F")
        pdf.set_xy(pdf.l_margin + label_w + width + 2, y)
        pdf.cell(20, 6, str(value), new_x="LMARGIN", new_y="NEXT")


def to_pdf(report: Report) -> bytes:
    pdf = _Pdf()
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 9, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 7, f"Kỳ báo cáo: {report.period}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    body = [[name, *(report.totals[code][k] for k in KEYS)] for code, name in report.libraries]
    body.append(["Toàn huyện", *(report.grand[k] for k in KEYS)])
    _table(pdf, ["Thư viện", *LABELS], body, [69] + [30] * len(KEYS))
    pdf.ln(4)
    _bar_chart(pdf, "Lượt mượn theo thư viện",
               [(name, report.totals[code]["loans"]) for code, name in report.libraries])
    if len(report.months) > 1:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, "Lượt mượn theo tháng", new_x="LMARGIN", new_y="NEXT")
        names = [name for _, name in report.libraries]
        width = min(40.0, (277 - 20) / max(1, len(names)))
        body = [[month_label(m), *(report.cell(code, m)["loans"] for code, _ in report.libraries)]
                for m in report.months]
        body.append([WHOLE_PERIOD, *(report.totals[code]["loans"] for code, _ in report.libraries)])
        _table(pdf, ["Tháng", *names], body, [20] + [width] * len(names))
    return bytes(pdf.output())
