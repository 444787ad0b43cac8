"""The application-wide look: one stylesheet, two switches (large text, high contrast).

Every screen takes its colours and sizes from here through object names and the ``state``
property, so toggling a switch restyles the whole window at once and no widget carries
its own colours. The staff and technician screens (any widget under one with the ``dense``
property) use a smaller base size, because a librarian at the counter reads tables of data
from arm's length, but the same switches and palette: large text and high contrast reach
them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

BASE_PX = 20
LARGE_PX = 28
DENSE_PX = 16
DENSE_LARGE_PX = 22
DENSE_TARGET_PX = 44
MIN_TARGET_PX = 56
SCROLLBAR_PX = 48   # a finger's width on a 7-inch screen (about 7 mm), not a mouse's
FONT_FAMILY = "DejaVu Sans"


@dataclass(frozen=True)
class Palette:
    background: str
    surface: str
    text: str
    muted: str
    primary: str
    on_primary: str
    secondary: str
    on_secondary: str
    border: str
    ok: str
    error: str
    notice_bg: str
    notice_text: str
    ok_bg: str
    error_bg: str
    info_bg: str
    focus: str
    disabled: str


NORMAL = Palette(
    background="#f6f3ea", surface="#ffffff", text="#1c1c1c", muted="#4a4a4a",
    primary="#0b6e4f", on_primary="#ffffff", secondary="#ffffff", on_secondary="#0b4f3a",
    border="#6b756f", ok="#0b6e4f", error="#b00020", notice_bg="#fff1c2", notice_text="#5a3b00",
    ok_bg="#e6f4e7", error_bg="#fdecea", info_bg="#e8f1fb", focus="#000000", disabled="#767676",
)
HIGH_CONTRAST = Palette(
    background="#000000", surface="#000000", text="#ffffff", muted="#ffffff",
    primary="#ffd400", on_primary="#000000", secondary="#000000", on_secondary="#ffd400",
    border="#ffffff", ok="#7dff7d", error="#ff8080", notice_bg="#000000", notice_text="#ffd400",
    ok_bg="#000000", error_bg="#000000", info_bg="#000000", focus="#0070ff", disabled="#a0a0a0",
)

# Every (foreground, background, minimum ratio) the stylesheets draw, by palette field.
# Text needs 4.5:1 (WCAG 1.4.3); borders, focus rings and other non-text parts need 3:1
# (1.4.11), and a focus ring also against the unfocused border it replaces (2.4.13).
TEXT, NON_TEXT = 4.5, 3.0
PAIRS = (
    ("text", "background", TEXT), ("text", "surface", TEXT), ("muted", "background", TEXT),
    ("muted", "surface", TEXT), ("on_primary", "primary", TEXT),
    ("on_secondary", "secondary", TEXT), ("on_secondary", "background", TEXT),
    ("primary", "background", TEXT), ("ok", "background", TEXT), ("ok", "surface", TEXT),
    ("error", "background", TEXT), ("error", "surface", TEXT), ("ok", "ok_bg", TEXT),
    ("error", "error_bg", TEXT), ("text", "info_bg", TEXT), ("notice_text", "notice_bg", TEXT),
    ("notice_text", "background", TEXT), ("on_primary", "error", TEXT),
    ("disabled", "background", NON_TEXT), ("disabled", "secondary", NON_TEXT),
    ("border", "background", NON_TEXT), ("border", "surface", NON_TEXT),
    ("focus", "background", NON_TEXT), ("focus", "surface", NON_TEXT),
    ("focus", "primary", NON_TEXT), ("focus", "border", NON_TEXT),
)


def luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2.x)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours, 1.0 to 21.0."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def scale_for(width: int, height: int) -> float:
    """Bigger screens get proportionally bigger text and targets (1024x600 is 1.0, capped at 1.5)."""
    return round(min(1.5, max(1.0, min(width / 1024, height / 600))), 2)


def stylesheet(large: bool, contrast: bool, scale: float = 1.0) -> str:
    p = HIGH_CONTRAST if contrast else NORMAL
    px = round((LARGE_PX if large else BASE_PX) * scale)
    target = round(MIN_TARGET_PX * scale)
    scrollbar = round(SCROLLBAR_PX * scale)
    return f"""
    QWidget {{ background: {p.background}; color: {p.text}; font-family: "{FONT_FAMILY}";
               font-size: {px}px; }}
    QLabel#heading {{ font-size: {int(px * 1.6)}px; font-weight: bold; }}
    QLabel#display {{ font-size: {int(px * 2.0)}px; font-weight: bold; color: {p.primary if contrast else p.on_secondary}; }}
    QLabel#muted {{ color: {p.muted}; }}
    QLabel#countdown {{ color: {p.error}; font-weight: bold; }}
    QLabel[state="ok"] {{ color: {p.ok}; }}
    QLabel[state="error"] {{ color: {p.error}; font-weight: bold; }}
    QLabel[state="pending"] {{ color: {p.muted}; }}
    QLabel[state="notice"] {{ color: {p.notice_text}; font-weight: bold; }}
    QFrame#banner {{ background: {p.notice_bg}; border: 3px solid {p.notice_text}; border-radius: 10px; }}
    QFrame#banner QLabel {{ background: transparent; color: {p.notice_text}; font-weight: bold;
        font-size: {int(px * 1.25)}px; }}
    QFrame#topbar {{ background: {p.surface}; border-bottom: 2px solid {p.border}; }}
    QFrame#topbar QLabel {{ background: transparent; }}
    QFrame#row {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 8px; }}
    QFrame#row QLabel {{ background: transparent; }}
    QPushButton {{ min-height: {target}px; min-width: {target}px; padding: 4px 14px;
        border-radius: 10px; border: 2px solid {p.border}; background: {p.secondary};
        color: {p.on_secondary}; font-weight: bold; }}
    QPushButton#primary {{ background: {p.primary}; color: {p.on_primary}; border-color: {p.primary}; }}
    QPushButton#big {{ background: {p.primary}; color: {p.on_primary}; border-color: {p.primary};
        min-height: {int(target * 1.3)}px; font-size: {int(px * 1.3)}px; }}
    QPushButton#key {{ padding: 0px; font-weight: normal; }}
    QPushButton:checked {{ background: {p.primary}; color: {p.on_primary}; }}
    QPushButton:pressed {{ border-width: 4px; }}
    QPushButton:focus {{ border: 4px solid {p.focus}; }}
    QPushButton:disabled {{ color: {p.disabled}; background: {p.secondary}; border-color: {p.disabled};
        border-style: dashed; }}
    QLineEdit, QPlainTextEdit {{ min-height: {target}px; padding: 0 10px; background: {p.surface};
        border: 2px solid {p.border}; border-radius: 8px; }}
    QLineEdit:focus, QPlainTextEdit:focus {{ border: 4px solid {p.focus}; }}
    QScrollArea {{ border: none; }}
    QScrollBar:vertical {{ width: {scrollbar}px; background: {p.background}; border: 1px solid {p.border}; }}
    QScrollBar::handle:vertical {{ min-height: {target}px; background: {p.border}; border-radius: 6px;
        margin: 3px; }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; }}
    """ + dense_stylesheet(p, large, scale)


def dense_stylesheet(p: Palette, large: bool, scale: float = 1.0) -> str:
    """Rules for the staff and technician screens (under a widget with ``dense="true"``)."""
    px = round((DENSE_LARGE_PX if large else DENSE_PX) * scale)
    target = round(DENSE_TARGET_PX * scale)
    d = '*[dense="true"]'
    return f"""
    {d} QWidget {{ font-size: {px}px; }}
    {d} QLabel[heading="true"] {{ font-size: {round(px * 1.25)}px; font-weight: bold; }}
    {d} QLabel#panel {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 6px;
        padding: 6px; }}
    {d} QLabel#scanpanel {{ background: {p.surface}; border: 2px solid {p.border}; padding: 8px;
        font-size: {round(px * 1.3)}px; font-weight: bold; }}
    {d} QLabel#messagebar {{ padding: 8px; border-radius: 6px; border: 1px solid {p.border};
        background: {p.info_bg}; color: {p.text}; }}
    {d} QLabel#messagebar[kind="ok"] {{ background: {p.ok_bg}; color: {p.ok}; border-color: {p.ok}; }}
    {d} QLabel#messagebar[kind="error"] {{ background: {p.error_bg}; color: {p.error};
        border-color: {p.error}; font-weight: bold; }}
    {d} QLabel#messagebar[kind="warn"] {{ background: {p.notice_bg}; color: {p.notice_text};
        border-color: {p.notice_text}; font-weight: bold; }}
    {d} QLineEdit, {d} QComboBox, {d} QSpinBox, {d} QDateEdit, {d} QPlainTextEdit {{
        min-height: {target - 6}px; padding: 2px 6px; background: {p.surface}; color: {p.text};
        border: 2px solid {p.border}; border-radius: 6px; }}
    {d} QLineEdit#pin {{ font-size: {round(px * 1.6)}px; min-height: {target + 6}px; }}
    {d} QPushButton {{ min-height: {target}px; min-width: 0px; padding: 0 12px; border-radius: 6px; }}
    {d} QPushButton[primary="true"] {{ background: {p.primary}; color: {p.on_primary};
        border-color: {p.primary}; }}
    {d} QPushButton[danger="true"] {{ background: {p.error}; color: {p.on_primary};
        border-color: {p.error}; }}
    {d} QPushButton:disabled {{ color: {p.border}; background: {p.background}; border-color: {p.border}; }}
    {d} QTableWidget, {d} QListWidget {{ background: {p.surface}; color: {p.text};
        gridline-color: {p.border}; border: 1px solid {p.border}; }}
    {d} QTableWidget::item:selected, {d} QListWidget::item:selected {{ background: {p.primary};
        color: {p.on_primary}; }}
    {d} QHeaderView::section {{ padding: 4px; font-weight: bold; background: {p.background};
        color: {p.text}; border: 0; border-bottom: 2px solid {p.border}; }}
    {d} QTabBar::tab {{ min-height: {target - 4}px; padding: 0 14px; background: {p.background};
        color: {p.text}; border: 1px solid {p.border}; }}
    {d} QTabBar::scroller {{ width: {target * 2}px; }}
    {d} QTabBar QToolButton {{ min-width: {target}px; background: {p.surface}; border: 2px solid {p.border}; }}
    {d} QTabBar::tab:selected {{ background: {p.surface}; font-weight: bold;
        border-bottom: 3px solid {p.primary}; }}
    {d} QGroupBox {{ font-weight: bold; border: 1px solid {p.border}; border-radius: 6px;
        margin-top: {px}px; padding-top: 4px; }}
    {d} QGroupBox::title {{ subcontrol-origin: margin; left: 8px; }}
    """


def apply(app: QApplication, large: bool, contrast: bool, scale: float = 1.0) -> None:
    """Restyle the whole application (fonts and colours) in one step."""
    font = QFont(FONT_FAMILY)
    font.setPixelSize(round((LARGE_PX if large else BASE_PX) * scale))
    app.setFont(font)
    app.setStyleSheet(stylesheet(large, contrast, scale))


def set_state(widget: QWidget, state: str) -> None:
    """Set the ``state`` property (ok, error, notice, pending) and re-polish the widget."""
    widget.setProperty("state", state)
    repolish(widget)


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a property its rules select on has changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
