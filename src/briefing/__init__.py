"""Offline briefing-pack generator: corpus model, checker, site and PDF renderers."""

__version__ = "0.1.0"
