"""Which key figures are drawn together: one chart per kind of measure in one unit, shared by two figures or more.

A share and a growth rate, both in percent, are never drawn on one scale, and one bar says nothing a table does
not. The site (SVG) and the packs (Typst) draw the same charts from this one grouping.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .cite import dates_in_words
from .model import Figure, clip

ASIDE = re.compile(r"\s*\([^()]*\)")
MEASURE = re.compile(r"(.{1,40}?) (?:of|in) ")


def measure_kind(measures: str) -> str:
    """What a figure measures, in a word or two ('Share', 'Year-on-year change', 'Value'), from its description."""
    match = MEASURE.match(measures)
    return (match.group(1) if match else measures).strip()


@dataclass(frozen=True)
class Bar:
    label: str  # the figure and its period, as a reader sees them
    value: float
    text: str  # the value as written, with its unit


@dataclass(frozen=True)
class Chart:
    title: str  # 'Share, in %'
    bars: tuple[Bar, ...]
    figures: tuple[Figure, ...]  # in the order of the bars


def describe(bars: Iterable[Bar]) -> str:
    """A chart's text alternative: every bar's label and value."""
    return "; ".join(f"{b.label}: {b.text}" for b in bars)


def bar_label(figure: Figure) -> str:
    """'Share of Russia's imports of machine tools (2023)': the figure's label and its period without asides."""
    period = dates_in_words(ASIDE.sub("", figure.period) or figure.period)
    return f"{clip(figure.label, 90)} ({clip(period, 30)})"


def charts(figures: Iterable[Figure]) -> list[Chart]:
    """The charts of these figures, ordered by unit and kind of measure; largest value first within a chart."""
    groups: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for figure in figures:
        groups[(figure.unit, measure_kind(figure.measures).casefold())].append(figure)
    out = []
    for (unit, _), group in sorted(groups.items(), key=lambda kv: (kv[0][0].casefold(), kv[0][1])):
        if len(group) < 2:
            continue
        figs = tuple(sorted(group, key=lambda f: (-f.value, f.label)))
        kind = min({measure_kind(f.measures) for f in figs}, key=lambda k: (len(k), k))  # the same every run
        bars = tuple(Bar(bar_label(f), f.value, f"{f.value_text} {unit}") for f in figs)
        out.append(Chart(f"{kind}, in {unit}", bars, figs))
    return out
