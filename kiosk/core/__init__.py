"""The library's domain: catalogue, patrons, circulation, holds, search, reports.

Pure Python over :mod:`kiosk.store`; imports no Qt, HTTP or device code.
"""
