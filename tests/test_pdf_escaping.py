"""Nothing from the corpus is ever read as Typst code: generated texts print as themselves."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from conftest import EXAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdf_helpers import VERSION, load_corpus, write
from pypdf import PdfReader

from briefing.model import Judgment
from briefing.pdf import render_pack

DANGEROUS = [*"#[]$@<>\\*_\"`'=-+/~^&%{}();:,.!?|", "//", "/*", "*/", "#let x = 1", "#{", "$x$", "<l>", "@key",
             "\\u{41}", "```raw```", "\u2014", "é", "ß"]
PIECES = st.sampled_from([*DANGEROUS, " "]) | st.characters(min_codepoint=33, max_codepoint=126)
TEXTS = st.lists(st.lists(PIECES, min_size=1, max_size=16).map("".join).filter(str.strip), min_size=8, max_size=8)


def bare(text: str) -> str:
    """Without whitespace; a range of numbers is set with an en dash ('3-4' prints '3\u20134'), so it reads as '-'."""
    return re.sub(r"(?<=\d)\u2013(?=\d)", "-", "".join(text.split()))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=TEXTS)
def test_generated_texts_print_verbatim(texts: list[str], tmp_path: Path) -> None:
    corpus = load_corpus(EXAMPLE)
    claims = list(corpus.claims)
    judgments = {f"kj{n}": Judgment(f"kj{n}", f"Judgment {n}: {t}", "low", None, claims, "TLP:CLEAR",
                                    corpus.packs["full"].loc) for n, t in enumerate(texts)}
    title = texts[0]
    pack = replace(corpus.packs["full"], title=title, sections=["key-judgments"])
    pdf = write(tmp_path / "x.pdf", render_pack(corpus.copy(judgments=judgments), pack, version=VERSION,
                                                changes=None))
    # pypdf, not pdftotext: pdftotext drops a hyphen that ends a line, taking it for a hyphenation
    text = bare("".join(page.extract_text() for page in pdf.reader.pages))
    for n, t in enumerate(texts):
        assert bare(f"Judgment {n}: {t}") in text, t
    assert PdfReader(pdf.path).metadata.title == " ".join(title.split())
