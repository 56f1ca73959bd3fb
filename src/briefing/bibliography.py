"""BibTeX sources (bibtexparser 2.x) with the grading fields of the corpus."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock

from .model import Source
from .problems import Loc, Problems, rule, suggest
from .vocab import marking_rank

rule("bib-syntax", "a BibTeX entry cannot be parsed")

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

GRADING_FIELDS = (
    "reliability",
    "reliability_note",
    "descriptor",
    "source_class",
    "urldate",
    "marking",
    "derived_from",
    "archive",
    "archive_sha256",
)

# The data fields of BibTeX and BibLaTeX (biblatex manual, section 2.2), and what Zotero/Better BibTeX and JabRef
# add to their exports. Any other field is an error: a misspelt 'marking' must never be ignored.
_FIELD_NAMES = """
abstract addendum afterword annotation annotator annote archiveprefix author authortype bookauthor bookpagination
booksubtitle booktitle booktitleaddon chapter commentator crossref date doi edition editor editora editorb editorc
editortype editoratype editorbtype editorctype eid entryset entrysubtype eprint eprintclass eprinttype eventdate
eventtitle eventtitleaddon execute file foreword gender holder howpublished ids indexsorttitle indextitle
institution introduction isan isbn ismn isrc issn issue issuesubtitle issuetitle issuetitleaddon iswc journal
journalsubtitle journaltitle journaltitleaddon keywords label langid langidopts language library lista listb listc
listd liste listf location mainsubtitle maintitle maintitleaddon month nameaddon note number options organization
origdate origlanguage origlocation origpublisher origtitle pages pagetotal pagination part presort primaryclass
publisher pubstate related relatedoptions relatedstring relatedtype reprinttitle school series shortauthor
shorteditor shorthand shorthandintro shortjournal shortseries shorttitle sortkey sortname sortshorthand sorttitle
sortyear subtitle title titleaddon translator type url urldate venue version volume volumes xdata xref year address
key annotation timestamp owner groups priority ranking readstatus qualityassured printed relevance copyright
citation-key accessed abstractnote extra
"""
BIBLATEX_FIELDS = frozenset(_FIELD_NAMES.split())
KNOWN_FIELDS = BIBLATEX_FIELDS | frozenset(GRADING_FIELDS)

NAME_FIELDS = ("author", "editor", "translator", "bookauthor")
# Fields whose text is taken verbatim (biblatex's verbatim fields, keys and our own machine-read fields): never
# LaTeX-decoded, so a '%' or '_' in a URL survives.
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file", "archive", "archive_sha256", "crossref", "xdata",
                             "xref", "ids", "derived_from", "date", "urldate", "eventdate", "origdate", "marking",
                             "reliability", "source_class", "langid", "keywords", "timestamp", "citation-key"})
# biblatex's inheritance rules (manual, appendix B): fields a child never takes from its parent, and the fields that
# change name on the way down from a book-like or periodical parent.
NOT_INHERITED = frozenset({"ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label",
                           "options", "presort", "related", "relatedoptions", "relatedstring", "relatedtype",
                           "shorthand", "shorthandintro", "sortkey", *GRADING_FIELDS}) - {"marking"}
_BOOKS = {"book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings", "reference", "mvreference"}
_IN_BOOKS = {"inbook", "bookinbook", "suppbook", "incollection", "suppcollection", "inproceedings", "inreference"}
_TITLE_FIELDS = ("title", "subtitle", "titleaddon", "shorttitle", "sorttitle", "indextitle", "indexsorttitle")
_AS_BOOK = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
_AS_JOURNAL = {"title": "journaltitle", "subtitle": "journalsubtitle", "titleaddon": "journaltitleaddon"}


def _decoder() -> LatexDecodingMiddleware:
    return LatexDecodingMiddleware(keep_braced_groups=False, keep_math_mode=False)


_DECODE = _decoder()
_DECODE_BRACED = LatexDecodingMiddleware(keep_braced_groups=True, keep_math_mode=False)
# Fields whose case a style may change (title case, sentence case): BibTeX's braces protect their words.
CASED_FIELDS = ("title", "subtitle", "titleaddon", "booktitle", "booksubtitle", "booktitleaddon", "journaltitle",
                "journalsubtitle", "journal", "maintitle", "shorttitle", "eventtitle", "series")


def protected(value: str) -> str | None:
    """The decoded text with BibTeX's case protection kept as ``{…}`` groups, or None when nothing is braced."""
    if "{" not in value:
        return None
    text, error = _DECODE_BRACED._transform_python_value_string(value)
    return " ".join(text.split()) if not error and "{" in text else None


