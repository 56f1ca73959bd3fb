"""The Jinja2 environment of the generated pages: filters, vocabularies and relative links."""

from __future__ import annotations

import html
import json
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup, escape

from .. import vocab
from ..cite import dates_in_words, reference, reference_text
from ..sanitise import safe_url
from ..shortcite import short_label
from .context import claim_page, slug

if TYPE_CHECKING:
    from ..model import Claim
    from .context import ClaimFacts
    from .pages import SourceEntry

TEMPLATES = Path(__file__).parent / "templates"
STATUS_ORDER = tuple(vocab.STATUSES)
CONFIDENCE_ORDER = ("high", "moderate", "low")


def html_path(src: str) -> str:
    """The built file of a docs path: 'claims/x.md' -> 'claims/x.html' (directory URLs are off)."""
    return src[:-3] + ".html" if src.endswith(".md") else src


def relative(here: str, to: str, anchor: str = "") -> str:
    """A link from the page built from docs path ``here`` to docs path ``to`` (and an anchor)."""
    url = _relpath(html_path(to), posixpath.dirname(here) or ".") if to else ""
    return url + (f"#{anchor}" if anchor else "")


_relpath = lru_cache(maxsize=1 << 16)(posixpath.relpath)  # pages of one folder link the same few pages


@dataclass(frozen=True)
class SitePaths:
    """Where each page and file of the site is written, as a docs path.

    Templates and links name a page by its place in a whole site: 'index.md', 'claims/index.md', 'sources.md',
    'downloads/x.pdf', or an analyst's theme page such as 'themes/trade.md'. As a section of another MkDocs
    project (``section``), the generated pages move into one folder ('briefing/sources.md'); the analysts'
    pages keep their own docs path when the project's docs folder is the corpus's ``docs/`` (``shared``), and
    move into the folder with the rest when the corpus lives elsewhere.
    """

    section: str = ""  # '' for a whole site
    shared: bool = True  # the analysts' pages are in the project's own docs folder
    kept: frozenset[str] = field(default_factory=frozenset)  # analysts' pages in generated places (themes)

    def page(self, path: str) -> str:
        """A generated page or file, or a theme page (``kept``): its docs path."""
        if path in self.kept:
            return self.doc(path)
        return f"{self.section}/{path}" if self.section else path

    def doc(self, path: str) -> str:
        """An analyst's page or attachment in the corpus's docs/: its docs path."""
        return f"{self.section}/{path}" if self.section and not self.shared else path

    def prose(self, path: str) -> str:
        """The analyst's page whose prose the generated page ``path`` carries (the home page, methodology)."""
        return f"{self.section}/{path}" if self.section and self.shared else path


WHOLE_SITE = SitePaths()


def text(value: object) -> str:
    """One line of record text: whitespace collapsed (a blank line would end an HTML block)."""
    return " ".join(str(value or "").split())


def yaml_scalar(value: object) -> Markup:
    """A front-matter value: JSON is YAML; titles are HTML-escaped because MkDocs templates do not escape."""
    if isinstance(value, str):
        value = html.escape(text(value))
    return Markup(json.dumps(value, ensure_ascii=False))


def tlp_class(marking: str) -> str:
    return "tlp-" + marking.split(":", 1)[-1].lower().replace("+", "-")


def reference_html(source) -> Markup:
    """cite.reference() segments as HTML: italics for containers, links for URLs."""
    out = []
    for seg in reference(source):
        body = html.escape(seg.text)
        if seg.style == "em":
            body = f"<em>{body}</em>"
        elif seg.style == "link" and safe_url(seg.text):
            body = f'<a href="{html.escape(seg.text)}">{body}</a>'
        out.append(body)
    return Markup("".join(out))


def grade_text(grade: str) -> str:
    letter, number = grade[:1], grade[1:]
    parts = [f"{letter}: {vocab.RELIABILITY.get(letter, '?')}"]
    if number.isdigit():
        parts.append(f"{number}: {vocab.CREDIBILITY.get(int(number), '?')}")
    return "; ".join(parts)


def term_range(term: str) -> str:
    low, high = vocab.ESTIMATIVE_TERMS.get(term, (0, 0))
    return f"{low}–{high} %"


def size_text(download) -> str:
    size = download.file.stat().st_size
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"


