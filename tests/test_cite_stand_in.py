"""A note is formatted once per source, position and label with a stand-in locator, and each real locator is put in
its place (issue 13, formatting speed): the result must be what citeproc-py writes for that locator, byte for byte.
The property compares the two over sources of the shipped corpus, of the synthetic generator and sources whose
own text holds the stand-ins, in the default style, two more shipped styles and two small styles that write the
locator through cs:number (page ranges shortened) and next to a URL in upper case."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.cite import Styler, default_path, stand_in, style_path, styler
from briefing.loader import load
from briefing.model import Source
from briefing.problems import Problems
from briefing.synthetic import generate

CSL = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" page-range-format="{ranges}"
       default-locale="en-US">
  <info><title>Test</title><id>test</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout suffix="." delimiter="; ">
      {layout}
    </layout>
  </citation>
</style>
"""
NUMBER = ('<group delimiter=", "><text variable="title" text-case="title"/><group delimiter=" ">'
          '<label variable="locator" form="short" text-case="capitalize-first"/><number variable="locator"/>'
          '</group></group>')
NEXT_TO_URL = ('<group delimiter=" "><text variable="title"/><group><text variable="URL"/>'
               '<text variable="locator" text-case="uppercase" prefix="/"/></group></group>')

STANDING = """
@report{standin2024,
  author = {{Desk 8600 and MDCCLXXVI}},
  title = {Resolution 8600-9753 on widgets, annex mdcclxxvi, para. 86.97},
  institution = {Desk 86.97},
  date = {2024-10-03},
  url = {https://example.org/8600/9753},
  reliability = {B},
  reliability_note = {A source whose text holds the stand-ins},
  descriptor = {Test},
  source_class = {research},
}
"""


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Source], list[str]]:
    root = tmp_path_factory.mktemp("stand-in")
    synthetic = root / "synthetic"
    generate(synthetic, n_claims=40, n_sources=15)
    minimal = root / "minimal"
    shutil.copytree(EXAMPLE, minimal)
    bib = minimal / "sources" / "references.bib"
    bib.write_text(bib.read_text("utf-8") + STANDING, "utf-8")
    sources: list[Source] = []
    for corpus in (REPO, synthetic, minimal):
        sources += load(corpus, Problems()).sources.values()
    styles = [default_path(), str(style_path("apa", None)), str(style_path("modern-language-association", None))]
    for name, ranges, layout in (("number", "chicago", NUMBER), ("url", "minimal-two", NEXT_TO_URL)):
        path = root / f"{name}.csl"
        path.write_text(CSL.format(ranges=ranges, layout=layout), "utf-8")
        styles.append(str(path))
    return sources, styles


LOCATORS = st.one_of(
    st.integers(0, 99999).map(str),
    st.builds(lambda a, dash, b: f"{a}{dash}{b}", st.integers(0, 12000), st.sampled_from(["-", "--", "\u2013",
              "\u2014", " - ", "\u2013\u2013"]), st.integers(0, 12000)),
    st.from_regex(r"[ivxlcdm]{1,7}|[IVXLCDM]{1,7}|[0-9]{1,3}(\.[0-9]{1,2}){1,2}", fullmatch=True),
    st.sampled_from(["fig. 3", "3, 5", "3 & 5", "12-15, 18", "8600", "8600-9753", "8600--9753", "8600\u20139753",
                     "86.97", "mdcclxxvi", "MDCCLXXVI", "86009753", "9753", "a&b", "<i>3</i>", "007", "0-0", "101-3",
                     "1-10", "99-101", "1999-2003", "12\u201315", "ii-iv", "8600.9753", "xlvii"]),
    st.text(alphabet="0123456789-\u2013.,&ivxIVX /:", min_size=1, max_size=9),
)
LABELS = st.sampled_from(["page", "section", "paragraph", "figure", "chapter", "line", "volume", ""])
AFFIXES = st.sampled_from(["", "see", "8600", "table 86.97", "annex mdcclxxvi", "9753"])


def put(sty: Styler, source: Source, first: bool, label: str, locator: str, prefix: str, suffix: str) -> Any:
    return sty._put_in_place(source, first, label, locator, prefix, suffix)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), first=st.booleans(), label=LABELS, locator=LOCATORS, prefix=AFFIXES, suffix=AFFIXES)
