"""The MkDocs plugin: turns a corpus root into the briefing site.

``mkdocs build`` / ``mkdocs serve`` at a corpus root load and check the corpus themselves; ``briefing build``
hands the plugin a prepared corpus instead (``BriefingPlugin.input``). Either way the pages come from
``briefing.site.pages`` and the rest of the configuration from ``briefing.site.mkdocs_config``.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .site import mkdocs_config
from .site.context import SiteInput
from .site.pages import Site, generate, unstash_html


class BriefingPluginConfig(Config):
    root = opt.Optional(opt.Type(str))  # the corpus root; default: the folder holding mkdocs.yml
    ceiling = opt.Optional(opt.Type(str))  # default: 'ceiling' in sources/corpus.yml


class BriefingPlugin(BasePlugin[BriefingPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.input: SiteInput | None = None  # set by briefing.site.build_site
        self.site: Site | None = None
        self.root: Path | None = None

    @event_priority(100)  # before Material's offline plugin looks for a worker shim
    def on_config(self, config):
        self.root = Path(self.config.root or Path(config.config_file_path).parent).resolve()
        if self.input is None:
            from .site.standalone import load_input

            self.input = load_input(self.root, self.config.ceiling)
            if self.input.version.epoch and "SOURCE_DATE_EPOCH" not in os.environ:
                os.environ["SOURCE_DATE_EPOCH"] = str(self.input.version.epoch)
        self.site = generate(self.input)
        mkdocs_config.apply(config, self.site, self.input)
        return config

    def on_files(self, files: Files, config) -> Files:
        assert self.site is not None and self.input is not None
        attachments = self.input.corpus.files  # linked by a page kept at the ceiling, and marked within it
        for file in list(files):
            # The analysts' pages come back through the corpus (marking cut); of the other files in docs/, only
            # those a kept page links by their exact path are published (the theme's own files come from
            # elsewhere: they have no source in docs/).
            if file.is_documentation_page() or (file.abs_src_path and self._in_docs(file, config)
                                                and file.src_uri not in attachments):
                files.remove(file)
        for page in self.site.pages.values():
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.path, content=page.text, inclusion=inclusion))
        for asset in sorted(mkdocs_config.ASSETS.iterdir()):
            files.append(File.generated(config, f"{mkdocs_config.ASSET_DIR}/{asset.name}",
                                        abs_src_path=str(asset)))
        for download in self.input.downloads:
            files.append(File.generated(config, f"downloads/{download.file.name}",
                                        abs_src_path=str(download.file)))
        return files

    @staticmethod
    def _in_docs(file: File, config) -> bool:
        return Path(file.abs_src_path or "").absolute().is_relative_to(Path(config.docs_dir).absolute())

    def on_page_content(self, html: str, page, config, files) -> str:
        assert self.site is not None
        generated = self.site.pages.get(page.file.src_uri)
        return unstash_html(html, generated.html_blocks) if generated is not None else html

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return mkdocs_config.relative_404(output_content) if template_name == "404.html" else output_content

    def on_serve(self, server, config, builder):
        if self.root is not None and (self.root / "sources").is_dir():
            server.watch(str(self.root / "sources"))
        return server
