"""Property: for any corpus with any markings, and any of the usual mistakes in writing them, a build at a ceiling
either refuses (and writes nothing) or writes nothing marked above the ceiling, in any output file.

Every record carries a unique token; a real ``briefing build`` runs; every output is searched: site files, zip
members, PDF text (with line-end hyphens joined), raw PDF bytes and metadata, manifest and SHA256SUMS.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from checkhelp import briefing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefing.vocab import MARKINGS, marking_rank

CORPUS = """title: Property corpus
default_marking: TLP:CLEAR
ceiling: {ceiling}
"""
RECORDS = """themes:
  - {{id: main, title: Main theme}}
packs:
  - id: pack
    title: Property pack
    ceiling: {ceiling}
    sections: [evidence, sources, annex-scales]
"""
MISTAKES = ("none", "misspelt", "capital", "unclosed", "blank-first")


@dataclass
class Record:
    kind: str  # source, claim or page
    n: int
    marking: str
    mistake: str = "none"

    @property
    def token(self) -> str:
        return f"Qz{self.kind}{self.n}tok"


def source_bib(r: Record) -> str:
    field = "markings" if r.mistake == "misspelt" else "Marking"  # BibTeX field names ignore case
    return (f"@report{{src{r.n},\n  author = {{{{{r.token} Office}}}},\n  title = {{Report {r.token}}},\n"
            f"  institution = {{Office}},\n  date = {{2024-01-0{1 + r.n % 9}}},\n  reliability = {{B}},\n"
            f"  reliability_note = {{Graded}},\n  {field} = {{{r.marking}}},\n}}\n")


def claim_yaml(r: Record, source: int) -> str:
    return (f"  - id: claim{r.n}\n    statement: The claim {r.token} holds.\n    theme: main\n    status: reported\n"
            f"    marking: {r.marking}\n    reviewed: 2024-10-01\n    evidence:\n      - source: src{source}\n"
            f"        locator: p. 1\n        excerpt: \"{r.token}\"\n        credibility: 3\n")


def page_md(r: Record, claim: int) -> str:
    key = {"misspelt": "markings", "capital": "Marking"}.get(r.mistake, "marking")
    head = f"---\ntitle: Page {r.token}\n{key}: {r.marking}\n---\n"
    if r.mistake == "unclosed":
        head = head[: -len("---\n")]
    elif r.mistake == "blank-first":
        head = "\n" + head
    return f"{head}# Page {r.token}\n\nThe analysis {r.token} rests on [claim:claim{claim}].\n"


markings = st.sampled_from(MARKINGS)
mistakes = st.sampled_from(MISTAKES[:1] * 8 + MISTAKES[1:])  # mostly well formed, so that most examples build


def at_least(marking: str, floor: str) -> str:
    """A record never depends on one marked above it (else the checker refuses, rightly, and nothing is built)."""
    return max(marking, floor, key=marking_rank)


@st.composite
def corpora(draw: st.DrawFn) -> tuple[str, list[Record], list[tuple[Record, int]], list[tuple[Record, int]]]:
    ceiling = draw(st.sampled_from(MARKINGS[:3]))
    sources = [Record("source", 0, "TLP:CLEAR")]  # something is always publishable
    sources += [Record("source", i, draw(markings), draw(mistakes.filter(lambda m: m in ("none", "misspelt"))))
                for i in range(1, draw(st.integers(1, 3)) + 1)]
    claims = [(Record("claim", 0, "TLP:CLEAR"), 0)]
    for i in range(1, draw(st.integers(1, 3)) + 1):
        source = draw(st.integers(0, len(sources) - 1))
        claims.append((Record("claim", i, at_least(draw(markings), sources[source].marking)), source))
    pages = []
    for i in range(draw(st.integers(0, 3))):
        claim = draw(st.integers(0, len(claims) - 1))
        pages.append((Record("page", i, at_least(draw(markings), claims[claim][0].marking), draw(mistakes)), claim))
    return ceiling, sources, claims, pages


def write(root: Path, ceiling: str, sources: list[Record], claims: list[tuple[Record, int]],
          pages: list[tuple[Record, int]]) -> None:
    if root.exists():
        shutil.rmtree(root)
    (root / "sources").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "sources/corpus.yml").write_text(CORPUS.format(ceiling=ceiling), encoding="utf-8")
    (root / "sources/records.yml").write_text(RECORDS.format(ceiling=ceiling), encoding="utf-8")
    (root / "sources/refs.bib").write_text("\n".join(source_bib(s) for s in sources), encoding="utf-8")
    (root / "sources/claims.yml").write_text("claims:\n" + "".join(claim_yaml(c, s) for c, s in claims),
                                             encoding="utf-8")
    for page, claim in pages:
        (root / "docs" / f"page{page.n}.md").write_text(page_md(page, claims[claim][0].n), encoding="utf-8")


def everything_written(root: Path) -> str:
    parts = [p.read_bytes().decode("utf-8", "replace") for p in sorted((root / "site").rglob("*")) if p.is_file()]
    for path in sorted((root / "dist").iterdir()):
        data = path.read_bytes()
        parts.append(data.decode("latin-1"))
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        if path.suffix == ".pdf":
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
            parts += [text, re.sub(r"-?\s+", "", text)]  # words split at line ends count too
            reader = PdfReader(path)
            parts.append(json.dumps({k: str(v) for k, v in (reader.metadata or {}).items()}))
            xmp = reader.xmp_metadata
            if xmp is not None:
                parts.append(str(xmp.rdf_root.toxml()))
    return "\n".join(parts)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpus=corpora())
def test_nothing_above_the_ceiling_reaches_any_output(tmp_path: Path, corpus) -> None:
    ceiling, sources, claims, pages = corpus
    root = tmp_path / "corpus"
    write(root, ceiling, sources, claims, pages)
    result = briefing("build", "--root", str(root), "--today", "2024-11-01", "--no-changes")
    records = sources + [c for c, _ in claims] + [p for p, _ in pages]
    if any(r.mistake != "none" for r in records):
        assert result.returncode == 1, "a marking mistake must refuse the build"
    if result.returncode != 0:
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert not (root / "site").exists() and not (root / "dist").exists()
        return
    written = everything_written(root)
    top = marking_rank(ceiling)
    for record in records:
        if marking_rank(record.marking) > top:
            assert record.token not in written, f"{record} leaked at {ceiling}"
    assert claims[0][0].token in written  # the search can fail: kept records are found
    BUILT.append(ceiling)


BUILT: list[str] = []


def test_most_property_examples_built() -> None:
    """The property is only as good as the builds it saw (runs after it: pytest keeps file order)."""
    assert len(BUILT) >= 3, BUILT
