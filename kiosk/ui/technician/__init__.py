"""Technician screens, for the shell to build its navigation from."""

from kiosk.ui.technician.diagnostics import DiagnosticsScreen
from kiosk.ui.technician.provisioning import ProvisioningScreen

TECHNICIAN_SCREENS = [
    ("Chẩn đoán thiết bị", DiagnosticsScreen),
    ("Cài đặt", ProvisioningScreen),
]

__all__ = ["TECHNICIAN_SCREENS", "DiagnosticsScreen", "ProvisioningScreen"]
