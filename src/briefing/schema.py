"""One declaration per record kind: its fields, their types, which are required, their allowed values and ranges,
and which refer to other records.

Everything else follows from it: the loader reads and type-checks records field by field (``loader``), the
checker checks choices, dates and ranges (``checks``), references are resolved and cut at a ceiling from it
(``refs``), ``briefing schema`` writes a JSON Schema for editors, and the README's field tables are kept in
step with it by a test. Sources are BibTeX (``bibliography``); their grading fields are declared here too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from . import model, vocab

TEXT, TEXTS, INT, NUMBER, DATE, MARKING, RECORDS = "text", "texts", "int", "number", "date", "marking", "records"


@dataclass(frozen=True)
class Field:
    """One field of a record kind."""

    name: str
    type: str = TEXT
    required: bool = False
    doc: str = ""
    choices: tuple[Any, ...] = ()  # allowed values (checked by 'invalid-value'); empty: any
    refers: str = ""  # the kind of record its value(s) name: source, claim, entity, theme
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    item: Kind | None = None  # for RECORDS: the kind of each nested record
    rule: str = "invalid-value"  # the rule id of a value outside its choices


@dataclass(frozen=True)
class Kind:
    """A record kind: the YAML key of its list, its name in messages, its fields and its model class."""

    key: str
    name: str
    cls: type
    fields: tuple[Field, ...]
    doc: str = ""
    marked: bool = True  # takes a 'marking' (packs have a ceiling instead)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields) + (("marking",) if self.marked else ())


def _id(doc: str) -> Field:
    return Field("id", required=True, doc=doc)


THEME_REF = Field("theme", refers="theme", doc="the theme it belongs to")
CLAIMS_REF = Field("claims", TEXTS, refers="claim", doc="the claims it rests on")

EVIDENCE = Kind("evidence", "evidence link", model.Evidence, (
    Field("source", required=True, refers="source", doc="key of the source (BibTeX)"),
    Field("locator", doc="where in the source: page, paragraph, section"),
    Field("excerpt", doc="a short verbatim quotation"),
    Field("stance", default="supports", choices=tuple(vocab.STANCES), doc="what the source does with the claim"),
    Field("credibility", INT, choices=tuple(vocab.CREDIBILITY), doc="Admiralty information credibility, 1-6"),
    Field("note", doc="what a reader should know about this link"),
    Field("via", TEXTS, refers="source", doc="keys of the sources this passage relays ('a > b': b's story relayed "
          "through a); [] for the document's own finding; without it the source's derived_from applies"),
), marked=False)

SANCTION = Kind("sanctions", "sanction", model.Sanction, (
    Field("authority", required=True, doc="who lists it: EU, US, UK ..."),
    Field("status", default="listed", doc="listed, delisted, proposed ..."),
    Field("date", DATE, doc="when (ISO 8601)"),
    Field("source", refers="source", doc="key of the source that says so"),
    Field("note"),
), marked=False)

OPTION = Kind("options", "option", model.Option, (
    _id("the option's id"),
    Field("title", required=True),
    Field("description"),
    Field("pros", TEXTS),
    Field("cons", TEXTS),
    Field("risks", TEXTS),
    Field("advocated_by", TEXTS, refers="source", doc="keys of the sources that argue for it"),
), marked=False)

CLAIM = Kind("claims", "claim", model.Claim, (
    _id("letters, digits, '.', '_', '-'; names the claim's page"),
    Field("statement", required=True, doc="one sentence, as the sources support it"),
    Field("theme", required=True, refers="theme", doc="the theme it belongs to"),
    Field("status", required=True, choices=tuple(vocab.STATUSES), doc="evidence status"),
    Field("confidence", choices=tuple(vocab.CONFIDENCE), doc="analytic confidence"),
    Field("tags", TEXTS, doc="free labels; packs can select by tag"),
    Field("entities", TEXTS, refers="entity", doc="ids of the entities it concerns"),
    Field("reviewed", DATE, doc="when an analyst last reviewed it"),
    Field("evidence", RECORDS, item=EVIDENCE, doc="the links to sources that bear on it"),
    Field("note", doc="a caveat shown with the claim"),
    Field("superseded_by", refers="claim", doc="the claim that replaces it (status: superseded)"),
), doc="A statement and the evidence behind it.")

ENTITY = Kind("entities", "entity", model.Entity, (
    _id("names the entity's page"),
    Field("name", required=True, doc="as readers know it"),
    Field("kind", required=True, choices=vocab.ENTITY_KINDS),
    Field("country", doc="where it is based"),
    Field("description", doc="one or two sentences"),
    Field("aliases", TEXTS, doc="other names and spellings"),
    Field("sanctions", RECORDS, item=SANCTION, doc="listings by authorities"),
    Field("sources", TEXTS, refers="source", doc="keys of the sources that describe it"),
), doc="A state, body, company, person, programme or place.")

EVENT = Kind("events", "event", model.Event, (
    _id("the event's id"),
    Field("date", DATE, required=True, doc="ISO 8601 at the precision known: 2024, 2024-09, 2024-09-25"),
    Field("title", required=True, doc="what happened, in one line"),
    Field("description"),
    THEME_REF,
    Field("claims", TEXTS, refers="claim", doc="the claims it bears on"),
    Field("entities", TEXTS, refers="entity"),
    Field("sources", TEXTS, refers="source"),
), doc="A dated event on the timeline.")

FIGURE = Kind("figures", "figure", model.Figure, (
    _id("the figure's id"),
    Field("label", required=True),
    Field("value", NUMBER, required=True, doc="a number: no units or thousands separators"),
    Field("unit", required=True),
    Field("period", required=True, doc="what time it covers"),
    Field("measures", required=True, doc="what exactly it measures"),
    Field("qualifier", doc="nearly, up to, some ..."),
    Field("source", required=True, refers="source"),
    Field("locator"),
    Field("excerpt", doc="the verbatim passage that gives the number"),
    THEME_REF,
    CLAIMS_REF,
), doc="A key number from a source.")

RECOMMENDATION = Kind("recommendations", "recommendation", model.Recommendation, (
    _id("the recommendation's id"),
    Field("title", required=True),
    Field("summary"),
    THEME_REF,
    CLAIMS_REF,
    Field("options", RECORDS, item=OPTION, doc="the options, side by side"),
    Field("divergence", doc="where the sources disagree"),
    Field("recommended", doc="id of the one option the analysts advise (the 'recommended' pack section shows it "
          "first, the others as alternatives)"),
), doc="A policy question with options side by side.")

JUDGMENT = Kind("judgments", "key judgment", model.Judgment, (
    _id("the judgment's id"),
    Field("text", required=True, doc="uses the estimative term when it estimates"),
    Field("confidence", required=True, choices=tuple(vocab.CONFIDENCE)),
    Field("term", choices=tuple(vocab.ESTIMATIVE_TERMS), rule="judgment-term",
          doc="an ICD 203 estimative term its text uses"),
    CLAIMS_REF,
), doc="A key judgment (no theme: judgments span the corpus).")

GAP = Kind("gaps", "gap", model.Gap, (
    _id("the gap's id"),
    Field("question", required=True),
    Field("why", doc="why it matters"),
    Field("would_change", doc="what would change the assessment"),
    THEME_REF,
    CLAIMS_REF,
), doc="What we do not know.")

THEME = Kind("themes", "theme", model.Theme, (
    _id("names the theme's page"),
    Field("title", required=True),
    Field("summary"),
    Field("page", doc="its narrative page in docs/ (e.g. themes/trade.md)"),
), doc="A theme groups claims; its page holds the narrative.")

PACK = Kind("packs", "pack", model.Pack, (
    _id("names the PDF: dist/ID.pdf"),
    Field("title", required=True),
    Field("subtitle", doc="under the title on the cover (default: the corpus subtitle, for a pack of the whole "
          "corpus)"),
    Field("audience"),
    Field("purpose"),
    Field("ceiling", MARKING, doc="the highest marking it may hold (default: the corpus ceiling)"),
    Field("cutoff", DATE, doc="information cut-off date"),
    Field("distribution", doc="who may receive it"),
    Field("sections", TEXTS, choices=vocab.PACK_SECTIONS, doc="in order"),
    Field("themes", TEXTS, refers="theme", doc="narrow it to these themes"),
    Field("tags", TEXTS, doc="narrow it to claims with these tags"),
    Field("max_pages", INT, minimum=1, doc="the build fails if it cannot fit"),
    Field("gaps", TEXTS, doc="ids of the gaps its 'gaps' section shows, in order (default: every gap in scope)"),
    Field("bottom_line", doc="the 'bottom-line' section: at most 80 words of analysis that follows from the key "
          "judgments (no new facts)"),
    Field("registers", default="auto", choices=vocab.REGISTER_SETTINGS,
          doc="where its registers (evidence, timeline, entities, sources) go: in the pack, as separate annex PDFs "
          f"(the evidence one per theme), or auto: separate above {vocab.SEPARATE_ROWS:,} register rows"),
), doc="A PDF briefing pack.", marked=False)

KINDS: dict[str, Kind] = {k.key: k for k in (CLAIM, ENTITY, EVENT, FIGURE, RECOMMENDATION, JUDGMENT, GAP, THEME, PACK)}

CONFIG = Kind("settings", "corpus settings", model.Config, (
    Field("title", doc="the corpus title (site name, pack covers)"),
    Field("subtitle"),
    Field("originator", doc="who issues it"),
    Field("language", choices=("en", "en-GB", "en-US", "fr", "de", "es", "it", "nl", "pl", "pt", "sv", "fi", "da",
                               "cs", "et", "lv", "lt", "sk", "sl", "hu", "ro", "bg", "hr", "el", "ga", "mt"),
          doc="language of the corpus (BCP 47)"),
    Field("default_marking", MARKING, doc="the marking of records that have none"),
    Field("ceiling", MARKING, doc="the highest marking the site may hold"),
    Field("stale_days", INT, minimum=1, doc="a claim not reviewed for this many days is stale"),
    Field("archive", doc="folder of source copies, relative to the repository"),
    Field("release_tags", doc="git tag pattern of releases"),
    Field("citation_style", doc="CSL style of references and footnotes: a name from the CSL style repository "
          "(default chicago-notes-bibliography; e.g. apa, modern-language-association) or a .csl file in the "
          "repository"),
), marked=False)

SOURCE_FIELDS = (
    Field("reliability", required=True, choices=tuple(vocab.RELIABILITY), doc="Admiralty source reliability A-F"),
    Field("reliability_note", doc="one line: why this grade"),
    Field("descriptor", doc="access, affiliation, bias"),
    Field("source_class", choices=vocab.SOURCE_CLASSES, doc="official-record counts alone as confirmation"),
    Field("urldate", DATE),
    Field("marking", MARKING),
    Field("derived_from", TEXTS, refers="source", doc="keys of the sources it repeats"),
    Field("archive", doc="file name of its copy in the archive folder"),
    Field("archive_sha256", doc="SHA-256 of that copy"),
)


# --- derived: JSON Schema for editors, field tables for the README ------------------------------------------

DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_DATE = re.compile(DATE_PATTERN)


def valid_date(text: str) -> bool:
    """ISO 8601 at the precision known: 2024, 2024-09 or 2024-09-25 (a real day)."""
    if not _DATE.match(text):
        return False
    if len(text) == 10:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return False
    return True


_EDTF_DAY = re.compile(r"^(\d{4}|\d{3}X|\d{2}XX)(-(0[1-9]|1[0-2]|2[1-4]|XX)(-(0[1-9]|[12]\d|3[01]|XX))?)?([?~%])?$")


def edtf_parts(text: str) -> list[str] | None:
    """The one or two dates of an EDTF (ISO 8601-2) level 0/1 date or interval, as biblatex reads them:
    '2024', '2024-06', '2024-06-10', '2024~' (approximate), '2024?' (uncertain), '202X' (unspecified digits),
    '2024-21' (a season), '2024-06-10/2024-06-12', '2024/..' (open end). None when it is not one."""
    pieces = text.split("/")
    if len(pieces) > 2 or not text:
        return None
    for piece in pieces:
        if len(pieces) == 2 and piece in ("", ".."):
            continue
        match = _EDTF_DAY.match(piece)
        if not match:
            return None
        plain = re.sub(r"[?~%]$", "", piece)
        if len(plain) == 10 and "X" not in plain:
            try:
                dt.date.fromisoformat(plain)
            except ValueError:
                return None
    if len(pieces) == 2 and all(p not in ("", "..") for p in pieces):
        start, end = (re.sub(r"[?~%]$", "", p).replace("X", "0") for p in pieces)
        if end < start[:len(end)]:
            return None
    return pieces


def valid_source_date(text: str) -> bool:
    """A source's date: EDTF level 0/1 as biblatex accepts (ranges, approximate and uncertain dates)."""
    return edtf_parts(text) is not None


