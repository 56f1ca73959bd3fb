"""Helpers for the PDF tests: a corpus copy with extra packs and records, rendering, and reading real PDFs."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from briefing.loader import load
from briefing.marking import at_ceiling
from briefing.model import Corpus, Pack
from briefing.problems import Problems
from briefing.versioning import VersionInfo

VERSION = VersionInfo(version="v1.0+2.gabcdef0", commit="abcdef0" * 5 + "abcde", epoch=1728043200, dirty=False,
                      tag="v1.0")
SECRET_WORD = "Quokkaledger"  # only in the AMBER claim and source
SECRET_TITLE = "Private widget ledger"

EXTRA_PACKS = """
  - id: brief
    title: Widget export controls — ministerial brief
    audience: Minister
    purpose: Two pages for the minister
    ceiling: TLP:CLEAR
    cutoff: 2024-10-05
    distribution: Ministers' offices
    max_pages: 2
    sections: [key-judgments, recommendations, evidence]
  - id: oversize
    title: Too long for one page
    audience: Desk officers
    ceiling: TLP:CLEAR
    distribution: Unlimited
    max_pages: 1
    sections: [key-judgments, recommendations, evidence, discussion, gaps, timeline, entities, sources, annex-scales]
  - id: amber
    title: Widget export controls — restricted
    audience: Partner agencies
    purpose: Everything up to AMBER
    ceiling: TLP:AMBER
    distribution: Partner agencies, need to know
    sections: [key-judgments, evidence, discussion, timeline, sources, annex-scales, annex-changes]
  - id: shipments
    title: Widget shipments — deep dive
    audience: Desk officers
    ceiling: TLP:CLEAR
    distribution: Unlimited
    tags: [widgets]
    sections: [evidence, recommendations, gaps, sources, annex-changes]
"""

AMBER_CLAIMS = f"""claims:
  - id: widgets-ledger
    statement: A {SECRET_WORD} entry lists widget shipments to Ruritania.
    theme: trade
    status: reported
    confidence: low
    marking: TLP:AMBER
    reviewed: 2024-10-05
    evidence:
      - source: ledger2024widgets
        locator: fol. 3
        excerpt: "widgets to Ruritania"
        stance: supports
        credibility: 3
