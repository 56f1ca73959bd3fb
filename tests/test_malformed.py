"""Malformed input: each case ends in one clear `path:line: error: ... [rule]` line, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from checkhelp import briefing, only, run

BAD = "sources/claims/bad.yml"


def write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def cli_check(root: Path) -> subprocess.CompletedProcess[str]:
    return briefing("check", "--root", str(root), "--today", "2024-11-01")


@pytest.mark.parametrize(
    ("data", "rule", "line", "message"),
    [
        ("claims:\n  - id: x\n    statement: [unclosed\n", "yaml-syntax", 4, "invalid YAML"),
        ("claims:\n\t- id: x\n", "yaml-syntax", 2, "invalid YAML"),
        (b"claims: []\n# caf\xe9\n", "file-encoding", 2, "not UTF-8: byte 0xe9"),
        (b"", "file-empty", 1, "file is empty"),
        ("# nothing yet\n", "file-empty", 1, "only comments"),
        ("---\n~\n", "file-empty", 1, "only comments or an empty document"),
        ("- a\n- b\n", "wrong-type", 1, "must be a mapping"),
        ("claims: {id: x}\n", "wrong-type", 1, "'claims' must be a list of claim records"),
        ("claims:\n  - just a string\n", "wrong-type", 2, "each item of 'claims' must be a mapping"),
        ("claims:\n  - id: x\n    theme: trade\n    status: reported\n    statement: S\n    evidence: notalist\n",
         "wrong-type", 6, "'evidence' of claim must be a list, not str"),
        ("claims:\n  - id: x\n    id: y\n", "yaml-duplicate-key", 3, "'id'"),
        ("widgets:\n  - id: x\n", "unknown-key", 1, "unknown record kind 'widgets'; expected one of: claims, entities"),
        ("figures:\n  - {id: f, label: L, value: '1,000 t', unit: t, period: '2024', measures: M,\n"
         "     source: institute2024trade, locator: p. 1, excerpt: x}\n", "wrong-type", 2, "must be a number"),
    ],
    ids=["unclosed-flow", "tab-indent", "latin-1", "empty", "comments-only", "null-document",
         "top-list", "claims-mapping", "item-string",
         "evidence-string", "duplicate-key", "unknown-kind", "number-with-comma"],
)
def test_malformed_yaml(minimal: Path, data: str | bytes, rule: str, line: int | None, message: str) -> None:
    write(minimal, BAD, data)
    problem = only(run(minimal), rule)
    assert problem.loc.path == BAD
    assert problem.loc.line == line
    assert message in problem.message


def test_bibtex_syntax_error_points_at_the_entry_and_keeps_the_rest(minimal: Path) -> None:
    bib = minimal / "sources/references.bib"
    lines_before = bib.read_text(encoding="utf-8").count("\n")
    with bib.open("a", encoding="utf-8") as f:
        f.write("\n@article{broken,\n  title = {unclosed\n")
    problems = run(minimal)
    problem = only(problems, "bib-syntax")
    assert problem.loc.path == "sources/references.bib"
    assert problem.loc.line == lines_before + 2
    assert "unresolved-source" not in [p.rule for p in problems]  # the good entries still load


def test_unreadable_file_is_reported_not_skipped(minimal: Path) -> None:
    (minimal / "sources/claims/gone.yml").symlink_to(minimal / "nowhere.yml")
    problem = only(run(minimal), "file-unreadable")
    assert problem.loc.path == "sources/claims/gone.yml"


def test_missing_sources_folder(tmp_path: Path) -> None:
    problem = only(run(tmp_path), "file-missing")
    assert "no 'sources/' folder" in problem.message


def test_non_utf8_markdown_page(minimal: Path) -> None:
    write(minimal, "docs/bad.md", b"# Title\n\nna\xefve\n")
    problem = only(run(minimal), "file-encoding")
    assert (problem.loc.path, problem.loc.line) == ("docs/bad.md", 3)


def test_many_problems_reported_in_one_run_sorted(minimal: Path) -> None:
    write(minimal, "sources/claims/a.yml", "claims:\n  - id: a\n    statement: [x\n")
    write(minimal, "sources/claims/b.yml", b"\xff")
    write(minimal, "sources/claims/c.yml", "")
    result = cli_check(minimal)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [e.split(":")[0] for e in errors] == ["sources/claims/a.yml", "sources/claims/b.yml", "sources/claims/c.yml"]
    assert "Traceback" not in result.stderr


def test_a_20000_record_file_loads_without_a_traceback(minimal: Path) -> None:
    lines = ["events:"]
    lines += [f"  - {{id: ev{i}, date: 2024-01-02, title: E{i}, sources: [agency2024widgets]}}" for i in range(20_000)]
    lines.append("  - {id: ev-bad, date: 2024-13-45, title: Bad date}")
    write(minimal, "sources/big.yml", "\n".join(lines) + "\n")
    result = cli_check(minimal)
    assert "Traceback" not in result.stderr
    assert f"sources/big.yml:{20_002}: error: " in result.stderr
    assert "[invalid-date]" in result.stderr
    assert result.returncode == 1


def test_a_file_of_comments_fails_the_check_it_would_have_silenced(minimal: Path) -> None:
    """A records file holding nothing is an error: it cannot pass as a file whose records are unknown, which would
    have let an unresolved reference through as unjudged (and its id onto a page)."""
    write(minimal, BAD, "# nothing yet\n")
    claims = minimal / "sources/claims/widgets.yml"
    claims.write_text(claims.read_text("utf-8").replace("theme: trade", "theme: nosuchtheme", 1), "utf-8")
    done = cli_check(minimal)
    assert done.returncode == 1
    assert f"{BAD}:1: error: file holds no data" in done.stderr
