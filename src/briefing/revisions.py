"""The corpus at other git revisions: what changed since a release, and each claim's status history."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .changes import Changes, HistoryEntry, compare
from .errors import RevisionError
from .loader import load
from .marking import at_ceiling
from .model import Corpus
from .problems import Problems
from .versioning import VersionInfo, git, name_of

CORPUS_DIRS = ("sources", "docs")
CACHE_FORMAT = 1  # raise when what a revision's statuses depend on changes (e.g. how markings are read)


def _prefix(root: Path) -> str:
    prefix = git(root, "rev-parse", "--show-prefix")
    if prefix is None:
        raise RevisionError(f"{root} is not inside a git repository")
    return prefix


def resolve(root: Path, ref: str) -> str:
    commit = git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if not commit:
        raise RevisionError(f"'{ref}' is not a commit, tag or branch of this repository")
    return commit


def corpus_at(root: Path, ref: str, dirs: tuple[str, ...] = CORPUS_DIRS) -> Corpus:
    """Load the corpus as it was at a git revision (its problems are not reported: it was checked then)."""
    commit = resolve(root, ref)
    prefix = _prefix(root)
    with tempfile.TemporaryDirectory(prefix="briefing-rev-") as tmp:
        work = Path(tmp)
        for name in dirs:
            result = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", f"{commit}:{prefix}{name}"],
                                    capture_output=True, check=False)
            if result.returncode != 0:
                continue  # the folder did not exist at that revision
            with tarfile.open(fileobj=io.BytesIO(result.stdout)) as tar:
                tar.extractall(work / name, filter="data")
        corpus = load(work, Problems())
    corpus.config.root = root
    return corpus


def version_of(root: Path, ref: str, tag_pattern: str = "v*") -> str:
    """The version name of a revision, as builds of it name themselves."""
    return name_of(root, resolve(root, ref), tag_pattern)[0]


def previous_release(root: Path, tag_pattern: str = "v*") -> str | None:
    """The newest release tag reachable from HEAD that does not point at HEAD itself."""
    head = git(root, "rev-parse", "HEAD")
    if not head:
        return None
    tags = git(root, "tag", "--merged", "HEAD", "--list", tag_pattern, "--sort=-creatordate") or ""
    for tag in tags.splitlines():
        if git(root, "rev-parse", f"{tag}^{{commit}}") != head:
            return tag
    return None


def changes_since(root: Path, head: Corpus, version: VersionInfo, ref: str, ceiling: str) -> Changes:
    """What changed between ref and the corpus in the working tree, both cut to a marking ceiling."""
    base = corpus_at(root, ref)
    return compare(at_ceiling(base, ceiling, verify=False), at_ceiling(head, ceiling), ref,
                   version_of(root, ref, head.config.release_tags), version.version)


def _statuses(root: Path, commit: str, tree: str, ceiling: str) -> dict[str, str]:
    """The status of each claim at or below the ceiling in one revision of sources/ (a git tree), cached in the
    repository's git folder: a tree never changes, so each is read once however often the site is built."""
    git_dir = git(root, "rev-parse", "--git-common-dir")
    name = f"statuses-{CACHE_FORMAT}-{tree}-{ceiling.replace(':', '_').replace('+', '_')}.json"
    cache = root / git_dir / "briefing-cache" / name if git_dir else None
    if cache is not None and cache.is_file():
        try:
            return dict(json.loads(cache.read_text("utf-8")))
        except (OSError, ValueError):
            pass  # rebuilt below
    corpus = at_ceiling(corpus_at(root, commit, ("sources",)), ceiling, verify=False)
    statuses = {k: c.status for k, c in corpus.claims.items()}
    if cache is not None:
        try:
            cache.parent.mkdir(exist_ok=True)
            cache.write_text(json.dumps(statuses, sort_keys=True), encoding="utf-8")
        except OSError:
            pass  # a read-only repository: no cache, same result
    return statuses


def claim_history(root: Path, head: Corpus, version: VersionInfo, ceiling: str) -> dict[str, list[HistoryEntry]]:
    """For each claim, the dated points where its status changed, oldest first, from the commits of sources/.

    Each revision is cut to the ceiling first, so a claim's time above it leaves no trace. The working tree
    counts as a last point when it differs from the newest commit.
    """
    head = at_ceiling(head, ceiling)
    prefix = _prefix(root) if git(root, "rev-parse", "HEAD") else None
    if prefix is None:
        return {}
    log = git(root, "log", "--reverse", "--format=%H %ct", "--", f"{prefix}sources") or ""
    history: dict[str, list[HistoryEntry]] = {}
    last: dict[str, str] = {}
    seen_trees: dict[str, dict[str, str]] = {}

    def record(statuses: dict[str, str], date: str, name: str) -> None:
        for claim_id, status in sorted(statuses.items()):
            if last.get(claim_id) != status:
                history.setdefault(claim_id, []).append(HistoryEntry(date, status, name))
                last[claim_id] = status

    for line in log.splitlines():
        commit, epoch = line.split()
        tree = git(root, "rev-parse", f"{commit}:{prefix}sources") or commit
        if tree not in seen_trees:
            seen_trees[tree] = _statuses(root, commit, tree, ceiling)
        date = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
        record(seen_trees[tree], date, version_of(root, commit, head.config.release_tags))
    if version.dirty:
        record({k: c.status for k, c in head.claims.items()}, version.date, version.version)
    return {k: v for k, v in history.items() if k in head.claims}
