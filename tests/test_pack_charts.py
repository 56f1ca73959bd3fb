"""Key-figure charts in the shipped packs: vector drawings (no raster image), one per kind of measure in one unit,
each value and its sources in the text, a text alternative for assistive technology."""

from __future__ import annotations

import re
import subprocess

from pdf_helpers import Pdf, squash

from briefing.figcharts import measure_kind
from briefing.model import Corpus

CAPTION = re.compile(r"Chart (\d+): (.+?), in (.+)")


def charts(pdf: Pdf) -> list[tuple[str, str, str]]:
    """(measure, unit, text up to the next chart or the table) of every chart, from the extracted text."""
    text = pdf.text
    found = list(CAPTION.finditer(text))
    out = []
    for n, match in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else text.index("Figure", match.end())
        out.append((match.group(2), match.group(3).strip(), text[match.end():end]))
    return out


def test_one_chart_per_measure_and_unit_with_every_value_and_source(
        shipped_pdfs: dict[str, Pdf], shipped_corpus: Corpus) -> None:
    shown = charts(shipped_pdfs["full"])
    assert len(shown) >= 2
    for measure, unit, body in shown:
        figs = [f for f in shipped_corpus.figures.values() if f.unit == unit
                and measure_kind(f.measures).casefold() == measure.casefold()]
        assert len(figs) >= 2, (measure, unit)
        for f in figs:
            assert f"{f.value_text} {unit}" in squash(body), (measure, f.label)
        others = [f for f in shipped_corpus.figures.values() if f not in figs]
        assert [f.label for f in others if f.label in squash(body)] == []  # nothing of another measure or unit
        assert "Sources: " in body
    kinds = {(m.casefold(), u) for m, u, _ in shown}
    assert len(kinds) == len(shown)
    growth = [f for f in shipped_corpus.figures.values() if measure_kind(f.measures).lower().startswith("year-on-year")]
    assert growth and all(f.label not in squash(b) for f in growth for _, _, b in shown)


def test_charts_are_vector_with_a_text_alternative(shipped_pdfs: dict[str, Pdf]) -> None:
    for pid, pdf in shipped_pdfs.items():
        images = subprocess.run(["pdfimages", "-list", str(pdf.path)], capture_output=True, text=True,
                                check=True).stdout.splitlines()[2:]
        assert images == [], pid
    raw = shipped_pdfs["full"].path.read_bytes()
    assert b"/Alt (Share, in percent: " in raw or b"/Alt(Share, in percent: " in raw
