"""The corpus as a set of generated Markdown pages (docs path -> text) and their navigation.

Pure: no MkDocs import. Record fields are HTML-escaped into raw HTML blocks; the analysts' prose stays
Markdown (rendered with the extensions of ``prose.EXTENSION_NAMES``, as in the PDF), its citations and claim
references already linked (``linking``). The pages and their navigation are a complete site source.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from markdown.util import BLOCK_LEVEL_ELEMENTS
from markupsafe import Markup

from .. import figcharts
from ..changes import STEP_KINDS, WAS_KINDS, word_diff
from ..cite import reference_text, year
from ..errors import BuildError
from ..model import Claim, Corpus, Page, Source
from ..vocab import STATUSES, marking_rank
from . import charts
from .context import Index, SiteInput, claim_page, highest, slug
from .linking import PageLinks, Shown
from .memo import PageMemo
from .render import WHOLE_SITE, SitePaths, render

LEADING_H1 = re.compile(r"\A\s*# [^\n]*\n?")


@dataclass
class SitePage:
    """A generated page: Markdown text, and the raw HTML blocks it stands in for (see ``stash_html``)."""

    path: str
    text: str
    in_nav: bool = True
    html_blocks: list[str] = field(default_factory=list)
    search: str = ""  # HTML that stands for the page in the search index ("": the page itself)
    record: bool = True  # made from records alone (no analysts' prose): its search entries may be shortened
    stash_tag: str = ""  # in the names of its blocks' placeholders (``stash_html``)
    cache_key: str = field(default="", compare=False, repr=False)  # its page cache key, once made (the plugin's)

    @property
    def markdown(self) -> str:
        """The complete Markdown, raw HTML blocks in place: what any engine can render."""
        return self._restore(PLACEHOLDER, self.text)

    def unstash(self, html: str) -> str:
        """The page's HTML with its raw HTML blocks back in place of their placeholders' paragraphs."""
        return self._restore(STASH, html)

    def _restore(self, pattern: re.Pattern[str], text: str) -> str:
        """Each placeholder of this page replaced by its block. Every block must be found once: a block lost (a
        placeholder swallowed by something else on the page) fails the build rather than publish the page
        without it. A placeholder with another tag is text someone wrote, and stays as it is."""
        if not self.html_blocks:
            return text
        found: list[int] = []

        def put(match: re.Match[str]) -> str:
            if match[1] != self.stash_tag or int(match[2]) >= len(self.html_blocks):
                return match[0]
            found.append(int(match[2]))
            return self.html_blocks[int(match[2])]

        text = pattern.sub(put, text)
        if sorted(found) != list(range(len(self.html_blocks))):
            raise BuildError(f"docs/{self.path}: part of the page was lost when it was converted (an HTML block "
                             "left open in its Markdown?); close the block")
        return text


STASH_MARK = "BRIEFINGHTMLBLOCK"
STASH = re.compile(rf"<p>{STASH_MARK}([0-9a-f]{{20}})N(\d+)X</p>")
PLACEHOLDER = re.compile(rf"^{STASH_MARK}([0-9a-f]{{20}})N(\d+)X$", re.M)
PROSE_MARK = Markup("BRIEFINGPROSEHERE")  # where a template places the analyst's prose (``stash_html``)
# A line that can start a raw HTML block in Python-Markdown: a block-level tag, a comment or a declaration after at
# most three characters of white space (any that str.strip removes, as Python-Markdown asks). Inline tags at the
# start of a line, as a wrapped citation or claim link, stay inside their paragraph.
RAW_LINE = re.compile(rf"^[^\S\n]{{0,3}}<(?:[!?]|/?(?:{'|'.join(BLOCK_LEVEL_ELEMENTS)})[\s/>])", re.M | re.I)


def stash_html(text: str, prose: str | None = None) -> tuple[str, list[str], str]:
    """Put each raw HTML block of generated Markdown aside, leaving a one-word placeholder paragraph; the text,
    the blocks and the tag in the placeholders' names (``SitePage.unstash`` puts them back).

    Python-Markdown re-parses raw HTML character by character; the record pages are mostly HTML, so this
    halves their conversion time. Headings stay Markdown, so the table of contents is unchanged. The blocks come
    from our templates and are blank-line separated. ``prose``: an analyst's Markdown, put in place of the
    template's ``PROSE_MARK`` paragraph and never put aside; a prose with raw HTML of its own (a block left open
    would run on into ours) leaves every block in place. The tag is a digest of the page's text, prose included,
    so no text of the corpus can name a placeholder of its own page.
    """
    tag = hashlib.sha256(f"{text}\0{prose}".encode()).hexdigest()[:20]
    keep = prose is not None and RAW_LINE.search(prose) is not None
    blocks: list[str] = []
    head, sep, body = text.partition("\n---\n")
    parts = body.split("\n\n")
    for i, part in enumerate(parts):
        if prose is not None and part.strip() == PROSE_MARK:
            parts[i], prose = part.replace(PROSE_MARK, prose), None
        elif not keep and part.lstrip().startswith("<"):
            parts[i] = f"{STASH_MARK}{tag}N{len(blocks)}X"
            blocks.append(part)
    if prose is not None:  # the template gave the prose no paragraph of its own: nothing is put aside
        return text.replace(PROSE_MARK, prose), [], tag
    return head + sep + "\n\n".join(parts), blocks, tag


def claim_search(claim: Claim, theme: str) -> str:
    """What search finds of a claim page: its statement as the title, then its status, theme and tags. The page's
    tables (evidence, related records, history) repeat other pages: indexing them cost a third of a large site's
    build and made the index too big to load. The status is its word alone: its meaning, the same for every claim
    of that status, would make each of them an answer to a search for 'official' or 'independent'."""
    facts = [claim.status.capitalize(), f"Theme: {theme}" if theme else "",
             f"Tags: {', '.join(claim.tags)}" if claim.tags else ""]
    summary = ". ".join(f for f in facts if f)
    return f"<h1>{html.escape(claim.statement)}</h1>\n<p>{html.escape(summary)}.</p>"


@dataclass
class Site:
    pages: dict[str, SitePage] = field(default_factory=dict)  # by docs path, where each is written
    nav: list = field(default_factory=list)  # MkDocs nav: [{title: path or [...]}]
    paths: SitePaths = WHOLE_SITE
    downloads_page: Callable[[bool], SitePage] | None = None  # the Downloads page again, its packs written (True)

    def record_pages(self) -> frozenset[str]:
        """The built pages (``claims/x.html``) made from records alone, whose search entries may be shortened."""
        return frozenset(p.path.removesuffix(".md") + ".html" for p in self.pages.values() if p.record)


@dataclass(frozen=True)
class Prose:
    """An analyst's page to be placed in a generated one (its leading H1 dropped where the template has one)."""

    page: Page | None
    strip_h1: bool

    def markdown(self, links: PageLinks) -> Markup:
        """The page's Markdown, its citations and claim references linked; rendered later with everything else."""
        if self.page is None:
            return Markup("")
        text = LEADING_H1.sub("", self.page.text, count=1) if self.strip_h1 else self.page.text
        return Markup(links.prose(text))


