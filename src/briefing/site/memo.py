"""Generated record and theme pages kept from one generation of the site to the next: in the process of ``mkdocs
serve``, and from one ``briefing build`` to the next in the build cache (``site.memofile``).

A claim, entity or theme page is rendered from its own arguments (the claim, its facts, events, history …) and from
whatever its template and links look up in the corpus and the site's look-ups. Those look-ups go through a view
(``Reads``) that notes each record read, by name and key, or a whole table when the page goes through all of it. The
page is kept with a digest of its arguments and of every record it read. The next generation reuses it when its
arguments and each of those records have the same digest again, and renders it otherwise.

A digest is of the value's text (``canonical``): its ``repr``, but a set's members in order, in every process. A
value whose text does not show its content (an object's address) never matches, so its page is rendered again.
What a page reads that is not a record (the templates, the package's code, the vocabularies, the citation style)
does not change within a process (``site.memofile`` checks them from one process to the next); the corpus's
settings and the page's place (template, path, site paths, ceiling) are in every key.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

Digest = bytes | None
WHOLE = "\0whole"  # the key of a read that went through a whole table
MISSING = object()
ABSENT = b"absent"  # the digest of a key not in its table (no digest of a value has this length)


def _hashed(text: str) -> Digest:
    """A digest of a value's text; None (never equal to a kept digest) where the text shows an object's address."""
    return None if " at 0x" in text else hashlib.blake2b(text.encode(), digest_size=16).digest()


def canonical(value: object, record: Callable[[object], str] | None = None) -> str:
    """A value's text: its ``repr``, except that a set shows its members' texts in order (a set's order, and so its
    ``repr``, differs from one process to the next), and so does a record (dataclass) holding one: it shows the
    fields its ``repr`` shows, each by its text, after its module and class. ``record``: the text of each record
    within the value instead."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return repr(value)
    if kind is list or kind is tuple:
        return f"{kind.__name__}({','.join(canonical(v, record) for v in value)})"  # type: ignore[attr-defined]
    if kind is set or kind is frozenset:
        return f"{kind.__name__}({','.join(sorted(canonical(v, record) for v in value))})"  # type: ignore[attr-defined]
    if isinstance(value, dict):
        items = (f"{canonical(k, record)}:{canonical(v, record)}" for k, v in value.items())
        return f"{kind.__name__}({','.join(items)})"
    if hasattr(kind, "__dataclass_fields__"):
        if record is not None:
            return record(value)
        text = repr(value)
        if "{" not in text and "set()" not in text:  # no set (nor dict) within: the same in every process
            return text
        fields = ",".join(f"{name}={canonical(getattr(value, name))}" for name in _shown(kind))
        return f"{kind.__module__}.{kind.__qualname__}({fields})"
    return repr(value)


_SHOWN: dict[type, tuple[str, ...]] = {}


def _shown(kind: type) -> tuple[str, ...]:
    """The fields of a dataclass its ``repr`` shows."""
    found = _SHOWN.get(kind)
    if found is None:
        found = _SHOWN[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.repr)
    return found


class Digests:
    """Digests of the values of one generation, each record (dataclass instance) digested once however many pages
    hold it: a list of records is digested from its records' digests."""

    def __init__(self) -> None:
        self._records: dict[int, tuple[object, Digest]] = {}  # id -> (the record, kept alive; its digest)

    def __call__(self, value: object) -> Digest:
        return _hashed(canonical(value, self._record))

    def _record(self, value: object) -> str:
        """A record's text in a value: a digest of its own text, made once."""
        found = self._records.get(id(value))
        if found is None:
            found = self._records[id(value)] = (value, _hashed(canonical(value)))
        return " at 0x" if found[1] is None else found[1].hex()


def _value(table: Mapping[str, Any], key: str) -> object:
    """A table's value at key (the whole table's items for ``WHOLE``), or ``MISSING``."""
    if key == WHOLE:
        return list(table.items())
    return table.get(key, MISSING)


class Reads:
    """What one page read: (table name, key) pairs."""

    def __init__(self) -> None:
        self.keys: set[tuple[str, str]] = set()


