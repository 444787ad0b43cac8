"""Patron screens: one module per screen, each a thin view over the library core."""
