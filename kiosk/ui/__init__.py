"""The PySide6 front end: thin views over :mod:`kiosk.core`.

Widgets never touch the database directly: they ask :class:`kiosk.ui.ops.Ops` to run
work on the single database worker thread and get the result back on the GUI thread.
"""
