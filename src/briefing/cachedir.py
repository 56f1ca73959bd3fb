"""Where builds keep what a later build may reuse (claim history, built pages, compiled packs).

In a git repository: ``briefing-cache`` in its git folder (shared by its worktrees, never in the working tree, so
never committed and never making the version dirty). Outside git: ``.briefing-cache`` below the corpus root.
Either is safe to delete. ``BRIEFING_NO_CACHE`` (set to anything but "") makes builds neither read nor write it.

What a build takes from the cache is sealed (``seal``/``unseal``): an HMAC under a key of this user's, kept in
``~/.config/briefing/cache-key``. A corpus folder received from someone else (a copy, a zip, a USB stick) may hold
a ``.briefing-cache`` made anywhere; without this user's key nothing in it is used, so it cannot put a page or a
pack into the output that the corpus does not make. Where the key cannot be read or made, nothing is cached.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib.metadata
import os
import secrets
from pathlib import Path

from .versioning import git

DISABLE_ENV = "BRIEFING_NO_CACHE"
PACKAGE = Path(__file__).resolve().parent
OUTSIDE_GIT = ".briefing-cache"


def enabled() -> bool:
    return not os.environ.get(DISABLE_ENV, "").strip()


def git_cache_dir(root: Path) -> Path | None:
    """The cache folder in the git folder of the repository holding root, or None outside git."""
    git_dir = git(root, "rev-parse", "--git-common-dir")
    return root / git_dir / "briefing-cache" if git_dir else None


def cache_dir(root: Path) -> Path:
    return git_cache_dir(root) or root / OUTSIDE_GIT


def _key_file() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "briefing" / "cache-key"


@functools.cache
def _key() -> bytes | None:
    """This user's cache key (made on first use, readable by this user only); None if it cannot be had."""
    path = _key_file()
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.{os.getpid()}")
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(32))
            try:
                os.link(partial, path)  # fails if another process made the key meanwhile: theirs is used
            except FileExistsError:
                pass
            finally:
                partial.unlink()
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) >= 32 else None


def _mac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).hexdigest().encode()


def seal(data: bytes) -> bytes | None:
    """Data with this user's MAC in front, to be written to the cache; None when there is no key."""
    key = _key()
    return None if key is None else _mac(key, data) + b"\n" + data


def unseal(blob: bytes) -> bytes | None:
    """The data of a sealed blob, or None when this user's key did not seal it (or there is no key)."""
    key = _key()
    mac, _, data = blob.partition(b"\n")
    return data if key is not None and hmac.compare_digest(mac, _mac(key, data)) else None


@functools.cache
def package_fingerprint() -> str:
    """A hash of this package's own files (code, templates, theme overrides, assets)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def versions(names: tuple[str, ...]) -> dict[str, str]:
    """The installed versions of these distributions ("" for one not installed)."""
    found = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = ""
    return found
