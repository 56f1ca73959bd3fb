"""The version of a build, from git: nearest tag, commits since it, dirty flag, and the commit's date."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class VersionInfo:
    version: str  # e.g. "v1.2", "v1.2+3.g1a2b3c4", "v1.2+3.g1a2b3c4.dirty", "1a2b3c4"
    commit: str  # full hash, "" outside git
    epoch: int  # seconds since 1970 of the build date (commit time or SOURCE_DATE_EPOCH)
    dirty: bool
    tag: str | None  # the nearest release tag

    @property
    def date(self) -> str:
        """The build date, ISO 8601 (YYYY-MM-DD), UTC."""
        return dt.datetime.fromtimestamp(self.epoch, dt.UTC).date().isoformat()


def git(root: Path, *args: str) -> str | None:
    """Run git in root; None when git or the repository is missing or the command fails."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def name_of(root: Path, commit: str, tag_pattern: str = "v*") -> tuple[str, str | None]:
    """(version name, nearest tag) of a commit: 'v1.2', 'v1.2+3.g1a2b3c4', or '0.0+g1a2b3c4' before any tag."""
    tag = git(root, "describe", "--tags", "--abbrev=0", "--match", tag_pattern, commit)
    if not tag:
        return f"0.0+g{commit[:7]}", None
    since = int(git(root, "rev-list", "--count", f"{tag}..{commit}") or 0)
    return (tag if since == 0 else f"{tag}+{since}.g{commit[:7]}"), tag


def describe(root: Path, tag_pattern: str = "v*") -> VersionInfo:
    """Version and date of the working tree at root: the commit's date, or SOURCE_DATE_EPOCH when set."""
    commit = git(root, "rev-parse", "HEAD") or ""
    dirty = bool(commit) and bool(
        git(root, "status", "--porcelain", "--untracked-files=no", "--", ".")  # changed tracked files
        or git(root, "status", "--porcelain", "--", "sources", "docs")  # new corpus files count too
    )
    version, tag = name_of(root, commit, tag_pattern) if commit else ("unversioned", None)
    if dirty:
        version += ".dirty" if "+" in version else "+dirty"
    env_epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env_epoch.isdigit():
        epoch = int(env_epoch)
    elif commit:
        epoch = int(git(root, "log", "-1", "--format=%ct") or 0)
    else:
        epoch = int(time.time())  # outside git there is no commit date; the version says 'unversioned'

    return VersionInfo(version=version, commit=commit, epoch=epoch, dirty=dirty, tag=tag)
