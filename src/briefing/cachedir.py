"""Where builds keep what a later build may reuse (claim history, parsed files, built pages, compiled packs).

In a git repository: ``briefing-cache`` in its git folder (shared by its worktrees, never in the working tree, so
never committed and never making the version dirty). Outside git: ``.briefing-cache`` below the corpus root.
Either is safe to delete. ``BRIEFING_NO_CACHE`` (set to anything but "") makes builds neither read nor write it.

A corpus folder received from someone else (a copy, a zip, a USB stick) may hold a ``.briefing-cache`` made
anywhere, so nothing in it is trusted:
- a cache folder is used only when it and every folder above it up to the corpus (or git) folder is a real folder
  of this user's (``folder``), never a symbolic link, so clearing old entries never reaches outside it;
- a cache file is read only when it is a regular file of this user's, opened without following links or waiting
  on a pipe (``read``);
- what a build takes from the cache is sealed (``seal``/``unseal``): an HMAC under a key of this user's, kept in
  ``~/.config/briefing/cache-key``, over the entry's name and its data, so an entry cannot be copied under
  another's name. Where the key cannot be read or made, nothing is cached.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import importlib.metadata
import json
import os
import re
import secrets
import stat
import sys
import time
from pathlib import Path
from typing import Any

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


def folder(root: Path, *names: str) -> Path | None:
    """The cache's folder ``names`` for the corpus at root, made where missing; None when caching is off, there
    is no key, or the folder, or one above it in the cache, is anything but a real folder of this user's (a
    symbolic link, a file, another user's)."""
    if not enabled() or _key() is None:  # without a key nothing could be sealed, so nothing is kept
        return None
    top = cache_dir(root)
    path = top.parent
    for name in (top.name, *names):
        path = path / name
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            try:
                os.mkdir(path, 0o700)
                info = os.lstat(path)
            except OSError:
                return None
        except OSError:
            return None
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return None
    return path


def drop_stale(folder: Path, names: re.Pattern[str], days: float, but: Path | None = None) -> None:
    """Remove the files in folder whose names match ``names`` (whole), not written for ``days``, but ``but``: cache
    entries no longer used. A link is removed, never followed; a folder is left, and so is a name gone meanwhile
    (either costs space only)."""
    limit = time.time() - days * 86400
    with contextlib.suppress(OSError):
        for other in folder.iterdir():
            with contextlib.suppress(OSError):
                if other != but and names.fullmatch(other.name) and not stat.S_ISDIR((info := other.lstat()).st_mode) \
                        and info.st_mtime <= limit:
                    other.unlink()


def usable(info: os.stat_result) -> bool:
    """May a cache file of this status be read: a regular file (not a link, a pipe …) of this user's?"""
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()


def read(path: Path, limit: int = 1 << 30) -> bytes | None:
    """A cache file's bytes: only a regular file of this user's, not through a link, at most ``limit`` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)  # (a folder opens too: it is refused here, before anything reads it)
        if not usable(info) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as file:
            return file.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def write(path: Path, *data: bytes) -> bool:
    """Put data (its parts one after another) into the cache file at path (replaced as a whole: a reader sees the
    old file or the new one). The data is written to a new file of this user's beside it, never through a link or
    into a file planted there; a cache that cannot be written is no error (False)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        partial.unlink(missing_ok=True)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as file:
            for part in data:
                file.write(part)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return False
    return True


def keep_json(path: Path, name: str, value: Any) -> bool:
    """Put a JSON value into the cache file at path, sealed as the entry ``name`` (``seal``, ``write``); False when
    it could not be kept (no key, or the file could not be written)."""
    sealed = seal(name, json.dumps(value, ensure_ascii=False).encode())
    return sealed is not None and write(path, sealed)


def kept_json(path: Path, name: str) -> Any:
    """The JSON value in the cache file at path when this user's key sealed it as the entry ``name``; None for
    anything else (no such file, a file sealed by another key or under another name, not JSON)."""
    try:
        return json.loads(unseal(name, read(path)) or b"null")
    except ValueError:
        return None


def _key_file() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "briefing" / "cache-key"


@functools.cache
def _key() -> bytes | None:
    """This user's cache key (made on first use, readable by this user only); None if it cannot be had."""
    try:
        path = _key_file()
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
        key = read(path, 4096)
    except (OSError, RuntimeError, KeyError):  # no home folder: no key
        return None
    return key if key is not None and len(key) >= 32 else None


def _mac(key: bytes, name: str, data: bytes | memoryview) -> bytes:
    mac = hmac.new(key, name.encode() + b"\0", hashlib.sha256)
    mac.update(data)  # (not joined to the name: a kept entry may be tens of megabytes)
    return mac.hexdigest().encode()


def seal(name: str, data: bytes) -> bytes | None:
    """Data with this user's MAC of the entry's name and data in front, to be written to the cache entry
    ``name``; None when there is no key."""
    key = _key()
    return None if key is None else _mac(key, name, data) + b"\n" + data


def keep_sealed(path: Path, name: str, data: bytes) -> bool:
    """Write data sealed as the entry ``name`` (``seal``) to the cache file at path, without a copy of it; False
    when it could not be kept."""
    key = _key()
    return key is not None and write(path, _mac(key, name, data) + b"\n", data)


def unseal(name: str, blob: bytes | None) -> bytes | None:
    """The data of the sealed cache entry ``name``, or None when this user's key did not seal it as that entry
    (or there is no key)."""
    view = unsealed_view(name, blob)
    return None if view is None else bytes(view)


def unsealed_view(name: str, blob: bytes | None) -> memoryview | None:
    """``unseal``, the data seen in the blob rather than copied (for entries of tens of megabytes)."""
    key = _key()
    if key is None or blob is None:
        return None
    at = blob.find(b"\n")
    if at < 0:
        return None
    data = memoryview(blob)[at + 1:]
    return data if hmac.compare_digest(blob[:at], _mac(key, name, data)) else None


@functools.cache
def package_fingerprint() -> str:
    """A hash of this package's own files (code, templates, theme overrides, assets)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def fingerprint(packages: tuple[str, ...]) -> str:
    """What a kept result depends on besides its own input: this package's files, the versions of these
    distributions and Python's."""
    return json.dumps([package_fingerprint(), versions(packages), sys.version])


def versions(names: tuple[str, ...]) -> dict[str, str]:
    """The installed versions of these distributions ("" for one not installed)."""
    found = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = ""
    return found
