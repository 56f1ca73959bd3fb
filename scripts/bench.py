"""Benchmarks: time whole `briefing` commands over several runs and print min / median / max.

Run through ./scripts/bench (which sets up .venv). Synthetic corpora come from briefing.synthetic and are kept
in a cache folder between runs. Output sizes (search index, PDFs, page counts) are printed after the timings.

Cases (``--only`` picks by name): check and build of the shipped corpus and of the synthetic corpus at each
``--claims`` size (peak memory of each build), a rebuild after editing one claim, ``mkdocs serve`` showing the site
again after editing one claim, the same build in a git
repository of ``--commits`` commits (history and changes since v1.0), formatting 10,000 citations of each corpus
(cold: no reference cache), bare MkDocs + Material and bare Typst with the same number of pages (and a bare Typst
table with a row per claim; and the full pack's evidence annexes against bare Typst tables of the same rows), and
search in Chromium from file:// (page load to results, a further query, the
longest main-thread task, JS heap). Peak memory is the highest sum of the proportional set sizes of the command
and its worker processes (sampled every 50 ms): memory a forked worker shares with its parent counts once. It is
read in one extra run per case, not in the timed runs (reading it costs CPU).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def synthetic(cache: Path, claims: int, sources: int) -> Path:
    root = cache / f"synthetic-{claims}-{sources}"
    if not (root / "sources").is_dir():
        subprocess.run([sys.executable, "-m", "briefing.synthetic", str(root), "--claims", str(claims),
                        "--sources", str(sources)], check=True)
    return root


def kinds_corpus(cache: Path, copies: int = 40) -> Path:
    """The minimal example with ``copies`` copies of the test export's 25 entries (every entry type and field,
    crossref, xdata), keys, titles and years changed in each: about 1,000 sources of many kinds, where the
    synthetic corpus's are all of one kind (which the formatter's memo of a kind's macros would flatter)."""
    root = cache / f"kinds-{copies}"
    if not (root / "sources").is_dir():
        shutil.copytree(REPO / "examples" / "minimal", root)
        export = (REPO / "tests" / "fixtures" / "zotero-export.bib").read_text("utf-8")
        with (root / "sources" / "references.bib").open("a", encoding="utf-8") as bib:
            bib.write("".join("\n" + export_copy(export, n) for n in range(copies)))
    return root


def export_copy(export: str, n: int) -> str:
    """The n-th copy of a BibTeX export: its keys (and crossref and xdata) suffixed, titles and years changed (by
    four years each time, so that a 29 February stays a date)."""
    text = re.sub(r"@(\w+)\{([^,\s]+),", lambda m: f"@{m[1]}{{{m[2]}V{n},", export)
    text = re.sub(r"(crossref|xdata)\s*=\s*\{([^}]+)\}",
                  lambda m: f"{m[1]} = {{{','.join(k.strip() + f'V{n}' for k in m[2].split(','))}}}", text)
    text = re.sub(r"(\n\s*title\s*=\s*\{)", lambda m: f"{m[1]}Volume {n} of ", text)
    return re.sub(r"(\n\s*(?:year|date)\s*=\s*\{)(\d{4})",
                  lambda m: f"{m[1]}{1960 + (int(m[2]) - 1960 + 4 * n) % 64}", text)


def copy_of(root: Path, work: Path) -> Path:
    """A private copy of a corpus, so that builds never touch the repository's own site/ and dist/."""
    target = work / root.name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(root, target, ignore=shutil.ignore_patterns("site", "dist", ".git", ".venv", ".*"))
    archive = REPO.parent / "shared" / "seeds"
    if archive.is_dir():
        os.environ["BRIEFING_ARCHIVE"] = str(archive)
    return target


PEAKS: dict[str, list[float]] = {}  # case -> peak resident memory of each run, MiB