KJ_SECTION = re.compile(r"^## +(?:the +)?key judgments *(?:\{[^}\n]*\})? *\n(.*?)(?=^## |\Z)", re.I | re.M | re.S)


def judgments_first(page: Page) -> Page:
    """The home page's prose with its own key-judgments section (heading dropped) moved to its start.

    The site lists the key judgments under its own heading, above the prose; the analysts' discussion of them
    follows the list under that one heading, so the page's contents do not list "Key judgments" twice.
    """
    match = KJ_SECTION.search(page.text)
    if match is None:
        return page
    rest = page.text[:match.start()] + page.text[match.end():]
    h1 = LEADING_H1.match(rest)
    at = h1.end() if h1 else 0
    return replace(page, text=f"{rest[:at]}\n{match.group(1).strip()}\n\n{rest[at:].lstrip()}")


def theme_paths(corpus: Corpus) -> dict[str, str]:
    return {t.id: t.page or f"themes/{slug(t.id)}.md" for t in corpus.themes.values()}


def _charts(corpus: Corpus) -> list[tuple[str, Markup]]:
    """The key-figure charts (``figcharts``) as inline SVG."""
    return [(chart.title, Markup(charts.bar_chart(chart.title, chart.bars, f"chart-{n}")))
            for n, chart in enumerate(figcharts.charts(corpus.figures.values()))]


