"""Problems found while loading or checking a corpus, reported as ``path:line: severity: message [rule]``."""

from __future__ import annotations

import difflib
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
class Problem:
    loc: Loc
    severity: str
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.severity}: {self.message} [{self.rule}]"

    def sort_key(self) -> tuple:
        return (self.loc.path, self.loc.line, self.rule, self.message)


@dataclass
class Problems:
    """A collector: every loader and check appends here instead of raising."""

    items: list[Problem] = field(default_factory=list)

    def error(self, loc: Loc, rule: str, message: str) -> None:
        self.items.append(Problem(loc, ERROR, message, rule))

    def warning(self, loc: Loc, rule: str, message: str) -> None:
        self.items.append(Problem(loc, WARNING, message, rule))

    def note(self, loc: Loc, rule: str, message: str) -> None:
        self.items.append(Problem(loc, NOTE, message, rule))

    def extend(self, other: Iterable[Problem]) -> None:
        self.items.extend(other)

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
    return f" (did you mean '{options[match[0]]}'?)" if match else ""


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