def timed(args: list[str], runs: int, name: str = "", clean: bool = False) -> list[float]:
    """Seconds of each run of a briefing command; ``clean``: each run without the parses, generated and built
    pages, compiled templates and packs an earlier build kept (removed from the build cache of the ``--root``; the
    claim history and the formatted references stay cached, as before)."""
    from briefing.cachedir import cache_dir

    times = []
    for run in range(runs + 1):  # the timed runs, then one more for the peak memory (see run_briefing)
        if clean:
            for kept in ("parsed", "pages", "packs", "generated", "templates"):
                shutil.rmtree(cache_dir(Path(args[args.index("--root") + 1])) / kept, ignore_errors=True)
        seconds, peak = run_briefing(args, sample=run == runs)
        if run < runs:
            times.append(seconds)
        else:
            PEAKS.setdefault(name, []).append(peak)
    return times


def tree_rss(pid: int) -> int:
    """Memory of a process and all its descendants now (Linux /proc): the sum of their proportional set sizes
    (Pss: a page shared by n processes counts 1/n in each; a forked worker shares the corpus it inherits), or of
    their resident sizes where Pss cannot be read."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        for name, field in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
            try:
                lines = Path(f"/proc/{current}/{name}").read_text().splitlines()
            except OSError:
                continue
            found = [int(line.split()[1]) * 1024 for line in lines if line.startswith(field)]
            if found:
                total += found[0]
                break
    return total


def run_briefing(args: list[str], env: dict[str, str] | None = None, sample: bool = False) -> tuple[float, float]:
    """Seconds and, with ``sample``, peak MiB of one ``briefing`` command: the highest memory of the process and
    its worker processes together (``tree_rss``), sampled every 50 ms (a pack rendered in a worker counts while
    the site builds). Reading the memory of large processes costs CPU (about 10 % of a 5,000-claim build on two
    cores), so timed runs are not sampled: each case samples one run of its own."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "briefing", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    peak = [0]

    def sampling() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sampling, daemon=True)
    if sample:
        sampler.start()
    err = proc.stderr.read() if proc.stderr else ""
    proc.wait()
    if sample:
        sampler.join()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n".join(err.splitlines()[-5:])
        raise RuntimeError(f"briefing {' '.join(args)} failed ({proc.returncode}):\n{tail}")
    return seconds, peak[0] / 2**20


# Formatting alone (cite.py, citeproc-py): every reference of a corpus once, then 10,000 footnote citations drawn
# from its sources with page, section, paragraph and figure locators, in pack order (first note full, later short).
CITATIONS = """
import random, sys, time
from pathlib import Path
from briefing.cite import reference, styler
from briefing.shortcite import short_label
from briefing.loader import load
from briefing.problems import Problems
sources = list(load(Path(sys.argv[1]), Problems()).sources.values())
rng, seen = random.Random(13), set()
start = time.perf_counter()
for s in sources:
    reference(s), short_label(s)
for _ in range(10000):
    s, label = rng.choice(sources), rng.choice(["page", "section", "paragraph", "figure", ""])
    styler(s.style).note(s, s.key not in seen, label, str(rng.randint(1, 40)) if label else "")
    seen.add(s.key)
print(time.perf_counter() - start)
"""


def timed_citations(root: Path, runs: int) -> list[float]:
    """Seconds to format the references of root and 10,000 citations of them, per run (in a fresh process, with
    the on-disk reference cache off: the cost of a first build)."""
    out = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", CITATIONS, str(root)], capture_output=True, text=True,
                                check=False, env={**os.environ, "BRIEFING_NO_CACHE": "1"})  # cold: no disk cache
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed")
        out.append(float(result.stdout.strip().splitlines()[-1]))
    return out


def pages(pdf: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(pdf).pages)


def full_pdfs(root: Path) -> list[Path]:
    """The full pack's PDFs in dist/: the pack and its annexes (as the manifest lists them)."""
    manifest = json.loads((root / "dist" / "manifest.json").read_text("utf-8"))
    return [root / "dist" / f["file"] for f in manifest["files"] if f.get("pack") == "full"]


