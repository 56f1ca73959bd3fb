"""Problems found while loading or checking a corpus, reported as ``path:line: severity: message [rule]``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"
NOTE = "note"


@dataclass(frozen=True, order=True)
class Loc:
    """Where a record came from: a file and a 1-based line (0 when the whole file is meant)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Rule:
    """A rule of the checker: a stable id, the severity of what it finds, and what it checks."""

    id: str
    severity: str
    text: str


RULES: dict[str, Rule] = {}  # every rule, declared with rule() next to the code that reports it


def rule(ident: str, text: str, severity: str = ERROR) -> str:
    """Declare a rule (``briefing check --rules`` lists them); returns its id."""
    RULES[ident] = Rule(ident, severity, text)
    return ident


@dataclass(frozen=True)
class Problem:
    loc: Loc
    severity: str
    message: str
    rule: str
    suggestion: str | None = None  # the "did you mean" word, when the message offers one

    def __str__(self) -> str:
        return f"{self.loc}: {self.severity}: {self.message} [{self.rule}]"

    def sort_key(self) -> tuple:
        return (self.loc.path, self.loc.line, self.rule, self.message)


@dataclass
class Problems:
    """A collector: every loader and check appends here instead of raising.

    It also remembers what the loader could not read or trust, so that the checker reports the cause once
    instead of piling follow-on errors on it: record files in sources/ that could not be read (their ids are
    unknown, so references to them cannot be judged), and records whose marking was not a TLP 2.0 label (they
    are treated as TLP:RED meanwhile, which is not a leak to report as well).
    """

    items: list[Problem] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # files (or folders) below sources/, as shown
    bad_markings: set[tuple[str, str]] = field(default_factory=set)  # (kind as in refs.Ref, id or key)

    def error(self, loc: Loc, rule: str, message: str) -> None:
        self.items.append(Problem(loc, ERROR, message, rule, _suggestion(message)))

    def warning(self, loc: Loc, rule: str, message: str) -> None:
        self.items.append(Problem(loc, WARNING, message, rule, _suggestion(message)))

    def note(self, loc: Loc, rule: str, message: str) -> None:
        self.items.append(Problem(loc, NOTE, message, rule, _suggestion(message)))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        unique = {(p.loc, p.severity, p.message, p.rule): p for p in self.items}
        return sorted(unique.values(), key=Problem.sort_key)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def suggest(word: str, choices: Iterable[str], cutoff: float = 0.7) -> str:
    """Return ' (did you mean 'x'?)' for a close match among choices, else ''."""
    options = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=cutoff)
    return DID_YOU_MEAN.format(options[match[0]]) if match else ""


DID_YOU_MEAN = " (did you mean '{}'?)"
_DID_YOU_MEAN = re.compile(r" \(did you mean '(.+?)'\?\)")


def _suggestion(message: str) -> str | None:
    """The word a message built with ``suggest`` offers, for machine-readable output (``check --format``)."""
    found = _DID_YOU_MEAN.search(message)
    return found.group(1) if found else None


def rel(path: Path, root: Path) -> str:
    """A path as the analyst types it: relative to the project root when inside it."""
    for candidate in (path.absolute(), path.resolve()):
        try:
            return candidate.relative_to(root.absolute()).as_posix()
        except ValueError:
            try:
                return candidate.relative_to(root.resolve()).as_posix()
            except ValueError:
                continue
    return path.as_posix()