def _property(f: Field) -> dict[str, Any]:
    out: dict[str, Any]
    if f.type == TEXTS:
        item: dict[str, Any] = {"type": "string"}
        if f.choices:
            item["enum"] = list(f.choices)
        out = {"anyOf": [{"type": "array", "items": item}, item]}
    elif f.type == RECORDS:
        assert f.item is not None
        out = {"type": "array", "items": _object(f.item)}
    elif f.type in (INT, NUMBER):
        out = {"type": "integer" if f.type == INT else "number"}
        if f.minimum is not None:
            out["minimum"] = f.minimum
        if f.maximum is not None:
            out["maximum"] = f.maximum
    elif f.type == DATE:
        out = {"type": "string", "pattern": DATE_PATTERN}
    elif f.type == MARKING:
        out = {"type": "string", "enum": list(vocab.MARKINGS)}
    else:
        out = {"type": ["string", "number"]}
    if f.choices and f.type != TEXTS:
        out["enum"] = list(f.choices)
    if f.doc:
        out["description"] = f.doc
    return out


def _object(kind: Kind) -> dict[str, Any]:
    props = {f.name: _property(f) for f in kind.fields}
    if kind.marked:
        props["marking"] = {"type": "string", "enum": list(vocab.MARKINGS), "description": "TLP 2.0 marking"}
    out: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
    required = [f.name for f in kind.fields if f.required]
    if required:
        out["required"] = required
    if kind.doc:
        out["description"] = kind.doc
    return out


