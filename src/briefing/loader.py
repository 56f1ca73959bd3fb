"""Load a corpus from ``sources/`` and ``docs/`` into the model, collecting every problem on the way."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import citations, cite, schema
from .bibliography import inherit, load_bib
from .model import (
    Config,
    Corpus,
    Page,
)
from .parsecache import ParseCache
from .problems import WARNING, Loc, Problems, rel, rule, suggest
from .schema import valid_date
from .vocab import is_classified, normalise_marking
from .yamlfile import YList, YMap, line_of, load_yaml, parse_yaml, read_text, source_text, yaml_of

rule("file-missing", "a required file or folder is missing")
rule("unknown-key", "a key that no record kind has (with a suggestion)")
rule("wrong-type", "a value of the wrong type")
rule("missing-field", "a required field is missing")
rule("duplicate-id", "an id or source key is defined twice")
rule("invalid-value", "a value outside its vocabulary")
rule("invalid-date", "a date that is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)")
rule("marking-invalid", "a marking that is not a TLP 2.0 label")
rule("marking-classified", "an EU-classified marking, which this tool refuses")
rule("front-matter", "page front matter that is not exactly '---' on line 1, a mapping, and a closing '---'")
rule("list-item-split", "a list item that an unquoted comma seems to have split in two", WARNING)
rule("path-outside", "a symlink or path leading outside the repository (or the archive folder), or a symlinked folder")

CONFIG_FILE = "corpus.yml"
ARCHIVE_ENV = "BRIEFING_ARCHIVE"


class Fields:
    """Typed access to one YAML mapping; wrong types, missing and unknown keys become problems."""

    def __init__(self, data: YMap, shown: str, kind: str, known: tuple[str, ...], problems: Problems):
        self.data, self.shown, self.kind, self.problems = data, shown, kind, problems
        self.loc = Loc(shown, data.line)
        for key in data:
            if key not in known:
                problems.error(
                    self.at(key), "unknown-key", f"unknown key '{key}' in {kind}{suggest(key, known)}"
                )

    def at(self, key: str) -> Loc:
        return Loc(self.shown, line_of(self.data, key))

    def _wrong(self, key: str, expected: str) -> None:
        got = type(self.data[key]).__name__.replace("YMap", "mapping").replace("YList", "list")
        self.problems.error(self.at(key), "wrong-type", f"'{key}' of {self.kind} must be {expected}, not {got}")

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.problems.error(self.loc, "missing-field", f"{self.kind} has no '{key}'")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self._wrong(key, "text")
            return default
        return source_text(value).strip()

    def opt(self, key: str) -> str | None:
        return self.text(key) or None

    def texts(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str | int) and not isinstance(value, bool):
            return [source_text(value)]
        if not isinstance(value, list) or any(isinstance(v, dict | list) or v is None for v in value):
            self._wrong(key, "a list of text items")
            return []
        items = [source_text(v).strip() for v in value]
        self._split_items(key, items, getattr(value, "item_lines", []))
        return items

    def _split_items(self, key: str, items: list[str], lines: list[int]) -> None:
        """Warn when an unquoted comma looks to have split one item of a flow list ([a, b]) in two."""
        for i in range(1, min(len(items), len(lines))):
            before, after = items[i - 1], items[i]
            if (lines[i] == lines[i - 1] and before and after[:1].islower() and " " in before + after
                    and not before.endswith((".", "!", "?", ";", ":", ")", "\u201d", '"'))):
                self.problems.warning(Loc(self.shown, lines[i]), "list-item-split",
                                      f"'{key}' item \"{before[:40]}\" looks split at a comma from \"{after[:40]}\"; "
                                      "quote the item (\"…, …\") if it is one")

    def whole(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong(key, "a whole number")
            return None
        return value

    def number(self, key: str, required: bool = False) -> float | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.error(self.loc, "missing-field", f"{self.kind} has no '{key}'")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._wrong(key, "a number (no units or commas: put the unit in 'unit')")
            return None
        return value

    def records(self, key: str) -> list[YMap]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self._wrong(key, "a list")
            return []
        out = []
        for item, line in zip(value, getattr(value, "item_lines", [self.loc.line] * len(value)), strict=False):
            if isinstance(item, YMap):
                out.append(item)
            else:
                self.problems.error(Loc(self.shown, line), "wrong-type", f"each item of '{key}' must be a mapping")
        return out

    def marking(self, default: str) -> str:
        raw = self.text("marking")
        remember_bad_marking(self.problems, self.kind, source_text(self.data.get("id", "")).strip(), raw or None)
        return check_marking(raw, self.at("marking"), self.problems) if raw else default


# Recorded in Problems.bad_markings when default_marking is not a TLP 2.0 label: every record that takes the
# default then has an unknown marking too.
BAD_DEFAULT = ("corpus", "default_marking")


def remember_bad_marking(problems: Problems, kind: str, ident: str, raw: str | None) -> None:
    """Remember a record whose marking is unknown (its label, or the default it takes when raw is None, is not
    TLP 2.0): that error is reported once, and records depending on it are not also reported as leaks."""
    if not normalise_marking(raw) if raw is not None else BAD_DEFAULT in problems.bad_markings:
        problems.bad_markings.add((kind, ident))


def check_marking(raw: str, loc: Loc, problems: Problems, default: str = "TLP:RED") -> str:
    """Normalise a TLP label; refuse classified markings; unknown labels are treated as TLP:RED."""
    marking = normalise_marking(raw)
    if marking:
        return marking
    if is_classified(raw):
        problems.error(
            loc,
            "marking-classified",
            f"'{raw}' is a classified marking: this tool is not an accredited system and must not hold "
            "classified information; remove the content or handle it on an accredited system",
        )
    else:
        problems.error(
            loc,
            "marking-invalid",
            f"'{raw}' is not a TLP 2.0 marking (use TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED)",
        )
    return default


# --- records, read by their schema --------------------------------------------------------------------


@functools.cache
def _optional(cls: type, name: str) -> bool:
    """True when the model keeps an absent value as None (its annotation admits None), else as ''."""
    return "None" in str(next(f.type for f in dataclasses.fields(cls) if f.name == name))


def _value(fld: schema.Field, f: Fields, kind: schema.Kind, config: Config) -> Any:
    """One field read with its type, then checked against its choices, dates and range (located at the key)."""
    name = fld.name
    if fld.type == schema.TEXTS:
        if name not in f.data and _optional(kind.cls, name):
            return None  # absent is not the same as an empty list (see Evidence.via)
        items = f.texts(name)
        for item in items:
            _choice(fld, item, f, kind)
        return items
    if fld.type == schema.RECORDS:
        assert fld.item is not None
        return [read_record(fld.item, Fields(data, f.shown, fld.item.name, fld.item.keys, f.problems), config)
                for data in f.records(name)]
    if fld.type == schema.NUMBER:
        return f.number(name, required=fld.required) or 0
    value: Any
    if fld.type == schema.INT:
        value = f.whole(name)
    elif fld.type == schema.MARKING:
        if name not in f.data:
            return None
        # A marking that is not certain counts as the most restricted; a ceiling that is not, as the lowest.
        return check_marking(f.text(name), f.at(name), f.problems, "TLP:CLEAR" if name == "ceiling" else "TLP:RED")
    else:
        value = f.text(name, required=fld.required, default=fld.default or "")
        if fld.type == schema.DATE and value and not valid_date(value):
            f.problems.error(f.at(name), "invalid-date", f"{kind.name} {name} '{value}' is not an ISO 8601 date "
                             "(YYYY, YYYY-MM or YYYY-MM-DD)")
        if not value and _optional(kind.cls, name):
            return None
    if value is not None:
        _choice(fld, value, f, kind)
        _range(fld, value, f, kind)
    return value


def _choice(fld: schema.Field, value: Any, f: Fields, kind: schema.Kind) -> None:
    if not fld.choices or value in fld.choices or value in ("", None):
        return
    if all(isinstance(c, int) for c in fld.choices):
        low, high = min(fld.choices), max(fld.choices)
        f.problems.error(f.at(fld.name), fld.rule, f"{fld.name} {value} is not {low}-{high}"
                         f"{' (' + fld.doc + ')' if fld.doc else ''}")
        return
    allowed = [str(c) for c in fld.choices]
    f.problems.error(f.at(fld.name), fld.rule, f"{fld.name} '{value}' of {kind.name} is not one of: "
                     f"{', '.join(allowed)}{suggest(str(value), allowed, cutoff=0.6)}")


def _range(fld: schema.Field, value: Any, f: Fields, kind: schema.Kind) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool) and (
            (fld.minimum is not None and value < fld.minimum) or (fld.maximum is not None and value > fld.maximum)):
        bounds = " and ".join(part for part in (f"at least {fld.minimum:g}" if fld.minimum is not None else "",
                                               f"at most {fld.maximum:g}" if fld.maximum is not None else "") if part)
        f.problems.error(f.at(fld.name), "invalid-value", f"{fld.name} of {kind.name} must be {bounds}, not {value}")


def read_record(kind: schema.Kind, f: Fields, config: Config) -> Any:
    """A record of a kind from its YAML mapping, every field read as the schema declares it."""
    values = {fld.name: _value(fld, f, kind, config) for fld in kind.fields}
    if kind.marked:
        values["marking"] = f.marking(config.default_marking)
    if kind is schema.PACK and values["ceiling"] is None:
        values["ceiling"] = config.ceiling
    return kind.cls(**values, loc=f.loc)


def load_config(root: Path, problems: Problems) -> Config:
    config = Config(root=root)
    path = root / "sources" / CONFIG_FILE
    shown = f"sources/{CONFIG_FILE}"
    config.loc = Loc(shown, 1)
    if path.exists() and not path.resolve().is_relative_to(root):
        problems.error(Loc(shown), "path-outside", f"a symbolic link to '{path.resolve()}', outside the repository")
    elif path.exists():
        data = load_yaml(path, shown, problems)
        if data is not None and not isinstance(data, YMap):
            problems.error(Loc(shown, 1), "wrong-type", "corpus.yml must be a mapping of settings")
        elif isinstance(data, YMap):
            f = Fields(data, shown, schema.CONFIG.name, schema.CONFIG.keys, problems)
            for fld in schema.CONFIG.fields:
                if fld.name not in data:
                    continue  # the default of Config
                value = _value(fld, f, schema.CONFIG, config)
                if value is not None and value != "":
                    setattr(config, fld.name, value)
            if "default_marking" in data and not normalise_marking(f.text("default_marking")):
                problems.bad_markings.add(BAD_DEFAULT)  # it reads as TLP:RED meanwhile
            if isinstance(config.archive, str):
                config.archive = (root / config.archive).resolve()
    env_archive = os.environ.get(ARCHIVE_ENV)
    if env_archive:
        config.archive = Path(env_archive).resolve()
    return config


def _load_records(corpus: Corpus, path: Path, shown: str, problems: Problems, cache: ParseCache) -> None:
    """A record file's records, into the corpus. Its records are kept in ``cache`` under its text and what reading
    them depends on besides (the default marking and ceiling, and whether the default marking is a TLP label)."""
    text = read_text(path, shown, problems)
    found = None
    if text is not None:
        # read into a collector of its own: what the file adds to it (a marking it cannot trust that another file
        # named already, say) decides whether its records may be kept
        own = Problems()
        own.bad_markings |= problems.bad_markings & {BAD_DEFAULT}
        config = corpus.config
        settings = repr((config.default_marking, config.ceiling, BAD_DEFAULT in own.bad_markings))  # all it reads
        found = cache.parsed(f"records\0{settings}", shown, text, own, lambda: _read_records(text, shown, own, config),
                             shareable=True)
        problems.items += own.items
        problems.unreadable += own.unreadable
        problems.bad_markings |= own.bad_markings
    if found is None:
        problems.unreadable.append(shown)
        return
    for kind, record in found:
        store: dict[str, Any] = getattr(corpus, kind)
        if record.id in store:
            first = store[record.id].loc
            problems.error(record.loc, "duplicate-id",
                           f"{schema.KINDS[kind].name} id '{record.id}' is already used at {first}")
            continue
        store[record.id] = record


def _read_records(text: str, shown: str, problems: Problems, config: Config) -> list[tuple[str, Any]] | None:
    """The records of a record file's text, each with its kind (a Corpus attribute), in the file's order; None when
    the file cannot be read as one."""
    data = yaml_of(text, shown, problems)
    if data is None:
        return None
    if not isinstance(data, YMap):
        problems.error(Loc(shown, line_of(data, default=1)), "wrong-type",
                       f"a record file must be a mapping with keys among: {', '.join(schema.KINDS)}")
        return None
    found: list[tuple[str, Any]] = []
    for kind, items in data.items():
        if kind not in schema.KINDS:
            problems.error(Loc(shown, line_of(data, kind)), "unknown-key",
                           f"unknown record kind '{kind}'{suggest(kind, schema.KINDS)}; expected one of: "
                           f"{', '.join(schema.KINDS)}")
            continue
        spec = schema.KINDS[kind]
        name = spec.name
        if items is None:
            continue
        if not isinstance(items, YList):
            problems.error(Loc(shown, line_of(data, kind)), "wrong-type", f"'{kind}' must be a list of {name} records")
            continue
        for item, line in zip(items, items.item_lines, strict=True):
            if not isinstance(item, YMap):
                problems.error(Loc(shown, line), "wrong-type", f"each item of '{kind}' must be a mapping ({name})")
                continue
            record = read_record(spec, Fields(item, shown, name, spec.keys, problems), config)
            if record.id:
                found.append((kind, record))
    return found


PAGE_KEYS = ("title", "marking")
KEY_LIKE = re.compile(r"^[a-z_][\w-]*$")
FENCE = "---"


def front_matter(text: str, shown: str, problems: Problems) -> tuple[YMap | None, str, int]:
    """Split a page into its front matter and body (and the body's first line).

    Fail closed: front matter that is not exactly where and how MkDocs expects it (first line '---', closed by
    '---', a mapping of known keys) is an error, never body text, so a marking cannot be lost to a typo.
    Returns None for the front matter when it cannot be used.
    """
    lines = text.splitlines()
    if lines and lines[0].strip() == FENCE:
        end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() in (FENCE, "...")), None)
        if end is None:
            problems.error(Loc(shown, 1), "front-matter",
                           "front matter opened by '---' on line 1 is never closed by a '---' line")
            return None, "", 1
        meta = parse_yaml("\n".join(lines[1:end]) or "{}", shown, problems, offset=1)
        if meta is None:
            return None, "", 1
        if not isinstance(meta, YMap):
            problems.error(Loc(shown, 2), "front-matter", "front matter must be a mapping (title:, marking:)")
            return None, "", 1
        return meta, "\n".join(lines[end + 1:]), end + 2
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        key = stripped.split(":", 1)[0].strip().lower() if ":" in stripped else ""
        if stripped == FENCE or (KEY_LIKE.match(key) and (key in PAGE_KEYS or suggest(key, PAGE_KEYS))):
            problems.error(Loc(shown, number), "front-matter",
                           "this looks like front matter: it must start on line 1 with a '---' line and end with "
                           "another '---' line")
            return None, "", 1
        break
    return YMap(), text, 1


def _load_page(corpus: Corpus, path: Path, shown: str, doc_rel: str, problems: Problems) -> None:
    text = read_text(path, shown, problems)
    if text is None:
        return
    meta, body, first_line = front_matter(text, shown, problems)
    if meta is None:
        return  # withheld: the error stops every build
    f = Fields(meta, shown, "front matter", PAGE_KEYS, problems)
    title = f.text("title")
    if not title:
        for line in body.splitlines():
            if line.startswith("# "):
                title = line[2:].strip()
                break
    marking, raw = corpus.config.default_marking, None
    if "marking" in meta:
        raw = f.text("marking") or "(empty)"
        marking = check_marking(raw, f.at("marking"), problems)
    remember_bad_marking(problems, "page", doc_rel, raw)
    cites, claim_refs, cite_errors = citations.scan(body, first_line)
    for number, message in cite_errors:
        problems.error(Loc(shown, number), "cite-syntax", message)
    links = citations.local_links(body, doc_rel, first_line)
    corpus.pages[doc_rel] = Page(doc_rel, title or Path(doc_rel).stem, marking, body, cites, claim_refs,
                                 Loc(shown, 1), links, first_line)


def regular_files(folder: Path, root: Path, problems: Problems, skipped: list[str] | None = None) -> list[Path]:
    """Every regular file below folder, sorted; symlinks that leave root, symlinked folders and special files
    are located errors and are not read (and are listed in skipped, when given)."""
    found = []
    skipped = [] if skipped is None else skipped
    for top, dirs, files in os.walk(folder, followlinks=False):
        here = Path(top)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                problems.error(Loc(rel(here / name, root)), "path-outside",
                               "a symbolic link to a folder is not followed: move or copy the folder here")
                skipped.append(rel(here / name, root) + "/")
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink() and not d.startswith("."))
        for name in sorted(files):
            path = here / name
            shown = rel(path, root)
            target = path.resolve()
            if not target.is_relative_to(root):
                problems.error(Loc(shown), "path-outside",
                               f"a symbolic link to '{target}', outside the repository: it is not read")
                skipped.append(shown)
            elif not target.is_file():
                problems.error(Loc(shown), "file-unreadable", "not a regular file: it is not read")
                skipped.append(shown)
            else:
                found.append(path)
    return sorted(found)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection inside, and what is alive at the start and end kept out of later collections.

    Each collection scans every object alive, so loading (millions of objects) grew faster than the corpus:
    10k claims took 2.5 times as long as 5k. The BibTeX decoder leaves garbage cycles and runs with the
    collector on; the records and pages leave next to none. What was loaded moves to the collector's permanent
    generation (``gc.freeze``): a corpus lives as long as the command that loads it.
    """
    enabled = gc.isenabled()
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def load(root: Path, problems: Problems, parses_of: Path | None = None, shared: bool = False) -> Corpus:
    """Read the whole corpus below root; never raises for a problem in the analyst's files.

    Only regular files inside root are read (see ``regular_files``). Parsed files are reused from and kept in the
    build cache of the corpus at ``parses_of`` (default: root; a past version checked out in a temporary folder
    uses the repository's: its files are the same text at every build). ``shared``: the caller never changes
    the records, which may then be those of this process's last sharing load (``ParseCache``).
    """
    root = root.resolve()
    config = load_config(root, problems)
    corpus = Corpus(config=config)
    sources_dir = root / "sources"
    if not sources_dir.is_dir():
        problems.error(Loc("sources"), "file-missing", f"no 'sources/' folder in {root}")
        return corpus
    skipped: list[str] = []
    files = regular_files(sources_dir, root, problems, skipped)
    cache = ParseCache(parses_of or root, shared)
    problems.unreadable.extend(s for s in skipped if s.endswith(("/", ".bib", ".yml", ".yaml"))
                               and s != f"sources/{CONFIG_FILE}")
    for path in (p for p in files if p.suffix == ".bib"):
        shown = rel(path, root)
        text = read_text(path, shown, problems)
        if text is None:
            problems.unreadable.append(shown)
            continue
        if not text.strip():
            problems.error(Loc(shown, 1), "file-empty", "file is empty")
            problems.unreadable.append(shown)
            continue
        for source in cache.parsed(f"bib {config.default_marking}", shown, text, problems,
                                   functools.partial(load_bib, path, shown, text, problems,
                                                     config.default_marking)):
            if source.key in corpus.sources:
                problems.error(source.loc, "duplicate-id",
                               f"source key '{source.key}' is already used at {corpus.sources[source.key].loc}")
                continue
            if "marking" in source.fields:
                source.marking = check_marking(source.fields["marking"] or "(empty)",
                                               Loc(shown, source.field_lines.get("marking", source.loc.line)),
                                               problems)
            remember_bad_marking(problems, "source", source.key,
                                 (source.fields["marking"] or "(empty)") if "marking" in source.fields else None)
            corpus.sources[source.key] = source
    inherit(corpus.sources, problems)
    style = cite.style_path(config.citation_style, root)
    if style is None:
        problems.error(config.loc, "citation-style", f"citation_style '{config.citation_style}' is neither a style "
                       "of the CSL repository (e.g. chicago-notes-bibliography, apa) nor a .csl file in the "
                       "repository: the default is used")
    for source in corpus.sources.values():
        source.style = str(style or "")
    with collector_paused():  # the records: many objects, almost no garbage cycles
        for path in (p for p in files if p.suffix in (".yml", ".yaml")):
            if path == sources_dir / CONFIG_FILE:
                continue
            _load_records(corpus, path, rel(path, root), problems, cache)
    docs = root / "docs"
    if docs.is_dir():
        for path in regular_files(docs, root, problems):
            doc_rel = path.relative_to(docs).as_posix()
            if path.suffix == ".md":
                _load_page(corpus, path, rel(path, root), doc_rel, problems)
            else:
                corpus.files[doc_rel] = Loc(rel(path, root))
    for page in corpus.pages.values():  # an attachment is marked as the pages linking it
        if ("page", page.path) in problems.bad_markings:
            problems.bad_markings.update(("attachment", target) for target, _ in page.links)
    return corpus
