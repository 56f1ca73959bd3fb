"""Put a build's output folders in place so that site/ and dist/ exist at every instant.

A build renders into a work folder ``.briefing-build-*`` beside the outputs (same file system, so a move is a
rename), holding a lock on the corpus root so that two builds never interleave. Each output folder is then
exchanged with its new version by ``renameat2(RENAME_EXCHANGE)``, one atomic step on Linux; elsewhere by two
renames, with the old folder parked under a fixed name that the next build puts back if a crash came between.
The work folder is removed at the end and, after a crash, by the next build. It holds a ``.gitignore`` of
``*``, so git never reports it and the version is not marked dirty.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .bundle import inside
from .errors import BuildError

PREFIX = ".briefing-build-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _parked(root: Path, name: str) -> Path:
    return root / f"{PREFIX}old-{name}"


def recover(root: Path) -> None:
    """Undo what an interrupted build left: put a parked output back, remove work folders."""
    for parked in root.glob(f"{PREFIX}old-*"):
        target = root / parked.name.removeprefix(f"{PREFIX}old-")
        if not target.exists():
            parked.rename(target)
    for leftover in root.glob(f"{PREFIX}*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


_HELD: int | None = None  # the lock's file descriptor while this process builds


def _not_in_children() -> None:
    """A process forked during a build (a pack's worker) closes its copy of the lock: the lock is the build's
    alone, so a killed build's workers, finishing a pack, do not keep the next build out."""
    global _HELD
    if _HELD is not None:
        with contextlib.suppress(OSError):
            os.close(_HELD)
        _HELD = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_not_in_children)


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    global _HELD
    if sys.platform == "win32":  # pragma: no cover - no flock; builds are not run concurrently there
        yield
        return
    import fcntl

    fd = os.open(root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is running in {root}; wait for it to finish") from None
        _HELD = fd
        yield
    finally:
        _HELD = None
        os.close(fd)


@contextlib.contextmanager
def workspace(root: Path) -> Iterator[Path]:
    """A fresh work folder beside the outputs, removed afterwards (whatever happens)."""
    with _locked(root):
        recover(root)
        work = Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))
        try:
            (work / ".gitignore").write_text("*\n", encoding="utf-8")
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False when the system cannot (then nothing has changed)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def install(work: Path, root: Path, names: list[str]) -> None:
    """Replace each root/name by work/name; the old one ends in work/ (and goes with it)."""
    for name in names:
        new, target = work / name, root / name
        if not target.exists():
            new.rename(target)
        elif not exchange(new, target):
            parked = _parked(root, name)
            target.rename(parked)
            new.rename(target)
            parked.rename(new)


def copy_files(source: Path, target: Path) -> list[str]:
    """Copy the regular files of the folder ``source`` (dist/, which holds nothing else) into ``target``; the names
    of what was left out: a link, which could point anywhere outside the corpus, a folder, a pipe. Nothing is read
    through a link: of ``source`` itself (then nothing is copied) or of a file in it."""
    target.mkdir(exist_ok=True)
    if not inside(source):
        return [source.name] if source.is_symlink() else []
    left = []
    for path in sorted(source.iterdir()):
        if not inside(source, path.name) or not path.is_file():
            left.append(f"{source.name}/{path.name}")
            continue
        shutil.copy2(path, target / path.name, follow_symlinks=False)
    return left
