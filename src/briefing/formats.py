"""``briefing check --format``: problems as text, JSON, SARIF 2.1.0 or GitHub Actions workflow commands.

Paths are as the text shows them: relative to the corpus root (SARIF says so with ``uriBaseId``), except in
workflow commands, which GitHub resolves against the folder the job runs in (the repository's root).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from .problems import ERROR, NOTE, WARNING, Problem

FORMATS = ("text", "json", "sarif", "github")

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVELS = {ERROR: "error", WARNING: "warning", NOTE: "note"}
GITHUB_COMMANDS = {ERROR: "error", WARNING: "warning", NOTE: "notice"}
ROOT_ID = "%SRCROOT%"


def as_json(problems: list[Problem]) -> str:
    """A JSON array, one object per problem; line and column are null when not known."""
    return json.dumps([
        {"path": p.loc.path, "line": p.loc.line or None, "column": None, "severity": p.severity, "rule": p.rule,
         "message": p.message, "suggestion": p.suggestion}
        for p in problems
    ], indent=2, ensure_ascii=False) + "\n"


def as_sarif(problems: list[Problem], rules: dict[str, str], root: Path, version: str) -> str:
    """A SARIF 2.1.0 log with one run: the tool with every rule, and a result per problem."""
    index = {rule: i for i, rule in enumerate(rules)}
    results = []
    for p in problems:
        result: dict[str, object] = {"ruleId": p.rule, "level": SARIF_LEVELS[p.severity],
                                     "message": {"text": p.message}}
        if p.rule in index:
            result["ruleIndex"] = index[p.rule]
        physical: dict[str, object] = {"artifactLocation": _artifact(p.loc.path)}
        if p.loc.line > 0:
            physical["region"] = {"startLine": p.loc.line}
        result["locations"] = [{"physicalLocation": physical}]
        if p.suggestion:
            result["properties"] = {"suggestion": p.suggestion}
        results.append(result)
    log = {
        "version": "2.1.0",
        "$schema": SARIF_SCHEMA,
        "runs": [{
            "tool": {"driver": {
                "name": "briefing",
                "version": version,
                "rules": [{"id": rule, "shortDescription": {"text": text}} for rule, text in rules.items()],
            }},
            "originalUriBaseIds": {ROOT_ID: {"uri": root.resolve().as_uri() + "/"}},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _artifact(path: str) -> dict[str, str]:
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path), "uriBaseId": ROOT_ID}


def as_github(problems: list[Problem], root: Path, cwd: Path) -> str:
    """GitHub Actions workflow commands: '::error file=PATH,line=N,title=RULE::MESSAGE', one line each."""
    lines = []
    for p in problems:
        props = [f"file={_property(_from(cwd, root, p.loc.path))}"]
        if p.loc.line > 0:
            props.append(f"line={p.loc.line}")
        props.append(f"title={_property(p.rule)}")
        lines.append(f"::{GITHUB_COMMANDS[p.severity]} {','.join(props)}::{_data(p.message)}\n")
    return "".join(lines)


def _from(cwd: Path, root: Path, path: str) -> str:
    """A problem's path relative to the current folder, when it is inside it."""
    target = (root / path).resolve()
    try:
        return target.relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return os.fspath(target)


def _data(text: str) -> str:
    """Escape a workflow command's message as GitHub's toolkit does (escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a workflow command's property value (escapeProperty)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
