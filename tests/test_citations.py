"""Citations as the ecosystem writes them (issue 13): a Zotero/Better BibTeX and JabRef export read correctly,
pandoc's citation syntax in pages, and references and footnotes formatted by a CSL processor."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pdf_helpers import render, squash, write
from site_helpers import build, content

from briefing.citations import CiteError, CiteGroup, find, scan
from briefing.cite import csl_json, nocase, reference_text, stand_in, style_path, styler
from briefing.model import Corpus
from briefing.pipeline import load_and_check
from briefing.schema import valid_source_date
from briefing.shortcite import short_label

EXPORT = Path(__file__).parent / "fixtures" / "zotero-export.bib"

PAGE = """---
title: Widget trade
marking: TLP:CLEAR
---
# Widget trade

Widget trade grew in 2023 [@institute2024trade, p. 3], and an agency reports shipments through a third
country [@agency2024widgets; @daily2024widgets]. The ministry denies it [@ministry2024statement].
See [claim:widgets-shipped].

Mirror statistics point the same way [see @mullerWidgetFlows2024, pp. 101--103, table 2; also @berg2023customs].
@worldbankTradeOutlook2024 [sec. 4] expects growth, as the bank's own data show [-@customsData2024]. Transit
hubs matter [@novakTransit2024, p. 14; @silvaLedgers2024, fig. 3], and so do brokers [@ahmedEvasion2023;
@evansBrokers2019, chap. 2; @ortizShadow2020; @zhangExportControl2021; @handbookWidgets2022]. The forum's
minutes [@tradeForum2024], a thesis [@kowalskiThesis2020], the ministry [@ministryStatement2024], a think tank
[@thinkTank2024, para. 12], a journal [@schroederPorts2022, 5], UNCTAD [@unctad2023], a blog [@blogPost2024],
an old book [@oldClassic1999], notes [@interviewNotes2024], the Council [@euCouncil2024, art. 3] and Reuters
[@reutersWidgets2024] agree. Again: [@mullerWidgetFlows2024, p. 102]. Write to desk\\@example.org or
desk@example.org; `@code` stays code.
"""


@pytest.fixture
def export(minimal: Path) -> Path:
    shutil.copy(EXPORT, minimal / "sources" / "export.bib")
    (minimal / "docs" / "themes" / "trade.md").write_text(PAGE, encoding="utf-8")
    return minimal


@pytest.fixture
def corpus(export: Path) -> Corpus:
    corpus, problems = load_and_check(export)
    assert not problems.errors, [str(p) for p in problems.errors]
    return corpus


def rules_for(export: Path, key: str) -> list[str]:
    _, problems = load_and_check(export)
    return [p.rule for p in problems.items if f"'{key}'" in p.message]


# --- 1. the export as Zotero/Better BibTeX and JabRef write it -------------------------------------------------

def test_latex_is_decoded_and_names_split(corpus: Corpus) -> None:
    muller = corpus.sources["mullerWidgetFlows2024"]
    assert muller.authors == ["Müller, Hans", "Østergaard, Kirsten", "Dvořák, Tomáš"]
    assert muller.title == "Widget Flows through Central Asia: Evidence from Mirror Statistics"
    assert corpus.sources["worldbankTradeOutlook2024"].names["author"] == [{"literal": "World Bank"}]
    assert corpus.sources["worldbankTradeOutlook2024"].title == "Trade Outlook 2024 & Beyond: 5% Growth?"
    assert corpus.sources["worldbankTradeOutlook2024"].url == "https://example.org/wb/trade_outlook%202024.pdf"
    assert corpus.sources["thinkTank2024"].title == "Widgets \u2013 and What Follows: Trade\u2014Controls in Practice"
    assert corpus.sources["thinkTank2024"].authors == ["Fernández, Elena", "Lefèvre, Éric"]
    assert corpus.sources["schroederPorts2022"].get("note") == "See also https://example.org/maritime/extra"
    berg = corpus.sources["berg2023customs"]
    assert berg.authors[:2] == ["van der Berg, Jan", "King, Martin, Jr."] and len(berg.authors) == 5


def test_crossref_and_xdata_are_inherited(corpus: Corpus) -> None:
    novak = corpus.sources["novakTransit2024"]
    assert novak.get("booktitle") == "Proceedings of the Widget Security Conference"
    assert novak.get("date") == "2024-06-10/2024-06-12" and novak.get("publisher") == "Conference Press"
    assert novak.names["editor"] == [{"family": "Rossi", "given": "Giulia"}]
    assert novak.reliability == "C"  # grading is never inherited
    assert corpus.sources["ahmedEvasion2023"].get("booktitle") == "The Sanctions Reader"
    assert corpus.sources["evansBrokers2019"].get("publisher") == "Policy Press"
    assert "policyPress" not in corpus.sources  # an @xdata entry is data, not a source


def test_containers_need_no_grade_and_date_ranges_are_dates(export: Path) -> None:
    for key in ("widgetconf2024", "sanctionsReader2023"):
        assert rules_for(export, key) == [], key
    assert "invalid-date" not in rules_for(export, "worldbankTradeOutlook2024")
    page = export / "docs" / "themes" / "trade.md"
    page.write_text(page.read_text("utf-8") + "\nThe proceedings [@widgetconf2024].\n", encoding="utf-8")
    assert rules_for(export, "widgetconf2024") == ["source-ungraded"]  # cited itself: it needs a grade


@pytest.mark.parametrize("value", ["2024", "2024-06", "2024-06-10", "2024-06-10/2024-06-12", "2024-06/2024-07",
                                   "2024~", "2024?", "2024-06%", "202X", "2024/..", "../2024", "2024-21"])
def test_edtf_dates_of_sources(value: str) -> None:
    assert valid_source_date(value)


@pytest.mark.parametrize("value", ["2024-13", "2024-02-30", "2024-06-12/2024-06-10", "June 2024", "2024/2025/2026",
                                   "24", ""])
def test_not_edtf_dates(value: str) -> None:
    assert not valid_source_date(value)


# --- 3. CSL formatting: exact strings in two styles ---------------------------------------------------------------

CHICAGO = {
    "mullerWidgetFlows2024": "Müller, Hans, Kirsten Østergaard, and Tomáš Dvořák. “Widget Flows Through Central Asia: "
    "Evidence from Mirror Statistics”. Journal of Trade Studies 12, no. 3 (2024): 101–3. "
    "https://doi.org/10.1234/jts.2024.0012.",
    "novakTransit2024": "Novák, Petr. “Transit Hubs and Re-export”. In Proceedings of the Widget Security "
    "Conference, edited by Giulia Rossi. Conference Press, June 10–12, 2024.",
    "kowalskiThesis2020": "Kowalski, Marta. “Dual-Use Goods and the Limits of Enforcement”. PhD diss., University "
    "of Warsaw, 2020.",
    "handbookWidgets2022": "Okonkwo, Chidi, and Åsa Lindqvist, eds. Handbook of Widget Controls. 3rd ed. Example "
    "University Press, 2022.",
}
APA = {
    "mullerWidgetFlows2024": "Müller, H., Østergaard, K., & Dvořák, T. (2024). Widget Flows through Central Asia: "
    "Evidence from Mirror Statistics. Journal of Trade Studies, 12(3), 101–103. "
    "https://doi.org/10.1234/jts.2024.0012",
    "berg2023customs": "van der Berg, J., King, M., Jr., Smith, A., Jones, B., & Lee, C. (2023). Customs data and "
    "its limits. Review of Economic Statistics, 41(2), 55–78.",
    "worldbankTradeOutlook2024": "World Bank. (June 10–12, 2024). Trade Outlook 2024 & Beyond: 5% Growth? (Policy "
    "Research Report WB-2024-7). World Bank. https://example.org/wb/trade_outlook%202024.pdf",
    "handbookWidgets2022": "Okonkwo, C., & Lindqvist, Å. (eds.). (2022). Handbook of Widget Controls (3rd ed.). "
    "Example University Press.",
}


@pytest.mark.parametrize(("style", "expected"), [("chicago-notes-bibliography", CHICAGO), ("apa", APA)])
def test_references_in_two_styles(corpus: Corpus, style: str, expected: dict[str, str]) -> None:
    chosen = styler(str(style_path(style, None)))
    for key, text in expected.items():
        assert "".join(s.text for s in chosen.entry(corpus.sources[key])) == text


def test_braces_protect_words_from_the_styles_case_changes(corpus: Corpus) -> None:
    item = csl_json(corpus.sources["mullerWidgetFlows2024"])
    assert item["title"] == ('Widget Flows through <span class="nocase">Central Asia:</span> '
                             '<span class="nocase">Evidence</span> from Mirror Statistics')
    assert nocase("the {iPhone} and ({UN}) rules") == ('the <span class="nocase">iPhone</span> and '
                                                        '<span class="nocase">(UN)</span> rules')


def test_chicago_notes_first_full_then_short(corpus: Corpus) -> None:
    muller = corpus.sources["mullerWidgetFlows2024"]
    chicago = styler(muller.style)
    first = "".join(s.text for s in chicago.note(muller, True, "page", "102"))
    later = "".join(s.text for s in chicago.note(muller, False, "page", "102"))
    assert first == ("Hans Müller et al., “Widget Flows Through Central Asia: Evidence from Mirror Statistics”, "
                     "Journal of Trade Studies 12, no. 3 (2024): 102, https://doi.org/10.1234/jts.2024.0012.")
    assert later == "Müller et al., “Widget Flows Through Central Asia”, 102."  # the locator before any URL
    assert short_label(muller) == "Müller et al. 2024"


def test_the_style_is_a_setting(export: Path) -> None:
    settings = export / "sources" / "corpus.yml"
    settings.write_text(settings.read_text("utf-8") + "citation_style: apa\n", encoding="utf-8")
    corpus, problems = load_and_check(export)
    assert not problems.errors
    assert reference_text(corpus.sources["mullerWidgetFlows2024"]) == APA["mullerWidgetFlows2024"]
    settings.write_text(settings.read_text("utf-8").replace("apa", "no-such-style"), encoding="utf-8")
    _, problems = load_and_check(export)
    assert [p.rule for p in problems.errors] == ["citation-style"]


def test_site_renders_the_export(export: Path, tmp_path: Path) -> None:
    site = build(export, tmp_path / "site")
    sources = content(site, "sources.html")
    entry = sources.select_one("li#src-mullerWidgetFlows2024 .reference")
    assert entry.get_text() == CHICAGO["mullerWidgetFlows2024"]
    assert entry.select_one("em").get_text() == "Journal of Trade Studies"
    assert entry.select_one('a[href="https://doi.org/10.1234/jts.2024.0012"]') is not None
    container = sources.select_one("li#src-widgetconf2024 .source-meta").get_text()
    assert container.startswith("Not graded: a container")
    page = content(site, "themes/trade.html")
    tip = page.select_one('a.cite[href="../sources.html#src-mullerWidgetFlows2024"] .cite-tip')
    assert tip.get_text() == CHICAGO["mullerWidgetFlows2024"] + " \u2014 pp. 101\u2013103, table 2"
    for tip in page.select(".cite-tip"):
        tip.decompose()
    text = " ".join(page.get_text().split())
    assert "(see Müller et al. 2024, pp. 101–103, table 2; also van der Berg et al. 2023)." in text
    assert "World Bank (2024, sec. 4) expects growth" in text  # in-text @key [sec. 4]
    assert "as the bank's own data show (2024)." in text  # [-@key]: the year only
    assert "Write to desk@example.org or desk@example.org; @code stays code." in text


def test_pack_footnotes_first_full_then_short(export: Path, tmp_path: Path) -> None:
    corpus, _ = load_and_check(export)
    pdf = write(tmp_path / "full.pdf", render(corpus, "full"))
    text = squash(pdf.text)
    assert ("see Hans Müller et al., “Widget Flows Through Central Asia: Evidence from Mirror Statistics”, Journal of "
            "Trade Studies 12, no. 3 (2024): 101–103, https://doi.org/10.1234/jts.2024.0012, table 2; also Jan van "
            "der Berg et al.") in text  # one note for the group; a suffix comes last, as citeproc places it
    assert "Müller et al., “Widget Flows Through Central Asia”, 102." in text
    assert "World Bank" in text and "Petr Novák, “Transit Hubs and Re-export”, in Proceedings" in text


# --- 2. the citation syntax, one form per test --------------------------------------------------------------------

def one(text: str) -> CiteGroup:
    found = list(find(text))
    assert len(found) == 1 and isinstance(found[0], CiteGroup), found
    return found[0]


def test_prefix_and_suffix() -> None:
    group = one("[see @doe99, p. 3, emphasis mine; also @roe20]")
    assert [(i.prefix, i.key, i.locator, i.suffix) for i in group.items] == [
        ("see", "doe99", "3", "emphasis mine"), ("also", "roe20", "", "")]


@pytest.mark.parametrize(("written", "label", "locator"), [
    ("p. 3", "page", "3"), ("pp. 33--35", "page", "33\u201335"), ("33", "page", "33"), ("ch. 2", "chapter", "2"),
    ("chap. 2", "chapter", "2"), ("sec. 4.2", "section", "4.2"), ("§4.2", "section", "4.2"),
    ("para. 12", "paragraph", "12"), ("¶ 3", "paragraph", "3"), ("fig. 3", "figure", "3"), ("vol. ii", "volume", "ii"),
    ("n. 7", "note", "7"), ("l. 4", "line", "4"), ("tab. 2", "table", "2")])
def test_locator_labels(written: str, label: str, locator: str) -> None:
    item = one(f"[@doe99, {written}]").items[0]
    assert (item.label, item.locator, item.suffix) == (label, locator, "")


def test_words_that_are_no_locator_are_a_suffix() -> None:
    item = one("[@doe99, Conclusion]").items[0]
    assert (item.locator, item.suffix) == ("", "Conclusion")


def test_suppress_author() -> None:
    assert one("[-@doe99, p. 4]").items[0].suppress_author


def test_in_text() -> None:
    group = one("As @doe99 says.")
    assert group.in_text and group.items[0].key == "doe99" and group.items[0].locator == ""
    group = one("As @doe99 [p. 3] says.")
    assert group.in_text and (group.items[0].label, group.items[0].locator) == ("page", "3")


def test_escaped_at_e_mail_and_code_are_no_citations() -> None:
    assert list(find("Write to jane@example.org or \\@desk, see https://x.org/@user.")) == []
    cites, _, errors = scan("Code `@doe99` and\n```\n[@roe20]\n```\n")
    assert cites == [] and errors == []


@pytest.mark.parametrize(("text", "message"), [
    ("[@a @b]", "separate them with ';'"), ("[@a; see]", "names no source"),
    ("[@a, p. 3\n\nnext", "not closed"), ("Mail @{broken", "not closed with '}'")])
def test_unparsable_citations_are_errors(text: str, message: str) -> None:
    found = list(find(text))
    assert any(isinstance(f, CiteError) and message in str(f) for f in found), found


def test_an_unparsable_citation_is_a_located_error(minimal: Path) -> None:
    page = minimal / "docs" / "themes" / "trade.md"
    page.write_text(page.read_text("utf-8") + "\nOne more [@institute2024trade @agency2024widgets].\n",
                    encoding="utf-8")
    _, problems = load_and_check(minimal)
    errors = [(p.loc.path, p.loc.line, p.rule) for p in problems.errors]
    lines = page.read_text("utf-8").splitlines()
    assert errors == [("docs/themes/trade.md", len(lines), "cite-syntax")]


def test_a_number_in_a_source_like_the_locator_stand_in_is_left_alone(minimal: Path) -> None:
    from briefing.loader import load
    from briefing.problems import Problems

    standing = stand_in("7")
    bib = minimal / "sources/references.bib"
    bib.write_text(bib.read_text("utf-8").replace("title = {Widgets shipped through third countries}",
                                                  f"title = {{Resolution {standing} on widgets}}"), "utf-8")
    corpus = load(minimal, Problems())
    note = "".join(seg.text for seg in styler().note(corpus.sources["agency2024widgets"], locator="7"))
    assert f"Resolution {standing}" in note and "Resolution 7" not in note and "7" in note


def test_a_prefix_or_suffix_like_the_locator_stand_in_is_left_alone(minimal: Path) -> None:
    from briefing.loader import load
    from briefing.problems import Problems

    source = load(minimal, Problems()).sources["agency2024widgets"]
    standing = stand_in("12")
    note = "".join(seg.text for seg in styler().note(source, True, "page", "12", "", f"table {standing}"))
    assert f"table {standing}" in note and "table 12" not in note and "12" in note


def test_only_clear_sources_are_kept_in_the_shared_cache(minimal: Path, tmp_path: Path) -> None:
    """The reference cache lives in the user's home, outside the repository: nothing restricted goes there."""
    bib = minimal / "sources/references.bib"
    bib.write_text(bib.read_text("utf-8") + "\n@report{amber2024memo,\n  author = {{Restricted Desk}},\n"
                   "  title = {Qwertyzanzibar memo},\n  institution = {Restricted Desk},\n  date = {2024-10-03},\n"
                   "  reliability = {B},\n  marking = {TLP:AMBER},\n}\n", "utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    code = ("import sys; from pathlib import Path; from briefing.loader import load; from briefing.problems import "
            "Problems; from briefing.cite import reference; c = load(Path(sys.argv[1]), Problems()); "
            "[reference(s) for s in c.sources.values()]")
    subprocess.run([sys.executable, "-c", code, str(minimal)], env=env, check=True)
    [cache] = (tmp_path / "cache" / "briefing").glob("csl-*.json")
    text = cache.read_text("utf-8")
    assert "Widget" in text and "Qwertyzanzibar" not in text