# The sources page groups sources by the kind of document (the reader's first question), each group a contents entry
SOURCE_GROUPS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("official", "Official records and statements",
     frozenset({"official-record", "official-statement", "official-statistics", "government-estimate"})),
    ("news", "News reporting", frozenset({"news-investigation", "news-report", "news-rewrite"})),
    ("research", "Research, policy papers and data",
     frozenset({"research", "policy-paper", "expert-estimate", "dataset"})),
    ("commentary", "Commentary and opinion", frozenset({"commentary", "opinion"})),
    ("unattributed", "Unnamed or unverifiable sources",
     frozenset({"anonymous-officials", "interview-unverifiable", "unidentified-reports"})),
)
OTHER_SOURCES = ("other", "Other sources")


@dataclass(frozen=True)
class SourceEntry:
    """A source as the sources page lists it, with the keys its register sorts by."""

    source: Source
    year: str  # four digits, or '' when undated
    cited: int  # how many records and pages cite it


def source_groups(sources: list[Source], cited_by: dict) -> list[tuple[str, str, list[SourceEntry]]]:
    """The sources (in the given order) under the group of their kind of document; empty groups left out."""
    groups = [*SOURCE_GROUPS, (*OTHER_SOURCES, frozenset())]
    found: dict[str, list[SourceEntry]] = defaultdict(list)
    for s in sources:
        gid = next((g for g, _, classes in SOURCE_GROUPS if s.source_class in classes), OTHER_SOURCES[0])
        digits = re.match(r"\d{4}", year(s))
        found[gid].append(SourceEntry(s, digits.group(0) if digits else "", len(cited_by.get(s.key, []))))
    return [(gid, title, found[gid]) for gid, title, _ in groups if found[gid]]


