"""Technician screens, for the shell to build its navigation from."""

from PySide6.QtCore import QT_TRANSLATE_NOOP

from kiosk.ui.technician.diagnostics import DiagnosticsScreen
from kiosk.ui.technician.pins import PinsScreen
from kiosk.ui.technician.provisioning import ProvisioningScreen
from kiosk.ui.technician.trust import TrustScreen

TECHNICIAN_SCREENS = [
    (QT_TRANSLATE_NOOP("ProtectedArea", "Chẩn đoán thiết bị"), DiagnosticsScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Cài đặt"), ProvisioningScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Mã PIN"), PinsScreen),
    (QT_TRANSLATE_NOOP("ProtectedArea", "Ghép nối và cách ly"), TrustScreen),
]

__all__ = ["TECHNICIAN_SCREENS", "DiagnosticsScreen", "PinsScreen", "ProvisioningScreen",
           "TrustScreen"]
