"""The release bundle in dist/: a reproducible zip of the site, manifest.json and SHA256SUMS."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import ID_PATTERN, Corpus
from .versioning import VersionInfo

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
SIGNATURE = "SHA256SUMS.sig"  # written by briefing sign; never listed, so signing changes no other file

PART_FIELDS = ("kind", "pack", "register", "position", "title", "marking", "cutoff")  # what a build records of a PDF
TEXT_FIELDS = (*(k for k in PART_FIELDS if k != "position"), "sha256", "version")  # an entry's texts

if TYPE_CHECKING:
    from .pdf.parts import Part


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def site_zip_name(version: VersionInfo) -> str:
    return f"site-{version.version}.zip"


def inside(dist: Path, name: str = "") -> bool:
    """Is dist/ (and the file ``name`` in it) a folder (a file) of the corpus itself, not a link that could lead
    anywhere outside it? Nothing is read from dist/ through a link."""
    return not dist.is_symlink() and dist.is_dir() and not (name and (dist / name).is_symlink())


def listed(dist: Path) -> dict[str, dict[str, Any]]:
    """The files dist/manifest.json lists, by name (none when there is no manifest, or it cannot be read, or it or
    dist/ is a link: ``inside``). A dist/ may come from someone else: only entries named by a plain file name (never
    a path, nor a hidden file) whose fields hold texts are kept, so nothing a manifest says can reach outside dist/."""
    if not inside(dist, MANIFEST):
        return {}
    try:
        files = json.loads((dist / MANIFEST).read_text("utf-8"))["files"]
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for entry in files if isinstance(files, list) else ():
        name = entry.get("file") if isinstance(entry, dict) else None
        if (isinstance(name, str) and _plain(name)
                and all(isinstance(entry.get(k), str | None) for k in TEXT_FIELDS)):
            out[name] = entry
    return out


def _plain(name: str) -> bool:
    """A name this system can give a file in dist/ itself: no folder, not hidden, no NUL, at most 255 bytes."""
    try:
        size = len(name.encode())
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return 0 < size <= 255 and name == Path(name).name and not name.startswith(".") and not {"\\", "\x00"} & set(name)


_PDF_NAME = re.compile(rf"{ID_PATTERN}\.pdf")  # as a pack id or an annex names it (parts.file_word)


def vouched(name: str, entry: dict[str, Any], packs: Collection[str]) -> bool:
    """Does a manifest entry name a PDF of a pack of the corpus as a build names it: ``pack.pdf`` for the pack
    itself, ``pack-….pdf`` for an annex, never another pack's own PDF? A manifest's word alone does not make another
    file one of a pack's, nor a name that would need escaping in a link."""
    pack, kind = entry.get("pack"), entry.get("kind")
    if pack not in packs or not _PDF_NAME.fullmatch(name):
        return False
    if kind == "pack":
        return name == f"{pack}.pdf"
    return kind == "annex" and name.startswith(f"{pack}-") and name.removesuffix(".pdf") not in packs


def unchanged(dist: Path, name: str, entry: dict[str, Any], packs: Collection[str]) -> str | None:
    """The SHA-256 of a PDF that dist/'s manifest lists for a pack (``vouched``) while dist/ still holds that very
    file: a regular file of dist/ itself (``inside``) with the recorded SHA-256; None otherwise."""
    if not vouched(name, entry, packs) or not inside(dist, name) or not (dist / name).is_file():
        return None
    try:
        digest = sha256(dist / name)
    except OSError:
        return None
    return digest if digest == entry.get("sha256") else None


def write_manifest(dist: Path, corpus: Corpus, version: VersionInfo, site_ceiling: str,
                   written: set[str], rendered: Collection[Part] = ()) -> None:
    """manifest.json (version, date, packs and their annexes, markings, SHA-256 of every file) and SHA256SUMS for
    sha256sum -c.

    Each file records the version that wrote it: after ``briefing pack`` the other files keep theirs, and the
    other packs' PDFs the pack and marking recorded when they were rendered, if they are the files rendered then
    (their SHA-256; none when no manifest vouches for them: ``vouched``).
    """
    previous = listed(dist)
    made = {part.file: part for part in rendered}
    position = {a.file: n for p in rendered for n, a in enumerate(p.annexes, 1)}  # an annex's place in its pack
    files = []
    for path in sorted(p for p in dist.iterdir() if p.is_file() and p.name not in (MANIFEST, SUMS, SIGNATURE)):
        before = previous.get(path.name, {})
        entry: dict[str, object] = {"file": path.name, "bytes": path.stat().st_size, "sha256": sha256(path),
                                    "version": version.version if path.name in written else before.get("version")}
        part = made.get(path.name)
        if part is not None:
            pack = corpus.packs[part.pack]
            annex = {"register": part.register, "position": position.get(part.file, 0)} if part.annex else {}
            entry.update(kind="annex" if part.annex else "pack", pack=pack.id, **annex,
                         title=part.title or pack.title, marking=pack.ceiling, cutoff=pack.cutoff)
        elif unchanged(dist, path.name, before, corpus.packs):
            entry.update({k: before[k] for k in PART_FIELDS if k in before})
        elif path.name.startswith("site-") and path.suffix == ".zip":
            entry.update(kind="site", marking=site_ceiling if path.name in written else before.get("marking"))
        files.append(entry)
    manifest = {
        "title": corpus.config.title,
        "originator": corpus.config.originator,
        "version": version.version,
        "commit": version.commit,
        "dirty": version.dirty,
        "date": version.date,
        "packs": sorted(str(f["pack"]) for f in files if f.get("kind") == "pack"),
        "files": files,
    }
    (dist / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    summed = sorted(p for p in dist.iterdir() if p.is_file() and p.name not in (SUMS, SIGNATURE))
    (dist / SUMS).write_text("".join(f"{sha256(p)}  {p.name}\n" for p in summed), encoding="utf-8")