def report_outputs(root: Path) -> None:
    """Sizes of what a build wrote."""
    index = root / "site" / "search" / "search_index.js"
    if index.is_file():
        print(f"  search index: {index.stat().st_size / 1024:,.0f} KiB; site files: "
              f"{sum(1 for p in (root / 'site').rglob('*') if p.is_file()):,}")
    for pdf in sorted((root / "dist").glob("*.pdf")):
        print(f"  {pdf.name}: {pages(pdf)} pages, {pdf.stat().st_size / 1024:,.0f} KiB")
    for zipped in sorted((root / "dist").glob("site-*.zip")):
        print(f"  {zipped.name}: {zipped.stat().st_size / 1024:,.0f} KiB")


def edit_one_claim(root: Path, n: int) -> None:
    """Rewrite the statement of the first claim (a new text each run), as an analyst's edit would."""
    path = sorted((root / "sources" / "claims").glob("*.yml"))[0]
    text = path.read_text("utf-8")
    marker = "statement: "
    at = text.index(marker) + len(marker)
    end = text.index("\n", at)
    path.write_text(f"{text[:at]}Edited statement number {n} of the benchmark.{text[end:]}", encoding="utf-8")


def timed_rebuild(root: Path, runs: int, name: str) -> list[float]:
    """A clean build, then per run: edit one claim and build again (the rebuild is timed; it reuses the pages
    the edit leaves unchanged from the page cache, and the packs it leaves unchanged from the pack cache)."""
    dated = {"SOURCE_DATE_EPOCH": "1728000000"}  # as in git, where it is the last commit's (outside git: now)
    run_briefing(["build", "--root", str(root), "--no-changes"], dated)
    times = []
    for n in range(runs + 1):  # the timed runs, then one more for the peak memory
        edit_one_claim(root, n)
        seconds, peak = run_briefing(["build", "--root", str(root), "--no-changes"], dated, sample=n == runs)
        if n < runs:
            times.append(seconds)
        else:
            PEAKS.setdefault(name, []).append(peak)
    return times


SERVE_CONFIG = """site_name: Bench
theme: {name: material, font: false}
plugins:
  - briefing: {mode: site}
  - search
  - offline
"""


