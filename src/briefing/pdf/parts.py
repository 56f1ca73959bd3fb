"""The PDF files of one pack: the pack itself and, when its registers are set apart, one annex per register.

A register lists one row per record (``vocab.REGISTERS``). Set apart (the pack's ``registers: separate``, or
``auto`` above ``vocab.SEPARATE_ROWS`` rows), each is an annex PDF of its own, marked and paged like the pack:
the evidence register one per theme, then the timeline, the entities and the sources. The pack then shows its
evidence as counts per theme and status, and lists its annexes. Typst's time and memory follow what one document
holds, so a 5,000-claim pack compiles in parts of a few hundred pages at most, each in its own process, and an
edit to one claim compiles again only the parts that show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import vocab
from ..model import Corpus, Pack
from ..scope import Scope, select

TITLES = {**{r: vocab.SECTION_TITLES[r] for r in vocab.REGISTERS}, "evidence": "Evidence register"}  # the annexes'

PURPOSES = {
    "evidence": "The evidence status, confidence, best grade and independent origins of every claim on {theme}",
    "timeline": "Every dated event in the pack, with its sources and the claims it bears on",
    "entities": "Every entity the pack names, with its aliases and sanctions",
    "sources": "Every source the pack draws on, in full, with its reliability grade",
}


@dataclass(frozen=True)
class Part:
    """One PDF of a pack: the pack itself (no register) or one of its annexes."""

    pack: str  # the pack's id
    file: str  # its name in dist/: 'full.pdf', 'full-evidence-trade.pdf'
    register: str = ""  # the register section an annex holds; '' for the pack itself
    theme: str = ""  # the theme of an evidence annex
    title: str = ""  # an annex's title: 'Evidence register: Trade'
    purpose: str = ""  # an annex's purpose, as its details print it
    annexes: tuple[Part, ...] = ()  # the pack itself: its annexes, when its registers are set apart
    scope: Scope | None = field(default=None, compare=False, repr=False)  # the pack's records (``select``), made once

    @property
    def annex(self) -> bool:
        return bool(self.register)

    @property
    def separate(self) -> set[str]:
        """The pack itself: the registers it leaves to its annexes."""
        return {a.register for a in self.annexes}


def separate(pack: Pack, scope: Scope) -> tuple[str, ...]:
    """The pack's registers that go to annexes of their own: all of them or none."""
    registers = tuple(s for s in pack.sections if s in vocab.REGISTERS)
    if pack.registers == "separate":
        return registers
    if pack.registers == "auto" and sum(len(scope.held(r) or ()) for r in registers) > vocab.SEPARATE_ROWS:
        return registers
    return ()


def file_word(ident: str) -> str:
    """A theme id as part of an annex's file name: the id as it is when it is one (``checks.ID_FORMAT``, unique
    ignoring case: two themes never share a file), anything else in ASCII letters, digits, '.', '_' and '-',
    starting with a letter or digit (safe in a URL and a cache name; never a folder or a hidden file)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", ident).lstrip("._-") or "other"


def parts(corpus: Corpus, pack: Pack) -> list[Part]:
    """The PDFs of a pack, the pack first, each with the pack's records (selected once, for all of them). ``corpus``
    is already cut to the pack's ceiling; a part is rendered with this corpus."""
    scope = select(corpus, pack)
    annexes = []
    for register in separate(pack, scope):
        if register != "evidence":
            annexes.append(Part(pack.id, f"{pack.id}-{register}.pdf", register, title=TITLES[register],
                                purpose=PURPOSES[register], scope=scope))
            continue
        for theme in dict.fromkeys(c.theme for c in scope.claims):  # in the pack's order of themes
            known = corpus.themes.get(theme)
            name = known.title if known else "Other"
            annexes.append(Part(pack.id, f"{pack.id}-evidence-{file_word(theme)}.pdf", register, theme,
                                f"{TITLES[register]}: {name}", PURPOSES[register].format(theme=name), scope=scope))
    return [Part(pack.id, f"{pack.id}.pdf", annexes=tuple(annexes), scope=scope), *annexes]
