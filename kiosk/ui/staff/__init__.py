"""Counter (librarian) screens, for the shell to build its navigation from.

Each screen is ``Screen(ctx: UiContext, parent=None)``. ``StaffLogin`` is the gate the
shell shows first; it emits ``unlocked``.
"""

from PySide6.QtCore import QT_TRANSLATE_NOOP

from kiosk.ui.staff.cataloguing import CataloguingScreen
from kiosk.ui.staff.circulation import CirculationScreen
from kiosk.ui.staff.conflicts import ConflictsScreen
from kiosk.ui.staff.holds_overdue import HoldsOverdueScreen
from kiosk.ui.staff.importing import ImportScreen
from kiosk.ui.staff.login import StaffLogin
from kiosk.ui.staff.patrons import PatronsScreen
from kiosk.ui.staff.reports import ReportsScreen
from kiosk.ui.staff.search import CatalogueSearchScreen
from kiosk.ui.staff.settings import SettingsScreen
from kiosk.ui.staff.stocktake import StocktakeScreen

STAFF_SCREENS = [
    (QT_TRANSLATE_NOOP("ProtectedArea", "Mượn – trả"), CirculationScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Bạn đọc"), PatronsScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Biên mục"), CataloguingScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Tra cứu"), CatalogueSearchScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Nhập tệp"), ImportScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Giữ chỗ – quá hạn"), HoldsOverdueScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Xung đột"), ConflictsScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Báo cáo"), ReportsScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Kiểm kê"), StocktakeScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Quy định – lịch"), SettingsScreen),
]

__all__ = ["STAFF_SCREENS", "StaffLogin", *(cls.__name__ for _, cls in STAFF_SCREENS)]
