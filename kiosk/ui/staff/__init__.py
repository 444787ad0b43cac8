"""Counter (librarian) screens, for the shell to build its navigation from.

Each screen is ``Screen(ctx: UiContext, parent=None)``. ``StaffLogin`` is the gate the
shell shows first; it emits ``unlocked``.
"""

from kiosk.ui.staff.cataloguing import CataloguingScreen
from kiosk.ui.staff.circulation import CirculationScreen
from kiosk.ui.staff.conflicts import ConflictsScreen
from kiosk.ui.staff.holds_overdue import HoldsOverdueScreen
from kiosk.ui.staff.importing import ImportScreen
from kiosk.ui.staff.login import StaffLogin
from kiosk.ui.staff.patrons import PatronsScreen
from kiosk.ui.staff.reports import ReportsScreen
from kiosk.ui.staff.stocktake import StocktakeScreen

STAFF_SCREENS = [
    ("Mượn – trả", CirculationScreen),
    ("Bạn đọc", PatronsScreen),
    ("Biên mục", CataloguingScreen),
    ("Nhập tệp", ImportScreen),
    ("Giữ chỗ – quá hạn", HoldsOverdueScreen),
    ("Xung đột", ConflictsScreen),
    ("Báo cáo", ReportsScreen),
    ("Kiểm kê", StocktakeScreen),
]

__all__ = ["STAFF_SCREENS", "StaffLogin", *(cls.__name__ for _, cls in STAFF_SCREENS)]