def timed_serve(root: Path, runs: int) -> list[float]:
    """``mkdocs serve`` on root: per run, edit one claim and time until MkDocs has built the site again and tells
    browsers to reload (its log's "Reloading browsers"; "Documentation built in 3.66 seconds" is not counted: MkDocs
    logs a message once, and two builds of the same length would look like one). MkDocs notices the edit within
    its polling interval, included."""
    (root / "mkdocs.yml").write_text(SERVE_CONFIG, encoding="utf-8")
    log = root / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([str(Path(sys.executable).with_name("mkdocs")), "serve", "-a", "127.0.0.1:8765"],
                                cwd=root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        def logged(text: str, count: int) -> None:
            deadline = time.perf_counter() + 600
            while log.read_text("utf-8").count(text) < count:
                if proc.poll() is not None or time.perf_counter() > deadline:
                    raise RuntimeError("mkdocs serve stopped: " + log.read_text("utf-8")[-500:])
                time.sleep(0.02)

        def settled() -> int:
            """Wait until MkDocs is idle (every build it started has ended, and nothing logged for 2 s, as an analyst
            would); the number of reloads so far. A build MkDocs starts with no edit of ours (now and then it
            notices one edit twice) ends before the next edit, and is never timed as the edit's."""
            deadline = time.perf_counter() + 600
            while True:
                text = log.read_text("utf-8")
                time.sleep(2)
                again = log.read_text("utf-8")
                if again == text and again.count("Detected file changes") == again.count("Reloading browsers"):
                    return again.count("Reloading browsers")
                if proc.poll() is not None or time.perf_counter() > deadline or "error happened" in again:
                    raise RuntimeError("mkdocs serve did not settle: " + again[-500:])

        logged("Serving on", 1)
        times = []
        for n in range(runs):
            reloads = settled()
            started = time.perf_counter()
            edit_one_claim(root, 100 + n)
            logged("Reloading browsers", reloads + 1)
            times.append(time.perf_counter() - started)
        extra = settled() - runs
        if extra:
            print(f"  (MkDocs started {extra} more build(s) than there were edits; not timed)")
        return times
    finally:
        os.killpg(proc.pid, 15)
        proc.wait()


def history_copy(cache: Path, claims: int, sources: int, commits: int) -> Path:
    """The synthetic corpus in a git repository of ``commits`` commits (v1.0 on the first), warmed once."""
    root = cache / f"synthetic-{claims}-{sources}-git{commits}"
    if not (root / ".git").is_dir():
        subprocess.run([sys.executable, "-m", "briefing.synthetic", str(root), "--claims", str(claims),
                        "--sources", str(sources), "--commits", str(commits)], check=True)
        started = time.perf_counter()
        run_briefing(["build", "--root", str(root)])  # fills .git/briefing-cache (each revision read once)
        print(f"  (first build in the repository, cold history cache: {time.perf_counter() - started:.1f} s)")
    return root


BARE_MKDOCS = """site_name: Bare
theme:
  name: material
  font: false
plugins:
  - search
  - offline
nav:
  - index.md
"""


def bare_mkdocs(cache: Path, pages: int) -> Path:
    """A plain MkDocs + Material project of ``pages`` pages (a heading, a paragraph and a small table each)."""
    root = cache / f"bare-mkdocs-{pages}"
    docs = root / "docs"
    if not (docs / "index.md").is_file():
        docs.mkdir(parents=True, exist_ok=True)
        (root / "mkdocs.yml").write_text(BARE_MKDOCS, encoding="utf-8")
        (docs / "index.md").write_text("# Bare\n\nA page.\n", encoding="utf-8")
        for n in range(pages):
            (docs / f"p{n:05d}.md").write_text(
                f"# Page {n}\n\nSatellite shipment sensor sanction engine drone shipment tool network {n}.\n\n"
                "## Evidence\n\n| Source | Grade | Excerpt |\n|---|---|---|\n| Institute | A2 | route cargo |\n"
                "| Agency | B3 | payment port |\n", encoding="utf-8")
    return root


def timed_mkdocs(root: Path, runs: int) -> list[float]:
    times = []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=env, check=True,
                       capture_output=True)
        times.append(time.perf_counter() - start)
    return times


BARE_TYPST = r"""
import sys, time, typst
pages = int(sys.argv[1])
body = "\n".join(f"= Section {n}\n#lorem(380)\n#pagebreak()" for n in range(pages))
start = time.perf_counter()
head = '#set page(paper: "a4")\n#set text(size: 10pt)\n'
typst.compile((head + body).encode())
print(time.perf_counter() - start)
"""


# The full pack is mostly its register of claims, a table: table cells cost Typst far more per page than text.
BARE_TYPST_TABLE = r"""
import sys, time, typst
rows = int(sys.argv[1])
doc = ('#set page(paper: "a4")\n#set text(size: 9pt)\n#table(columns: (auto, 1fr, auto, auto), '
       f'..range({rows}).map(n => (str(n), lorem(14), [confirmed], [A2])).flatten())\n')
start = time.perf_counter()
typst.compile(doc.encode())
print(time.perf_counter() - start)
"""


# The full pack's PDFs (the pack and, its registers set apart, each annex) compiled one after another, each in a
# process of its own as a build does, the cache off: Typst's time alone, summed.
PACK_TYPST = r"""
import sys, time
from pathlib import Path
from briefing.marking import at_ceiling
from briefing.pdf.assemble import assemble, layouts
from briefing.pdf.compile import compile_pdf
from briefing.pdf.parts import parts
from briefing.pipeline import load_and_check
from briefing.versioning import VersionInfo
corpus, _ = load_and_check(Path(sys.argv[1]))
pack = corpus.packs["full"]
cut = at_ceiling(corpus, pack.ceiling)
version = VersionInfo(version="bench", commit="", epoch=1728000000, dirty=False, tag=None)
part = parts(cut, pack)[int(sys.argv[2])]
data = assemble(cut, pack, version, None, layouts(pack, part)[0], part)
start = time.perf_counter()
compile_pdf(data, version.epoch)
print(time.perf_counter() - start, len(parts(cut, pack)))
"""


