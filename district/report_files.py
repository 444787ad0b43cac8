"""A :class:`~district.reports.Report` as the files the province asks for: XLSX, CSV, PDF.

Headers are Vietnamese. The CSV starts with a byte-order mark so Excel on a Vietnamese
Windows opens it as UTF-8; the PDF embeds DejaVu Sans because the core PDF fonts have
no Vietnamese letters. Charts are native (an openpyxl bar chart, fpdf2 rectangles) so
no plotting library is needed on the server. Everything stays readable for a province
of 300 libraries: tables run down the page (one row per library, never one column per
library), repeat their header on every page, and shorten names to their column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from district.cells import inert
from district.config import HubConfig
from district.reports import METRICS, Report

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
LABELS = [label for _, label in METRICS]
KEYS = [key for key, _ in METRICS]
WHOLE_PERIOD = "Cả kỳ"


def month_label(month: str) -> str:
    year, mon = month.split("-")
    return f"{mon}/{year}"


def rows(report: Report, config: HubConfig | None = None) -> list[list]:
    """The long table: one row per library and month, then the period total of each library."""
    whole = (config or HubConfig()).whole
    out = []
    for code, name in report.libraries:
        place = report.places.get(code, {})
        where = [place.get("commune", ""), place.get("cluster", "")]
        for month in report.months:
            cell = report.cell(code, month)
            out.append([code, name, month_label(month), *(cell[k] for k in KEYS), *where])
        out.append([code, name, WHOLE_PERIOD, *(report.totals[code][k] for k in KEYS), *where])
    out.append(["", whole, WHOLE_PERIOD, *(report.grand[k] for k in KEYS), "", ""])
    return out


HEADER = ["Mã thư viện", "Thư viện", "Tháng", *LABELS, "Xã/phường", "Cụm"]
ROLLUP_HEADER = ["Cấp", "Mã", "Tên", "Số thư viện", *LABELS]
LEVEL_NAMES = {"commune": "Xã/phường", "cluster": "Cụm", "kind": "Loại thư viện"}


def rollup_rows(report: Report, config: HubConfig | None = None) -> list[list]:
    """Communes, then clusters (when any are set), then kinds of library, then the hub."""
    config = config or HubConfig()
    groups = list(report.communes)
    if any(g.code for g in report.clusters):
        groups += report.clusters
    groups += report.kinds
    out = [[LEVEL_NAMES[g.level], g.code, g.name, g.libraries, *(g.values[k] for k in KEYS)]
           for g in groups]
    out.append([config.level_noun.capitalize(), "", report.province or config.whole,
                len(report.libraries), *(report.grand[k] for k in KEYS)])
    return out


def to_csv(report: Report, config: HubConfig | None = None) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows([inert(v) for v in row] for row in rows(report, config))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _bold_row(ws, row: int) -> None:
    for cell in ws[row]:
        cell.font = Font(bold=True)


def to_xlsx(report: Report, config: HubConfig | None = None) -> bytes:
    """Sheets: period totals per library (with a chart), the monthly table, loans by month,
    and the rollup by commune, cluster and kind."""
    config = config or HubConfig()
    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    ws.append([report.title])
    ws.append([report.period])
    ws.append(["Mã thư viện", "Thư viện", *LABELS, "Xã/phường", "Cụm"])
    _bold_row(ws, 3)
    for code, name in report.libraries:
        place = report.places.get(code, {})
        ws.append([code, name, *(report.totals[code][k] for k in KEYS),
                   place.get("commune", ""), place.get("cluster", "")])
    ws.append(["", config.whole, *(report.grand[k] for k in KEYS)])
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
    for row in rows(report, config):
        monthly.append(row)
    monthly.column_dimensions["B"].width = 32

    pivot = wb.create_sheet("Lượt mượn theo tháng")
    pivot.append(["Tháng", config.whole])
    _bold_row(pivot, 1)
    for month in report.months:
        pivot.append([month_label(month),
                      sum(report.cell(code, month)["loans"] for code, _ in report.libraries)])
    if report.libraries:
        chart = BarChart()
        chart.title = "Lượt mượn theo tháng"
        chart.add_data(Reference(pivot, min_col=2, max_col=2, min_row=1,
                                 max_row=1 + len(report.months)), titles_from_data=True)
        chart.set_categories(Reference(pivot, min_col=1, min_row=2,
                                       max_row=1 + len(report.months)))
        chart.width, chart.height = 22, 10
        pivot.add_chart(chart, "D2")
    by_month = wb.create_sheet("Lượt mượn theo thư viện, tháng")
    by_month.append(["Mã thư viện", "Thư viện", *(month_label(m) for m in report.months)])
    _bold_row(by_month, 1)
    for code, name in report.libraries:
        by_month.append([code, name, *(report.cell(code, m)["loans"] for m in report.months)])
    by_month.column_dimensions["B"].width = 32
    rollup = wb.create_sheet("Theo xã, cụm, loại")
    rollup.append(ROLLUP_HEADER)
    _bold_row(rollup, 1)
    for row in rollup_rows(report, config):
        rollup.append(row)
    rollup.column_dimensions["C"].width = 32
    for sheet in wb.worksheets:  # openpyxl takes any text starting with "=" for a formula
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class _Pdf(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="L", format="A4")
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(True, margin=12)
        self.report_title = title
        self.alias_nb_pages()

    def footer(self):
        self.set_y(-10)
        self.set_font("DejaVu", "", 7)
        self.cell(0, 5, f"{self.report_title} — trang {self.page_no()}/{{nb}}", align="R")


ROW_H = 5.5
HEADER_H = 10


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` millimetres."""
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[:-1]
    return text + "…"


