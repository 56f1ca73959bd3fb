"""Parsed corpus files kept between runs: a record file or BibTeX file whose text is unchanged is not read again.

Reading is most of loading (5,000 claims: about 1.5 s of YAML, 0.4 s making records of it, 0.6 s of BibTeX), and
an analyst's edit touches one file. A file's result (a record file's records, a BibTeX file's sources) is kept
under a hash of its text, of how it is shown in messages, of what else reading it depends on (the kind of result
names it: a record file's, the corpus's settings) and of this package's own files, in ``parsed/`` of the build
cache (``briefing.cachedir``), sealed with the user's key. Only a result that added nothing to the problems (no
problem, no unreadable file, no untrusted marking) is kept, so every problem is found afresh each run. Safe to
delete; ``BRIEFING_NO_CACHE`` turns it off.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from . import cachedir
from .problems import Problems

T = TypeVar("T")
KEEP_DAYS = 7
PARSING_PACKAGES = ("PyYAML", "bibtexparser", "pylatexenc")
ENTRY = re.compile(r"[0-9a-f]{64}\.pickle")  # the only names it ever removes


def _state(problems: Problems) -> tuple[int, int, int]:
    """How much a collector holds: a parse that added anything to it is not kept (its problems, the files it found
    unreadable and the markings it could not trust must be found again on every run)."""
    return len(problems.items), len(problems.unreadable), len(problems.bad_markings)


# The parses the last sharing load of each cache folder handed out, by entry name (see ``ParseCache``).
_SHARED: dict[Path, dict[str, object]] = {}


class ParseCache:
    """The kept parses of one corpus (none when caching is off).

    ``shared``: the caller (``mkdocs serve``, loading the corpus at every build) never changes what it loads, so
    a result this process handed out for the same folder and entry in its last sharing load is handed out again,
    the same objects, not unpickled again. Each sharing load keeps only the results it handed out.
    """

    def __init__(self, root: Path, shared: bool = False):
        """``root``: the corpus whose build cache keeps the parses."""
        self.folder = cachedir.folder(root, "parsed")
        self.written = False
        self._before: dict[str, object] = {}
        self._now: dict[str, object] | None = None
        if shared and self.folder is not None:
            self._before = _SHARED.get(self.folder, {})
            self._now = _SHARED[self.folder] = {}

    def parsed(self, kind: str, shown: str, text: str, problems: Problems, parse: Callable[[], T],
               shareable: bool = False) -> T:
        """``parse()``'s result for this text: kept from an earlier run, or parsed now (and kept if clean).
        ``shareable``: a result that a sharing load may hand out again (records, which nothing changes once read)."""
        if self.folder is None:
            return parse()
        key = "\0".join([cachedir.fingerprint(PARSING_PACKAGES), kind, shown, text])
        path = self.folder / f"{hashlib.sha256(key.encode()).hexdigest()}.pickle"
        now = self._now if shareable else None
        if now is not None and path.name in self._before:
            found = now[path.name] = self._before[path.name]
            return cast(T, found)
        value: T | None = None
        try:
            data = cachedir.unseal(path.name, cachedir.read(path))
            if data is not None:
                value = pickle.loads(data)  # sealed with this user's key: this package wrote it
        except Exception:  # anything unreadable is parsed again
            pass
        if value is None:
            before = _state(problems)
            value = parse()
            if _state(problems) != before or value is None:
                return value
            self._keep(path, value)
        if now is not None:
            now[path.name] = value
        return value

    def _keep(self, path: Path, value: object) -> None:
        sealed = cachedir.seal(path.name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        if sealed is None:
            return
        try:
            if not cachedir.write(path, sealed):
                return
            if not self.written:  # once a run: drop the parses of file versions not seen for KEEP_DAYS
                self.written = True
                limit = time.time() - KEEP_DAYS * 86400
                for old in path.parent.iterdir():
                    info = old.lstat()
                    if ENTRY.fullmatch(old.name) and info.st_atime < limit and info.st_mtime < limit:
                        old.unlink(missing_ok=True)
        except (OSError, pickle.PicklingError):
            pass  # a cache that cannot be written costs time only
