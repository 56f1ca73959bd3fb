"""The analysts' docs/: their Markdown reaches the page as Markdown, their attachments only when a page allows."""

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


def test_attachments_are_published_only_when_a_page_at_the_ceiling_uses_them(tmp_path: Path, minimal: Path) -> None:
    (minimal / "docs/img").mkdir()
    for name in ("secret-map.png", "open-map.png"):
        (minimal / "docs/img" / name).write_bytes(b"\x89PNG")
    (minimal / "docs/notes.txt").write_text("loose notes", "utf-8")
    (minimal / "docs/amber.md").write_text("---\ntitle: Amber notes\nmarking: TLP:AMBER\n---\n# Amber\n\n"
                                           "![map](img/secret-map.png)\n", "utf-8")
    page = minimal / "docs/themes/trade.md"
    page.write_text(page.read_text("utf-8") + "\n![open map](../img/open-map.png)\n", "utf-8")
    clear = build(minimal, tmp_path / "clear")
    assert (clear / "img/open-map.png").is_file()
    assert not (clear / "img/secret-map.png").exists() and not (clear / "notes.txt").exists()
    amber = build(minimal, tmp_path / "amber", ceiling="TLP:AMBER")
    assert (amber / "img/secret-map.png").is_file()
