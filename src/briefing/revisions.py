"""The corpus at other git revisions: what changed since a release, and each claim's status history."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path

import yaml

from . import cachedir
from .changes import Changes, HistoryEntry, compare
from .errors import RevisionError
from .loader import CONFIG_FILE, load
from .marking import at_ceiling
from .model import Corpus
from .problems import Problems
from .versioning import VersionInfo, git, name_of
from .vocab import marking_rank, normalise_marking

CORPUS_DIRS = ("sources", "docs")
CACHE_FORMAT = 3  # raise when what a revision's statuses depend on changes (e.g. how markings are read)
# The history files of versions before it was sealed (in the cache's top folder): never read, deleted when seen.
UNSEALED = re.compile(r"(?:statuses|file)-\d+-[0-9a-f]{40,64}(?:-[A-Za-z0-9_.]+)+\.json")


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
        corpus = load(work, Problems(), parses_of=root)
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


def _statuses(root: Path, tree: str, ceiling: str, cache_dir: Path | None) -> dict[str, str]:
    """The status of each claim at or below the ceiling in one revision of sources/ (a git tree), cached in the
    repository's git folder: a tree never changes, so each is read once however often the site is built.

    A tree is read file by file, and each record file (a git blob) once: a commit that edits one claims file
    costs the reading of that file alone. Of a past revision only each claim's id, status and marking are
    read (it was checked when it was committed); a marking that is not a TLP 2.0 label withholds the claim.
    """
    if not tree:
        return {}  # no sources/ folder in that commit
    name = f"statuses-{CACHE_FORMAT}-{tree}-{_safe(ceiling)}.json"
    cached = _read_cache(cache_dir, name)
    if cached is not None:
        return cached
    files = _record_files(root, tree)
    config = files.pop(CONFIG_FILE, None)
    default = "TLP:CLEAR"
    if config is not None:
        settings = _yaml(_blob(root, config))
        raw = settings.get("default_marking") if isinstance(settings, dict) else None
        default = (normalise_marking(str(raw)) or "TLP:RED") if raw not in (None, "") else default
    statuses: dict[str, str] = {}
    for _, blob in sorted(files.items(), key=lambda item: item[0].split("/")):  # as the loader
        for claim_id, status in _file_statuses(root, blob, default, ceiling, cache_dir).items():
            statuses.setdefault(claim_id, status)  # the first file to use an id keeps it, as the loader does
    _write_cache(cache_dir, name, statuses)
    return statuses


def _file_statuses(root: Path, blob: str, default: str, ceiling: str, cache_dir: Path | None) -> dict[str, str]:
    """The claims of one record file (a git blob) at or below the ceiling: id -> status."""
    name = f"file-{CACHE_FORMAT}-{blob}-{_safe(default)}-{_safe(ceiling)}.json"
    cached = _read_cache(cache_dir, name)
    if cached is not None:
        return cached
    out: dict[str, str] = {}
    for record in _claim_nodes(_blob(root, blob)):
        if _shown(record, default, ceiling):
            out.setdefault(record["id"], record.get("status", ""))
    _write_cache(cache_dir, name, out)
    return out


def _shown(record: dict[str, str], default: str, ceiling: str) -> bool:
    """Is a past claim (``_claim_nodes``) shown at this ceiling? An empty or absent marking takes the default, as
    the loader reads it; a marking that is not a TLP 2.0 label, or not text at all, withholds the claim, and so
    does an id or status that is not text (the loader would refuse such a file; history cannot)."""
    if not record.get("id") or NOT_TEXT in (record["id"], record.get("status")):
        return False
    raw = record.get("marking", "")
    marking = normalise_marking(raw) if raw not in ("", "~", "null", "Null", "NULL") else default
    return marking is not None and marking_rank(marking) <= marking_rank(ceiling)


def _record_files(root: Path, tree: str) -> dict[str, str]:
    """The YAML files of a sources/ tree (path inside it -> blob), as the loader would read them."""
    listing = subprocess.run(["git", "-C", str(root), "ls-tree", "-r", "-z", tree], capture_output=True, text=True,
                             check=False).stdout
    files = {}
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        hidden = any(part.startswith(".") for part in path.split("/")[:-1])  # the loader skips hidden folders
        if len(parts) == 3 and parts[1] == "blob" and parts[0] != "120000" and path.endswith((".yml", ".yaml")) \
                and not hidden:
            files[path] = parts[2]
    return files


def _blob(root: Path, blob: str) -> str:
    return subprocess.run(["git", "-C", str(root), "cat-file", "blob", blob], capture_output=True, text=True,
                          check=False).stdout


NOT_TEXT = "\0not text"  # a field's value that is a list or a mapping


def _claim_nodes(text: str) -> list[dict[str, str]]:
    """The fields of each record under 'claims' in a YAML text (``NOT_TEXT`` for a value that is not a scalar),
    read from the parser's nodes (the C parser, no object construction: 600 claims in a few hundredths of a
    second)."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    claims = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "claims"), None)
    if not isinstance(claims, yaml.SequenceNode):
        return []
    return [{k.value: v.value if isinstance(v, yaml.ScalarNode) else NOT_TEXT for k, v in item.value
             if isinstance(k, yaml.ScalarNode)}
            for item in claims.value if isinstance(item, yaml.MappingNode)]


