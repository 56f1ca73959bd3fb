"""Inputs of a site built by ``mkdocs build``/``mkdocs serve`` at a corpus root: load and check, then the same
preparation as ``briefing build`` (``build.site_input``)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from ..build import default_since, site_input
from ..errors import BriefingError
from ..pipeline import load_and_check
from ..versioning import describe
from ..vocab import normalise_marking
from .context import SiteInput


def load_input(root: Path, ceiling: str | None) -> SiteInput:
    corpus, problems = load_and_check(root)
    errors = problems.errors
    if errors:
        raise PluginError("the corpus has errors; run 'briefing check':\n" + "\n".join(str(p) for p in errors))
    top = normalise_marking(ceiling) if ceiling else corpus.config.ceiling
    if top is None:
        raise PluginError(f"ceiling '{ceiling}' is not a TLP 2.0 marking")
    try:
        return site_input(corpus, describe(root, corpus.config.release_tags), top, default_since(corpus),
                          root / "dist")
    except BriefingError as exc:
        raise PluginError(str(exc)) from exc
