"""The shaped search index: what it keeps, how it cuts text, and the one file a built site ships."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from site_helpers import build

from briefing.mkdocs_plugin import SEARCH_SKIP
from briefing.site.search import PAGE_TEXT, RECURRING, SECTION_TEXT, read_index, shape, short_text
from briefing.vocab import STATUSES

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "minimal"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("index")
    return build(Path(shutil.copytree(EXAMPLE, base / "corpus")), base / "out")


@given(st.text(), st.text(max_size=40), st.integers(min_value=1, max_value=300))
def test_short_text_is_escaped_plain_text_within_its_limit(text: str, title: str, limit: int) -> None:
    out = short_text(text, title, limit)
    plain = html.unescape(out)
    assert "<" not in out and ">" not in out
    assert len(plain) <= limit + 2  # the cut and " …"
    assert plain == " ".join(plain.split())


def test_short_text_cut_to_nothing_is_an_ellipsis_alone() -> None:
    assert short_text("-" + "a" * 10, "", 1) == "…"  # found by the property above


@given(st.lists(st.text(alphabet="abc xyz", min_size=1, max_size=12), min_size=1, max_size=30))
def test_short_text_keeps_the_start_of_the_words(words: list[str]) -> None:
    text = " ".join(words)
    out = html.unescape(short_text(text, "", 40))
    assert " ".join(text.split()).startswith(out.removesuffix(" …"))


def test_recurring_section_headings_are_left_out_and_own_headings_kept() -> None:
    docs = [{"location": f"claims/c{i}.html", "title": f"Claim {i}", "text": "<p>x</p>"} for i in range(RECURRING)]
    docs += [{"location": f"claims/c{i}.html#evidence", "title": "Evidence", "text": "a table"}
             for i in range(RECURRING)]
    docs += [{"location": "sources.html#doe2024", "title": "Doe 2024", "text": "Cited by " + "claim " * 500}]
    prose = [{"location": f"themes/t{i}.html#outlook", "title": "Outlook", "text": "word " * 500}
             for i in range(RECURRING)]  # analysts' pages: every word stays searchable
    records = frozenset({*(f"claims/c{i}.html" for i in range(RECURRING)), "sources.html"})
    shaped = shape(docs + prose, records)
    assert [d["location"] for d in shaped] == [*(f"claims/c{i}.html" for i in range(RECURRING)),
                                               "sources.html#doe2024", *(d["location"] for d in prose)]
    assert len(shaped[RECURRING]["text"]) <= SECTION_TEXT + 2
    assert shaped[0]["text"] == "x"
    assert shaped[-RECURRING:] == prose


def test_a_built_site_ships_one_short_index(site: Path) -> None:
    assert not (site / "search" / "search_index.json").exists()
    index = read_index(site)
    assert index["config"]["fields"]  # Material's own settings are kept
    docs = index["docs"]
    records = [d for d in docs if not d["location"].startswith(("themes/trade.html", "index.html"))]
    assert all(len(html.unescape(d["text"])) <= (SECTION_TEXT if "#" in d["location"] else PAGE_TEXT) + 2
               for d in records)
    assert "Acme widgets reached Ruritania through a third country." in {d["title"] for d in docs}
    workers = list((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert len(workers) == 1
    source = workers[0].with_name(workers[0].name[:-3] + ".source.js").read_text("utf-8")
    assert workers[0].read_text("utf-8").strip()[:200].replace('"', '\\"') in source


def test_a_claim_is_indexed_by_its_statement_status_and_theme_not_its_tables(site: Path) -> None:
    """Search reads a claim page as its statement, status, theme and tags; the page itself keeps its tables."""
    docs = [d for d in read_index(site)["docs"] if d["location"].startswith("claims/widgets-shipped.html")]
    assert [(d["location"], d["title"]) for d in docs] == [
        ("claims/widgets-shipped.html", "Acme widgets reached Ruritania through a third country.")]
    assert docs[0]["text"].startswith("Disputed. Theme: Widget trade.")
    meanings = [m for m in STATUSES.values() if m]  # a status's meaning is on the claim page, not in its entry
    assert not any(m in d["text"] for d in read_index(site)["docs"] if d["location"].startswith("claims/")
                   for m in meanings)
    page = (site / "claims" / "widgets-shipped.html").read_text("utf-8")
    assert '<h2 id="evidence">' in page and "<table" in page


def test_a_source_is_indexed_by_its_reference_and_grade_not_its_cited_by_list(site: Path) -> None:
    """The sources page's "cited by" lists (every claim citing a source) stay on the page, out of the index."""
    entries = [d for d in read_index(site)["docs"] if d["location"] == "sources.html#source-agency2024widgets"]
    assert len(entries) == 1
    text = html.unescape(entries[0]["text"])
    assert "Widgets Shipped Through Third Countries" in text and "Usually reliable" in text
    assert "Cited by" not in text and "Acme widgets reached" not in text
    assert "no known stake Kind Investigative report" in text  # the facts' words kept apart
    page = (site / "sources.html").read_text("utf-8")
    assert "Cited by" in page


