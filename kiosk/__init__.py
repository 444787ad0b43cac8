"""Offline-first library kiosk for Vietnam's commune libraries."""

__version__ = "0.1.0"

# The day this software was built. A machine clock before it is certainly wrong (a
# Raspberry Pi without its RTC battery boots in 1970 or at systemd's own build date).
# image-build/hooks/install-app.sh replaces this line with the shipped commit's date; the
# value here is the source's last change, for a checkout run as it is.
BUILD_DATE = "2026-11-26"