def _header(pdf: FPDF, header: list[str], widths: list[float]) -> None:
    pdf.set_font("DejaVu", "B", 6.5)
    x, y = pdf.l_margin, pdf.get_y()
    for text, w in zip(header, widths):
        pdf.rect(x, y, w, HEADER_H)
        pdf.set_xy(x, y + 0.5)
        pdf.multi_cell(w, 3, text, align="C", new_x="RIGHT", new_y="TOP", max_line_height=3)
        x += w
    pdf.set_xy(pdf.l_margin, y + HEADER_H)


def _table(pdf: FPDF, header: list[str], body: list[list], widths: list[float],
           bold_last: bool = True) -> None:
    """Rows down the page; a page break repeats the header, so nothing overlaps."""
    _header(pdf, header, widths)
    for i, row in enumerate(body):
        if pdf.get_y() + ROW_H > pdf.h - pdf.b_margin:
            pdf.add_page()
            _header(pdf, header, widths)
        bold = bold_last and i == len(body) - 1
        pdf.set_font("DejaVu", "B" if bold else "", 7)
        for j, (value, w) in enumerate(zip(row, widths)):
            text = _fit(pdf, str(value), w)
            pdf.cell(w, ROW_H, text, border=1, align="L" if j == 0 else "R")
        pdf.ln(ROW_H)


def _bar_chart(pdf: FPDF, title: str, bars: list[tuple[str, int]]) -> None:
    """Horizontal bars drawn with rectangles: readable on paper, no image library."""
    pdf.set_font("DejaVu", "B", 10)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    top = max((v for _, v in bars), default=0) or 1
    label_w, bar_w = 80, 160
    pdf.set_font("DejaVu", "", 7)
    for name, value in bars:
        if pdf.get_y() + ROW_H > pdf.h - pdf.b_margin:
            pdf.add_page()
        y = pdf.get_y()
        pdf.cell(label_w, ROW_H, _fit(pdf, name, label_w))
        pdf.set_fill_color(11, 107, 80)
        width = bar_w * value / top
        if width:
            pdf.rect(pdf.l_margin + label_w, y + 1, width, ROW_H - 2, style="F")
        pdf.set_xy(pdf.l_margin + label_w + width + 2, y)
        pdf.cell(20, ROW_H, str(value), new_x="LMARGIN", new_y="NEXT")


def to_pdf(report: Report, config: HubConfig | None = None) -> bytes:
    config = config or HubConfig()
    pdf = _Pdf(report.title)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 9, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    state = "số liệu đã chốt" if report.final else "số liệu tạm tính (còn tháng chưa chốt)"
    pdf.cell(0, 7, f"Kỳ báo cáo: {report.period} — {state}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    name_w = 62
    metric_w = (usable - name_w) / len(KEYS)
    body = [[name, *(report.totals[code][k] for k in KEYS)] for code, name in report.libraries]
    body.append([config.whole, *(report.grand[k] for k in KEYS)])
    _table(pdf, ["Thư viện", *LABELS], body, [name_w] + [metric_w] * len(KEYS))

    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, "Tổng hợp theo xã/phường, cụm và loại thư viện", new_x="LMARGIN",
             new_y="NEXT")
    level_w, libs_w = 22, 14
    group_w = (usable - level_w - name_w - libs_w) / len(KEYS)
    body = [[r[0], r[2], r[3], *r[4:]] for r in rollup_rows(report, config)]
    _table(pdf, ["Cấp", "Tên", "Số TV", *LABELS], body,
           [level_w, name_w, libs_w] + [group_w] * len(KEYS))

    pdf.add_page()
    _bar_chart(pdf, "Lượt mượn theo thư viện",
               [(name, report.totals[code]["loans"]) for code, name in report.libraries])
    if len(report.months) > 1:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, "Lượt mượn theo tháng", new_x="LMARGIN", new_y="NEXT")
        month_w = (usable - name_w - 16) / len(report.months)
        body = [[name, *(report.cell(code, m)["loans"] for m in report.months),
                 report.totals[code]["loans"]] for code, name in report.libraries]
        body.append([config.whole, *(sum(report.cell(c, m)["loans"] for c, _ in report.libraries)
                                     for m in report.months), report.grand["loans"]])
        _table(pdf, ["Thư viện", *(month_label(m) for m in report.months), WHOLE_PERIOD], body,
               [name_w] + [month_w] * len(report.months) + [16])
    return bytes(pdf.output())
