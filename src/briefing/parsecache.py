"""Parsed corpus files kept between runs: a YAML or BibTeX file whose text is unchanged is not parsed again.

Parsing is most of loading (5,000 claims: about 1.5 s of YAML and 0.6 s of BibTeX), and an analyst's edit touches
one file. A file's parse is kept under a hash of its text, of how it is shown in messages and of this package's
own files, in ``parsed/`` of the build cache (``briefing.cachedir``), sealed with the user's key; only a parse
that raised no problem is kept, so every problem is found afresh each run. Safe to delete; ``BRIEFING_NO_CACHE``
turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import cachedir
from .problems import Problems

T = TypeVar("T")
KEEP_DAYS = 7
PARSING_PACKAGES = ("PyYAML", "bibtexparser", "pylatexenc")
ENTRY = re.compile(r"[0-9a-f]{64}\.pickle")  # the only names it ever removes


@functools.cache
def _fingerprint() -> str:
    """What a parse depends on besides the text: this package's files, the parsers' and Python's versions."""
    return json.dumps([cachedir.package_fingerprint(), cachedir.versions(PARSING_PACKAGES), sys.version])


class ParseCache:
    """The kept parses of one corpus (none when caching is off)."""

    def __init__(self, root: Path):
        """``root``: the corpus whose build cache keeps the parses."""
        self.folder = cachedir.folder(root, "parsed")
        self.written = False

    def parsed(self, kind: str, shown: str, text: str, problems: Problems, parse: Callable[[], T]) -> T:
        """``parse()``'s result for this text: kept from an earlier run, or parsed now (and kept if clean)."""
        if self.folder is None:
            return parse()
        key = "\0".join([_fingerprint(), kind, shown, text])
        path = self.folder / f"{hashlib.sha256(key.encode()).hexdigest()}.pickle"
        try:
            data = cachedir.unseal(path.name, cachedir.read(path))
            if data is not None:
                return pickle.loads(data)  # sealed with this user's key: this package wrote it
        except Exception:  # anything unreadable is parsed again
            pass
        before = len(problems.items)
        value = parse()
        if len(problems.items) == before and value is not None:
            self._keep(path, value)
        return value

    def _keep(self, path: Path, value: object) -> None:
        sealed = cachedir.seal(path.name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        if sealed is None:
            return
        try:
            partial = path.with_name(f".{path.name}.{os.getpid()}")
            partial.write_bytes(sealed)
            os.replace(partial, path)
            if not self.written:  # once a run: drop the parses of file versions not seen for KEEP_DAYS
                self.written = True
                limit = time.time() - KEEP_DAYS * 86400
                for old in path.parent.iterdir():
                    info = old.lstat()
                    if ENTRY.fullmatch(old.name) and info.st_atime < limit and info.st_mtime < limit:
                        old.unlink(missing_ok=True)
        except (OSError, pickle.PicklingError):
            pass  # a cache that cannot be written costs time only
