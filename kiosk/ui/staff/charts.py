"""A horizontal bar chart painted with QPainter (QtCharts is not in PySide6-Essentials).

Horizontal bars leave room for Vietnamese class labels, which are long.
"""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#1f6fb2")
TEXT = QColor("#1b1b1b")
GRID = QColor("#d7dde5")


class BarChart(QWidget):
    def __init__(self, title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.bars: list[tuple[str, int]] = []
        self.empty_text = ""
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_data(self, bars: Sequence[tuple[str, int]], empty_text: str = "") -> None:
        self.bars = [(label, int(value)) for label, value in bars]
        self.empty_text = empty_text
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 60 + 26 * max(3, len(self.bars)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.paint(painter, self.width(), self.height())
        finally:
            painter.end()

    def paint(self, painter: QPainter, width: int, height: int) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(0, 0, width, height, QColor("white"))
        font = QFont(self.font())
        font.setPixelSize(14)
        bold = QFont(font)
        bold.setBold(True)
        bold.setPixelSize(15)
        painter.setPen(TEXT)
        painter.setFont(bold)
        painter.drawText(QRectF(8, 4, width - 16, 24), Qt.AlignLeft | Qt.AlignVCenter, self.title)
        painter.setFont(font)
        top = 34.0
        if not self.bars or not any(value for _, value in self.bars):
            painter.drawText(QRectF(8, top, width - 16, 30), Qt.AlignLeft, self.empty_text)
            return
        metrics = QFontMetrics(font)
        label_w = min(width * 0.45, max(metrics.horizontalAdvance(l) for l, _ in self.bars) + 12)
        value_w = metrics.horizontalAdvance(str(max(v for _, v in self.bars))) + 12
        plot_w = max(10.0, width - label_w - value_w - 16)
        row_h = min(30.0, (height - top - 6) / len(self.bars))
        biggest = max(v for _, v in self.bars) or 1
        for index, (label, value) in enumerate(self.bars):
            y = top + index * row_h
            text = metrics.elidedText(label, Qt.ElideRight, int(label_w - 10))
            painter.setPen(TEXT)
            painter.drawText(QRectF(8, y, label_w - 10, row_h), Qt.AlignRight | Qt.AlignVCenter,
                             text)
            painter.fillRect(QRectF(8 + label_w, y + row_h * 0.5, plot_w, 1), GRID)
            bar_w = plot_w * value / biggest
            painter.fillRect(QRectF(8 + label_w, y + row_h * 0.15, bar_w, row_h * 0.7), BAR)
            painter.drawText(QRectF(12 + label_w + bar_w, y, value_w, row_h),
                             Qt.AlignLeft | Qt.AlignVCenter, str(value))

    def to_image(self, width: int = 800, height: int | None = None) -> QImage:
        """The chart at a fixed size, for saving as PNG independently of the screen."""
        height = height or 60 + 30 * max(3, len(self.bars))
        image = QImage(width, height, QImage.Format_ARGB32)
        painter = QPainter(image)
        try:
            self.paint(painter, width, height)
        finally:
            painter.end()
        return image
