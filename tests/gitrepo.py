"""A real temporary git repository holding the example corpus, with two dated commits and a release tag."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

FIRST_DATE, SECOND_DATE = "2024-10-01T10:00:00+00:00", "2024-10-20T10:00:00+00:00"

NEW_SOURCE = """
@dataset{customs2024widgets,
  author = {{Customs Service}},
  title = {Widget trade statistics 2023},
  institution = {Customs Service},
  date = {2024-04},
  reliability = {B},
  reliability_note = {Official statistics, method published},
  descriptor = {Official customs data},
  source_class = {official-statistics},
}
"""

NEW_LINK = """      - source: customs2024widgets
        locator: table 2
        excerpt: "widget trade up 19 per cent"
        stance: supports
        credibility: 2
"""


def git(root: Path, *args: str, date: str = FIRST_DATE) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Analyst",
           "GIT_AUTHOR_EMAIL": "analyst@example.org", "GIT_COMMITTER_NAME": "Analyst",
           "GIT_COMMITTER_EMAIL": "analyst@example.org", "GIT_CONFIG_GLOBAL": "/dev/null"}
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True)
    return result.stdout.strip()


def make_history(root: Path) -> None:
    """v1.0 on 2024-10-01; then on 2024-10-20 a new customs source confirms 'widget-trade-grew'."""
    (root / ".gitignore").write_text("site/\ndist/\n.briefing-build-*/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "First release")
    git(root, "tag", "-a", "v1.0", "-m", "v1.0")
    with (root / "sources/references.bib").open("a", encoding="utf-8") as f:
        f.write(NEW_SOURCE)
    claims = root / "sources/claims/widgets.yml"
    text = claims.read_text(encoding="utf-8")
    head, _, tail = text.partition("  - id: widget-trade-grew")
    tail = tail.replace("status: reported", "status: confirmed") + NEW_LINK
    claims.write_text(head + "  - id: widget-trade-grew" + tail, encoding="utf-8")
    git(root, "commit", "-q", "-am", "Customs data confirms trade growth", date=SECOND_DATE)