def test_a_locator_put_in_place_is_what_the_processor_writes(
        corpora: tuple[list[Source], list[str]], data: st.DataObject, first: bool, label: str, locator: str,
        prefix: str, suffix: str) -> None:
    sources, styles = corpora
    source = data.draw(st.sampled_from(sources), label="source")
    sty = styler(data.draw(st.sampled_from(styles), label="style"))
    fast = put(sty, source, first, label, locator, prefix, suffix)
    if fast is not None:
        assert fast == sty.formatted(source, first, label, locator, prefix, suffix)
    # and through the cached path the renderers use
    assert sty.note(source, first, label, locator, prefix, suffix) == sty.formatted(source, first, label, locator,
                                                                                     prefix, suffix)


def test_plain_locators_are_put_in_place(corpora: tuple[list[Source], list[str]]) -> None:
    """The property is not vacuous: in the shipped styles a plain locator of an ordinary source takes the fast path,
    and one of the source that holds the stand-ins does not."""
    sources, styles = corpora
    ordinary = next(s for s in sources if s.key == "agency2024widgets")
    standing = next(s for s in sources if s.key == "standin2024")
    for path in styles:
        sty = styler(path)
        for locator in ("7", "101\u2013103", "12-15", "20--21", "4.2", "ii", "XIV", "007"):
            fast = put(sty, ordinary, False, "page", locator, "", "")
            if not path.endswith("url.csl") or locator.isdigit():  # the upper-case style changes roman numerals
                assert fast is not None, (path, locator)
            assert fast is None or fast == sty.formatted(ordinary, False, "page", locator)
            if locator not in ("101\u2013103", "20--21"):  # their stand-ins are not in its text
                assert put(sty, standing, True, "page", locator, "", "") is None, (path, locator)


DUMP = """
import json, sys
from pathlib import Path
import briefing.cite as cite
from briefing.loader import load
from briefing.problems import Problems
if sys.argv[1] == "plain":  # citeproc-py with the corrections of the default style only: no speed-ups, no stand-in
    cite._patch_citeproc_walk = lambda: None
styles, roots = json.loads(sys.argv[2]), sys.argv[3:]
out = {}
for path in styles:
    sty = cite.styler(path)
    for root in roots:
        for n, s in enumerate(load(Path(root), Problems()).sources.values()):
            out[f"{path} {s.key} entry"] = [[g.text, g.style] for g in sty.entry(s)]
            for first in (True, False):
                for label, locator in (("", ""), ("page", str(n + 1)), ("page", f"{n + 101}-{n + 103}"),
                                       ("section", f"{n}.2"), ("figure", "ii"), ("paragraph", "12\\u201315")):
                    out[f"{path} {s.key} {first} {label} {locator}"] = [
                        [g.text, g.style] for g in sty.note(s, first, label, locator)]
print(json.dumps(out))
"""


def test_the_speed_ups_change_no_output(corpora: tuple[list[Source], list[str]], tmp_path: Path) -> None:
    """citeproc-py's tree walk as patched for speed (_patch_citeproc_walk) and the stand-in give, byte for byte,
    what citeproc-py gives without them: every reference and a set of notes of the shipped and a synthetic corpus, in
    the five styles (a process each, the reference cache off)."""
    _, styles = corpora
    synthetic = tmp_path / "synthetic"
    generate(synthetic, n_claims=40, n_sources=15)
    env = {**os.environ, "BRIEFING_NO_CACHE": "1"}
    dumps = [subprocess.run([sys.executable, "-c", DUMP, mode, json.dumps(styles), str(REPO), str(synthetic)],
                            env=env, check=True, capture_output=True, text=True).stdout for mode in ("plain", "fast")]
    plain, fast = (json.loads(d) for d in dumps)
    assert len(plain) > 1000 and plain.keys() == fast.keys()
    assert [k for k in plain if plain[k] != fast[k]] == []


def test_kinds_of_locator() -> None:
    assert stand_in("12") == "8600" and stand_in("101-103") == "8600-9753" and stand_in("4.2") == "86.97"
    assert stand_in("12\u201315") == "8600\u20139753" and stand_in("ii") == "mdcclxxvi"
    for other in ("fig. 3", "3, 5", "3 & 5", "12 - 15", "8600", "iv-vi", "", "12\u201415"):
        assert stand_in(other) is None, other
