"""PDF briefing packs through Typst: data assembled in Python, printed by one template."""

from __future__ import annotations

from .render import render_pack

__all__ = ["render_pack"]
