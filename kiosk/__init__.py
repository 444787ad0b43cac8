"""Offline-first library kiosk for Vietnam's commune libraries."""

__version__ = "0.1.0"