"""

AMBER_SOURCE = f"""
@misc{{ledger2024widgets,
  author = {{{{{SECRET_WORD} Holdings}}}},
  title = {{{SECRET_TITLE}}},
  date = {{2024-09-30}},
  reliability = {{C}},
  reliability_note = {{Single copy passed by a partner}},
  marking = {{TLP:AMBER}},
}}
"""


def make_corpus(root: Path, example: Path) -> Path:
    """The example corpus plus a brief, an oversize, an AMBER and a tag-filtered pack, and AMBER records."""
    shutil.copytree(example, root)
    records = root / "sources" / "records.yml"
    records.write_text(records.read_text(encoding="utf-8").rstrip("\n") + "\n" + EXTRA_PACKS, encoding="utf-8")
    (root / "sources" / "claims" / "amber.yml").write_text(AMBER_CLAIMS, encoding="utf-8")
    bib = root / "sources" / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + AMBER_SOURCE, encoding="utf-8")
    return root


def load_corpus(root: Path) -> Corpus:
    problems = Problems()
    corpus = load(root, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    return corpus


def render(corpus: Corpus, pack: Pack | str, changes=None) -> bytes:
    from briefing.pdf import render_pack

    pack = corpus.packs[pack] if isinstance(pack, str) else pack
    return render_pack(at_ceiling(corpus, pack.ceiling), pack, version=VERSION, changes=changes)


@dataclass
class Pdf:
    """A rendered PDF on disk with cached per-page text."""

    path: Path

    def __post_init__(self) -> None:
        self.reader = PdfReader(self.path)
        self.pages = [page_text(self.path, n) for n in range(1, len(self.reader.pages) + 1)]

    @property
    def count(self) -> int:
        return len(self.pages)

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def write(path: Path, data: bytes) -> Pdf:
    path.write_bytes(data)
    return Pdf(path)


def page_text(path: Path, number: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def squash(text: str) -> str:
    return " ".join(text.split())


def runs(reader: PdfReader, index: int) -> list[tuple[float, float, str]]:
    """(font size, baseline y, text) of every text run on one page."""
    out: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            out.append((round(size * tm[3] * cm[3], 2), round(tm[5] * cm[3] + cm[5], 1), text.strip()))

    reader.pages[index].extract_text(visitor_text=visit)
    return out


def superscripts(reader: PdfReader, index: int, body: float = 10.5) -> Counter[str]:
    """Footnote numbers on a page (markers and note numbers), i.e. digit runs set well below the text size."""
    return Counter(t for size, _, t in runs(reader, index) if re.fullmatch(r"\d+", t) and size < 0.7 * body)


def link_targets(reader: PdfReader) -> list[tuple[int, int, list[float]]]:
    """(page index, target page index, rect) of every internal link annotation."""
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    out = []
    for i, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            dest = annot.get("/Dest")
            if dest is None and annot.get("/A") is not None and annot["/A"].get("/S") == "/GoTo":
                dest = annot["/A"]["/D"]
            if dest is not None and not isinstance(dest, str):
                out.append((i, pages[dest[0].idnum], [float(x) for x in annot["/Rect"]]))
    return out


def fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def footnote_pages(pdf: Pdf) -> dict[str, int]:
    """Page of every footnote number; asserts each mark has its note on the same page and numbers run 1, 2, ..."""
    seen: dict[str, int] = {}
    for index in range(pdf.count):
        for number, times in superscripts(pdf.reader, index).items():
            assert times == 2, f"footnote {number} on page {index + 1}: mark and note expected, found {times}"
            assert number not in seen, f"footnote {number} on pages {seen[number]} and {index + 1}"
            seen[number] = index + 1
    assert sorted(seen, key=int) == [str(n) for n in range(1, len(seen) + 1)]
    for page, target, rect in link_targets(pdf.reader):
        if rect[2] - rect[0] < 8:  # a footnote mark or note number links to its partner
            assert page == target, f"footnote link on page {page + 1} goes to page {target + 1}"
    return seen


SHIPPED = Path(__file__).resolve().parent.parent  # the repository's own corpus (sources/, docs/)
_shipped: dict[str, Pdf] = {}


def shipped_packs(out: Path) -> dict[str, Pdf]:
    """Every pack of the shipped corpus, rendered once per test session (written under out the first time)."""
    if not _shipped:
        corpus = load_corpus(SHIPPED)
        out.mkdir(parents=True, exist_ok=True)
        for pid in corpus.packs:
            _shipped[pid] = write(out / f"{pid}.pdf", render(corpus, pid))
    return _shipped


def words(path: Path, number: int | None = None) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of every word, from pdftotext -bbox; y grows downwards. One page or all."""
    pages = ["-f", str(number), "-l", str(number)] if number else []
    out = subprocess.run(["pdftotext", "-bbox", *pages, str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)
    return [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in found]


def struct_pages(reader: PdfReader, kind: str) -> list[tuple[str, set[int]]]:
    """(text of its first marked content's role, pages its content lies on) of every structure element of a kind
    ('/TR', '/H1' ...) in the tagged PDF's structure tree; a page is inherited from the nearest element that names
    one, as PDF 1.7 14.7.4 says."""
    pages = {p.indirect_reference.idnum: i + 1 for i, p in enumerate(reader.pages)}
    found: list[tuple[str, set[int]]] = []

    def content(node, page: int | None) -> set[int]:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):
            return {page} if page else set()
        if not isinstance(node, dict):
            return set()
        if "/Pg" in node:
            page = pages.get(node.raw_get("/Pg").idnum, page)
        if node.get("/Type") in ("/MCR", "/OBJR"):
            return {page} if page else set()
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
        held: set[int] = set()
        for kid in kids:
            held |= content(kid, page)
        if node.get("/S") == kind:
            found.append((str(node.get("/S")), held))
        return held

    content(reader.trailer["/Root"]["/StructTreeRoot"], None)
    return found
