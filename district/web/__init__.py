"""The district's web pages and JSON API, one router per area."""

from __future__ import annotations

import importlib

AREAS = ("opac", "admin", "reports", "opendata", "bundles")


def routers() -> list:
    """Each area module exposes ``router``; areas not written yet are simply absent."""
    found = []
    for name in AREAS:
        try:
            module = importlib.import_module(f"district.web.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"district.web.{name}":
                raise
            continue
        found.append(module.router)
    return found
