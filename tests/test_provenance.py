"""Independent origins are counted per passage (``via``), and the site shows whose reporting each passage carries."""

from __future__ import annotations

from pathlib import Path

from checkhelp import BIB, CLAIMS, edit, line_of, only, run
from hypothesis import given
from hypothesis import strategies as st
from site_helpers import build, content

from briefing.loader import load
from briefing.model import Claim, Corpus, Evidence, Source
from briefing.problems import Loc, Problems
from briefing.provenance import claim_origins, link_origins

DAILY = "      - source: daily2024widgets\n        locator: para. 2\n"
WEEKLY = """
@article{weekly2024widgets,
  author = {Roe, Rita},
  title = {Widgets again},
  journal = {Example Weekly},
  date = {2024-09-28},
  reliability = {C},
  reliability_note = {Weekly digest},
  source_class = {news-rewrite},
  derived_from = {agency2024widgets},
}
"""
WEEKLY_LINK = """      - source: weekly2024widgets
        locator: p. 2
        excerpt: "widgets went abroad"
        stance: supports
        credibility: 3
"""


def origins_of(root: Path, claim: str = "widgets-shipped") -> int:
    corpus = load(root, Problems())
    return len(claim_origins(corpus, corpus.claims[claim]))


def with_weekly(root: Path, via: str | None = None) -> Path:
    (root / BIB).write_text((root / BIB).read_text("utf-8") + WEEKLY, "utf-8")
    link = WEEKLY_LINK + (f"        via: {via}\n" if via is not None else "")
    edit(root, CLAIMS, "      - source: ministry2024statement", link + "      - source: ministry2024statement")
    return root


def test_a_rewrite_of_the_agency_is_not_a_second_origin(minimal: Path) -> None:
    assert origins_of(minimal) == 1


def test_two_documents_relaying_the_same_agency_count_as_one_origin(minimal: Path) -> None:
    assert origins_of(with_weekly(minimal)) == 1
    assert origins_of(with_weekly(minimal, via="[agency2024widgets]")) == 1


def test_the_same_documents_own_findings_count_as_two(minimal: Path) -> None:
    edit(minimal, CLAIMS, DAILY, DAILY + "        via: []\n")
    assert origins_of(minimal) == 2  # the agency, and the daily's own reporting
    assert origins_of(with_weekly(minimal, via="[]")) == 3


def test_via_names_sources_that_must_exist_and_may_not_be_marked_above(minimal: Path) -> None:
    edit(minimal, CLAIMS, DAILY, DAILY + "        via: [agency2024widget]\n")
    problem = only(run(minimal), "unresolved-source")
    assert "did you mean 'agency2024widgets'?" in problem.message
    assert problem.loc.line == line_of(minimal, CLAIMS, "- source: daily2024widgets")


def test_confirmed_needs_two_origins_after_via(minimal: Path) -> None:
    edit(minimal, CLAIMS, "status: disputed", "status: confirmed")
    edit(minimal, CLAIMS, "        stance: contradicts\n", "        stance: mentions\n")
    assert "has 1 independent supporting origin" in only(run(minimal), "status-evidence").message
    edit(minimal, CLAIMS, DAILY, DAILY + "        via: []\n")
    assert [p for p in run(minimal) if p.rule == "status-evidence"] == []


def test_the_claim_page_shows_whose_reporting_each_passage_carries(minimal: Path, tmp_path: Path) -> None:
    site = build(minimal, tmp_path / "site")
    page = content(site, "claims/widgets-shipped.html")
    rows = [td.select_one(".carries").get_text() for td in page.select("td[data-label='Source']")]
    assert rows == ["Own reporting", "Relays Example News Agency 2024 (B)", "Own reporting"]
    facts = page.select_one("dl.claim-facts").get_text(" ", strip=True)
    assert "Independent origins 1 — Example News Agency 2024 (B); the other supporting evidence repeats" in facts
    assert "derived_from" not in page.get_text()


def _corpus(parents: dict[str, list[str]], links: list[tuple[str, list[str] | None]]) -> tuple[Corpus, Claim]:
    corpus = Corpus(config=None)  # type: ignore[arg-type]
    for key, derived in parents.items():
        corpus.sources[key] = Source(key, "misc", {}, "B", "", "", "", "TLP:CLEAR", derived, None, None, Loc("x"))
    evidence = [Evidence(src, "p. 1", "x", "supports", 2, "", Loc("x"), via) for src, via in links]
    claim = Claim("c", "S", "t", "reported", None, [], [], "TLP:CLEAR", None, evidence, "", None, Loc("x"))
    return corpus, claim


KEYS = [f"s{i}" for i in range(6)]


@given(st.fixed_dictionaries({k: st.lists(st.sampled_from(KEYS[i + 1:] or ["s5"]), max_size=2, unique=True)
                              for i, k in enumerate(KEYS)}),
       st.lists(st.tuples(st.sampled_from(KEYS), st.none() | st.lists(st.sampled_from(KEYS), max_size=2)),
                min_size=1, max_size=6),
       st.sampled_from(KEYS))
def test_origin_counts_are_bounded_by_documents_and_by_origins(parents, links, agency) -> None:
    parents = {k: [p for p in v if p != k] for k, v in parents.items()}
    corpus, claim = _corpus(parents, links)
    count = len(claim_origins(corpus, claim))
    every_origin = set().union(*(link_origins(corpus, e) for e in claim.evidence))
    assert 1 <= count <= min(len({src for src, _ in links}), len(every_origin))
    # documents that all relay one agency's passage are one origin, however many they are
    relays = [(f"r{i}", ["s5"]) for i in range(len(links))]
    corpus2, claim2 = _corpus({**parents, **{r: [] for r, _ in relays}}, relays)
    assert len(claim_origins(corpus2, claim2)) == 1
    # and the same documents' own findings are as many origins as documents
    own = [(r, []) for r, _ in relays]
    corpus3, claim3 = _corpus({**parents, **{r: [agency] for r, _ in relays}}, own)
    assert len(claim_origins(corpus3, claim3)) == len(own)


def test_a_via_chain_counts_the_last_hop_and_shows_the_ones_between(minimal: Path, tmp_path: Path) -> None:
    """The daily relays, through the weekly (which repeats the agency and more), only the agency's story."""
    with_weekly(minimal)
    edit(minimal, CLAIMS, DAILY, DAILY + '        via: ["weekly2024widgets > agency2024widgets"]\n')
    assert origins_of(minimal) == 1
    site = build(minimal, tmp_path / "site")
    rows = [td.select_one(".carries").get_text() for td in
            content(site, "claims/widgets-shipped.html").select("td[data-label='Source']")]
    assert rows[1] == "Relays Example News Agency 2024 (B) via Roe 2024 (C)"
    edit(minimal, CLAIMS, "weekly2024widgets > agency2024widgets", "weekly2024widgets > agency2024widgetz")
    assert "did you mean 'agency2024widgets'?" in only(run(minimal), "unresolved-source").message