# What LaTeX decoding can change: specials, math, comments, ligatures of dashes, quotes and inverted marks.
_LATEX = re.compile(r"[\\{}~$%&`]|--|''|[?!]`")


def decode(value: str) -> str:
    """BibTeX field text as a reader sees it: LaTeX decoded to Unicode by bibtexparser's own decoding middleware
    (pylatexenc), protective braces dropped, white space collapsed. Text with nothing LaTeX would change (most
    fields) skips the decoder, the slowest step of loading."""
    if not _LATEX.search(value):
        return " ".join(value.split())
    text, error = _DECODE._transform_python_value_string(value)
    if error:  # undecodable LaTeX: keep the text, without braces
        text = re.sub(r"(?<!\\)[{}]", "", value)
    return " ".join(text.split())


def verbatim(value: str) -> str:
    """A verbatim field (URL, DOI, key list): enclosing braces dropped, nothing decoded."""
    return " ".join(re.sub(r"(?<!\\)[{}]", "", value).split())


def split_keys(value: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", value.strip()) if part]


def _braced(text: str) -> bool:
    """'{World Bank}' or '{{World Bank}}': one brace group around the whole name."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "{") - (ch == "}")
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def parse_names(raw: str) -> list[dict[str, str]]:
    """A BibTeX name list as CSL-JSON names, split by bibtexparser's name middlewares' own functions.

    A corporate author in braces (``{{World Bank}}``) stays whole, as a literal name.
    """
    out: list[dict[str, str]] = []
    for each in split_multiple_persons_names(raw.strip()):
        one = each.strip()
        if not one:
            continue
        if _braced(one) or one.lower() == "others":
            literal = decode(one) if one.lower() != "others" else "others"
            out.append({"literal": literal})
            continue
        try:
            parts = parse_single_name_into_parts(one, strict=False)
        except Exception:  # a name bibtexparser cannot split is kept whole
            out.append({"literal": decode(one)})
            continue
        last = list(parts.last)
        if len(last) == 1 and _braced(last[0]) and not parts.first and not parts.von:
            out.append({"literal": decode(last[0])})
            continue
        name = {"family": decode(" ".join(last)), "given": decode(" ".join(parts.first)),
                "non-dropping-particle": decode(" ".join(parts.von)), "suffix": decode(" ".join(parts.jr))}
        out.append({k: v for k, v in name.items() if v})
    return out


def name_text(name: dict[str, str]) -> str:
    """'Müller, Hans', 'van der Berg, Jan' or 'World Bank'."""
    if "literal" in name:
        return name["literal"]
    family = " ".join(p for p in (name.get("non-dropping-particle", ""), name.get("family", "")) if p)
    given = ", ".join(p for p in (name.get("given", ""), name.get("suffix", "")) if p)
    return f"{family}, {given}" if given else family


def load_bib(path: Path, shown: str, text: str, problems: Problems, default_marking: str) -> list[Source]:
    """Parse one .bib file; every unparsable block becomes a problem with its line."""
    library = bibtexparser.parse_string(text)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.error(Loc(shown, line), "duplicate-id", f"source key '{block.key}' is defined twice")
        elif isinstance(block, DuplicateFieldKeyBlock):
            key = getattr(block.ignore_error_block, "key", "?")
            repeated = ", ".join(sorted(block.duplicate_keys))
            problems.error(Loc(shown, line), "bib-syntax", f"entry '{key}' repeats the field(s) {repeated}: "
                           "keep one of each")
        else:
            problems.error(Loc(shown, line), "bib-syntax", f"cannot parse this BibTeX entry: {_first_line(block)}")
    sources = []
    for entry in library.entries:
        raw = {f.key.lower(): str(f.value) for f in entry.fields}
        lines = {f.key.lower(): (f.start_line or 0) + 1 for f in entry.fields}
        loc = Loc(shown, (entry.start_line or 0) + 1)
        fields = {k: verbatim(v) if k in VERBATIM_FIELDS else decode(v) for k, v in raw.items()}
        names = {k: parse_names(raw[k]) for k in NAME_FIELDS if raw.get(k, "").strip()}
        braced = {k: v for k in CASED_FIELDS if k in raw and (v := protected(raw[k])) is not None}
        for k, people in names.items():
            fields[k] = " and ".join(name_text(n) for n in people)
        for name in (k for k in raw if k not in KNOWN_FIELDS):  # an error blocks every output
            problems.error(Loc(shown, lines[name]), "unknown-key", f"unknown field '{name}' in source "
                           f"'{entry.key}'{suggest(name, KNOWN_FIELDS)}")
        if not fields.get("title") and not fields.get("crossref") and not fields.get("xdata") \
                and entry.entry_type.lower() != "xdata":
            problems.error(loc, "missing-field", f"source '{entry.key}' has no 'title'")
        reliability = fields.get("reliability", "").strip().upper() or None
        sources.append(
            Source(
                key=entry.key,
                entry_type=entry.entry_type.lower(),
                fields=fields,
                reliability=reliability,
                reliability_note=fields.get("reliability_note", ""),
                descriptor=fields.get("descriptor", ""),
                source_class=fields.get("source_class", ""),
                marking=fields.get("marking", "") or default_marking,
                derived_from=split_keys(fields.get("derived_from", "")),
                archive=fields.get("archive") or None,
                archive_sha256=(fields.get("archive_sha256") or "").lower() or None,
                loc=loc,
                field_lines=lines,
                authors=[name_text(n) for n in names.get("author", [])],
                names=names,
                protected=braced,
            )
        )
    return sources


def parents(source: Source) -> list[str]:
    """The keys this entry inherits from: its xdata entries, then its crossref parent."""
    return [*split_keys(source.get("xdata")), *split_keys(source.get("crossref"))]


def inherit(sources: dict[str, Source], problems: Problems) -> None:
    """Fill every entry's missing fields from its crossref and xdata parents, by biblatex's rules, in place.

    A parent's title becomes a book part's booktitle (or an article's journaltitle); grading fields never pass
    down (each document is graded on its own), a parent's marking does when the child has none and it is
    higher than the corpus's default marking.
    """
    done: set[str] = set()

    def resolve(key: str, path: tuple[str, ...]) -> None:
        if key in done or key not in sources:
            return
        child = sources[key]
        for parent_key in parents(child):
            if parent_key in path:
                problems.error(field_loc(child, "crossref"), "bib-syntax",
                               f"source '{key}' inherits from itself through crossref/xdata")
                continue
            parent = sources.get(parent_key)
            name = "xdata" if parent_key in split_keys(child.get("xdata")) else "crossref"
            if parent is None:
                problems.error(field_loc(child, name), "unresolved-source",
                               f"source '{key}' names '{parent_key}' in {name}, which is no source")
                continue
            resolve(parent_key, (*path, parent_key))
            parent.inherited_by.append(key)
            _take(child, parent, xdata=name == "xdata")
            if marking_rank(parent.marking) > marking_rank(child.marking):  # its fields would leak down
                problems.error(field_loc(child, name), "marking-leak",
                               f"source '{key}' is marked {child.marking} but takes fields from '{parent_key}' "
                               f"marked {parent.marking} through {name}; raise its marking or lower the other's")
                child.marking = parent.marking  # withheld meanwhile
        done.add(key)

    for key in list(sources):
        resolve(key, (key,))
    for key in [k for k, s in sources.items() if s.entry_type == "xdata"]:
        del sources[key]  # a data container only: never a source of its own


def _take(child: Source, parent: Source, xdata: bool) -> None:
    rename: dict[str, str] = {}
    if not xdata and parent.entry_type in _BOOKS and child.entry_type in _IN_BOOKS:
        rename = dict(_AS_BOOK)
        if parent.entry_type in _BOOKS and "author" in parent.names and "bookauthor" not in child.names:
            child.names["bookauthor"] = parent.names["author"]
            child.fields.setdefault("bookauthor", parent.get("author"))
    elif not xdata and parent.entry_type == "periodical" and child.entry_type in {"article", "suppperiodical"}:
        rename = dict(_AS_JOURNAL)
    for field_name, value in parent.fields.items():
        if field_name in NOT_INHERITED:
            continue
        name = field_name
        if rename and name in _TITLE_FIELDS:
            if name not in rename:
                continue
            name = rename[name]
        if name not in child.fields:
            child.fields[name] = value
            child.inherited.add(name)
            if field_name in parent.protected:
                child.protected[name] = parent.protected[field_name]
            if name in parent.names:
                child.names[name] = parent.names[name]
    if "marking" in child.inherited and marking_rank(parent.marking) > marking_rank(child.marking):
        child.marking = parent.marking  # a part with no marking of its own: its whole's, or the default if higher
    if not child.authors and "author" in child.names:
        child.authors = [name_text(n) for n in child.names["author"]]


def containers(sources: dict[str, Source]) -> set[str]:
    """Keys that other entries name in crossref or xdata: containers (proceedings, a book, shared data)."""
    return {k for s in sources.values() for k in parents(s)}


def _first_line(block: object) -> str:
    raw = getattr(block, "raw", "") or ""
    return raw.strip().splitlines()[0][:80] if raw.strip() else "(empty)"


def field_loc(source: Source, name: str) -> Loc:
    """The line of one field of an entry, falling back to the entry's line."""
    return Loc(source.loc.path, source.field_lines.get(name, source.loc.line))
