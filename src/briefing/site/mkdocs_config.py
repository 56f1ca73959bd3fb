"""The MkDocs side of the site: the configuration a corpus needs, applied to a loaded MkDocs config.

Kept to standard MkDocs keys, Material theme options and Python-Markdown extension names, so that a
``mkdocs.yml`` reader such as Zensical finds nothing exotic.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .. import vocab
from ..prose import EXTENSION_NAMES
from .context import SiteInput
from .pages import Site
from .render import tlp_class

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

PACKAGE = Path(__file__).parent
OVERRIDES = PACKAGE / "overrides"
MATERIAL_OVERRIDES = OVERRIDES / "material"  # for MkDocs with Material only (Zensical's templates differ there)
ASSETS = PACKAGE / "assets"
ASSET_DIR = "assets/briefing"
CSS = f"{ASSET_DIR}/briefing.css"
JS = f"{ASSET_DIR}/briefing.js"
WORKER_SHIM = f"{ASSET_DIR}/iframe-worker.js"  # the name tells Material's offline plugin a shim is present
FEATURES = ("navigation.prune", "navigation.top", "navigation.footer", "navigation.path", "navigation.indexes",
            "search.highlight")
# Light and dark, following the reader's system setting until they choose; icons are inlined at build time
PALETTE: list[dict[str, Any]] = [
    {"media": "(prefers-color-scheme: light)", "scheme": "default",
     "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"}},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
     "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"}},
]
PLUGINS = ({"briefing": {"mode": "site"}}, "search", "offline")


def standalone(docs_dir: Path, site_dir: Path, title: str) -> dict[str, Any]:
    """A complete mkdocs.yml for a corpus root that has none (used by ``briefing build``): the whole site."""
    return {
        "site_name": title,
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": _theme(),
        "plugins": list(PLUGINS),
    }


def _theme() -> dict[str, Any]:
    """Material with no Google Fonts (font: False), the site's features and a light/dark palette."""
    return {"name": "material", "font": False, "features": list(FEATURES),
            "palette": [{**p, "toggle": dict(p["toggle"])} for p in PALETTE]}


CSS_PLAIN = re.compile(r"[A-Za-z0-9 .,:+]")


def css_string(text: str) -> str:
    """``text`` as the inside of a CSS string: every other character a hex escape (no quote, no ``<``)."""
    return "".join(ch if CSS_PLAIN.fullmatch(ch) else f"\\{ord(ch):x} " for ch in text)


def search_problem(config: MkDocsConfig) -> str | None:
    """Why the site's search cannot work from file:// with these plugins, or None when it can."""
    plugins = {name.rsplit("/", 1)[-1]: plugin for name, plugin in config.plugins.items()}
    offline = plugins.get("offline")
    if "search" not in plugins:
        return ("the site has no search: add 'search' and then 'offline' to 'plugins' in mkdocs.yml (Material's "
                "offline plugin lets search work from file://)")
    if offline is None or not getattr(offline, "config", {}).get("enabled", True):
        return ("search will not work when the site is opened from file:// (no search_index.js is written): add "
                "'offline' after 'search' in 'plugins' in mkdocs.yml (Material's offline plugin)")
    return None


def settings(data: SiteInput) -> dict[str, Any]:
    """The site's settings as standard mkdocs.yml keys: declared once, merged by ``apply``, written by export."""
    corpus, version = data.corpus, data.version
    originator = f"{corpus.config.originator} · " if corpus.config.originator else ""
    return {
        "site_name": html.escape(corpus.config.title),  # the theme prints it unescaped (and once with | e)
        "use_directory_urls": False,  # file:// needs real file names
        "markdown_extensions": [*EXTENSION_NAMES, SANITISER],
        "theme": _theme(),
        "extra_css": [CSS],
        "extra_javascript": [JS],
        "extra": {
            "polyfills": [WORKER_SHIM],
            "generator": False,
            "briefing_marking": data.ceiling,
            "briefing_marking_text": dict(vocab.MARKING_TEXT),
            "briefing_marking_classes": {m: tlp_class(m) for m in vocab.MARKINGS},
            # printed pages carry the marking top and bottom and the version in CSS page margins (overrides/main.html)
            "briefing_print_marking": {m: css_string(f"{m} \u2014 {vocab.MARKING_TEXT[m]}") for m in vocab.MARKINGS},
            "briefing_print_version": css_string(f"{originator}Version {version.version} \u00b7 built {version.date}"),
        },
        # Material prints the copyright as HTML
        "copyright": html.escape(f"{originator}Site marked {data.ceiling} · Version {version.version} · "
                                 f"built {version.date}"),
    }


SANITISER = "briefing.site.mdext"


def apply(config: MkDocsConfig, site: Site, data: SiteInput, whole: bool = True) -> None:
    """Everything the plugin supplies, whatever mkdocs.yml says: extensions, offline theme, assets, footer.

    For the whole site (``whole``) also the site name, the navigation, the theme's font (none) and features; as
    a section of another project those stay the project's (the plugin adds the section to its navigation),
    and the briefing's footer line follows the project's own.
    """
    wanted = settings(data)
    if whole:
        config.site_name = Markup(wanted["site_name"])  # Markup: the theme's | e does not escape it twice
        config.nav = site.nav
    config.use_directory_urls = wanted["use_directory_urls"]  # the generated links name .html files
    for name in wanted["markdown_extensions"]:
        if name == SANITISER and not whole:
            continue  # a section sanitises its own pages only (the plugin's on_page_content), not the project's
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
    theme = config.theme
    if whole:
        theme["font"] = False
        theme["features"] = list(dict.fromkeys([*FEATURES, *theme.get("features", [])]))
        if not theme.get("palette"):
            theme["palette"] = wanted["theme"]["palette"]
    if str(OVERRIDES) not in theme.dirs:
        theme.dirs.insert(0, str(OVERRIDES))
    if str(MATERIAL_OVERRIDES) not in theme.dirs:
        theme.dirs.insert(theme.dirs.index(str(OVERRIDES)) + 1, str(MATERIAL_OVERRIDES))
    if CSS not in config.extra_css:
        config.extra_css.append(CSS)
    if all(str(s) != JS for s in config.extra_javascript):
        config.extra_javascript.append(JS)
    extra = config.extra
    extra.update({k: v for k, v in wanted["extra"].items() if k != "polyfills"})
    extra["polyfills"] = [WORKER_SHIM, *[p for p in extra.get("polyfills", []) if "iframe-worker" not in p]]
    own = config.copyright if not whole else None
    config.copyright = f"{own} · {wanted['copyright']}" if own else wanted["copyright"]


def relative_404(page: str) -> str:
    """404.html is written for a web server's root ('/assets/…'); relative links work from file:// too."""
    page = re.sub(r'(\s(?:href|src)=")/(?!/)', r"\1./", page)
    return page.replace('"base": "/"', '"base": "."').replace('"search": "/assets/', '"search": "assets/')
