"""Templates compiled by an earlier build or process, kept in the build cache: compiling the theme's and the pages'
templates took about 0.8 s of each build, the same every time.

Jinja compiles a template into Python code, and checks a kept one against its source. What else the code depends
on is the environment that compiled it: its syntax settings and extensions, and the filters and tests it applies
to constants while compiling. Each kept template is sealed with this user's key (its code is run, so none is taken
from a file this user's builds did not write) under a digest of all that and of the ``context`` (what made the
environment: this package's files, the versions of the libraries, the site's settings). One sealed under another
digest is compiled again, and replaced.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import jinja2
import jinja2.bccache

from .. import cachedir
from .pagecache import KEEP_DAYS

KEPT = re.compile(r"[0-9a-f]{32}\.jinja")  # the names of kept templates: the only files it removes
_IN_MEMORY: dict[str, bytes] = {}  # templates this process compiled or read from their sealed files, by key


def _named(function: object) -> str:
    """A function by its module and name (a filter or test of the environment)."""
    return f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', type(function).__qualname__)}"


def settings(e: jinja2.Environment) -> str:
    """Everything of an environment that compiling reads, besides the template's source."""
    return repr((sorted(e.extensions), e.block_start_string, e.block_end_string, e.variable_start_string,
                 e.variable_end_string, e.comment_start_string, e.comment_end_string, e.line_statement_prefix,
                 e.line_comment_prefix, e.trim_blocks, e.lstrip_blocks, e.newline_sequence, e.keep_trailing_newline,
                 e.optimized, e.is_async, e.sandboxed, e.finalize and _named(e.finalize),
                 e.autoescape if isinstance(e.autoescape, bool) else _named(e.autoescape),
                 _named(e.code_generator_class), _named(e.context_class),
                 sorted((k, v if isinstance(v, (str, int, float, bool, type(None), dict)) else _named(v))
                        for k, v in e.policies.items()), getattr(e, "newstyle_gettext", None),
                 sorted((name, _named(f)) for name, f in e.filters.items()),
                 sorted((name, _named(f)) for name, f in e.tests.items())))


class KeptTemplates(jinja2.BytecodeCache):
    """The compiled templates kept in a folder of the build cache (one file per template), or in this process's
    memory alone (no folder), for environments made from ``context``."""

    def __init__(self, folder: Path | None, context: str):
        self.folder, self.context = folder, context
        self._pruned = False

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        file = hashlib.sha256(f"{name}\0{filename}".encode()).hexdigest()[:32]
        made = hashlib.sha256(f"{self.context}\0{settings(environment)}".encode()).hexdigest()[:32]
        bucket = jinja2.bccache.Bucket(environment, f"{made}/{file}", self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        assert self.folder is not None, "a template kept in memory alone has no file"
        return self.folder / f"{bucket.key.rpartition('/')[2]}.jinja"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """A kept template: from this process's memory (``mkdocs serve`` makes a new environment for each build),
        else from its file under this user's seal."""
        code = _IN_MEMORY.get(bucket.key)
        if code is None and self.folder is not None:
            code = cachedir.unseal(f"templates/{bucket.key}", cachedir.read(self._path(bucket)))
        if code:
            bucket.bytecode_from_string(code)  # (Jinja leaves it if it was not compiled from this source)
            if bucket.code is not None:
                _IN_MEMORY[bucket.key] = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a template just compiled; the first time, drop the kept ones not written for ``KEEP_DAYS`` (of
        templates no longer there, or of an older install)."""
        code = _IN_MEMORY[bucket.key] = bucket.bytecode_to_string()
        if self.folder is None:
            return
        sealed = cachedir.seal(f"templates/{bucket.key}", code)
        if sealed is None or not cachedir.write(self._path(bucket), sealed) or self._pruned:
            return
        self._pruned = True
        cachedir.drop_stale(self.folder, KEPT, KEEP_DAYS)



def kept(root: Path, context: str) -> KeptTemplates | None:
    """The compiled templates kept for the corpus at root, of environments made from ``context``; None where the
    cache is off."""
    folder = cachedir.folder(root, "templates")
    return None if folder is None else KeptTemplates(folder, context)


def for_pages(root: Path) -> KeptTemplates | None:
    """The compiled templates of the generated pages' environment (``site.render``), which this package makes with
    Jinja and MarkupSafe."""
    return kept(root, cachedir.fingerprint(("Jinja2", "MarkupSafe")))
