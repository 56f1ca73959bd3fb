"""PDF briefing packs, checked on the real PDFs: markings, page numbers, footnotes, contents, ceilings, fonts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLE
from pdf_helpers import (
    SECRET_TITLE,
    SECRET_WORD,
    VERSION,
    Pdf,
    fonts,
    footnote_pages,
    link_targets,
    load_corpus,
    make_corpus,
    render,
    runs,
    squash,
    words,
    write,
)

from briefing.build import BuildError
from briefing.changes import Change, Changes
from briefing.model import Corpus


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return load_corpus(make_corpus(tmp_path_factory.mktemp("pdf") / "corpus", EXAMPLE))


@pytest.fixture(scope="session")
def packs(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    out = tmp_path_factory.mktemp("packs")
    return {pid: write(out / f"{pid}.pdf", render(corpus, pid)) for pid in ("full", "brief", "amber", "shipments")}


def test_marking_written_out_in_header_and_footer_of_every_page(packs: dict[str, Pdf]) -> None:
    for pid, pdf in packs.items():
        marking = "TLP:AMBER" if pid == "amber" else "TLP:CLEAR"
        for index in range(pdf.count):
            height = float(pdf.reader.pages[index].mediabox.height)
            heights = [y for _, y, text in runs(pdf.reader, index) if text == marking]
            assert any(y > height - 68 for y in heights), f"{pid} page {index + 1}: no marking in the header"
            assert any(y < 68 for y in heights), f"{pid} page {index + 1}: no marking in the footer"


def test_page_x_of_y_version_and_date_on_every_page(packs: dict[str, Pdf]) -> None:
    for pid, pdf in packs.items():
        for n, text in enumerate(pdf.pages, start=1):
            assert f"Page {n} of {pdf.count}" in text, f"{pid} page {n}"
            assert VERSION.version in text and VERSION.date in text, f"{pid} page {n}"


def test_cover_names_pack_version_date_cutoff_originator_audience_distribution(packs: dict[str, Pdf]) -> None:
    cover = squash(packs["full"].pages[0])
    for expected in ("Widget export controls — full pack", "TLP:CLEAR", "Disclosure is not limited.", "full",
                     VERSION.version, "4 October 2024", "5 October 2024", "Example analysis unit", "Desk officers",
                     "Unlimited", "Complete evidence base"):
        assert expected in cover, expected


def test_key_judgments_come_first_with_confidence_and_estimative_term(packs: dict[str, Pdf]) -> None:
    text = squash(packs["full"].text)
    first = text.index("1 Key judgments", text.index("Contents") + 100)
    assert first < text.index("2 Recommendations", first)
    assert "Acme widgets very likely reach Ruritania despite the controls." in text
    assert "Confidence: moderate" in text and "very likely (80–95 %)" in text


def test_every_footnote_has_its_note_on_the_page_of_its_mark(packs: dict[str, Pdf]) -> None:
    pdf = packs["full"]
    seen = footnote_pages(pdf)
    assert len(seen) == 3  # one per citation group in docs/themes/trade.md
    notes = squash(pdf.pages[seen["1"] - 1])
    # Chicago notes: the first note of a source in full, with its locator
    assert "Richard Roe and Anna Poe, Widget Trade in 2023 (Example Institute, 2024), 3." in notes
    assert "Ministry of Trade, Statement on Widget Exports (Ministry of Trade, 2024)." in notes


def test_contents_page_numbers_and_bookmarks_match_the_headings(packs: dict[str, Pdf]) -> None:
    pdf = packs["full"]
    toc_page = next(i for i, t in enumerate(pdf.pages) if t.lstrip().startswith("Contents")
                    or "\nContents\n" in t[:200])
    entries = []
    toc_lines = pdf.pages[toc_page].replace("\u2060", "").splitlines()
    for line in toc_lines:
        if entries and squash(line) == entries[0][0]:  # a short contents runs on into the first section
            break
        match = re.match(r"^(\S.*?)[\s.]+(\d+)$", line.strip())
        if match and not line.startswith("Page "):
            entries.append((squash(match.group(1)), int(match.group(2))))
    titles = [t for t, _ in entries]
    assert titles[:3] == ["1 Key judgments", "2 Recommendations", "2.1 Tighten transit controls on widgets"]
    assert "Annex A. Scales and statuses" in titles
    for title, page in entries:
        lines = [[squash(x) for x in text.splitlines()] for text in pdf.pages]
        found = [n + 1 for n, ls in enumerate(lines) if title in ls]
        assert found and found[0] == page, f"'{title}': contents says page {page}, heading is on {found}"
    bookmarks = []
    stack = list(pdf.reader.outline)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[:0] = item
        else:
            bookmarks.append((item.title, pdf.reader.get_destination_page_number(item) + 1))
    assert bookmarks == entries


def test_claim_references_link_to_the_claim_row(packs: dict[str, Pdf]) -> None:
    pdf = packs["full"]
    evidence = next(i for i, t in enumerate(pdf.pages) if "3 Evidence at a glance" in t.splitlines() and i > 0)
    height = float(pdf.reader.pages[1].mediabox.height)
    # the contents (page 2) runs on into the key judgments: its own links lie above their heading
    heading = max(y for _, y, _, _, w in words(pdf.path, 2) if w == "judgments")
    claim_links = [(p, t) for p, t, rect in link_targets(pdf.reader) if rect[2] - rect[0] >= 8 and p > 0
                   and (p > 1 or rect[3] < height - heading)]
    assert len(claim_links) >= 4  # key judgment (2), recommendation, discussion, gap
    for _, target in claim_links:
        assert target == evidence
        assert "Acme widgets reached Ruritania" in pdf.pages[target] or "Widget trade grew" in pdf.pages[target]
    # no claim ids on the page: references show the status, and in lists the start of the statement
    assert "widgets-shipped" not in pdf.text and "widget-trade-grew" not in pdf.text
    assert "Based on: Acme widgets reached Ruritania through a third country (disputed)" in squash(pdf.text)


def test_two_page_brief_fits_and_oversize_pack_fails(packs: dict[str, Pdf], corpus: Corpus) -> None:
    brief = packs["brief"]
    assert brief.count <= 2
    text = squash(brief.text)
    assert "Minister" in text and "Key judgments" in text and "Evidence at a glance" in text
    assert "Contents" not in text  # compact: no contents page
    with pytest.raises(BuildError, match=r"pack 'oversize': takes \d+ pages( even in the compact layout)?, "
                                         r"more than its max_pages of 1"):
        render(corpus, "oversize")


def test_a_brief_with_many_claims_shows_the_evidence_as_counts(corpus: Corpus, tmp_path: Path) -> None:
    from dataclasses import replace

    model = corpus.claims["widgets-shipped"]
    claims = {f"c{n:03}": replace(model, id=f"c{n:03}", statement=f"Claim number {n} " + "and more words " * 12,
                                  status=("reported", "confirmed")[n % 2]) for n in range(60)}
    big = corpus.copy(claims={**corpus.claims, **claims})
    pdf = write(tmp_path / "b.pdf", render(big, "brief"))
    assert pdf.count <= 2
    text = squash(pdf.text)
    assert "All themes" in text and "Claim number 7 " not in text
    assert re.search(r"Widget trade \d+ \d+ \d+ (\S+ )?62", text), text[-600:]


def test_nothing_above_the_ceiling_in_text_or_metadata(packs: dict[str, Pdf]) -> None:
    for pid in ("full", "brief", "shipments"):
        pdf = packs[pid]
        everything = pdf.text + str(pdf.reader.metadata) + str(pdf.reader.xmp_metadata and
                                                                pdf.reader.xmp_metadata.rdf_root.toxml())
        assert SECRET_WORD not in everything and SECRET_TITLE.lower() not in everything.lower(), pid
        assert "widgets-ledger" not in everything
    amber = squash(packs["amber"].text)
    assert SECRET_WORD in amber and SECRET_TITLE.lower() in amber.lower()
    assert "TLP:AMBER" in packs["amber"].reader.metadata["/Keywords"]


def test_tag_pack_holds_only_tagged_claims_and_the_sources_they_cite(packs: dict[str, Pdf]) -> None:
    text = squash(packs["shipments"].text)
    assert "Acme widgets reached Ruritania through a third country." in text
    assert "Widget trade grew in 2023." not in text
    assert "Ministry of Trade. Statement on Widget Exports." in text and "Doe, Jane. “Report" in text
    cover = packs["shipments"].pages[0]
    assert "Tags" not in cover and "Pack" not in cover.split()  # no machinery on the cover


def test_a_section_empty_at_this_scope_fails_the_build(corpus: Corpus) -> None:
    from dataclasses import replace

    pack = replace(corpus.packs["shipments"], id="figs", sections=["figures"])
    with pytest.raises(BuildError, match=r"pack 'figs': section 'figures' would be empty at TLP:CLEAR for tags "
                                         r"widgets"):
        render(corpus, pack)


def test_changes_annex(corpus: Corpus, packs: dict[str, Pdf], tmp_path: Path) -> None:
    amber = squash(packs["amber"].text)  # no previous release: no annex and no contents entry for it
    assert "previous release" not in amber and "Changes from" not in amber
    assert "Annex A. Scales and statuses" in amber
    changes = Changes(base="v1.0", base_version="v1.0", head_version=VERSION.version, items=[
        Change("claim-status", "widget-trade-grew", "Widget trade grew in 2023.", "reported", "confirmed"),
        Change("claim-reworded", "widgets-shipped", "Acme widgets reached Ruritania.", "Acme widgets went.",
               "Acme widgets reached Ruritania."),
    ])
    text = squash(write(tmp_path / "a.pdf", render(corpus, "amber", changes)).text)
    assert "Changes from version v1.0 to v1.0+2.gabcdef0." in text
    assert "Evidence status changed" in text and "reported → confirmed" in text
    assert "Was: Acme widgets went." in text
    deep = squash(write(tmp_path / "s.pdf", render(corpus, "shipments", changes)).text)
    assert "• Acme widgets reached Ruritania. Was:" in deep and "reported → confirmed" not in deep  # out of scope
    assert "widgets-shipped" not in deep


def test_fonts_embedded_and_metadata_set(packs: dict[str, Pdf]) -> None:
    for pdf in packs.values():
        rows = fonts(pdf.path)
        assert rows and all(row[-5] == "yes" for row in rows), rows
    reader = packs["full"].reader
    meta = reader.metadata
    assert meta.title == "Widget export controls — full pack"
    assert meta.author == "Example analysis unit"
    assert meta.subject == "Complete evidence base"
    assert VERSION.version in meta["/Keywords"] and "TLP:CLEAR" in meta["/Keywords"]
    assert "full" not in meta["/Keywords"]  # the pack's id is machinery, not a keyword
    assert meta["/CreationDate"] == "D:20241004120000Z"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged PDF (PDF/UA-1)


def test_same_input_gives_byte_identical_pdf(corpus: Corpus, packs: dict[str, Pdf]) -> None:
    assert render(corpus, "full") == packs["full"].path.read_bytes()


def test_no_source_key_or_claim_id_on_any_page(packs: dict[str, Pdf], corpus: Corpus) -> None:
    text = "\n".join(pdf.text for pdf in packs.values())
    assert [key for key in corpus.sources if key in text] == []
    assert [ident for ident in corpus.claims if ident in text] == []


def test_only_rows_a_link_points_to_are_link_targets(corpus: Corpus, tmp_path: Path) -> None:
    """A claim's row is a figure (its statement as alt text, so that a link's description names the claim) only
    where something in the pack links to it; every other row is plain text in the table."""
    from dataclasses import replace

    lone = replace(corpus.claims["widgets-shipped"], id="lone", statement="A claim that nothing refers to.")
    pdf = write(tmp_path / "full.pdf", render(corpus.copy(claims={**corpus.claims, "lone": lone}), "full"))
    alts: list[str] = []

    def visit(node) -> None:
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                if hasattr(kid, "get_object"):
                    visit(kid)

    visit(pdf.reader.trailer["/Root"]["/StructTreeRoot"])
    described = [str(ref.get_object().get("/Contents", "")) for page in pdf.reader.pages
                 for ref in page.get("/Annots") or []]
    linked = {d.split("\u201c", 1)[1].rsplit("\u201d", 1)[0] for d in described if d.startswith("Claim \u201c")}
    openings = {c.statement: c.opening(60) for c in corpus.claims.values()}
    assert {openings[a] for a in alts if a in openings} == linked and linked
    assert lone.statement not in alts and lone.statement in squash(pdf.text)  # in the register, as plain text


def test_the_graded_source_list_names_each_source_s_kind(packs: dict[str, Pdf], corpus: Corpus) -> None:
    """As on the site: what kind of source each is (research, a news report, an official statement ...)."""
    from briefing.vocab import SOURCE_CLASS_LABELS

    text = squash(packs["full"].text)
    listed = text[text.rindex("Sources"):]
    kinds = {SOURCE_CLASS_LABELS[s.source_class] for s in corpus.sources.values() if s.source_class
             and s.marking == "TLP:CLEAR"}
    assert kinds and all(f"\u00b7 {kind}" in listed for kind in kinds), kinds
