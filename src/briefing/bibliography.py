"""BibTeX sources (bibtexparser 2.x) with the grading fields of the corpus."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock

from .model import Source
from .problems import Loc, Problems, rule, suggest

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

_LATEX = [("``", "\u201c"), ("''", "\u201d"), ("---", "\u2014"), ("--", "\u2013"), ("\\&", "&"),
          ("\\%", "%"), ("\\_", "_"), ("\\#", "#"), ("\\$", "$"), ("~", "\u00a0")]


def clean(value: str) -> str:
    """BibTeX field text as a reader sees it: protective braces dropped, common LaTeX escapes undone."""
    text = value
    for old, new in _LATEX:
        text = text.replace(old, new)
    text = re.sub(r"(?<!\\)[{}]", "", text)
    return " ".join(text.split())


def split_keys(value: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", value.strip()) if part]


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
        fields = {k: clean(v) for k, v in raw.items()}
        for name in (k for k in raw if k not in KNOWN_FIELDS):  # an error blocks every output
            problems.error(Loc(shown, lines[name]), "unknown-key", f"unknown field '{name}' in source "
                           f"'{entry.key}'{suggest(name, KNOWN_FIELDS)}")
        if not fields.get("title"):
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
                authors=split_names(raw.get("author", "")),
            )
        )
    return sources


def split_names(raw: str) -> list[str]:
    """Split a BibTeX name list on ' and ' outside braces; {Corporate Names} stay whole."""
    names, depth, start, i = [], 0, 0, 0
    while i < len(raw):
        ch = raw[i]
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and raw[i:i + 5].lower() == " and ":
            names.append(raw[start:i])
            start = i = i + 5
            continue
        i += 1
    names.append(raw[start:])
    return [clean(n) for n in names if clean(n)]


def _first_line(block: object) -> str:
    raw = getattr(block, "raw", "") or ""
    return raw.strip().splitlines()[0][:80] if raw.strip() else "(empty)"


def field_loc(source: Source, name: str) -> Loc:
    """The line of one field of an entry, falling back to the entry's line."""
    return Loc(source.loc.path, source.field_lines.get(name, source.loc.line))
