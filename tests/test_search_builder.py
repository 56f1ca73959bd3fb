"""The faster lunr builder (site/lunr-builder.js) builds the same index as lunr's own, and search finds the same.

Material's real search worker runs in Chromium twice, as it is and with the builder after it (as the site's
``<worker>.source.js`` has it); each builds an index from the same documents and answers the same queries. The
serialised indexes and the answers must be equal: on a built site's index, and on documents made by hypothesis to
hit the builder's edges (words that are names of object properties, numbers, hyphens, markup, repeated terms,
section entries, boosts, tags).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from site_helpers import build

from briefing.site.search import LUNR_BUILDER, read_index

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "minimal"
QUERIES = ["satellite", "s", "wid", "ruritania third", "2024", "constructor", "dual-use", "+acme -widgets", "x*",
           "title:acme", "__proto__", ""]

# Appended to each worker: keep the index lunr builds, and send it serialised when asked.
CAPTURE = """
(function () {
  var build = lunr.Builder.prototype.build, last = null;
  lunr.Builder.prototype.build = function () { last = build.call(this); return last; };
  addEventListener("message", function (event) {
    if (event.data === "dump") postMessage({ dump: JSON.stringify(last.toJSON()),
      faster: String(lunr.Builder.prototype.createFieldVectors).indexOf("pairs") >= 0 });
  });
})();
"""

RUN = """async ([docs, config, queries]) => {
  const ask = (worker, message, wanted) => new Promise(resolve => {
    const listen = event => {
      if (event.data && wanted(event.data)) { worker.removeEventListener("message", listen); resolve(event.data); }
    };
    worker.addEventListener("message", listen);
    worker.postMessage(message);
  });
  const out = {};
  for (const [name, worker] of Object.entries(window.workers)) {
    await ask(worker, { type: 0, data: { config, docs, options: { suggest: true } } }, d => d.type === 1);
    const results = [];
    for (const query of queries) results.push((await ask(worker, { type: 2, data: query }, d => d.type === 3)).data);
    const { dump, faster } = await ask(worker, "dump", d => d.dump !== undefined);
    out[name] = { results, dump, faster };
  }
  return out;
}"""


def material_worker() -> str:
    import material

    [worker] = (Path(material.__file__).parent / "templates/assets/javascripts/workers").glob("search.*.min.js")
    return worker.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def workers(browser) -> Iterator[Any]:
    """A page with two of Material's search workers: ``lunr`` as it is, ``faster`` with the builder after it."""
    context = browser.new_context()
    page = context.new_page()
    page.goto((Path(__file__).parent / "fixtures").as_uri())  # a file:// page may start blob: workers
    code = material_worker()
    page.evaluate("""([lunr, faster]) => {
      const start = code => new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
      window.workers = { lunr: start(lunr), faster: start(faster) };
    }""", [code + CAPTURE, code + "\n" + LUNR_BUILDER.read_text(encoding="utf-8") + CAPTURE])
    yield page
    context.close()


def both(page: Any, docs: list[dict[str, Any]], config: dict[str, Any]) -> dict[str, Any]:
    out = page.evaluate(RUN, [docs, config, QUERIES])
    assert out["faster"]["faster"] and not out["lunr"]["faster"]  # the builder is in use (lunr 2.3.9) or the test fails
    return out


def test_a_built_sites_index_is_the_same_and_so_is_every_answer(workers: Any, tmp_path: Path) -> None:
    site = build(Path(shutil.copytree(EXAMPLE, tmp_path / "corpus")), tmp_path / "out")
    index = read_index(site)
    out = both(workers, index["docs"], index["config"])
    assert json.loads(out["faster"]["dump"])["invertedIndex"]  # a real index, not two empty ones
    assert any(result["items"] for result in out["lunr"]["results"])
    assert out["faster"]["dump"] == out["lunr"]["dump"]
    assert out["faster"]["results"] == out["lunr"]["results"]
    source = next((site / "assets/javascripts/workers").glob("search.*.min.source.js")).read_text("utf-8")
    assert json.dumps(LUNR_BUILDER.read_text(encoding="utf-8"), ensure_ascii=True)[1:-1] in source  # it ships


WORDS = st.sampled_from(["satellite", "Satellites", "s", "widget", "Ruritania", "third", "country", "2024", "7",
                         "007", "constructor", "__proto__", "toString", "hasOwnProperty", "_index", "dual-use",
                         "the", "and", "Ακμή", "中国", "<code>x</code>", "<b>acme</b>", "&amp;", "a/b", "title"])
TEXT = st.lists(WORDS, max_size=12).map(" ".join)


@st.composite
def documents(draw: st.DrawFn) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for page in range(draw(st.integers(1, 6))):
        location = f"p{page}.html"
        for section in range(draw(st.integers(0, 2)) + 1):
            doc: dict[str, Any] = {"location": location if section == 0 else f"{location}#s{section}",
                                   "title": draw(TEXT), "text": draw(TEXT)}
            if draw(st.booleans()):
                doc["tags"] = draw(st.lists(WORDS, max_size=3))
            if draw(st.booleans()):
                doc["boost"] = draw(st.sampled_from([0.5, 2, 1000]))
            docs.append(doc)
    return docs


CONFIG = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"],
          "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "tags": {"boost": 1000000.0}}}


@settings(max_examples=40, deadline=None)
@given(docs=documents(), stemmed=st.booleans())
def test_any_documents_give_the_same_index_and_answers(workers: Any, docs: list[dict[str, Any]],
                                                        stemmed: bool) -> None:
    config = {**CONFIG, "pipeline": ["stopWordFilter", "trimmer", "stemmer"] if stemmed else ["stopWordFilter"]}
    out = both(workers, docs, config)
    assert out["faster"]["dump"] == out["lunr"]["dump"]
    assert out["faster"]["results"] == out["lunr"]["results"]
