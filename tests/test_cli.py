"""The `briefing` command as a user runs it: exit codes, output format, help, no tracebacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from checkhelp import CLAIMS, briefing, edit

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<severity>error|warning|note): .+ \[(?P<rule>[a-z-]+)\]$")


def test_clean_corpus_exits_zero(minimal: Path) -> None:
    result = briefing("check", "--root", str(minimal), "--today", "2024-11-01")
    assert result.returncode == 0, result.stderr
    assert "ok: 4 sources, 2 claims" in result.stderr


def test_warnings_fail_only_with_strict(minimal: Path) -> None:
    late = ("check", "--root", str(minimal), "--today", "2026-01-01")
    relaxed, strict = briefing(*late), briefing(*late, "--strict")
    assert relaxed.returncode == 0
    assert strict.returncode == 1
    assert "[stale-claim]" in strict.stderr


def test_errors_are_one_line_each_sorted_with_a_suggestion(minimal: Path) -> None:
    edit(minimal, CLAIMS, "    confidence: moderate\n    tags", "    confidance: moderate\n    tags")
    edit(minimal, CLAIMS, "status: reported", "status: rumoured")
    result = briefing("check", "--root", str(minimal), "--today", "2024-11-01")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if LINE.match(line)]
    assert len(lines) == 2
    keys = [(m["path"], int(m["line"])) for m in map(LINE.match, lines) if m]
    assert keys == sorted(keys)
    assert "unknown key 'confidance' in claim (did you mean 'confidence'?) [unknown-key]" in result.stderr
    assert "[invalid-value]" in result.stderr
    assert result.stderr.strip().endswith("2 error(s), 0 warning(s)")


@pytest.mark.parametrize("args", [["frobnicate"], ["check", "--today", "yesterday"], ["build", "--ceiling", "SECRET"],
                                  []])
def test_usage_errors_exit_two(minimal: Path, args: list[str]) -> None:
    result = briefing(*args, cwd=minimal)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "usage:" in result.stderr or "error:" in result.stderr


@pytest.mark.parametrize("command", [[], ["check"], ["build"], ["diff"], ["pack"]])
def test_help_says_what_each_command_does_with_an_example(command: list[str]) -> None:
    result = briefing(*command, "--help")
    assert result.returncode == 0
    assert "usage: briefing" in result.stdout
    if command:
        assert "example" in result.stdout


def test_rules_lists_every_rule_id() -> None:
    from briefing.problems import RULES

    result = briefing("check", "--rules")
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == list(RULES)


def test_build_refuses_on_errors_and_leaves_previous_output(minimal: Path) -> None:
    (minimal / "site").mkdir()
    (minimal / "site/index.html").write_text("previous good site", encoding="utf-8")
    edit(minimal, CLAIMS, "source: agency2024widgets", "source: agency2042widgets")
    result = briefing("build", "--root", str(minimal), "--today", "2024-11-01")
    assert result.returncode == 1
    assert "build refused" in result.stderr
    assert (minimal / "site/index.html").read_text(encoding="utf-8") == "previous good site"
    assert not (minimal / "dist").exists()
    assert not list(minimal.glob(".briefing-build-*"))


def test_text_the_fonts_cannot_set_fails_the_build_cleanly(minimal: Path) -> None:
    edit(minimal, CLAIMS, "statement: Widget trade grew in 2023.", "statement: Widget trade (\u8d38\u6613) grew.")
    result = briefing("build", "--root", str(minimal), "--today", "2024-11-01")
    assert result.returncode == 1
    assert "error: pack 'full': Typst could not set it:" in result.stderr and "\u8d38" in result.stderr
    assert "Traceback" not in result.stderr and not (minimal / "dist").exists()


def test_every_reported_rule_is_declared_with_its_severity() -> None:
    """Every problem the code reports names a declared rule, at the severity it was declared with."""
    import ast

    from briefing import cli  # noqa: F401 - imports every module that declares rules
    from briefing.problems import RULES

    found = set()
    for path in (Path(__file__).resolve().parent.parent / "src" / "briefing").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("error", "warning", "note") and len(node.args) == 3
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
                found.add((node.func.attr, node.args[1].value, path.name))
    assert len(found) > 40
    for severity, ident, where in sorted(found):
        assert ident in RULES, f"{where}: {ident} is reported but not declared with rule()"
        assert RULES[ident].severity == severity, f"{where}: {ident} is declared {RULES[ident].severity}"
