"""Citations and claim references as finished links, written into the generated Markdown of one page.

``[@key, p. 4; @other]`` becomes links to the bibliography entries, ``[claim:ID]`` a link to the claim page
with its status badge; each shows its full text on hover and keyboard focus (CSS) and names it as its
description. Resolved while the site's Markdown is generated, where the page's path is known, so the
generated Markdown is a complete site source that any engine reading Python-Markdown renders the same way
(no post-processing of HTML, no plugin needed).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from ..citations import CLAIM_REF, FENCE, CiteError, CiteGroup, CiteItem, find
from ..cite import reference_text, year
from ..errors import BuildError
from ..model import Corpus, Source
from ..shortcite import short_label, who
from .context import claim_page
from .render import WHOLE_SITE, SitePaths, relative

_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
# Characters Python-Markdown would read as syntax inside the text of inline HTML.
_MARKDOWN_SPECIAL = str.maketrans({"*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;", "`": "&#96;",
                                   "\\": "&#92;", "~": "&#126;", "^": "&#94;", "=": "&#61;"})


def text(value: str) -> str:
    """Corpus text for the inside of inline HTML in Markdown: HTML-escaped, and inert as Markdown."""
    return html.escape(" ".join(value.split())).translate(_MARKDOWN_SPECIAL)


@dataclass
class Shown:
    """What the links of every page of one site show of a record, made once: a source's short label and full
    reference, a claim's escaped id, opening, status badge and statement (by key and id)."""

    sources: dict[str, tuple[str, str]] = field(default_factory=dict)
    claims: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)


