"""What a reader finds in the packs' extracted text (pdftotext), for every pack of the shipped corpus and of the
example corpus: every hyphenated compound whole, and nothing of the machinery."""

from __future__ import annotations

import re
from collections import Counter

from pdf_helpers import Pdf, squash

from briefing import schema
from briefing.model import Corpus

COMPOUND = re.compile(r"\b[^\W\d_][\w]*(?:-[^\W_][\w]*)+\b")
WORD = re.compile(r"\w+(?:-\w+)*")


def laid_out(pdf: Pdf) -> str:
    """pypdf's text, which keeps a line-end hyphen as it is set: the compounds as Typst printed them."""
    return "\n".join(page.extract_text() for page in pdf.reader.pages)


def test_every_hyphenated_compound_survives_extraction(
        shipped_pdfs: dict[str, Pdf], shipped_corpus: Corpus) -> None:
    for pid, pdf in shipped_pdfs.items():
        setting = laid_out(pdf)
        assert re.findall(r"\w+-\n\w+", setting) == [], f"{pid}: a line breaks at the hyphen of a compound"
        wanted = Counter(COMPOUND.findall(setting))
        found = Counter(WORD.findall(pdf.text))
        short = {w: (found[w], n) for w, n in wanted.items() if found[w] < n}
        assert short == {}, f"{pid}: compounds found fewer times than printed: {short}"
        joined = {w.replace("-", "") for w in wanted} & set(found) - set(WORD.findall(setting))
        assert joined == set(), f"{pid}: compounds joined by extraction: {joined}"
    full = shipped_pdfs["full"].text  # prints every claim and judgment in full
    for term in ("dual-use", "long-range", "know-how"):
        held = sum(c.statement.count(term) for c in shipped_corpus.claims.values()) \
            + sum(j.text.count(term) for j in shipped_corpus.judgments.values())
        assert held > 0 and len(re.findall(rf"\b{term}\b", full)) >= held, term


def test_no_record_id_key_or_field_name_in_any_pack(
        shipped_pdfs: dict[str, Pdf], shipped_corpus: Corpus) -> None:
    fields = {f.name for kind in (*schema.KINDS.values(), schema.OPTION, schema.EVIDENCE, schema.SANCTION)
              for f in kind.fields if "_" in f.name} | {f.name for f in schema.SOURCE_FIELDS if "_" in f.name}
    c = shipped_corpus
    ids = set(c.claims) | set(c.sources) | set(c.judgments) | set(c.recommendations) \
        | set(c.gaps) | set(c.figures) | set(c.entities) | set(c.events) | set(c.packs) \
        | {o.id for r in shipped_corpus.recommendations.values() for o in r.options} \
        | {e.kind for e in c.entities.values()} | {s.source_class for s in c.sources.values()}
    ids = {i for i in ids if "-" in i or any(ch.isdigit() for ch in i)}  # 'full' or 'drones' are plain words
    for pid, pdf in shipped_pdfs.items():
        words = set(WORD.findall(pdf.text + " " + str(pdf.reader.metadata.get("/Keywords", ""))))
        assert sorted(ids & words) == [], pid
        assert sorted(fields & words) == [], pid
        assert not re.search(r"\b\w+\.(ya?ml|bib|md)\b", pdf.text), pid


def test_each_pack_has_its_own_subtitle_and_an_unbroken_title(
        shipped_pdfs: dict[str, Pdf], shipped_corpus: Corpus) -> None:
    corpus_subtitle = squash(shipped_corpus.config.subtitle)
    for pid, pdf in shipped_pdfs.items():
        cover = squash(pdf.pages[0])
        pack = shipped_corpus.packs[pid]
        assert squash(pack.title) in cover, pid  # never broken inside a compound ('deep-/dive')
        if pack.subtitle:
            assert squash(pack.subtitle) in cover, pid
        if pack.themes or pack.tags:  # a narrowed pack never carries the whole corpus's subtitle
            assert corpus_subtitle not in cover, pid
    assert shipped_corpus.packs["drones"].subtitle
