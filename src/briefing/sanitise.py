"""What HTML and which links may reach a reader, declared once.

The checker reports analysts' raw HTML and links outside these lists with their line (``unsafe-html``); the
site passes every rendered Markdown page through ``nh3`` (the Python binding of the Rust sanitiser ammonia) with
the same lists, so nothing the checker missed can run in a browser; the PDF links only ``safe_url`` targets.
nh3 was chosen over bleach: bleach is deprecated, nh3 is maintained, fast and parses HTML as browsers do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import nh3

from .citations import prose_lines

URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Elements an analyst may write as raw HTML in Markdown (and that the site's own templates use).
_TAG_NAMES = """
a abbr b blockquote br caption cite code col colgroup dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5
h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub summary sup table tbody td tfoot th thead time
tr u ul var
"""
TAGS = frozenset(_TAG_NAMES.split())
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "role", "align"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "ol": {"start", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "col": {"span"},
    "colgroup": {"span"},
}
ATTRIBUTE_PREFIXES = frozenset({"data-", "aria-"})
STYLE_PROPERTIES = frozenset({"text-align"})  # Python-Markdown tables align cells with style="text-align: …"

_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str) -> bool:
    """http, https, mailto or a relative reference; never javascript:, data:, vbscript: or any other scheme."""
    compact = _CONTROL.sub("", url)  # browsers ignore tabs and newlines inside a scheme ("java\tscript:")
    match = _SCHEME.match(compact)
    if match is None:
        return not compact.startswith("//") or bool(urlsplit("https:" + compact).netloc)
    return match.group(1).lower() in URL_SCHEMES


def external_url(url: str) -> bool:
    """An absolute http, https or mailto URL: the only links a PDF carries."""
    match = _SCHEME.match(_CONTROL.sub("", url))
    return bool(match and match.group(1).lower() in URL_SCHEMES)


def clean_html(html: str) -> str:
    """Rendered page HTML cut to the allow-list: no script, no event handlers, no unsafe URLs."""
    return nh3.clean(html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     generic_attribute_prefixes=set(ATTRIBUTE_PREFIXES), url_schemes=set(URL_SCHEMES),
                     link_rel=None, strip_comments=True, filter_style_properties=set(STYLE_PROPERTIES))


_CODE_SPAN = re.compile(r"(`+)[^`].*?\1")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)/?>")
_HANDLER = re.compile(r"(?:^|[\s{\"'])on[A-Za-z]+\s*=", re.I)
_ATTR_LIST = re.compile(r"\{:?\s*[^{}\n]*\}")
_TARGETS = (re.compile(r"\]\(\s*<?([^)\s>]+)"), re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)"),
            re.compile(r"""\b(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.I))


def unsafe_markdown(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(line, what) for each raw HTML element, attribute or link in Markdown that the site would not publish."""
    for number, raw in prose_lines(text, first_line):
        line = _CODE_SPAN.sub("", raw)
        for match in _TAG.finditer(line):
            name = match.group(2).lower()
            if name not in TAGS:
                yield number, f"the HTML element <{name}> is not allowed"
            elif _HANDLER.search(match.group(3)):
                yield number, f"an event-handler attribute (on…=) on <{name}> is not allowed"
        for match in _ATTR_LIST.finditer(line):
            if _HANDLER.search(match.group(0)):
                yield number, "an event-handler attribute (on…=) in an attribute list is not allowed"
        for pattern in _TARGETS:
            for match in pattern.finditer(line):
                if not safe_url(match.group(1)):
                    yield number, f"the link '{match.group(1)[:40]}' is not http, https, mailto or relative"
