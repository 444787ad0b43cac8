"""Moving the catalogue and patrons in and out: MARC21 (ISO 2709, MARCXML) and CSV.

Entry points are in :mod:`kiosk.io.importer` (``import_file``, ``export_file``).
"""
