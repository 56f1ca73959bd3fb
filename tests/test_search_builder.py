"""The faster lunr builder (site/lunr-builder.js) builds the same index as lunr's own, and search finds the same.

Material's real search worker runs in Chromium twice, as Material ships it and as a built site ships it to the
shim (its ``<worker>.source.js``: the worker's code with the builder after it); each builds an index from the same
documents and answers the same queries. The serialised indexes and the answers must be equal: on a built site's
index, and on documents made by hypothesis to hit the builder's edges (words that are names of object properties,
numbers, hyphens, markup, repeated terms, section entries, boosts, tags).
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

# Put before each worker's code: answer "dump" with the index lunr built last, serialised (before Material's own
# listener, which would take it for a bad message), and report a failure (Material's worker answers in an async
# function: an error in the build would otherwise leave the test waiting).
BEFORE = """
addEventListener("message", function (event) {
  if (event.data !== "dump") return;
  event.stopImmediatePropagation();
  postMessage({ dump: JSON.stringify(self.built.toJSON()),
    faster: String(lunr.Builder.prototype.createFieldVectors).indexOf("pairs") >= 0 });
});
addEventListener("unhandledrejection", function (event) { postMessage({ failed: String(event.reason) }); });
addEventListener("error", function (event) { postMessage({ failed: String(event.message) }); });
"""
# Put after it: keep the index lunr builds.
AFTER = """
(function (build) {
  lunr.Builder.prototype.build = function () { return self.built = build.call(this); };
})(lunr.Builder.prototype.build);
"""

RUN = """async ([docs, config, queries]) => {
  const ask = (worker, message, wanted) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no answer to " + JSON.stringify(message).slice(0, 80))), 60000);
    const listen = event => {
      if (event.data && event.data.failed !== undefined) reject(new Error(event.data.failed));
      else if (event.data && wanted(event.data)) resolve(event.data);
      else return;
      clearTimeout(timer);
      worker.removeEventListener("message", listen);
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
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("builder")
    return build(Path(shutil.copytree(EXAMPLE, base / "corpus")), base / "out")


@pytest.fixture(scope="module")
def workers(browser, site: Path) -> Iterator[Any]:
    """A page with two of Material's search workers: ``lunr`` as Material ships it, ``faster`` as the built site
    ships it to the shim (its ``<worker>.source.js``: Material's code with the builder)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto((site / "index.html").as_uri())  # a file:// page may start blob: workers
    [source] = (site / "assets/javascripts/workers").glob("search.*.min.source.js")
    shipped = page.evaluate("""source => {
      const sources = {};
      new Function("window", source)({ __briefingWorkerSources: sources });
      return Object.values(sources)[0];
    }""", source.read_text("utf-8"))
    assert shipped.startswith(material_worker()) and LUNR_BUILDER.read_text(encoding="utf-8") in shipped
    page.evaluate("""([lunr, faster]) => {
      const start = code => new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
      window.workers = { lunr: start(lunr), faster: start(faster) };
    }""", [BEFORE + material_worker() + AFTER, BEFORE + shipped + AFTER])
    yield page
    context.close()


def both(page: Any, docs: list[dict[str, Any]], config: dict[str, Any]) -> dict[str, Any]:
    out = page.evaluate(RUN, [docs, config, QUERIES])
    assert out["faster"]["faster"] and not out["lunr"]["faster"]  # the builder is in use (lunr 2.3.9) or the test fails
    return out


def test_a_built_sites_index_is_the_same_and_so_is_every_answer(workers: Any, site: Path) -> None:
    index = read_index(site)
    out = both(workers, index["docs"], index["config"])
    assert json.loads(out["faster"]["dump"])["invertedIndex"]  # a real index, not two empty ones
    assert any(result["items"] for result in out["lunr"]["results"])
    assert out["faster"]["dump"] == out["lunr"]["dump"]
    assert out["faster"]["results"] == out["lunr"]["results"]


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