class TrackedTable(Mapping[str, Any]):
    """A table (dict) whose reads are noted: a key looked up, or the whole table when gone through."""

    __slots__ = ("_name", "_reads", "_table")

    def __init__(self, name: str, table: Mapping[str, Any], reads: Reads):
        self._name, self._table, self._reads = name, table, reads

    def __getitem__(self, key: str) -> Any:
        """The value at key; a defaultdict's default for a missing key, never put into the table."""
        self._reads.keys.add((self._name, key))
        if key in self._table:
            return self._table[key]
        factory: Callable[[], object] | None = getattr(self._table, "default_factory", None)
        if factory is None:
            raise KeyError(key)
        return factory()

    def get(self, key: str, default: Any = None) -> Any:
        self._reads.keys.add((self._name, key))
        return self._table.get(key, default)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        self._reads.keys.add((self._name, key))
        return key in self._table

    def __iter__(self) -> Iterator[str]:
        self._reads.keys.add((self._name, WHOLE))
        return iter(self._table)

    def __len__(self) -> int:
        self._reads.keys.add((self._name, WHOLE))
        return len(self._table)


class TrackedRecord:
    """An object whose attributes are noted as read: its tables (dicts) key by key, anything else whole."""

    def __init__(self, name: str, value: object, reads: Reads):
        self._name, self._value, self._reads = name, value, reads

    def __getattr__(self, attr: str) -> Any:
        found = getattr(self._value, attr)
        if isinstance(found, dict):
            return TrackedTable(f"{self._name}.{attr}", found, self._reads)
        self._reads.keys.add((self._name, attr))
        return found


@dataclass
class Kept:
    key: Digest  # of the page's template, place and arguments
    reads: tuple[tuple[str, str, Digest], ...]
    page: Any  # the page (``pages.SitePage``)


@dataclass
class PageMemo:
    """Record and theme pages kept from the last generation, by docs path."""

    kept: dict[str, Kept] = field(default_factory=dict)
    changed: bool = False  # did the last generation render a page, or drop one?
    # the style files its pages were formatted with (path -> digest): kept with them from one process to the next
    styles: dict[str, str] = field(default_factory=dict)

    def generation(self, shared: dict[str, object]) -> Generation:
        """A new generation of the site, whose pages read ``shared`` (name -> corpus, look-ups …)."""
        return Generation(self, shared)


class Generation:
    """One generation of the site: pages reused or rendered, and kept for the next."""

    def __init__(self, memo: PageMemo, shared: dict[str, object]):
        self.memo, self.shared = memo, shared
        self.kept: dict[str, Kept] = {}
        self._digests: dict[tuple[str, str], Digest] = {}
        self.digest = Digests()
        self._rendered = False

    def _current(self, name: str, key: str) -> Digest:
        """The digest, in this generation's data, of what a page read as (name, key)."""
        found = self._digests.get((name, key), MISSING)
        if found is MISSING:
            owner, _, attr = name.partition(".")
            value = self.shared[owner]
            if attr:
                value = getattr(value, attr)
            value = _value(value, key) if isinstance(value, dict) else getattr(value, key)
            found = self._digests[(name, key)] = ABSENT if value is MISSING else self.digest(value)
        return found  # type: ignore[return-value]

    def reuse(self, path: str, key: Digest) -> Any:
        """The kept page at path when its key and everything it read are unchanged."""
        kept = self.memo.kept.get(path)
        if kept is None or key is None or kept.key != key or any(
                was is None or self._current(name, k) != was for name, k, was in kept.reads):
            return None
        self.kept[path] = kept
        return kept.page

    def view(self) -> tuple[Reads, dict[str, object]]:
        """The shared values as one page reads them, and its reads."""
        reads = Reads()
        return reads, {name: TrackedTable(name, value, reads) if isinstance(value, dict) else
                       TrackedRecord(name, value, reads) for name, value in self.shared.items()}

    def keep(self, path: str, key: Digest, reads: Reads, page: Any) -> None:
        if key is not None:
            self._rendered = True
            self.kept[path] = Kept(key, tuple((n, k, self._current(n, k)) for n, k in sorted(reads.keys)), page)

    def close(self) -> None:
        """The pages of this generation become the memo's (pages no longer generated are dropped)."""
        self.memo.changed = self._rendered or self.kept.keys() != self.memo.kept.keys()
        self.memo.kept = self.kept