# An evidence annex of the full pack (``sys.argv[2]``: its index among the pack's PDFs), compiled in a process of its
# own: with the pack's template, or ("bare") as one bare Typst table of the same rows and columns, with no template but
# the same page margins, type size, leading, cell padding, rules and heading row (about as many pages).
EVIDENCE_TYPST = PACK_TYPST.partition("start = time.perf_counter()")[0] + r"""
if sys.argv[3] == "bare":
    import typst
    rows = [r for s in data["sections"] if s["kind"] == "evidence" for g in s["groups"] for r in g["rows"]]
    cells = ",".join(f"[{r['statement']}],[{r['status']}],[{r['confidence']}],[{r['grade']}],[{r['origins']}]"
                     for r in rows)  # (the synthetic text has no Typst markup)
    doc = ('#set page(paper: "a4", margin: (top: 20mm, bottom: 20mm, x: 17mm))\n#set text(size: 7.8pt)\n'
           '#set par(leading: 0.45em)\n#table(columns: (1fr, 17mm, 17mm, 11mm, 17mm), inset: 4pt, '
           'stroke: (bottom: 0.4pt), table.header([Claim], [Status], [Confidence], [Grade], [Origins]), '
           f'{cells})\n')
    start = time.perf_counter()
    typst.compile(doc.encode())
else:
    start = time.perf_counter()
    compile_pdf(data, version.epoch)
print(time.perf_counter() - start)
"""


def timed_evidence_typst(root: Path, runs: int) -> dict[str, list[float]]:
    """Seconds Typst takes for the full pack's evidence annexes, with the pack's template and as bare tables of
    the same rows (``EVIDENCE_TYPST``), each PDF in a process of its own, summed."""
    from briefing.marking import at_ceiling
    from briefing.pdf.parts import parts
    from briefing.pipeline import load_and_check

    corpus, _ = load_and_check(root)
    pack = corpus.packs["full"]
    indexes = [i for i, part in enumerate(parts(at_ceiling(corpus, pack.ceiling), pack)) if part.register == "evidence"]
    got: dict[str, list[float]] = {"with the pack's template": [], "bare Typst tables of the same rows": []}
    for _ in range(runs):
        for what, mode in zip(got, ("template", "bare"), strict=True):
            got[what].append(sum(float(subprocess.run(
                [sys.executable, "-c", EVIDENCE_TYPST, str(root), str(i), mode], capture_output=True, text=True,
                check=True).stdout.split()[-1]) for i in indexes))
    return got


def timed_pack_typst(root: Path, runs: int) -> list[float]:
    """Seconds Typst takes for the full pack and its annexes (``PACK_TYPST``)."""
    out = []
    for _ in range(runs):
        total, index, count = 0.0, 0, 1
        while index < count:
            result = subprocess.run([sys.executable, "-c", PACK_TYPST, str(root), str(index)], capture_output=True,
                                    text=True, check=True)
            seconds, count_text = result.stdout.strip().splitlines()[-1].split()
            total, index, count = total + float(seconds), index + 1, int(count_text)
        out.append(total)
    return out


def timed_typst(size: int, runs: int, script: str = BARE_TYPST) -> list[float]:
    """Seconds for bare Typst to compile a text document of ``size`` pages (or ``BARE_TYPST_TABLE``: a table of
    ``size`` rows)."""
    out = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", script, str(size)], capture_output=True,
                                text=True, check=True)
        out.append(float(result.stdout.strip().splitlines()[-1]))
    return out


