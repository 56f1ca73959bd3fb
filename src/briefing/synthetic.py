"""A synthetic corpus of any size, for benchmarks: ``python -m briefing.synthetic OUT --claims 5000 --sources 1000``.

The corpus is deterministic (a fixed seed), passes the checker, and exercises every record kind: sources with
derived_from chains, claims with two or three evidence links, entities with sanctions, events, figures,
judgments, recommendations, gaps, themes with narrative pages, and three packs.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
from pathlib import Path
from typing import Any

import yaml

WORDS = ("export", "component", "shipment", "licence", "network", "satellite", "drone", "engine", "customs",
         "transfer", "payment", "bank", "port", "factory", "contract", "sanction", "listing", "broker", "route",
         "supplier", "machine", "tool", "chip", "module", "camera", "sensor", "vessel", "cargo", "invoice")
GRADES = "ABBCCCD"


def _dump(data: object, **kwargs: Any) -> str:
    return str(yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), **kwargs))


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:]


def _bib(n_sources: int, rng: random.Random) -> str:
    out = []
    for i in range(n_sources):
        derived = f"  derived_from = {{src{i - 1:05d}}},\n" if i % 10 == 9 else ""
        out.append(
            f"@report{{src{i:05d},\n"
            f"  author = {{{{Synthetic Institute {i % 50}}}}},\n"
            f"  title = {{{_sentence(rng, 6)} report {i}}},\n"
            f"  institution = {{Synthetic Institute {i % 50}}},\n"
            f"  date = {{20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}}},\n"
            f"  url = {{https://example.org/reports/{i}}},\n"
            f"  reliability = {{{GRADES[i % len(GRADES)]}}},\n"
            f"  reliability_note = {{Synthetic source {i}}},\n"
            f"  descriptor = {{Synthetic}},\n"
            f"  source_class = {{research}},\n{derived}}}\n"
        )
    return "\n".join(out)


def generate(out: Path, n_claims: int = 5000, n_sources: int = 1000, n_themes: int = 10, seed: int = 1) -> None:
    """Write a synthetic corpus (sources/ and docs/) into out."""
    rng = random.Random(seed)
    sources_dir, docs = out / "sources", out / "docs"
    (sources_dir / "claims").mkdir(parents=True, exist_ok=True)
    (docs / "themes").mkdir(parents=True, exist_ok=True)
    themes = [f"theme{t:02d}" for t in range(n_themes)]
    n_entities = max(1, n_claims // 20)
    (sources_dir / "corpus.yml").write_text(_dump({
        "title": "Synthetic corpus", "subtitle": f"{n_claims} claims, {n_sources} sources",
        "originator": "Benchmark", "default_marking": "TLP:CLEAR", "ceiling": "TLP:CLEAR", "stale_days": 100000,
    }, sort_keys=False), encoding="utf-8")
    (sources_dir / "references.bib").write_text(_bib(n_sources, rng), encoding="utf-8")

    by_theme: dict[str, list[dict]] = {t: [] for t in themes}
    for i in range(n_claims):
        a, b = (i * 7) % n_sources, (i * 7 + 3) % n_sources
        evidence = [
            {"source": f"src{a:05d}", "locator": f"p. {1 + i % 40}", "excerpt": _sentence(rng, 5),
             "stance": "supports", "credibility": 2},
            {"source": f"src{b:05d}", "locator": f"para. {1 + i % 9}", "excerpt": _sentence(rng, 4),
             "stance": "supports", "credibility": 3},
        ]
        status = "confirmed" if a // 10 != b // 10 else "reported"
        if i % 5 == 4:
            evidence.append({"source": f"src{(a + 5) % n_sources:05d}", "locator": "p. 2",
                             "excerpt": _sentence(rng, 4), "stance": "contradicts", "credibility": 4})
            status = "disputed"
        theme = themes[i % n_themes]
        by_theme[theme].append({
            "id": f"c{i:05d}", "statement": f"{_sentence(rng, 12)} (claim {i}).", "theme": theme,
            "status": status, "confidence": ("low", "moderate", "high")[i % 3], "tags": [rng.choice(WORDS)],
            "entities": [f"e{i % n_entities:04d}"], "reviewed": "2026-01-15", "evidence": evidence,
        })
    for theme, claims in by_theme.items():
        (sources_dir / "claims" / f"{theme}.yml").write_text(_dump({"claims": claims}, sort_keys=False,
                                                                             allow_unicode=True), encoding="utf-8")

    cited = {e["source"] for cs in by_theme.values() for c in cs for e in c["evidence"]}
    uncited = [f"src{i:05d}" for i in range(n_sources) if f"src{i:05d}" not in cited]
    records = {
        "themes": [{"id": t, "title": f"Theme {t[-2:]}", "summary": _sentence(rng, 10), "page": f"themes/{t}.md"}
                   for t in themes],
        "entities": [{"id": f"e{i:04d}", "name": f"Entity {i}", "kind": ("company", "person", "state-body")[i % 3],
                      "country": "Examplia", "description": _sentence(rng, 10),
                      "sanctions": [{"authority": "EU", "status": "listed", "date": "2024-02",
                                     "source": f"src{i % n_sources:05d}"}] if i % 4 == 0 else []}
                     for i in range(n_entities)],
        "events": [{"id": f"ev{i:04d}", "date": f"20{10 + i % 15}-{1 + i % 12:02d}", "title": _sentence(rng, 6),
                    "theme": themes[i % n_themes], "claims": [f"c{(i * 11) % n_claims:05d}"],
                    "sources": [uncited[i] if i < len(uncited) else f"src{i % n_sources:05d}"]}
                   for i in range(max(1, n_claims // 10))],
        "figures": [{"id": f"f{i:04d}", "label": _sentence(rng, 4), "value": 10 + (i * 37) % 990,
                     "unit": ("million USD", "percent", "units")[i % 3], "period": str(2015 + i % 10),
                     "measures": _sentence(rng, 8), "source": f"src{(i * 13) % n_sources:05d}",
                     "locator": "p. 1", "excerpt": _sentence(rng, 4), "theme": themes[i % n_themes]}
                    for i in range(max(1, n_claims // 25))],
        "judgments": [{"id": f"kj{i}", "text": f"{_sentence(rng, 8)} is likely to continue.", "confidence":
                       "moderate", "term": "likely", "claims": [f"c{(i * 97) % n_claims:05d}"]} for i in range(6)],
        "recommendations": [{"id": f"rec{i}", "title": _sentence(rng, 5), "summary": _sentence(rng, 12),
                             "theme": themes[i % n_themes], "claims": [f"c{(i * 31) % n_claims:05d}"],
                             "options": [{"id": f"opt{i}-{j}", "title": _sentence(rng, 4),
                                          "pros": [_sentence(rng, 6)], "cons": [_sentence(rng, 6)],
                                          "risks": [_sentence(rng, 6)]} for j in range(2)]}
                            for i in range(max(1, n_claims // 500))],
        "gaps": [{"id": f"gap{i}", "question": f"{_sentence(rng, 8)}?", "why": _sentence(rng, 10),
                  "would_change": _sentence(rng, 10), "claims": [f"c{(i * 53) % n_claims:05d}"]}
                 for i in range(max(1, n_claims // 500))],
        "packs": [
            {"id": "full", "title": "Synthetic full pack", "audience": "Benchmark", "purpose": "Benchmark",
             "ceiling": "TLP:CLEAR", "cutoff": "2026-01-15", "distribution": "Unlimited",
             "sections": ["key-judgments", "recommendations", "evidence", "discussion", "figures", "gaps",
                          "timeline", "entities", "sources", "annex-scales", "annex-changes"]},
            {"id": "brief", "title": "Synthetic brief", "audience": "Benchmark", "purpose": "Benchmark",
             "ceiling": "TLP:CLEAR", "distribution": "Unlimited", "sections": ["key-judgments"]},
            {"id": "topic", "title": "Synthetic topic pack", "audience": "Benchmark", "purpose": "Benchmark",
             "ceiling": "TLP:CLEAR", "distribution": "Unlimited", "themes": [themes[0]],
             "sections": ["key-judgments", "evidence", "discussion", "timeline", "sources"]},
        ],
    }
    (sources_dir / "records.yml").write_text(_dump(records, sort_keys=False), encoding="utf-8")
    (docs / "index.md").write_text("# Synthetic corpus\n\nA corpus for benchmarks.\n", encoding="utf-8")
    for t in themes:
        claims = by_theme[t]
        paragraphs = [
            f"{_sentence(rng, 30)} [@{c['evidence'][0]['source']}, {c['evidence'][0]['locator']}]. "
            f"See [claim:{c['id']}]." for c in claims[:: max(1, len(claims) // 40)]
        ]
        (docs / "themes" / f"{t}.md").write_text(f"# Theme {t[-2:]}\n\n" + "\n\n".join(paragraphs) + "\n",
                                                 encoding="utf-8")


def history(out: Path, commits: int, seed: int = 2) -> None:
    """Make out a git repository with ``commits`` commits: the corpus tagged v1.0, then one edited claim each.

    Each later commit rewrites one claim's statement (and every tenth also its confidence) in one claims file,
    as an analyst's day of work would; dates are one day apart, from 2025-01-01.
    """
    rng = random.Random(seed)
    (out / ".gitignore").write_text("site/\ndist/\n.briefing-build-*/\n", encoding="utf-8")
    files = sorted((out / "sources" / "claims").glob("*.yml"))
    base = 1735725600  # 2025-01-01T10:00:00Z

    def git(*args: str, day: int = 0) -> None:
        date = f"@{base + day * 86400} +0000"
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Analyst",
               "GIT_AUTHOR_EMAIL": "analyst@example.org", "GIT_COMMITTER_NAME": "Analyst",
               "GIT_COMMITTER_EMAIL": "analyst@example.org", "GIT_CONFIG_GLOBAL": "/dev/null"}
        subprocess.run(["git", "-C", str(out), *args], check=True, capture_output=True, env=env)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "Corpus")
    git("tag", "-a", "v1.0", "-m", "v1.0")
    for day in range(1, commits):
        path = rng.choice(files)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        claim = rng.choice(data["claims"])
        claim["statement"] = f"{_sentence(rng, 10)} (claim {claim['id']}, revision {day})."
        if day % 10 == 0:
            claim["confidence"] = rng.choice(("low", "moderate", "high"))
        path.write_text(_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        git("commit", "-q", "-am", f"Revise a claim ({day})", day=day)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m briefing.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write sources/ and docs/ into")
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--themes", type=int, default=10)
    parser.add_argument("--commits", type=int, default=0, help="make OUT a git repository with this many commits")
    args = parser.parse_args(argv)
    generate(args.out, args.claims, args.sources, args.themes)
    if args.commits > 0:
        history(args.out, args.commits)


if __name__ == "__main__":
    main()