@jinja2.pass_context
def link(ctx, to: str, anchor: str = "") -> str:
    """A link to a page named by its place in a whole site (see ``SitePaths.page``)."""
    return relative(ctx["here"], ctx["paths"].page(to), anchor)


@jinja2.pass_context
def claim_link(ctx, claim) -> Markup:
    """A claim named by its statement, linked to its page."""
    return Markup(f'<a href="{escape(link(ctx, claim_page(claim.id)))}">{escape(text(claim.statement))}</a>')


@jinja2.pass_context
def entity_links(ctx, ids: Iterable[str]) -> Markup:
    """Entities named and linked to their pages, comma-separated; ids not in this edition are left out. A function
    rather than a macro: a claim page then imports no macro that needs its context, which Jinja would evaluate
    again for each of 5,000 pages."""
    entities = ctx["corpus"].entities
    return Markup(", ".join(f'<a href="{escape(link(ctx, f"entities/{slug(i)}.md"))}">{escape(text(entities[i].name))}'
                            "</a>" for i in ids if i in entities))


def status_badge(status: str) -> Markup:
    """An evidence status as a badge, its meaning as the tooltip."""
    shown = escape(status)
    return Markup(f'<span class="badge status-{shown}" title="{escape(vocab.STATUSES.get(status, ""))}">{shown}</span>')


def grade_badge(grade: str | None) -> Markup:
    """A grade (source reliability and information credibility) with its meaning as the tooltip."""
    if not grade:
        return Markup('<span class="grade none">none</span>')
    return Markup(f'<span class="grade" title="{escape(grade_text(grade))}">{escape(grade)}</span>')


@jinja2.pass_context
def dashboard_rows(ctx: jinja2.runtime.Context, claims: list[Claim], facts: Mapping[str, ClaimFacts],
                   theme_title: Callable[[str], str]) -> Markup:
    """The evidence dashboard's rows, one per claim, each on its own line. Written here rather than in the template:
    at 5,000 claims the rows are most of the page's time, and this writes the same text about three times as fast."""
    rows = []
    for c in claims:
        fact = facts[c.id]
        grade = fact.best_grade
        search = escape(text(f"{c.id} {c.statement} {' '.join(c.tags)}".lower()))
        rows.append(
            f'<tr data-status="{escape(c.status)}" data-theme="{escape(c.theme)}" data-search="{search}">'
            f'<td data-label="Claim">{claim_link(ctx, c)}</td> '
            f'<td data-label="Theme">{escape(text(theme_title(c.theme)))}</td> '
            f'<td data-label="Status" data-sort="{status_rank(c.status)}">{status_badge(c.status)}</td> '
            f'<td data-label="Confidence" data-sort="{confidence_rank(c.confidence)}">'
            f'{escape(c.confidence or "—")}</td> '
            f'<td data-label="Best grade" data-sort="{escape(grade or "Z9")}">{grade_badge(grade)}</td> '
            f'<td data-label="Origins" data-sort="{escape(fact.origins)}">{escape(fact.origins)}</td> '
            f'<td data-label="Reviewed">{escape(c.reviewed or "—")}</td></tr>')
    return Markup("\n".join(rows))


NOT_CITED = '<span class="empty">not cited</span>'