def timed_search(site: Path, runs: int, queries: tuple[str, ...]) -> dict[str, list[float]]:
    """Search from file:// in Chromium: seconds from navigation to the first results, from the load event to
    them, of each further query; the longest main-thread task (s) and the page's JS heap (MiB)."""
    from playwright.sync_api import sync_playwright

    longtasks = ("window.__longest = 0; new PerformanceObserver(l => l.getEntries().forEach(e => "
                 "window.__longest = Math.max(window.__longest, e.duration))).observe({type: 'longtask', "
                 "buffered: true});")
    got: dict[str, list[float]] = {"results after navigation": [], "results after load": [], "further query": [],
                                   "longest main-thread task": [], "JS heap MiB": [],
                                   "results, search opened 2 s after load": [],
                                   "results after load, the query pasted": []}
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            page.add_init_script(longtasks)
            start = time.perf_counter()
            page.goto((site / "index.html").as_uri())
            loaded = time.perf_counter()
            field = page.locator("input.md-search__input")
            field.click()
            page.wait_for_function("(document.querySelector('.md-search-result__meta') || {}).textContent"
                                   ".includes('Type')", timeout=120_000)
            field.press_sequentially(queries[0])
            page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0",
                                   timeout=120_000)
            got["results after navigation"].append(time.perf_counter() - start)
            got["results after load"].append(time.perf_counter() - loaded)
            for query in queries[1:]:
                field.fill("")
                field.press_sequentially(query[:-1])
                page.wait_for_timeout(300)
                before = page.evaluate("document.querySelector('.md-search-result__list').innerHTML")
                started = time.perf_counter()
                field.press_sequentially(query[-1])  # one keystroke: the time a reader waits for new results
                page.wait_for_function("b => document.querySelector('.md-search-result__list').innerHTML !== b",
                                       arg=before, timeout=120_000)
                got["further query"].append(time.perf_counter() - started)
            got["longest main-thread task"].append(page.evaluate("window.__longest") / 1000)
            heap = context.new_cdp_session(page).send("Runtime.getHeapUsage")
            got["JS heap MiB"].append(heap["usedSize"] / 2**20)

            # a reader who opens the search 2 s after the page loads; then, in a fresh context, the query in one go
            # (pasted) at load: the engine without the typing
            url = (site / "index.html").as_uri()
            got["results, search opened 2 s after load"].append(
                opened(page, url, 2000, field.click, field.press_sequentially, queries[0]))
            context.close()
            context = browser.new_context()  # a fresh browser context, as for the query typed above
            page = context.new_page()
            field = page.locator("input.md-search__input")
            got["results after load, the query pasted"].append(
                opened(page, url, 0, field.click, field.fill, queries[0]))
            context.close()
        browser.close()
    return got


def opened(page: Any, url: str, wait_ms: int, click: Callable[[], None], enter: Callable[[str], None],
           query: str) -> float:
    """Seconds from opening the search, ``wait_ms`` after a fresh load of ``url``, to the first results."""
    page.goto(url)
    page.wait_for_timeout(wait_ms)
    started = time.perf_counter()
    click()
    enter(query)
    page.wait_for_function("document.querySelectorAll('.md-search-result__item').length > 0", timeout=120_000)
    return time.perf_counter() - started


def row(name: str, values: list[float], unit: str = "s") -> None:
    print(f"{name:60} {len(values):>4} {min(values):>8.2f} {statistics.median(values):>9.2f} {max(values):>8.2f}"
          + (f"  ({unit})" if unit != "s" else ""))


Case = Callable[[str], "list[float] | dict[str, list[float]]"]


