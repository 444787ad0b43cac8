"""Cataloguing at the counter: scan an ISBN, complete the record, add barcoded copies.

An ISBN in any form (ISBN-10, ISBN-13, with hyphens, as scanned from the EAN-13) is looked
up through :mod:`kiosk.lookup`: a title of this library opens for new copies; one the union
catalogue knows (rows on the device, or the hub when it answers) prefills a new record; an
unknown one starts a new record with the ISBN filled in. The call number follows a
suggestion from the DDC class (:mod:`kiosk.core.call_numbers`) until the librarian edits
it; "In nhãn gáy" prints spine labels for the copies just added on the receipt printer. An
unsaved record survives the staff area locking (``draft`` / ``restore_draft``).
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

from kiosk.core import isbn as isbnlib
from kiosk.core import provisioning
from kiosk.core.call_numbers import suggest_call_number
from kiosk.core.catalogue import ITEM_TYPES
from kiosk.lookup import hub_work, lookup_isbn
from kiosk.receipts import spine_labels
from kiosk.ui.context import UiContext
from kiosk.ui.staff.widgets import Page, button, fill_table, make_table
from kiosk.ui.widgets import Reflow

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


DRAFT_FIELDS = ("title", "authors", "publisher", "year", "ddc", "subjects")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class CataloguingScreen(Page):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.record_id: str | None = None
        self._lookup_seq = 0
        self._suggested = ""
        self._dirty = False
        self.new_labels: list[tuple[str, str]] = []

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
        self.vietnamese(self.title, self.authors, self.publisher, self.subjects, self.location)
        self.add_button = button(self.tr("Thêm bản sách"), self.add_item, primary=True)
        self.print_labels_button = button(self.tr("In nhãn gáy"), self.print_labels)
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
        grid.addWidget(self.print_labels_button, 4, 0, 1, 4)

        layout = Reflow(self)
        left = QVBoxLayout()
        left.addWidget(record_box)
        left.addWidget(self.message)
        left.addStretch(1)
        layout.addLayout(left, 1)
        layout.addWidget(items_box, 1)
        self._default_location()
        for field in (self.ddc, self.authors, self.title):
            field.textChanged.connect(lambda _text: self._suggest_call_number())
        for field in (self.isbn, self.title, self.authors, self.publisher, self.year, self.ddc,
                      self.subjects):
            field.textEdited.connect(self._edited)
        self._update_buttons()
        self._update_print_button()

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

    def show_scan(self, code: str) -> None:
        """A scan from any configured scanner: an ISBN opens its record, anything else is the
        barcode of a new copy of the record on screen."""
        if isbnlib.to_isbn13(code) is not None:
            self.isbn.setText(code)
            self.look_up()
            return
        if self.record_id is None:
            self.message.show_message(self.tr(
                "Mã {code} không phải ISBN. Hãy quét ISBN hoặc mở đầu sách trước khi thêm bản "
                "sách.").format(code=code), "warn")
            return
        self.barcode.setText(code)
        self.add_item()

    def look_up(self) -> None:
        """This library's catalogue, then the union rows on the device or the hub's."""
        code = self.isbn.text().strip()
        if not code:
            return
        self._lookup_seq += 1
        seq, lib = self._lookup_seq, self.ctx.library

        def work() -> tuple[dict[str, Any] | None, list[dict[str, Any]], str]:
            record = lookup_isbn(lib, code)
            if record is not None and record["source"] == "local":
                return record, lib.catalogue.items_of(record["id"]), ""
            return record, [], provisioning.load(lib.store).district_url

        self.call(work, lambda found: self._looked_up(seq, code, *found))

    def _looked_up(self, seq: int, code: str, record: dict[str, Any] | None,
                   items: list[dict[str, Any]], hub_url: str) -> None:
        if seq != self._lookup_seq:
            return
        if record is not None and record["source"] == "local":
            self._open_local(record, items)
        elif hub_url and isbnlib.to_isbn13(code) is not None:
            self.source.setText(self.tr("Đang hỏi mục lục liên hợp trên máy chủ tỉnh…"))
            self.ctx.ops.fetch(lambda: hub_work(hub_url, code),
                               lambda work: self._from_hub(seq, code, work, record),
                               on_error=lambda error: self._hub_failed(seq, code, record, error))
        else:
            self._prefill(code, record)

    def _from_hub(self, seq: int, code: str, work: dict[str, Any] | None,
                  on_device: dict[str, Any] | None) -> None:
        if seq == self._lookup_seq:
            self._prefill(code, work or on_device)

    def _hub_failed(self, seq: int, code: str, on_device: dict[str, Any] | None,
                    error: Exception) -> None:
        log.info("the hub's union catalogue did not answer: %s", error)
        if seq == self._lookup_seq:
            self._prefill(code, on_device, hub_down=True)

    def _open_local(self, record: dict[str, Any], items: list[dict[str, Any]]) -> None:
        self.new_record()
        self.record_id = record["id"]
        self._fill(record)
        self.source.setText(self.tr("Đã có trong thư viện ({n} bản).").format(n=len(items)))
        self._show_items(items)
        self._update_buttons()
        self._dirty = False
        self.barcode.setFocus()

    def _prefill(self, code: str, found: dict[str, Any] | None, hub_down: bool = False) -> None:
        """A new record of this library, filled from the union catalogue when it knows the ISBN."""
        self.new_record()
        self.isbn.setText(code)
        if found is None:
            text = self.tr("Chưa có trong thư viện và mục lục liên hợp: nhập thông tin đầu sách "
                           "mới.")
        else:
            self._fill(found)
            text = (self.tr("Lấy từ mục lục liên hợp của máy chủ tỉnh.")
                    if found["source"] == "hub"
                    else self.tr("Lấy từ mục lục liên hợp đã đồng bộ về máy này."))
            if found.get("from_library"):
                text += " " + self.tr("Có tại: {where}.").format(where=found["from_library"])
            text += " " + self.tr("Kiểm tra rồi bấm “Lưu đầu sách”.")
        if hub_down:
            text += " " + self.tr("(Máy chủ tỉnh không trả lời.)")
        self.source.setText(text)
        self.title.setFocus()

    def _fill(self, record: dict[str, Any]) -> None:
        self.title.setText(record.get("title") or "")
        self.authors.setText(", ".join(record.get("authors") or []))
        self.publisher.setText(record.get("publisher") or "")
        self.year.setText(str(record.get("year") or ""))
        self.ddc.setText(record.get("ddc") or "")
        self.subjects.setText(", ".join(record.get("subjects") or []))

    def _suggest_call_number(self) -> None:
        """Keep the call number at the suggestion from the DDC class until the librarian edits it."""
        current = self.call_number.text().strip()
        if current and current != self._suggested:
            return
        self._suggested = suggest_call_number(self.ddc.text(), _split(self.authors.text()),
                                              self.title.text())
        self.call_number.setText(self._suggested)

    def new_record(self) -> None:
        self.record_id = None
        for field in (self.isbn, self.title, self.authors, self.publisher, self.year, self.ddc,
                      self.subjects):
            field.clear()
        self.source.clear()
        self._dirty = False
        self.new_labels = []
        self._update_print_button()
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
        self._dirty = False
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
        label = (self.call_number.text().strip(), code)
        options = {"item_type": self.item_type.currentData(),
                   "location": self.location.currentText().strip() or None,
                   "call_number": self.call_number.text().strip() or None,
                   "price": int(self.price.text()) if self.price.text().strip() else None}

        def work() -> list[dict[str, Any]]:
            catalogue.add_item(record_id, code, **options)
            return catalogue.items_of(record_id)

        self.call(work, lambda items: self._item_added(items, label), changes="catalogue")

    def _item_added(self, items: list[dict[str, Any]], label: tuple[str, str]) -> None:
        self._show_items(items)
        self.new_labels.append(label)
        self._update_print_button()
        self.message.show_message(self.tr("Đã thêm bản sách {code}.").format(
            code=label[1]), "ok")
        self.barcode.clear()
        self.barcode.setFocus()

    # Spine labels

    def _update_print_button(self) -> None:
        count = len(self.new_labels)
        self.print_labels_button.setText(self.tr("In nhãn gáy ({n} bản vừa thêm)").format(n=count))
        self.print_labels_button.setVisible(self.ctx.print_queue is not None)
        self.print_labels_button.setEnabled(count > 0)

    def print_labels(self) -> None:
        """Spine labels (call number, barcode) for the copies added, on the receipt printer."""
        queue, labels, lib = self.ctx.print_queue, list(self.new_labels), self.ctx.library
        if queue is None or not labels:
            return
        self.new_labels = []
        self._update_print_button()
        self.call(lambda: [queue.submit(label) for label in spine_labels(lib, labels)],
                  lambda jobs: self.message.show_message(
                      self.tr("Đã gửi {n} nhãn gáy ra máy in (lệnh số {job}).").format(
                          n=len(jobs), job=", ".join(str(job) for job in jobs)), "ok"))

    # Unsaved work

    def _edited(self, _text: str) -> None:
        self._dirty = True

    def draft(self) -> dict[str, Any] | None:
        """The record being typed and not saved yet (kept when the staff area locks)."""
        if not self._dirty:
            return None
        return {"record_id": self.record_id, "isbn": self.isbn.text(),
                **{name: getattr(self, name).text() for name in DRAFT_FIELDS}}

    def restore_draft(self, draft: dict[str, Any]) -> None:
        self.new_record()
        self.record_id = draft["record_id"]
        self.isbn.setText(draft["isbn"])
        for name in DRAFT_FIELDS:
            getattr(self, name).setText(draft[name])
        self._dirty = True
        self._update_buttons()
        self.source.setText(self.tr("Phiếu biên mục chưa lưu đã được giữ lại: kiểm tra rồi bấm "
                                    "“Lưu”."))

    def _show_items(self, items: list[dict[str, Any]]) -> None:
        status = {"available": self.tr("Trên giá"), "lost": self.tr("Mất"),
                  "damaged": self.tr("Hư hỏng"), "withdrawn": self.tr("Thanh lý"),
                  "in_repair": self.tr("Đang sửa"), "missing": self.tr("Thất lạc")}
        fill_table(self.items_table, [
            (item["barcode"], self.tr(ITEM_TYPE_LABELS.get(item["item_type"], item["item_type"])),
             item["location"], item["call_number"],
             self.tr("Đang cho mượn") if item.get("due_date")
             else status.get(item["status"], item["status"])) for item in items])
