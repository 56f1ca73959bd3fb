"""The site as a complete source folder: generated Markdown, assets, attachments and a standard mkdocs.yml.

Any engine that reads mkdocs.yml and Python-Markdown builds it without the ``briefing`` plugin: MkDocs +
Material, and Zensical (``briefing build --engine zensical``). Citations, claim links, badges, the marking
banner (a theme override reading each page's ``marking``) and the version footer are all in the source.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from . import mkdocs_config
from .context import SiteInput
from .pages import Site

ENGINE_PLUGINS = ("search", "offline")


def export(data: SiteInput, site: Site, docs_src: Path | None, out: Path) -> Path:
    """Write the site source into ``out`` (docs/, overrides/, mkdocs.yml); returns the mkdocs.yml path."""
    docs = out / "docs"
    for page in site.pages.values():
        path = docs / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
    for asset in sorted(mkdocs_config.ASSETS.iterdir()):
        target = docs / mkdocs_config.ASSET_DIR / asset.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(asset, target)
    for attachment in sorted(data.corpus.files):
        target = docs / attachment
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile((docs_src or docs) / attachment, target)
    for download in data.downloads:
        target = docs / "downloads" / download.file.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(download.file, target)
    shutil.copytree(mkdocs_config.OVERRIDES, out / "overrides")
    config: dict[str, Any] = {**mkdocs_config.settings(data), "docs_dir": "docs", "nav": site.nav,
                              "plugins": list(ENGINE_PLUGINS)}
    config["theme"] = {**config["theme"], "custom_dir": "overrides"}
    path = out / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
