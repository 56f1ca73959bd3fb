"""Benchmarks: time whole `briefing` commands over several runs and print min / median / max.

Run through ./scripts/bench (which sets up .venv). Synthetic corpora come from briefing.synthetic and are kept
in a cache folder between runs. Output sizes (search index, PDFs, page counts) are printed after the timings.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def synthetic(cache: Path, claims: int, sources: int) -> Path:
    root = cache / f"synthetic-{claims}-{sources}"
    if not (root / "sources").is_dir():
        subprocess.run([sys.executable, "-m", "briefing.synthetic", str(root), "--claims", str(claims),
                        "--sources", str(sources)], check=True)
    return root


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


def timed(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, text=True,
                                check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            tail = "\n".join(result.stderr.splitlines()[-5:])
            raise RuntimeError(f"briefing {' '.join(args)} failed ({result.returncode}):\n{tail}")
    return times


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
    """Seconds to format the references of root and 10,000 citations of them, per run (in a fresh process)."""
    out = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", CITATIONS, str(root)], capture_output=True, text=True,
                                check=False)
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


def report_outputs(root: Path, pack: str | None = None) -> None:
    """Sizes of what a build wrote; for one pack, only that pack."""
    if pack:
        pdf = root / "dist" / f"{pack}.pdf"
        print(f"  {pdf.name}: {pages(pdf)} pages, {pdf.stat().st_size / 1024:,.0f} KiB")
        return
    index = root / "site" / "search" / "search_index.json"
    if index.is_file():
        print(f"  search index: {index.stat().st_size / 1024:,.0f} KiB; site files: "
              f"{sum(1 for p in (root / 'site').rglob('*') if p.is_file()):,}")
    for pdf in sorted((root / "dist").glob("*.pdf")):
        print(f"  {pdf.name}: {pages(pdf)} pages, {pdf.stat().st_size / 1024:,.0f} KiB")
    for zipped in sorted((root / "dist").glob("site-*.zip")):
        print(f"  {zipped.name}: {zipped.stat().st_size / 1024:,.0f} KiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per case (default 5)")
    parser.add_argument("--claims", type=int, default=5000, help="claims in the synthetic corpus (default 5000)")
    parser.add_argument("--sources", type=int, default=1000, help="sources in the synthetic corpus (default 1000)")
    parser.add_argument("--only", help="run only cases whose name contains this text")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "briefing-bench")
    args = parser.parse_args()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    args.cache.mkdir(parents=True, exist_ok=True)
    shipped = copy_of(REPO, args.cache / "shipped")
    big = synthetic(args.cache, args.claims, args.sources)
    label = f"synthetic {args.claims}/{args.sources}"
    cases = [
        ("check: shipped corpus", ["check", "--root", str(shipped)], shipped),
        (f"check: {label}", ["check", "--root", str(big)], big),
        ("build: shipped corpus (site + packs)", ["build", "--root", str(shipped), "--no-changes"], shipped),
        (f"build: {label} (site + packs)", ["build", "--root", str(big), "--no-changes"], big),
        ("build --engine zensical: shipped corpus", ["build", "--root", str(shipped), "--no-changes", "--engine",
                                                      "zensical"], shipped),
        (f"build --engine zensical: {label}", ["build", "--root", str(big), "--no-changes", "--engine", "zensical"],
         big),
    ]
    for pack in ("brief", "drones", "full"):
        cases.append((f"pack {pack}: shipped corpus", ["pack", pack, "--root", str(shipped), "--no-changes"], shipped))
    cases.append((f"pack full: {label}", ["pack", "full", "--root", str(big), "--no-changes"], big))
    cases.append((f"format 10,000 citations: {label}", ["@citations"], big))
    print(f"{'case':52} {'runs':>4} {'min s':>8} {'median s':>9} {'max s':>8}")
    failed = 0
    for name, command, root in cases:
        if args.only and args.only not in name:
            continue
        try:
            times = timed_citations(root, args.runs) if command == ["@citations"] else timed(command, args.runs)
        except RuntimeError as exc:
            print(f"{name:52} failed: {exc}")
            failed += 1
            continue
        print(f"{name:52} {len(times):>4} {min(times):>8.2f} {statistics.median(times):>9.2f} {max(times):>8.2f}")
        if command[0] in ("build", "pack"):
            report_outputs(root, command[1] if command[0] == "pack" else None)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