def _yaml(text: str) -> object:
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None


def _safe(marking: str) -> str:
    return marking.replace(":", "_").replace("+", "_")


def _read_cache(cache_dir: Path | None, name: str) -> dict[str, str] | None:
    """A kept revision's statuses: only an entry this user's key sealed under this name (``cachedir``), never
    through a link or from a pipe; None (read again by the caller) for anything else."""
    found = cachedir.kept_json(cache_dir / name, name) if cache_dir is not None else None
    if not isinstance(found, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in found.items()):
        return None
    return found


def _write_cache(cache_dir: Path | None, name: str, data: dict[str, str]) -> None:
    if cache_dir is not None:
        cachedir.keep_json(cache_dir / name, name, data)  # (a cache that cannot be written costs time only)


def _trees(root: Path, commits: list[str], path: str) -> list[str]:
    """The git tree of ``path`` at each commit ('' where there is none), asked of git once for all."""
    if not commits:
        return []
    lines = "".join(f"{commit}:{path}\n" for commit in commits)
    result = subprocess.run(["git", "-C", str(root), "cat-file", "--batch-check=%(objectname)"], input=lines,
                            capture_output=True, text=True, check=False)
    out = result.stdout.split() if result.returncode == 0 else []
    if len(out) != len(commits):  # e.g. "missing" for a commit without the folder: ask one by one
        return [git(root, "rev-parse", f"{commit}:{path}") or "" for commit in commits]
    return out


def _names(root: Path, commits: list[str], tag_pattern: str) -> list[str]:
    """The version name of each commit (as ``name_of``), from one ``git describe`` of them all when every one
    has a release tag before it, else one by one."""
    if not commits:
        return []
    described = git(root, "describe", "--tags", "--long", "--match", tag_pattern, *commits)
    lines = described.splitlines() if described else []
    if len(lines) != len(commits):
        return [name_of(root, commit, tag_pattern)[0] for commit in commits]
    names = []
    for commit, line in zip(commits, lines, strict=True):
        tag, since, _ = line.rsplit("-", 2)
        names.append(tag if since == "0" else f"{tag}+{since}.g{commit[:7]}")
    return names


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

    entries = [line.split() for line in log.splitlines()]
    commits = [commit for commit, _ in entries]
    cache_dir = cachedir.folder(root, "history")
    if cache_dir is not None:
        cachedir.drop_stale(cache_dir.parent, UNSEALED, 0)  # (never read, whatever they hold)
    names = _names(root, commits, head.config.release_tags)
    for (_, epoch), tree, name in zip(entries, _trees(root, commits, f"{prefix}sources"), names, strict=True):
        if tree not in seen_trees:
            seen_trees[tree] = _statuses(root, tree, ceiling, cache_dir)
        date = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
        record(seen_trees[tree], date, name)
    if version.dirty:
        record({k: c.status for k, c in head.claims.items()}, version.date, version.version)
    return {k: v for k, v in history.items() if k in head.claims}