def test_an_analysts_page_keeps_every_word_searchable(tmp_path: Path) -> None:
    """Only pages made from records are shortened: a word deep in a theme page's prose is still in the index."""
    root = Path(shutil.copytree(EXAMPLE, tmp_path / "corpus"))
    page = root / "docs" / "themes" / "trade.md"
    page.write_text(page.read_text("utf-8") + "\n\n" + "Routes matter. " * 80 + "Zyxwvutsrq ends it.\n", "utf-8")
    index = read_index(build(root, tmp_path / "out"))
    assert any("Zyxwvutsrq" in d["text"] for d in index["docs"] if d["location"].startswith("themes/trade.html"))


def test_a_theme_page_is_indexed_by_its_prose_not_its_list_of_claims(site: Path) -> None:
    """A theme's table of claims repeats the claim pages, each indexed on its own: it stays on the page, out of
    the theme's entries (on a large corpus it was half the index)."""
    docs = [d for d in read_index(site)["docs"] if d["location"].startswith("themes/trade.html")]
    statement = "Acme widgets reached Ruritania"
    assert docs and not any(statement in html.unescape(d["text"]) for d in docs)
    assert any(statement in d["title"] for d in read_index(site)["docs"] if d["location"].startswith("claims/"))
    page = (site / "themes" / "trade.html").read_text("utf-8")
    assert statement in page and "data-search-exclude" in page


@pytest.mark.parametrize("block", [
    '<div data-search-exclude data-search-skip><dt>Cited by</dt> <dd><a href="x.html">x</a></dd></div>',
    '<div class="table-wrap" data-search-exclude="" data-search-skip=""><table><tr><td>c</td></tr></table></div>',
])
def test_blocks_search_leaves_out_are_cut_before_it_parses_the_page(block: str) -> None:
    """As the templates write them, and as the sanitiser writes them back (attr="")."""
    page = f"<p>kept</p>{block}<p>also kept</p>"
    assert SEARCH_SKIP.sub("", page) == "<p>kept</p><p>also kept</p>"


def test_an_entity_is_indexed_with_its_facts_kept_apart(tmp_path: Path) -> None:
    """'Country Ruritania Also known as Acme', not 'RuritaniaAlso known as': the facts' words stay apart."""
    root = Path(shutil.copytree(EXAMPLE, tmp_path / "corpus"))
    records = root / "sources" / "records.yml"
    text = records.read_text("utf-8")
    records.write_text(text.replace("    country: Ruritania\n", "    country: Ruritania\n    aliases: [Acme]\n", 1),
                       encoding="utf-8")
    [entry] = [d for d in read_index(build(root, tmp_path / "out"))["docs"] if d["location"] == "entities/acme.html"]
    assert "Country Ruritania Also known as Acme" in html.unescape(entry["text"])
