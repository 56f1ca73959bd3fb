"""The one exception the pipeline raises for a problem the analyst can act on; its message is meant for them."""

from __future__ import annotations


class BuildError(Exception):
    """A problem that stops a build, with a message meant for the analyst. Nothing has been replaced."""