def json_schema(settings: bool = False) -> dict[str, Any]:
    """A JSON Schema (draft-07) of a record file in sources/ (or of sources/corpus.yml)."""
    base = {"$schema": "http://json-schema.org/draft-07/schema#"}
    if settings:
        return {**base, "title": "briefing corpus settings (sources/corpus.yml)", **_object(CONFIG)}
    return {**base, "title": "briefing records (sources/*.yml)", "type": "object", "additionalProperties": False,
            "properties": {key: {"type": "array", "items": _object(kind), "description": kind.doc}
                           for key, kind in KINDS.items()}}


def _type_text(f: Field) -> str:
    if f.type == RECORDS:
        return f"list of {f.item.name if f.item else 'records'}s"
    if f.type == TEXTS:
        return "list of text"
    if f.choices:
        return " \\| ".join(str(c) for c in f.choices)
    return {INT: "whole number", NUMBER: "number", DATE: "date", MARKING: "TLP marking"}.get(f.type, "text")


def field_tables() -> str:
    """The README's tables of every field a user can write, one per record kind (kept in step by a test)."""
    out = []
    kinds = [*KINDS.values(), EVIDENCE, SANCTION, OPTION, CONFIG]
    for kind in kinds:
        title = "corpus settings (`sources/corpus.yml`)" if kind is CONFIG else f"`{kind.key}`: {kind.name}"
        out += [f"**{title}**", "", "| field | type | required | what it holds |", "|---|---|---|---|"]
        fields = list(kind.fields) + ([Field("marking", MARKING, doc="TLP 2.0 marking (default from "
                                              "corpus.yml)")] if kind.marked else [])
        for f in fields:
            what = f.doc + (f" (refers to: {f.refers})" if f.refers and f.refers not in f.doc else "")
            out.append(f"| `{f.name}` | {_type_text(f)} | {'yes' if f.required else ''} | {what} |")
        out.append("")
    out += ["**BibTeX grading fields** (besides the usual BibTeX/BibLaTeX fields)", "",
            "| field | type | required | what it holds |", "|---|---|---|---|"]
    out += [f"| `{f.name}` | {_type_text(f)} | {'yes' if f.required else ''} | {f.doc} |" for f in SOURCE_FIELDS]
    return "\n".join(out) + "\n"