def synthetic_cases(args: argparse.Namespace, claims: int) -> list[tuple[str, Case]]:
    """The cases of one synthetic corpus size; each is called with its own name (peaks are kept under it)."""
    n_sources = args.sources or max(1, claims // 5)
    label = f"synthetic {claims}/{n_sources}"
    root = synthetic(args.cache, claims, n_sources)

    def site_pages() -> int:
        return sum(1 for _ in (root / "site").rglob("*.html")) if (root / "site").is_dir() else claims

    def build(name: str) -> list[float]:
        times = timed(["build", "--root", str(root), "--no-changes"], args.runs, name, clean=True)
        report_outputs(root)
        return times

    def git_build(name: str) -> list[float]:
        repo = history_copy(args.cache, claims, n_sources, args.commits)
        return timed(["build", "--root", str(repo)], args.runs, name, clean=True)

    return [
        (f"check: {label}", lambda name: timed(["check", "--root", str(root)], args.runs, name, clean=True)),
        (f"check, files parsed by an earlier run: {label}",
         lambda name: timed(["check", "--root", str(root)], args.runs, name)),
        (f"build: {label} (site + packs, no page cache)", build),
        (f"rebuild after editing one claim: {label}",
         lambda name: timed_rebuild(copy_of(root, args.cache / "edited"), args.runs, name)),
        (f"mkdocs serve, the site again after editing one claim: {label}",
         lambda name: timed_serve(copy_of(root, args.cache / "served"), args.runs)),
        (f"build in git, {args.commits} commits, changes since v1.0: {label}", git_build),
        (f"format 10,000 citations: {label}", lambda name: timed_citations(root, args.runs)),
        (f"bare MkDocs + Material, as many pages: {label}",
         lambda name: timed_mkdocs(bare_mkdocs(args.cache, site_pages()), args.runs)),
        (f"Typst alone, the full pack and its annexes: {label}", lambda name: timed_pack_typst(root, args.runs)),
        (f"Typst alone, the full pack's evidence annexes: {label}",
         lambda name: timed_evidence_typst(root, args.runs)),
        (f"bare Typst, page count of the full pack and its annexes: {label}",
         lambda name: timed_typst(sum(pages(p) or 0 for p in full_pdfs(root)) or 100, args.runs)),
        (f"bare Typst table, a row per claim: {label}",
         lambda name: timed_typst(claims, args.runs, BARE_TYPST_TABLE)),
        (f"search in Chromium from file://: {label}",
         lambda name: timed_search(root / "site", args.runs, ("satellite", "institute", "drone"))),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per case (default 3)")
    parser.add_argument("--claims", default="5000", help="claims of the synthetic corpora, comma-separated "
                        "(default 5000; e.g. 5000,10000)")
    parser.add_argument("--sources", type=int, default=0, help="sources of the synthetic corpora (default: claims/5)")
    parser.add_argument("--commits", type=int, default=200, help="commits of the synthetic history (default 200)")
    parser.add_argument("--only", help="run only cases whose name contains this text")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "briefing-bench")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    args.cache.mkdir(parents=True, exist_ok=True)
    shipped = copy_of(REPO, args.cache / "shipped")
    cases: list[tuple[str, Case]] = [
        ("check: shipped corpus", lambda name: timed(["check", "--root", str(shipped)], args.runs, name)),
        ("build: shipped corpus (site + packs)",
         lambda name: timed(["build", "--root", str(shipped), "--no-changes"], args.runs, name, clean=True)),
        ("pack full: shipped corpus",
         lambda name: timed(["pack", "full", "--root", str(shipped), "--no-changes"], args.runs, name)),
        ("format 10,000 citations: shipped corpus", lambda name: timed_citations(shipped, args.runs)),
        ("format 10,000 citations: 1,000 sources of 25 kinds",
         lambda name: timed_citations(kinds_corpus(args.cache), args.runs)),
    ]
    for claims in (int(n) for n in args.claims.split(",") if n.strip()):
        cases += synthetic_cases(args, claims)
    print(f"{'case':60} {'runs':>4} {'min':>8} {'median':>9} {'max':>8}")
    failed = 0
    for name, case in cases:
        if args.only and args.only not in name:
            continue
        try:
            result = case(name)
        except (RuntimeError, subprocess.CalledProcessError) as exc:
            print(f"{name:60} failed: {exc}")
            failed += 1
            continue
        if isinstance(result, dict):
            print(name)
            for what, values in result.items():
                row(f"  {what}", values, "MiB" if "MiB" in what else "s")
            continue
        row(name, result)
        if name in PEAKS:
            row("  peak memory", PEAKS.pop(name), "MiB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
