"""The analysts' own Markdown reaches the page as Markdown: quotes, code and raw HTML are not escaped twice."""

from __future__ import annotations

from pathlib import Path

from site_helpers import build, content


def test_blockquote_code_and_comment_render_as_markdown(tmp_path: Path, minimal: Path) -> None:
    page = minimal / "docs/themes/trade.md"
    page.write_text(page.read_text("utf-8") + "\n> A quoted line.\n\n    if a && b < c: pass\n\n"
                    "<!-- analyst's note -->\n", "utf-8")
    site = build(minimal, tmp_path / "site")
    body = content(site, "themes/trade.html")
    assert body.find("blockquote").get_text(strip=True) == "A quoted line."
    assert "if a && b < c: pass" in body.find("pre").get_text()
    assert "analyst's note" not in body.get_text()
    assert "> A quoted line" not in body.get_text()
