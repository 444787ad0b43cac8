"""The patron registration/edit form: fields, Vietnamese labels, the PIN typed twice.

The screen that holds the form lets Telex/VNI keys compose in ``vietnamese_fields`` (name,
commune, address), never in the PIN, phone or year fields."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from kiosk.core.dates import vn_date
from kiosk.core.patrons import CATEGORIES
from kiosk.ui.staff.widgets import category_label

try:
    from kiosk.demo_data import COMMUNES
except ImportError:  # the demo data is optional in a trimmed image
    COMMUNES = []


class PatronForm(QWidget):
    """Fields of one patron; :meth:`values` validates and returns the keyword arguments."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.card = QLabel(self.tr("(cấp khi đăng ký)"))
        self.card.setStyleSheet("font-weight: bold;")
        self.name = QLineEdit()
        self.category = QComboBox()
        for code in CATEGORIES:
            self.category.addItem(category_label(code), code)
        self.category.setCurrentIndex(self.category.findData("adult"))
        self.birth_year = QLineEdit()
        self.birth_year.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,4}")))
        self.birth_year.setPlaceholderText(self.tr("ví dụ 1985"))
        self.phone = QLineEdit()
        self.phone.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9 +.]{0,15}")))
        self.commune = QComboBox()
        self.commune.setEditable(True)
        self.commune.addItem("")
        self.commune.addItems(COMMUNES)
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("ấp / khóm"))
        self.pin = QLineEdit()
        self.pin2 = QLineEdit()
        for field in (self.pin, self.pin2):
            field.setEchoMode(QLineEdit.Password)
            field.setMaxLength(8)
            field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}")))
        self.pin.setPlaceholderText(self.tr("4–8 chữ số"))
        self.pin2.setPlaceholderText(self.tr("nhập lại"))
        self.pin.setAccessibleName(self.tr("Mã PIN của bạn đọc"))
        self.pin.setAccessibleDescription(self.tr(
            "4 đến 8 chữ số, bạn đọc dùng ở máy tra cứu; để trống thì giữ mã cũ"))
        self.pin2.setAccessibleName(self.tr("Nhập lại mã PIN của bạn đọc"))
        self.pin2.setAccessibleDescription(self.tr("Gõ lại đúng mã PIN vừa nhập"))
        self.vietnamese_fields = (self.name, self.commune, self.address)
        self.expires = QLabel("")
        self.status = QLabel("")
        self.status.setWordWrap(True)

        form = QFormLayout(self)
        form.setLabelAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        form.addRow(self.tr("Số thẻ"), self.card)
        form.addRow(self.tr("Họ và tên"), self.name)
        form.addRow(self.tr("Đối tượng"), self.category)
        form.addRow(self.tr("Năm sinh"), self.birth_year)
        form.addRow(self.tr("Điện thoại"), self.phone)
        form.addRow(self.tr("Xã / thị trấn"), self.commune)
        form.addRow(self.tr("Địa chỉ"), self.address)
        form.addRow(self.tr("Mã PIN"), self.pin)
        form.addRow(self.tr("Nhập lại PIN"), self.pin2)
        form.addRow(self.tr("Hạn thẻ"), self.expires)
        form.addRow(self.tr("Tình trạng"), self.status)

    def clear(self) -> None:
        self.card.setText(self.tr("(cấp khi đăng ký)"))
        for field in (self.name, self.birth_year, self.phone, self.address, self.pin, self.pin2):
            field.clear()
        self.commune.setCurrentIndex(0)
        self.category.setCurrentIndex(self.category.findData("adult"))
        self.expires.setText("")
        self.status.setText("")

    def set_patron(self, patron: dict[str, Any]) -> None:
        self.card.setText(patron["card_number"])
        self.name.setText(patron["name"])
        self.category.setCurrentIndex(max(0, self.category.findData(patron["category"])))
        self.birth_year.setText(str(patron["birth_year"] or ""))
        self.phone.setText(patron["phone"] or "")
        self.commune.setCurrentText(patron["commune"] or "")
        self.address.setText(patron["address"] or "")
        self.pin.clear()
        self.pin2.clear()
        self.expires.setText(vn_date(patron["expires_on"]))
        self.status.setText(self.tr("Đang khóa: {reason}").format(reason=patron["blocked_reason"])
                            if patron["blocked_reason"] else self.tr("Bình thường"))

    def values(self) -> tuple[dict[str, Any], str | None]:
        """The patron fields and the new PIN (or None); ValueError with a Vietnamese reason."""
        name = self.name.text().strip()
        if not name:
            raise ValueError(self.tr("Hãy nhập họ và tên."))
        if self.pin.text() != self.pin2.text():
            raise ValueError(self.tr("Hai lần nhập mã PIN không khớp."))
        pin = self.pin.text() or None
        if pin is not None and not 4 <= len(pin) <= 8:
            raise ValueError(self.tr("Mã PIN phải gồm 4–8 chữ số."))
        year = self.birth_year.text().strip()
        fields = {
            "name": name, "category": self.category.currentData(),
            "birth_year": int(year) if year else None,
            "phone": self.phone.text().strip() or None,
            "commune": self.commune.currentText().strip() or None,
            "address": self.address.text().strip() or None,
        }
        return fields, pin