def generate(data: SiteInput, paths: SitePaths = WHOLE_SITE, memo: PageMemo | None = None) -> Site:
    """Every page of the site, and the navigation (one entry per index, never one per claim).

    Pages are named by their place in a whole site and written where ``paths`` puts them (``SitePaths``): the
    keys of ``Site.pages`` and the paths in ``Site.nav`` are docs paths as written. As a section of another
    project, the analysts' pages in its own docs folder are not listed in the section's navigation (the project
    places them), except those in the section's folder. ``memo``: record and theme pages of the last generation, reused
    where nothing they read has changed (``site.memo``), and this generation's kept in it.
    """
    c = data.corpus
    floor = min(c.config.default_marking, data.ceiling, key=marking_rank)
    themes = theme_paths(c)
    paths = replace(paths, kept=frozenset(t.page for t in c.themes.values() if t.page))
    home_doc, method_doc = paths.prose("index.md"), paths.prose("methodology.md")
    page_of_doc = {doc: paths.doc(doc) for doc in c.pages}
    page_of_doc.update({home_doc: paths.page("index.md"), method_doc: paths.page("methodology.md")})
    index = Index(data, page_of_doc)
    site = Site(paths=paths)
    shown = Shown()  # what links show of each record, made once for every page
    shared: dict[str, object] = {"corpus": c, "facts": index.facts, "claims_by_entity": index.claims_by_entity,
                                 "version": data.version}
    kept = memo.generation(shared) if memo is not None else None

    def add(path: str, template: str, in_nav: bool = True, prose: Prose | None = None, search: str = "",
            reusable: bool = False, **ctx: object) -> None:
        """A page at docs path ``path`` (already placed by ``paths``). A record page outside the navigation, or a
        ``reusable`` one (a theme's: one of many, each reading its own claims), is reused from ``memo`` when nothing
        it read has changed."""
        if path in site.pages:
            raise BuildError(f"docs/{path} is a page the site generates; rename it")
        key, view, reads = None, shared, None
        if kept is not None and (reusable or (not in_nav and prose is None)):
            key = kept.digest((template, path, paths, data.ceiling, c.config, search, prose, sorted(ctx.items())))
            found = kept.reuse(path, key)
            if found is not None:
                site.pages[path] = found
                return
            reads, view = kept.view()
        links = PageLinks(view["corpus"], path, paths, shown)  # type: ignore[arg-type]
        written = None if prose is None else prose.markdown(links)
        if written is not None:
            ctx["prose"] = PROSE_MARK if written else ""
        text, blocks, tag = stash_html(render(template, path, paths, links=links, ceiling=data.ceiling, **view, **ctx),
                                       written or None)
        site.pages[path] = SitePage(path, text, in_nav, blocks, search, record=prose is None, stash_tag=tag)
        if kept is not None and reads is not None:  # (read only where the page is kept)
            kept.keep(path, key, reads, site.pages[path])

    page = paths.page
    theme_docs = set(themes.values())

    claims = sorted(c.claims.values(), key=lambda cl: cl.id)
    all_claim_marks = [cl.marking for cl in claims]
    judgments = list(c.judgments.values())
    home = c.pages.get(home_doc)
    home = judgments_first(home) if home else None
    counts = Counter(cl.status for cl in claims)
    add(page("index.md"), "home.md.j2", title=c.config.title, subtitle=c.config.subtitle,
        marking=highest([j.marking for j in judgments] + ([home.marking] if home else []), floor),
        judgments=judgments, prose=Prose(home, strip_h1=True), claims_total=len(claims),
        sources_total=len(c.sources), status_counts=[(s, counts[s]) for s in STATUSES if counts[s]])
    theme_title = {t.id: t.title for t in c.themes.values()}
    add(page("claims/index.md"), "dashboard.md.j2", marking=highest(all_claim_marks, floor), claims=claims,
        present_statuses=[s for s in STATUSES if counts[s]], themes=list(c.themes.values()),
        theme_title=lambda tid: theme_title.get(tid, tid))
    for claim in claims:
        theme = c.themes.get(claim.theme)
        judgments_of = [j for j in judgments if claim.id in j.claims]
        add(page(claim_page(claim.id)), "claim.md.j2", in_nav=False, claim=claim, marking=claim.marking,
            theme=theme, theme_page=themes.get(claim.theme, ""), fact=index.facts[claim.id],
            events=sorted(index.events_by_claim.get(claim.id, []), key=lambda e: e.date),
            figures=index.figures_by_claim.get(claim.id, []), judgments=judgments_of,
            history=data.history.get(claim.id, []), search=claim_search(claim, theme.title if theme else ""))
    theme_nav: list = []
    if c.themes:
        overview = []
        for theme in c.themes.values():
            members = index.claims_by_theme.get(theme.id, [])
            counts_of = Counter(cl.status for cl in members)
            overview.append((theme, themes[theme.id], len(members),
                             [(s, counts_of[s]) for s in STATUSES if counts_of[s]]))
        add(page("themes/index.md"), "themes.md.j2",
            marking=highest([cl.marking for cl in claims if cl.theme in c.themes], floor), themes=overview)
        theme_nav.append(page("themes/index.md"))  # the section's own page (Material's navigation.indexes)
    for theme in c.themes.values():
        path = themes[theme.id]
        written = c.pages.get(path)
        members = sorted(index.claims_by_theme.get(theme.id, []), key=lambda cl: cl.id)
        title = written.title if written and written.title else theme.title
        add(page(path), "theme.md.j2", title=title,
            summary=theme.summary,
            marking=highest([cl.marking for cl in members] + ([written.marking] if written else []), floor),
            prose=Prose(written, strip_h1=True), claims=members, reusable=True)
        theme_nav.append({html.escape(title): page(path)})  # the menu names a page as its heading does
    events = sorted(c.events.values(), key=lambda e: (e.date, e.id))
    years: dict[str, list] = defaultdict(list)
    for event in events:
        years[event.date[:4]].append(event)
    add(page("timeline.md"), "timeline.md.j2", marking=highest([e.marking for e in events], floor),
        years=sorted(years.items()))
    entities = sorted(c.entities.values(), key=lambda e: e.name.casefold())
    add(page("entities/index.md"), "entities.md.j2", marking=highest([e.marking for e in entities], floor),
        entities=entities)
    for entity in entities:
        add(page(f"entities/{slug(entity.id)}.md"), "entity.md.j2", in_nav=False, entity=entity, marking=entity.marking,
            claims=sorted(index.claims_by_entity.get(entity.id, []), key=lambda cl: cl.id),
            events=sorted(index.events_by_entity.get(entity.id, []), key=lambda e: e.date))
    figures = sorted(c.figures.values(), key=lambda f: (theme_title.get(f.theme or "", "~"), f.label.casefold()))
    add(page("figures.md"), "figures.md.j2", marking=highest([f.marking for f in figures], floor), charts=_charts(c),
        figures=figures, theme_title=lambda tid: theme_title.get(tid, tid))
    add(page("recommendations.md"), "recommendations.md.j2",
        marking=highest([r.marking for r in c.recommendations.values()], floor),
        recommendations=list(c.recommendations.values()))
    add(page("gaps.md"), "gaps.md.j2", marking=highest([g.marking for g in c.gaps.values()], floor),
        gaps=list(c.gaps.values()))
    sources = sorted(c.sources.values(), key=lambda s: (reference_text(s).casefold(), s.key))
    add(page("sources.md"), "sources.md.j2", marking=highest([s.marking for s in sources], floor), sources=sources,
        groups=source_groups(sources, index.cited_by), cited_by=index.cited_by,
        kind_names={"claim": "Claims", "page": "Pages", "figure": "Key figures", "event": "Timeline",
                    "entity": "Entities", "recommendation": "Recommendations"})
    method = c.pages.get(method_doc)
    add(page("methodology.md"), "methodology.md.j2", title=method.title if method else "Methodology",
        marking=highest([method.marking] if method else [], floor), prose=Prose(method, strip_h1=False))
    if data.changes is not None:  # with no earlier release, the downloads page says so in a line
        add(page("changes.md"), "changes.md.j2", marking=data.ceiling, changes=data.changes, step_kinds=STEP_KINDS,
            was_kinds=WAS_KINDS, diff=word_diff)
    analysis = []
    for doc, written in sorted(c.pages.items()):
        if doc in (home_doc, method_doc) or doc in theme_docs:
            continue
        add(paths.doc(doc), "page.md.j2", title=written.title, marking=highest([written.marking], floor),
            prose=Prose(written, strip_h1=False))
        if not (paths.section and paths.shared) or doc.startswith(f"{paths.section}/"):
            analysis.append({html.escape(written.title): paths.doc(doc)})

    def downloads_page(ready: bool) -> SitePage:
        """The Downloads page; its packs' sizes and hashes are read from their files once ``ready`` (written)."""
        site.pages.pop(page("downloads.md"), None)
        add(page("downloads.md"), "downloads.md.j2", marking=highest([d.marking for d in data.downloads], floor),
            downloads=data.downloads if ready else [], first_release=data.changes is None)
        return site.pages[page("downloads.md")]

    downloads_page(data.wait is None)  # the last page, built last: packs may render until then (SiteInput.wait)
    site.downloads_page = downloads_page
    if kept is not None:
        kept.close()
    site.nav = [
        {"Overview" if paths.section else "Home": page("index.md")},
        {"Evidence dashboard": page("claims/index.md")},
        *([{"Themes": theme_nav}] if theme_nav else []),
        *([{"Analysis": analysis}] if analysis else []),
        {"Timeline": page("timeline.md")},
        {"Entities": page("entities/index.md")},
        {"Key figures": page("figures.md")},
        {"Recommendations": page("recommendations.md")},
        {"Gaps": page("gaps.md")},
        {"Sources": page("sources.md")},
        {"Methodology": page("methodology.md")},
        *([{html.escape(f"What changed since {data.changes.base_version}"): page("changes.md")}]
          if data.changes else []),
        {"Downloads": page("downloads.md")},
    ]
    return site
