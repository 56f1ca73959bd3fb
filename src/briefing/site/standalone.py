"""Inputs of a site built by ``mkdocs build``/``mkdocs serve`` at a corpus root: load, check, version, cut."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from ..errors import RevisionError
from ..marking import MarkingLeak, at_ceiling
from ..pipeline import load_and_check
from ..revisions import claim_history
from ..versioning import describe
from ..vocab import normalise_marking
from .context import SiteInput, downloads_in


def load_input(root: Path, ceiling: str | None) -> SiteInput:
    from ..build import Changelog, default_since
    from ..errors import BuildError

    corpus, problems = load_and_check(root)
    errors = problems.errors
    if errors:
        raise PluginError("the corpus has errors; run 'briefing check':\n" + "\n".join(str(p) for p in errors))
    top = normalise_marking(ceiling) if ceiling else corpus.config.ceiling
    if top is None:
        raise PluginError(f"ceiling '{ceiling}' is not a TLP 2.0 marking")
    version = describe(root, corpus.config.release_tags)
    try:
        history = claim_history(root, corpus, version, top)
    except RevisionError:
        history = {}
    try:
        changes = Changelog(corpus, version, default_since(corpus)).at(top)
    except BuildError:
        changes = None
    try:
        cut = at_ceiling(corpus, top)
    except MarkingLeak as exc:
        raise PluginError(str(exc)) from exc
    return SiteInput(cut, top, version, changes, history, downloads_in(root / "dist", corpus, top))