class PageLinks:
    """The links of one page (written at docs path ``here``); tooltip ids are numbered per page."""

    def __init__(self, corpus: Corpus, here: str, paths: SitePaths = WHOLE_SITE, shown: Shown | None = None):
        self.corpus, self.here, self.paths = corpus, here, paths
        self._count = 0
        self._shown = Shown() if shown is None else shown  # shared by the pages of one site

    def _label_and_tip(self, source: Source) -> tuple[str, str]:
        """A source's short label and full reference as inline text, made once for all pages citing it."""
        found = self._shown.sources.get(source.key)
        if found is None:
            found = self._shown.sources[source.key] = (text(short_label(source)), text(reference_text(source)))
        return found

    def _uid(self) -> str:
        self._count += 1
        return f"cite-{self._count}"

    def cite(self, key: str, locator: str = "", shown: str = "") -> str:
        """A link to a source's bibliography entry: its short label ('Doe 2024, p. 4', or ``shown``), with the
        full reference in the corpus's CSL style on hover and focus."""
        source = self.corpus.sources.get(key)
        if source is None:  # at_ceiling and the checker already refuse this: a last line of defence
            raise BuildError(f"{self.here}: cites '{key}', which is withheld at this marking ceiling or unknown")
        uid, loc = self._uid(), text(locator)
        href = html.escape(relative(self.here, self.paths.page("sources.md"), f"src-{key}"))
        short, tip = self._label_and_tip(source)
        label = text(shown) if shown else short + (", " + loc if loc else "")
        return (f'<a class="cite" href="{href}" aria-describedby="{uid}">{label}'
                f'<span class="cite-tip" role="tooltip" id="{uid}" '
                f'data-search-exclude>{tip}{" — " + loc if loc else ""}</span></a>')

    def item(self, item: CiteItem, in_text: bool = False) -> str:
        """One item of a pandoc citation: 'see Doe 2024, p. 3, emphasis mine', '2024' (-@key) or, in the text,
        'Doe (2024, p. 3)'."""
        source = self.corpus.sources.get(item.key)
        if source is None:
            raise BuildError(f"{self.here}: cites '{item.key}', which is withheld at this marking ceiling or unknown")
        pinpoint = item.pinpoint
        if in_text:
            when = year(source) + (f", {pinpoint}" if pinpoint else "")
            return f"{text(who(source))} ({self.cite(item.key, pinpoint, when)})"
        shown = year(source) if item.suppress_author else short_label(source)
        shown += f", {pinpoint}" if pinpoint else ""
        return (text(item.prefix) + " " if item.prefix else "") + self.cite(item.key, pinpoint, shown)

    def cites(self, keys: Iterable[str], locator: str = "", bare: bool = False) -> Markup:
        """One citation group: '(Doe 2024, p. 4; Roe 2023)', or without brackets in a table cell."""
        inner = "; ".join(self.cite(key, locator) for key in keys if key in self.corpus.sources)
        if not inner:
            return Markup("")
        return Markup(f'<span class="citations">{inner if bare else f"({inner})"}</span>')

    def group(self, found: CiteGroup) -> str:
        if found.in_text:
            return f'<span class="citations">{self.item(found.items[0], in_text=True)}</span>'
        inner = "; ".join(self.item(item) for item in found.items)
        return f'<span class="citations">({inner})</span>'

    def claim(self, ident: str, named: bool = False) -> Markup:
        """A link to a claim showing its evidence status; ``named`` adds the start of its statement (in lists,
        where no sentence around it says what it is). The whole statement shows on hover and focus."""
        target = self.corpus.claims.get(ident)
        if target is None:
            raise BuildError(f"{self.here}: refers to claim '{ident}', which is withheld at this marking ceiling "
                             "or unknown")
        uid = self._uid()
        href = html.escape(relative(self.here, self.paths.page(claim_page(ident))))
        found = self._shown.claims.get(ident)
        if found is None:  # the same for every page: made once (a claim may be linked from thousands)
            found = self._shown.claims[ident] = (
                html.escape(ident), text(target.opening(70)),
                f'<span class="badge status-{html.escape(target.status)}">{text(target.status)}</span>',
                text(target.statement))
        escaped, opening, badge, statement = found
        name = f"{opening} " if named else ""
        return Markup(f'<a class="claim-ref" data-claim="{escaped}" href="{href}" aria-describedby="{uid}">'
                      f'{name}{badge}<span class="cite-tip" role="tooltip" id="{uid}" data-search-exclude>'
                      f"{statement}</span></a>")

    def claims(self, idents: Iterable[str]) -> Markup:
        return Markup("; ".join(self.claim(i, named=True) for i in idents if i in self.corpus.claims))

    def prose(self, markdown: str) -> str:
        """An analyst's Markdown with its citations and claim references linked; code is left as written."""
        out: list[str] = []
        block: list[str] = []
        fenced = False
        for line in markdown.split("\n"):
            if fenced or FENCE.match(line):
                if block:
                    out.append(self._inline("\n".join(block)))
                    block = []
                out.append(line)
                fenced = fenced != bool(FENCE.match(line))
            else:
                block.append(line)
        if block:
            out.append(self._inline("\n".join(block)))
        return "\n".join(out)

    def _inline(self, chunk: str) -> str:
        """Link outside inline code spans; a group may span a line break, as in a Markdown paragraph."""
        pieces, last = [], 0
        for span in _CODE_SPAN.finditer(chunk):
            pieces.append(self._link(chunk[last:span.start()]))
            pieces.append(span.group(0))
            last = span.end()
        pieces.append(self._link(chunk[last:]))
        return "".join(pieces)

    def _link(self, chunk: str) -> str:
        def claim(m: re.Match) -> str:
            return str(self.claim(m.group(1)))

        def plain(part: str) -> str:  # an escaped \@ is an at sign, never a citation
            return CLAIM_REF.sub(claim, part).replace("\\@", "&#64;")

        out, last = [], 0
        for found in find(chunk):
            if isinstance(found, CiteError):  # the checker refuses this (cite-syntax): a last line of defence
                raise BuildError(f"{self.here}: {found}")
            out += [plain(chunk[last:found.start]), self.group(found)]
            last = found.end
        out.append(plain(chunk[last:]))
        return "".join(out)
