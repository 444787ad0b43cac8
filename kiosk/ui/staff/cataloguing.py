"""Cataloguing at the counter: scan an ISBN, complete the record, add barcoded copies.

An ISBN in any form (ISBN-10, ISBN-13, with hyphens, as scanned from the EAN-13) is looked
up through :func:`kiosk.lookup.lookup_isbn`: a known title fills the form, an unknown one
starts a new record with the ISBN already filled in.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.catalogue import ITEM_TYPES
from kiosk.lookup import lookup_isbn
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Page, button, fill_table, make_table

log = logging.getLogger(__name__)

ITEM_TYPE_LABELS = {
    "book": QT_TRANSLATE_NOOP("CataloguingScreen", "Sách"),
    "children": QT_TRANSLATE_NOOP("CataloguingScreen", "Sách thiếu nhi"),
    "periodical": QT_TRANSLATE_NOOP("CataloguingScreen", "Báo – tạp chí"),
    "av": QT_TRANSLATE_NOOP("CataloguingScreen", "Tài liệu nghe nhìn"),
    "reference": QT_TRANSLATE_NOOP("CataloguingScreen", "Tra cứu (đọc tại chỗ)"),
}
try:
    from kiosk.demo_data import LOCATIONS as DEFAULT_LOCATIONS
except ImportError:
    DEFAULT_LOCATIONS = {}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class CataloguingScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.record_id: str | None = None

        self.isbn = QLineEdit()
        self.isbn.setPlaceholderText(self.tr("Quét hoặc nhập ISBN"))
        self.isbn.returnPressed.connect(self.look_up)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.title = QLineEdit()
        self.authors = QLineEdit()
        self.authors.setPlaceholderText(self.tr("cách nhau bởi dấu phẩy"))
        self.publisher = QLineEdit()
        self.year = QLineEdit()
        self.year.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,4}")))
        self.ddc = QLineEdit()
        self.ddc.setPlaceholderText(self.tr("ví dụ 895.9223"))
        self.subjects = QLineEdit()
        self.subjects.setPlaceholderText(self.tr("cách nhau bởi dấu phẩy"))
        self.save_button = button(self.tr("Lưu đầu sách"), self.save_record, primary=True)

        record_box = QGroupBox(self.tr("Đầu sách"))
        form = QFormLayout(record_box)
        form.setLabelAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        isbn_row = QHBoxLayout()
        isbn_row.addWidget(self.isbn, 1)
        isbn_row.addWidget(button(self.tr("Tra cứu"), self.look_up))
        isbn_row.addWidget(button(self.tr("Mới"), self.new_record))
        form.addRow(self.tr("ISBN"), isbn_row)
        form.addRow("", self.source)
        form.addRow(self.tr("Nhan đề"), self.title)
        form.addRow(self.tr("Tác giả"), self.authors)
        form.addRow(self.tr("Nhà xuất bản"), self.publisher)
        year_row = QHBoxLayout()
        year_row.addWidget(self.year)
        year_row.addWidget(QLabel(self.tr("DDC")))
        year_row.addWidget(self.ddc)
        form.addRow(self.tr("Năm"), year_row)
        form.addRow(self.tr("Chủ đề"), self.subjects)
        form.addRow("", self.save_button)

        self.barcode = QLineEdit()
        self.barcode.setPlaceholderText(self.tr("Mã vạch bản sách"))
        self.barcode.returnPressed.connect(self.add_item)
        self.item_type = QComboBox()
        for code in ITEM_TYPES:
            self.item_type.addItem(self.tr(ITEM_TYPE_LABELS.get(code, code)), code)
        self.location = QComboBox()
        self.location.setEditable(True)
        self.location.addItems(sorted(set(DEFAULT_LOCATIONS.values())))
        self.item_type.currentIndexChanged.connect(self._default_location)
        self.call_number = QLineEdit()
        self.price = QLineEdit()
        self.price.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,9}")))
        self.price.setPlaceholderText(self.tr("đồng"))
        self.add_button = button(self.tr("Thêm bản sách"), self.add_item, primary=True)
        self.items_table = make_table([self.tr("Mã vạch"), self.tr("Loại"), self.tr("Vị trí"),
                                       self.tr("Ký hiệu xếp giá"), self.tr("Tình trạng")])

        items_box = QGroupBox(self.tr("Bản sách"))
        grid = QGridLayout(items_box)
        grid.addWidget(QLabel(self.tr("Mã vạch")), 0, 0)
        grid.addWidget(self.barcode, 0, 1)
        grid.addWidget(QLabel(self.tr("Loại")), 0, 2)
        grid.addWidget(self.item_type, 0, 3)
        grid.addWidget(QLabel(self.tr("Vị trí")), 1, 0)
        grid.addWidget(self.location, 1, 1)
        grid.addWidget(QLabel(self.tr("Ký hiệu")), 1, 2)
        grid.addWidget(self.call_number, 1, 3)
        grid.addWidget(QLabel(self.tr("Giá")), 2, 0)
        grid.addWidget(self.price, 2, 1)
        grid.addWidget(self.add_button, 2, 2, 1, 2)
        grid.addWidget(self.items_table, 3, 0, 1, 4)

        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(record_box)
        left.addWidget(self.message)
        left.addStretch(1)
        layout.addLayout(left, 1)
        layout.addWidget(items_box, 1)
        self._default_location()
        self._update_buttons()

    def _default_location(self) -> None:
        place = DEFAULT_LOCATIONS.get(self.item_type.currentData())
        if place:
            self.location.setCurrentText(place)

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.record_id is not None)
        self.barcode.setEnabled(self.record_id is not None)
        self.save_button.setText(self.tr("Lưu thay đổi") if self.record_id
                                 else self.tr("Lưu đầu sách"))

    # Record

    def look_up(self) -> None:
        code = self.isbn.text().strip()
        if not code:
            return
        lib = self.ctx.library

        def work() -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
            record = lookup_isbn(lib, code)
            return record, lib.catalogue.items_of(record["id"]) if record else []

        self.call(work, self._looked_up)

    def _looked_up(self, found: tuple[dict[str, Any] | None, list[dict[str, Any]]]) -> None:
        record, items = found
        if record is None:
            isbn = self.isbn.text()
            self.new_record()
            self.isbn.setText(isbn)
            self.source.setText(self.tr("Chưa có trong thư viện: nhập thông tin đầu sách mới."))
            self.title.setFocus()
            return
        self.record_id = record["id"]
        self.title.setText(record["title"] or "")
        self.authors.setText(", ".join(record["authors"]))
        self.publisher.setText(record["publisher"] or "")
        self.year.setText(str(record["year"] or ""))
        self.ddc.setText(record["ddc"] or "")
        self.subjects.setText(", ".join(record["subjects"]))
        self.source.setText(self.tr("Đã có trong thư viện ({n} bản).").format(n=len(items)))
        self._show_items(items)
        self._update_buttons()
        self.barcode.setFocus()

    def new_record(self) -> None:
        self.record_id = None
        for field in (self.isbn, self.title, self.authors, self.publisher, self.year, self.ddc,
                      self.subjects):
            field.clear()
        self.source.clear()
        self._show_items([])
        self.message.clear_message()
        self._update_buttons()
        self.isbn.setFocus()

    def record_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "title": self.title.text().strip(), "authors": _split(self.authors.text()),
            "publisher": self.publisher.text().strip(), "ddc": self.ddc.text().strip(),
            "subjects": _split(self.subjects.text()),
            "year": int(self.year.text()) if self.year.text().strip() else None,
        }
        if self.isbn.text().strip():
            fields["isbn13"] = self.isbn.text().strip()
        return fields

    def save_record(self) -> None:
        fields = self.record_fields()
        if not fields["title"]:
            self.message.show_message(self.tr("Hãy nhập nhan đề."), "warn")
            self.title.setFocus()
            return
        catalogue, record_id = self.ctx.library.catalogue, self.record_id

        def work() -> str:
            if record_id is None:
                return catalogue.add_record(fields)
            catalogue.update_record(record_id, fields)
            return record_id

        self.call(work, self._saved, changes="catalogue")

    def _saved(self, record_id: str) -> None:
        created = self.record_id is None
        self.record_id = record_id
        self._update_buttons()
        self.message.show_message(self.tr("Đã lưu đầu sách mới. Hãy thêm bản sách.") if created
                                  else self.tr("Đã lưu thay đổi."), "ok")
        self.barcode.setFocus()

    # Items

    def add_item(self) -> None:
        record_id, code = self.record_id, self.barcode.text().strip()
        if record_id is None:
            return
        if not code:
            self.message.show_message(self.tr("Hãy quét mã vạch bản sách."), "warn")
            return
        catalogue = self.ctx.library.catalogue
        options = {"item_type": self.item_type.currentData(),
                   "location": self.location.currentText().strip() or None,
                   "call_number": self.call_number.text().strip() or None,
                   "price": int(self.price.text()) if self.price.text().strip() else None}

        def work() -> list[dict[str, Any]]:
            catalogue.add_item(record_id, code, **options)
            return catalogue.items_of(record_id)

        self.call(work, self._item_added, changes="catalogue")

    def _item_added(self, items: list[dict[str, Any]]) -> None:
        self._show_items(items)
        self.message.show_message(self.tr("Đã thêm bản sách {code}.").format(
            code=self.barcode.text().strip()), "ok")
        self.barcode.clear()
        self.barcode.setFocus()

    def _show_items(self, items: list[dict[str, Any]]) -> None:
        status = {"available": self.tr("Trên giá"), "lost": self.tr("Mất"),
                  "damaged": self.tr("Hư hỏng"), "withdrawn": self.tr("Thanh lý"),
                  "in_repair": self.tr("Đang sửa"), "missing": self.tr("Thất lạc")}
        fill_table(self.items_table, [
            (item["barcode"], self.tr(ITEM_TYPE_LABELS.get(item["item_type"], item["item_type"])),
             item["location"], item["call_number"],
             self.tr("Đang cho mượn") if item.get("due_date")
             else status.get(item["status"], item["status"])) for item in items])
