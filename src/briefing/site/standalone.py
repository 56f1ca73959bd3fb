"""Inputs of a site built by ``mkdocs build``/``mkdocs serve`` at a corpus root: load and check, then the same
preparation as ``briefing build`` (``build.site_input``)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from ..build import Changelog, default_since, site_input
from ..errors import BriefingError
from ..pipeline import load_and_check
from ..problems import NOTE, WARNING
from ..versioning import describe
from ..vocab import normalise_marking
from .context import SiteInput

log = logging.getLogger("mkdocs.plugins.briefing")


def load_input(root: Path, ceiling: str | None, today: dt.date | None = None, shared: bool = False) -> SiteInput:
    """Load and check the corpus as ``briefing check`` does: its warnings and notes go to MkDocs' log (so
    ``mkdocs build --strict`` fails on a warning, as ``briefing check --strict`` does); an error stops the build.
    ``shared``: the records may be those of the last load in this process (``mkdocs serve``: see ``loader.load``)."""
    corpus, problems = load_and_check(root, today, shared)
    for problem in problems.sorted():
        if problem.severity == WARNING:
            log.warning(str(problem))
        elif problem.severity == NOTE:
            log.info(str(problem))
    errors = problems.errors
    if errors:
        raise PluginError("the corpus has errors; run 'briefing check':\n" + "\n".join(str(p) for p in errors))
    top = normalise_marking(ceiling) if ceiling else corpus.config.ceiling
    if top is None:
        raise PluginError(f"ceiling '{ceiling}' is not a TLP 2.0 marking")
    try:
        version = describe(root, corpus.config.release_tags)
        return site_input(corpus, version, top, Changelog(corpus, version, default_since(corpus)), root / "dist")
    except BriefingError as exc:
        raise PluginError(str(exc)) from exc