@jinja2.pass_context
def source_entries(ctx: jinja2.runtime.Context, entries: list[SourceEntry]) -> Markup:
    """The sources page's entries, each source with its grade, facts and what cites it. Written here rather than in
    the template for the same reason as ``dashboard_rows``: at 1,000 sources and 12,000 citing links, this writes the
    same text about twice as fast."""
    corpus, links, cited_by, kind_names = ctx["corpus"], ctx["links"], ctx["cited_by"], ctx["kind_names"]
    out = []
    for entry in entries:
        s = entry.source
        label = short_label(s)
        searched = text(f"{label} {reference_text(s)} {s.descriptor} {s.source_class}".lower())
        if s.reliability or not s.inherited_by:
            grade = reliability_text(s.reliability)
            note = f" — {escape(text(s.reliability_note))}" if s.reliability_note else ""
            meta = (f'<p class="source-meta"><span class="grade" title="{escape(grade)}">'
                    f'{escape(s.reliability or "F")}</span> {escape(grade)}{note}</p>')
        else:
            meta = ('<p class="source-meta">Not graded: a container (proceedings, book or journal) that only its '
                    "parts cite, each graded on its own.</p>")
        descriptor = f"<div><dt>Descriptor</dt> <dd>{escape(text(s.descriptor))}</dd></div>" if s.descriptor else ""
        kind = (f"<div><dt>Kind</dt> <dd>{escape(text(vocab.SOURCE_CLASS_LABELS.get(s.source_class, s.source_class)))}"
                "</dd></div>" if s.source_class else "")
        derived = ""
        if s.derived_from:
            parents = ", ".join(
                f'<a href="#src-{escape(k)}">{escape(text(short_label(corpus.sources[k])))}</a>'
                if k in corpus.sources else "a source not in this edition" for k in s.derived_from)
            derived = f"<div><dt>Derived from</dt> <dd>{parents}</dd></div>"
        groups = []
        cited = sorted(cited_by.get(s.key, []), key=attrgetter("kind"))  # kinds are lowercase words: alphabetical
        for group, grouped in groupby(cited, key=attrgetter("kind")):
            items = list(grouped)
            if group == "claim":
                shown = str(links.claims([c.ident for c in items]))
            else:
                shown = "; ".join(
                    f'<a class="cited-by cited-by-{escape(c.kind)}" '
                    f'href="{escape(href(ctx, c.target) if c.kind == "page" else link(ctx, c.target))}">'
                    f"{escape(text(c.label))}</a>" for c in items)
            groups.append(f'<span class="cited-by-group">{escape(kind_names[group])} ({len(items)}): {shown}</span>')
        out.append(
            f'<li class="source" id="src-{escape(s.key)}" data-grade="{escape(s.reliability or "")}" '
            f'data-year="{escape(entry.year)}" data-cited="{escape(entry.cited)}" data-search="{escape(searched)}">\n'
            f'<h3 class="source-name" id="source-{escape(s.key)}">{escape(text(label))}</h3>\n'
            f'<p class="reference">{reference_html(s)}</p>\n'
            f"{meta}\n"
            '<dl class="source-facts">\n'
            f"{descriptor}\n{kind}\n{derived}\n"
            "<div data-search-exclude data-search-skip><dt>Cited by</dt> <dd>"
            f"{''.join(groups) or NOT_CITED}</dd></div>\n"
            "</dl>\n"
            "</li>")
    return Markup("\n".join(out))


def reliability_text(grade: str | None) -> str:
    """What a source reliability grade means (no grade: F, reliability cannot be judged)."""
    return vocab.RELIABILITY.get(grade or "F", "?")


def status_rank(status: str) -> int:
    """Where an evidence status sorts: in the vocabulary's order, an unknown one last."""
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else 99


def confidence_rank(confidence: str | None) -> int:
    """Where a confidence sorts: high first, none last."""
    return CONFIDENCE_ORDER.index(confidence) if confidence in CONFIDENCE_ORDER else 9


@jinja2.pass_context
def href(ctx, to: str, anchor: str = "") -> str:
    """A link to a page named by its docs path, already where it is written."""
    return relative(ctx["here"], to, anchor)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        comment_start_string="{#-#",  # "{#id}" is attr_list syntax in the Markdown we write
        comment_end_string="#-#}",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # the templates are this package's files: not looked at again for each page
    )
    env.filters.update(t=text, yaml=yaml_scalar, slug=slug, claim_page=claim_page, tlp_class=tlp_class,
                       dates=dates_in_words)
    env.globals.update(
        link=link,
        href=href,
        claim_link=claim_link,
        entity_links=entity_links,
        status_badge=status_badge,
        grade_badge=grade_badge,
        statuses=vocab.STATUSES,
        reliability=vocab.RELIABILITY,
        credibility=vocab.CREDIBILITY,
        confidence=vocab.CONFIDENCE,
        terms=vocab.ESTIMATIVE_TERMS,
        stances=vocab.STANCES,
        entity_kinds=vocab.ENTITY_KIND_LABELS,
        markings=vocab.MARKING_TEXT,
        reliability_text=reliability_text,
        credibility_text=lambda n: vocab.CREDIBILITY.get(n or 6, "?"),
        grade_text=grade_text,
        term_range=term_range,
        dashboard_rows=dashboard_rows,
        source_entries=source_entries,
        size_text=size_text,
    )
    return env


def render(template: str, here: str, paths: SitePaths = WHOLE_SITE, **context: object) -> str:
    """A template's page, written at docs path ``here``; ``paths`` places the pages it links."""
    return environment().get_template(template).render(here=here, paths=paths, **context)
