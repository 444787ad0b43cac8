"""The node's SQLite store: connection, schema migrations and the event log."""

from kiosk.store.db import Store, open_store
from kiosk.store.migrations import SCHEMA_VERSION, DatabaseTooNew

__all__ = ["Store", "open_store", "SCHEMA_VERSION", "DatabaseTooNew"]
