"""A macro's output kept for a source's later notes, and a cs:choose's branch kept by the reference's type and
variables (issue 13, formatting speed), give what citeproc-py writes, byte for byte: later notes of every source in
turn, label after label, compared with citeproc-py's own (a process each, the reference cache off), in the default
style and in a small style whose one date with cs:date-part attributes changes citeproc-py's locale for good once it
has been written (so that a date written before it must not be reused after it; a note form is formatted once, so
each label is asked for once here: its template, made before that change, would keep the long month). A macro's
output kept for every reference of the same shape (one that read no value of the reference) is compared alike, over
sources that share a shape, in two styles."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from briefing.cite import csl_json, default_path, style_path, styler
from briefing.loader import load
from briefing.problems import Problems
from briefing.synthetic import generate

SEQUENCE = """
import json, sys
from pathlib import Path
import briefing.cite as cite
from briefing.loader import load
from briefing.problems import Problems
if sys.argv[1] == "plain":  # citeproc-py with the corrections of the default style only
    cite._patch_citeproc_walk = lambda: None
sty = cite.styler(sys.argv[2])
sources = list(load(Path(sys.argv[3]), Problems()).sources.values())
out = []
for k, label in enumerate(("page", "section", "paragraph", "", "figure")):  # (each once: see below)
    for n, s in enumerate(sources):
        locator = str(n + k + 1) if label else ""
        out.append([[g.text, g.style] for g in sty.note(s, n % 3 == 0 and k == 0, label, locator)])
print(json.dumps(out))
"""

MUTATING = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" default-locale="en-US">
  <info><title>Test</title><id>test</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="who">
    <names variable="author"><name/><substitute><names variable="editor"/><text variable="title"/></substitute></names>
  </macro>
  <macro name="when"><date variable="issued" form="text"/></macro>
  <citation>
    <layout suffix="." delimiter="; ">
      <group delimiter=", ">
        <text macro="who"/>
        <text macro="when"/>
        <choose>
          <if locator="section"><date variable="issued" form="text"><date-part name="month" form="short"/></date></if>
        </choose>
        <group delimiter=" "><label variable="locator" form="short"/><text variable="locator"/></group>
      </group>
    </layout>
  </citation>
</style>
"""


@pytest.mark.parametrize("style", ["default", "mutating"])
def test_later_notes_are_what_the_processor_writes(style: str, tmp_path: Path) -> None:
    path = default_path()
    if style == "mutating":
        csl = tmp_path / "mutating.csl"
        csl.write_text(MUTATING, "utf-8")
        path = str(csl)
    env = {**os.environ, "BRIEFING_NO_CACHE": "1"}
    plain, fast = (json.loads(subprocess.run([sys.executable, "-c", SEQUENCE, mode, path, str(REPO)], env=env,
                                             check=True, capture_output=True, text=True).stdout)
                   for mode in ("plain", "fast"))
    assert len(plain) > 50 and plain == fast
    if style == "mutating":  # not vacuous: a month was written in full before the change and short after it
        text = json.dumps(plain)
        assert re.search(r"\b(Jan|Feb|Aug|Sept|Oct|Nov|Dec)\. ", text) and re.search(r"\b(August|November) ", text)


def test_later_notes_keep_macros() -> None:
    """The property above is not vacuous: a later note keeps the macros it wrote for its reference."""
    sty = styler(default_path())
    source = next(iter(load(REPO, Problems()).sources.values()))
    sty.formatted(source, False, "page", "7")  # (straight from the processor: no note cache, no on-disk cache)
    reference = next(iter(sty._bibliography(source).source.values()))
    assert reference.__dict__.get("_briefing_macros")


# Sources of one shape (the same type and variables: a synthetic corpus's), in turn: their references, first notes
# and later notes, label after label, with locators of several kinds (stand-ins put in place, and 'A1' written by the
# processor itself), so that a macro's output kept for the shape (issue 13: it read no value of the reference) is
# asked for by sources whose values differ, and a locator's by notes with other locators and labels.
SHAPED = """
import json, sys
from pathlib import Path
import briefing.cite as cite
from briefing.loader import load
from briefing.problems import Problems
if sys.argv[1] == "plain":
    cite._patch_citeproc_walk = lambda: None
sty = cite.styler(sys.argv[2])
sources = list(load(Path(sys.argv[3]), Problems()).sources.values())
out = [[[g.text, g.style] for g in sty.entry(s)] for s in sources]
for k, label in enumerate(("page", "section", "", "chapter", "figure")):
    for n, s in enumerate(sources):
        locator = (str(n + 1), "iv", "12-14", "A1")[(n + k) % 4] if label else ""
        out.append([[g.text, g.style] for g in sty.note(s, k == 0, label, locator)])
print(json.dumps(out))
"""


@pytest.mark.parametrize("style", ["chicago-notes-bibliography", "apa"])
def test_sources_of_one_shape_are_what_the_processor_writes(style: str, tmp_path: Path) -> None:
    generate(tmp_path, n_claims=10, n_sources=12)
    shapes = {(item["type"], frozenset(item)) for item in map(csl_json, load(tmp_path, Problems()).sources.values())}
    assert len(shapes) < 12  # not vacuous: sources share a shape
    env = {**os.environ, "BRIEFING_NO_CACHE": "1"}
    path = str(style_path(style, None))
    plain, fast = (json.loads(subprocess.run([sys.executable, "-c", SHAPED, mode, path, str(tmp_path)], env=env,
                                             check=True, capture_output=True, text=True).stdout)
                   for mode in ("plain", "fast"))
    assert len(plain) == 72 and plain == fast
    assert len({json.dumps(entry) for entry in plain[:12]}) == 12  # each source its own reference
