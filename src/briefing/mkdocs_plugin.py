"""The MkDocs plugin: turns a corpus root into the briefing site, or adds the briefing to another MkDocs project.

``mkdocs build`` / ``mkdocs serve`` load and check the corpus themselves (its warnings go to MkDocs' log, so
``--strict`` fails on them as ``briefing check --strict`` does); ``briefing build`` hands the plugin a prepared
corpus instead (``BriefingPlugin.input``). Either way the pages come from ``briefing.site.pages`` and the rest of
the configuration from ``briefing.site.mkdocs_config``.

``mode: site`` makes the corpus the whole site (its title, navigation and home page). ``mode: section`` (the
default) leaves the project its ``site_name``, navigation and home page, and writes the generated pages into one
folder (``section_dir``), listed as one navigation section (``section_title``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import posixpath
import re
import shutil
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key
from mkdocs.utils import nest_paths
from mkdocs.utils.meta import get_data

from . import cachedir, serving
from .cite import style_path
from .errors import BriefingError
from .sanitise import clean_html
from .site import compiled, memofile, mkdocs_config, pagebuild, pagecache, partials, render
from .site.context import SiteInput
from .site.pagecache import PageCache
from .site.pages import Site, SitePage, generate
from .site.render import SitePaths, html_path

log = logging.getLogger("mkdocs.plugins.briefing")

MODES = ("section", "site")
# Blocks of the generated pages that search leaves out anyway (data-search-exclude), such as a source's "cited by"
# list, taken out before Material's search plugin parses the page (it parses the whole page, however large). The
# templates mark them with data-search-skip too, on a <div> holding no other <div> (the sanitiser may have written
# the attributes as attr="").
SEARCH_SKIP = re.compile(r'<div(?: class="[^"<>]*")? data-search-exclude(?:="")? data-search-skip(?:="")?>.*?</div>',
                         re.S)


class BriefingPluginConfig(Config):
    root = opt.Optional(opt.Type(str))  # the corpus root, relative to mkdocs.yml; default: the folder holding it
    ceiling = opt.Optional(opt.Type(str))  # default: 'ceiling' in sources/corpus.yml
    mode = opt.Choice(MODES, default="section")  # 'site': the whole site; 'section': a part of the project's
    section_dir = opt.Type(str, default="briefing")  # section mode: the folder of the generated pages
    section_title = opt.Type(str, default="Briefing")  # section mode: the navigation section's title
    today = opt.Optional(opt.Type((str, dt.date)))  # the date staleness is judged against; default: today


class BriefingPlugin(BasePlugin[BriefingPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.input: SiteInput | None = None  # set by briefing.site.build_site
        self.site: Site | None = None
        self.root: Path | None = None
        self.own_nav: list | None = None  # section mode: the project's own navigation, when it declares one
        self._kept_content: str | None = None  # a page's HTML while the search plugin reads its stand-in
        self._search: serving.SearchReuse | None = None  # see _page_context_for_search
        self._files: Files | None = None
        self.cache: PageCache | None = None  # built pages kept between builds (``briefing.site.pagecache``)
        self._reused: dict[str, list[dict]] = {}  # page location -> search entries of a page MkDocs did not index
        self._to_keep: dict[str, str] = {}  # page location -> its page key, for pages built now and worth keeping
        self._aside: list[SitePage] = []  # pages a helper process builds (``site.pagebuild``)
        self._helper: pagebuild.Helper | None = None

    @event_priority(100)  # before Material's offline plugin looks for a worker shim
    def on_config(self, config):
        here = Path(config.config_file_path).parent
        self.root = (here / self.config.root if self.config.root else here).resolve()
        whole = self.config.mode == "site"
        if self.root.is_relative_to(Path(config.docs_dir).resolve()):
            # MkDocs would publish every file there as it is: records, BibTeX, pages above the ceiling
            raise PluginError(f"briefing: the corpus folder '{self.config.root}' is inside the project's docs "
                              "folder, which MkDocs publishes as it is; move it beside docs/")
        try:
            serve = serving.active(config)
            memo = serving.page_memo(self.root) if serve else None  # (before the corpus is read)
            self._search = serving.SearchReuse(self.root) if serve else None
            if self.input is None:
                from .site.standalone import load_input

                self.input = load_input(self.root, self.config.ceiling, self._today(), shared=serve)
                if self.input.version.epoch and "SOURCE_DATE_EPOCH" not in os.environ:
                    os.environ["SOURCE_DATE_EPOCH"] = str(self.input.version.epoch)
            if serve:
                self._watch_style()
            docs = self.input.corpus.config.root / "docs"
            paths = SitePaths("" if whole else self._section_dir(), Path(config.docs_dir).resolve() == docs.resolve())
            store = memofile.store(self.input.corpus.config.root, self.input.ceiling, paths)
            if store is not None and not (memo and memo.kept):  # a build, or serving's first: the last build's pages
                memo = memofile.load(store, into=memo)
            render.environment().bytecode_cache = compiled.for_pages(self.input.corpus.config.root)  # (or none)
            self.site = generate(self.input, paths, memo)
            if store is not None and memo is not None and memo.changed and not serve:  # (serving keeps it in memory)
                memofile.save(memo, store)
        except BriefingError as exc:
            raise PluginError(str(exc)) from exc
        self.own_nav = None if whole else config.nav
        mkdocs_config.apply(config, self.site, self.input, whole=whole)
        problem = mkdocs_config.search_problem(config)
        if problem:
            log.warning(problem)
        return config

    def _today(self) -> dt.date | None:
        value = self.config.today
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise PluginError(f"briefing: 'today' must be a date (YYYY-MM-DD), not '{value}'") from None

    def _section_dir(self) -> str:
        folder = self.config.section_dir.strip().strip("/")
        if not folder or posixpath.isabs(folder) or "\\" in folder or any(
                part in ("", ".", "..") for part in folder.split("/")):
            raise PluginError(f"briefing: 'section_dir' must be a folder inside docs/, such as 'briefing', not "
                              f"'{self.config.section_dir}'")
        return folder

    def on_files(self, files: Files, config) -> Files:
        assert self.site is not None and self.input is not None
        paths = self.site.paths
        corpus_docs = self.input.corpus.config.root / "docs"
        attachments = self.input.corpus.files  # linked by a page kept at the ceiling, and marked within it
        for file in list(files):
            if self._replaced(file, config, paths, attachments):
                files.remove(file)
        added: list[File] = []
        self.cache = self._page_cache(config)
        if self._search is None and self.cache is not None:  # a build: the last build's entries, kept in the cache
            self._search = serving.SearchReuse(self.root, self.cache.search_store)
        shared = self._reusable(config) and not serving.active(config) and pagebuild.can_help()  # a helper builds some
        fresh = 0  # pages outside the navigation to build now
        for page in self.site.pages.values():
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            kept = self._kept(page)
            apart = kept is None and shared and not page.in_nav and page.record
            fresh += apart
            if apart and pagebuild.aside(fresh):
                self._aside.append(page)
            elif kept is None:
                added.append(File.generated(config, page.path, content=page.text, inclusion=inclusion))
            else:  # built before from the same inputs: copied as it is (a static page to MkDocs)
                added.append(KeptPage.generated(config, html_path(page.path), abs_src_path=str(kept)))
        for asset in sorted(mkdocs_config.ASSETS.iterdir()):
            added.append(File.generated(config, f"{mkdocs_config.ASSET_DIR}/{asset.name}", abs_src_path=str(asset)))
        for download in [] if self.input.wait else self.input.downloads:  # still rendering: see _late_downloads
            added.append(File.generated(config, paths.page(f"downloads/{download.file.name}"),
                                        abs_src_path=str(download.file)))
        if not paths.shared:  # the corpus's docs/ is not the project's docs folder: its attachments come from it
            added.extend(File.generated(config, paths.doc(attachment), abs_src_path=str(corpus_docs / attachment))
                         for attachment in sorted(attachments))
        for file in added:
            clash = files.get_file_from_path(file.src_uri)
            if clash is not None and self._in_docs(clash, config):
                raise PluginError(f"briefing: docs/{file.src_uri} is a page or file the briefing generates: rename "
                                  "it, or choose another 'section_dir'")
            files.append(file)
        if paths.section:
            config.nav = self._section_nav(files)
        self._files = files
        return files

    def _reusable(self, config) -> bool:
        """May pages outside the navigation be built apart from the others (kept from an earlier build, or built by
        a helper process)? Not in a section of another project (its plugins and extensions may change any page),
        with plugins other than search and offline, or with a sitemap that would have to list every page (a
        ``site_url``, outside ``mkdocs serve``)."""
        plugins = {name.rsplit("/", 1)[-1] for name in config.plugins}
        return (self.config.mode == "site" and self.input is not None and plugins <= {"briefing", "search", "offline"}
                and not (config.site_url and not serving.active(config)))

    def _page_cache(self, config) -> PageCache | None:
        """The kept pages of this site's settings; None where the cache is off or pages may not be reused."""
        if not self._reusable(config) or self.input is None:  # (cachedir decides whether the cache is on)
            return None
        return PageCache.open(self.input.corpus.config.root, self._site_key(config))

    @staticmethod
    def _site_key(config) -> str:
        """A hash of the site's settings (``pagecache.site_key``)."""
        left_out = {"site_dir", "config_file_path", "plugins", "theme", "watch", "dev_addr", "strict"}
        settings = {key: value for key, value in config.items() if key not in left_out}
        settings["theme"] = {"dirs": config.theme.dirs, "settings": dict(config.theme.items()),
                             "static_templates": sorted(config.theme.static_templates)}
        settings["plugins"] = {name: dict(plugin.config) for name, plugin in config.plugins.items()}
        return pagecache.site_key(settings, config.theme.dirs)

    def _kept(self, page: SitePage) -> Path | None:
        """The kept HTML of a page outside the navigation made from records alone, when its inputs are unchanged
        (its search entries are put aside for ``on_post_build``); otherwise None, and the page is built."""
        if self.cache is None or page.in_nav or not page.record:
            return None
        if not page.cache_key:
            page.cache_key = PageCache.page_key(page.path, page.text, *page.html_blocks, page.search)
        key = page.cache_key
        found = self.cache.get(key)
        if found is None:
            self._to_keep[html_path(page.path)] = key
            return None
        self._reused[html_path(page.path)] = found[1]
        return found[0]

    def _replaced(self, file: File, config, paths: SitePaths, attachments) -> bool:
        """Is this file of the project left out of the site (the briefing writes it, or it may not be published)?"""
        if paths.shared:
            # The analysts' pages come back through the corpus (marking cut); of the other files in docs/, only
            # those a kept page links by their exact path are published (the theme's own files come from
            # elsewhere: they have no source in docs/).
            return file.is_documentation_page() or (self._in_docs(file, config) and file.src_uri not in attachments)
        if paths.section:
            return False  # the project's own docs folder, untouched: the corpus's pages are elsewhere
        return file.is_documentation_page() or self._in_docs(file, config)  # the whole site is the corpus's

    @staticmethod
    def _in_docs(file: File, config) -> bool:
        return Path(file.abs_src_path or "").absolute().is_relative_to(Path(config.docs_dir).absolute())

    def _section_nav(self, files: Files) -> list:
        """The project's navigation (declared, or MkDocs' own from its files), then the briefing as one section."""
        assert self.site is not None
        ours = self.site.nav
        if self.own_nav is not None:
            theirs = self.own_nav
            ours = _without(ours, set(_nav_paths(theirs)))  # a page the project lists stays where it put it
        else:
            listed = set(_nav_paths(ours))
            pages = sorted((f for f in files.documentation_pages()
                            if f.inclusion.is_in_nav() and f.src_uri not in listed), key=file_sort_key)
            theirs = nest_paths(f.src_uri for f in pages)
        return [*theirs, {self.config.section_title: ours}]

    @event_priority(110)  # before anything reads the page
    def _late_downloads(self, context, *, page, config, nav):
        """The Downloads page, built last, once the packs rendering meanwhile are written (``SiteInput.wait``): its
        content made again with their sizes and hashes, and the files copied beside it."""
        if self.input is None or self.input.wait is None or self.site is None or self.site.downloads_page is None:
            return context
        if page.file.src_uri != self.site.paths.page("downloads.md"):
            return context
        self.input.wait()
        fresh = self.site.downloads_page(True)
        page.markdown, _ = get_data(fresh.text)  # the same steps as MkDocs' own reading of a page
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=self._files)
        page.render(config, self._files)
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=self._files)
        for download in self.input.downloads:
            target = Path(config.site_dir) / self.site.paths.page(f"downloads/{download.file.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(download.file, target)
        return context

    @event_priority(100)  # before Material's search plugin reads the page
    def _page_context_for_search(self, context, *, page, config, nav):
        """A page with a search stand-in (a claim) is read by the search plugin as that stand-in. On a site of the
        briefing's alone (``_reusable``), a page the search plugin would read as it read it in the last build (its
        address, title, metadata, table of contents and text for search) gets that build's entries: kept by the
        process while serving, in the build cache otherwise."""
        generated = self.site.pages.get(page.file.src_uri) if self.site is not None else None
        if generated is not None and generated.search:
            self._kept_content, page.content = page.content, generated.search
        elif generated is not None and page.content and "data-search-skip" in page.content:
            self._kept_content, page.content = page.content, SEARCH_SKIP.sub("", page.content)
        entries = _search_entries(config)
        if self._search is not None and generated is not None and entries is not None and self._reusable(config):
            self._search.before(_search_plugin(config), entries, page)
        return context

    @event_priority(-100)  # after it: the page gets its own content back
    def _page_context_restore(self, context, *, page, config, nav):
        if self._kept_content is not None:
            page.content, self._kept_content = self._kept_content, None
        if self._search is not None:
            self._search.after(_search_entries(config) or [], page)
        return context

    on_page_context = CombinedEvent(_late_downloads, _page_context_for_search, _page_context_restore)

    @event_priority(-100)  # after every other plugin has seen the navigation
    def on_nav(self, nav, *, config, files):
        if self._aside:
            try:
                self._helper = pagebuild.start(self._aside, config, files, nav)
            except OSError:  # no process to spare (fork: EAGAIN, ENOMEM): MkDocs builds these pages here too
                for page in self._aside:
                    files.append(File.generated(config, page.path, content=page.text,
                                                inclusion=InclusionLevel.NOT_IN_NAV))
        return nav

    def on_build_error(self, *, error) -> None:
        self.stop_helper()

    def stop_helper(self) -> None:
        """End the helper process if it still runs (the build failed, or was interrupted)."""
        if self._helper is not None:
            self._helper.stop()
            self._helper = None

    def on_env(self, env, config, files):
        """Parts of Material's pages that are the same for many pages are rendered once: see ``site.partials``.
        On a site of the briefing's alone, the theme's templates are compiled once for all builds with these
        settings (``site.compiled``; the page cache's folder is named by them); serving without a build cache, once
        for the process."""
        if self._reusable(config):
            if self.cache is not None:
                env.bytecode_cache = compiled.kept(self.input.corpus.config.root, self.cache.folder.name)
            elif serving.active(config):
                env.bytecode_cache = compiled.KeptTemplates(None, self._site_key(config))
            if cachedir.enabled():
                partials.share(env)  # (which loads templates of its own)
        return env

    def on_page_content(self, html: str, page, config, files) -> str:
        assert self.site is not None
        generated = self.site.pages.get(page.file.src_uri)
        if generated is None:
            return html  # a page of the project's own (section mode): not ours to change
        if self.config.mode == "section":
            html = clean_html(html)  # what briefing.site.mdext does for a whole site
        try:
            return generated.unstash(html)
        except BriefingError as exc:
            raise PluginError(str(exc)) from exc

    def on_post_page(self, output: str, *, page, config) -> str:
        """MkDocs is about to write the page in place: a file it shares with the page cache (a kept page, or a
        page kept after an earlier build, left by ``mkdocs build --dirty``) is unlinked first, so that neither
        the cache nor another site holding the same file changes."""
        with contextlib.suppress(OSError):
            if os.lstat(page.file.abs_dest_path).st_nlink > 1:
                os.unlink(page.file.abs_dest_path)
        return output

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return mkdocs_config.relative_404(output_content) if template_name == "404.html" else output_content

    @event_priority(-110)  # after Material's offline plugin has written search_index.js
    def on_post_build(self, *, config) -> None:
        from .site.search import page_of, shape_site

        if self._search is not None:
            self._search.close()

        site_dir = Path(config.site_dir)
        if self._helper is not None:  # its pages are written once it answers; their entries go where they belong
            helper, self._helper = self._helper, None
            try:
                self._reused.update(helper.wait())
            except BriefingError as exc:
                raise PluginError(str(exc)) from exc
        order = [html_path(path) for path in self.site.pages] if self.site is not None else []
        entries = shape_site(site_dir, self.site.record_pages() if self.site is not None else frozenset(),
                             self._reused, order)
        if self.cache is not None:
            by_page: dict[str, list[dict]] = {}
            for entry in entries or []:
                by_page.setdefault(page_of(entry), []).append(entry)
            for location, key in self._to_keep.items():
                if (site_dir / location).is_file():
                    self.cache.put(key, site_dir / location, by_page.get(location, []))
            self.cache.save()

    def on_serve(self, server, config, builder):
        serving.serve_with(server)
        if self.root is not None and (self.root / "sources").is_dir():
            server.watch(str(self.root / "sources"))
        self._watch_style()
        if self.input is not None and self.site is not None and not self.site.paths.shared:
            docs = self.input.corpus.config.root / "docs"
            if docs.is_dir():
                server.watch(str(docs))
        return server

    def _watch_style(self) -> None:
        """A citation style file of the corpus's own is watched while serving, also one it names only after the
        server started (each build asks: ``serving.watch``)."""
        if self.input is not None:
            root = self.input.corpus.config.root
            style = style_path(self.input.corpus.config.citation_style, root)
            if style is not None and style.is_relative_to(root):
                serving.watch(style)


class KeptPage(File):
    """A page copied from the page cache: hard-linked into the site where the file system allows. No page is ever
    written into in place while it may share its file (``BriefingPlugin.on_post_page``), and the cache checks a
    kept page's SHA-256 before it hands it out again."""

    def copy_file(self, dirty: bool = False) -> None:
        assert self.abs_src_path is not None
        source, target = self.abs_src_path, self.abs_dest_path
        try:
            try:  # one call for most of thousands of pages: the folder is there, the name is free
                os.link(source, target)
            except FileNotFoundError:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.link(source, target)
            except FileExistsError:
                os.unlink(target)
                os.link(source, target)
        except OSError:
            super().copy_file(dirty)


def _search_plugin(config):
    return config.plugins.get("material/search") or config.plugins.get("search")


def _search_entries(config) -> list[dict] | None:
    """The entries of the search plugin's index so far (Material's ``SearchIndex.entries``), or None."""
    entries = getattr(getattr(_search_plugin(config), "search_index", None), "entries", None)
    return entries if isinstance(entries, list) else None


def _nav_paths(nav: object) -> list[str]:
    """Every page path a MkDocs navigation lists."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    return []


def _without(nav: list, paths: set[str]) -> list:
    """A navigation without the entries for these pages (and without the sections left empty)."""
    out: list = []
    for item in nav:
        if isinstance(item, dict):
            [(title, value)] = item.items()
            if isinstance(value, list):
                value = _without(value, paths)
                if value:
                    out.append({title: value})
            elif value not in paths:
                out.append(item)
        elif item not in paths:
            out.append(item)
    return out
