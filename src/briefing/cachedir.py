"""Where builds keep what a later build may reuse (claim history, built pages, compiled packs).

In a git repository: ``briefing-cache`` in its git folder (shared by its worktrees, never in the working tree, so
never committed and never making the version dirty). Outside git: ``.briefing-cache`` below the corpus root.
Either is safe to delete. ``BRIEFING_NO_CACHE`` (set to anything but "") makes builds neither read nor write it.
"""

from __future__ import annotations

import os
from pathlib import Path

from .versioning import git

DISABLE_ENV = "BRIEFING_NO_CACHE"
OUTSIDE_GIT = ".briefing-cache"


def enabled() -> bool:
    return not os.environ.get(DISABLE_ENV, "").strip()


def git_cache_dir(root: Path) -> Path | None:
    """The cache folder in the git folder of the repository holding root, or None outside git."""
    git_dir = git(root, "rev-parse", "--git-common-dir")
    return root / git_dir / "briefing-cache" if git_dir else None


def cache_dir(root: Path) -> Path:
    return git_cache_dir(root) or root / OUTSIDE_GIT
