"""Key figure charts: one scale per kind of measure and unit, labels never cut inside brackets."""

from __future__ import annotations

import re
from types import SimpleNamespace

from briefing.figcharts import measure_kind
from briefing.model import clip
from briefing.site import charts
from briefing.site.pages import _charts


def figure(label: str, value: float, unit: str, measures: str, period: str = "2023") -> SimpleNamespace:
    return SimpleNamespace(label=label, value=value, unit=unit, measures=measures, period=period,
                           value_text=f"{value:g}")


def test_a_growth_rate_is_not_drawn_on_the_scale_of_shares() -> None:
    figures = [figure("Growth of trade", 26.3, "percent", "Year-on-year change in the value of trade"),
               figure("Share of chips", 80, "percent", "Share of imported chips that come from China"),
               figure("Share of tools", 70, "percent", "Share of machine-tool imports from China"),
               figure("Trade", 240, "USD billion", "Value of bilateral trade"),
               figure("Exports", 111, "USD billion", "Value of Chinese exports to Russia")]
    corpus = SimpleNamespace(figures={str(n): f for n, f in enumerate(figures)})
    drawn = dict(_charts(corpus))  # type: ignore[arg-type]
    assert set(drawn) == {"Share, in percent", "Value, in USD billion"}
    assert "Growth" not in drawn["Share, in percent"] and "26.3" not in drawn["Share, in percent"]
    assert measure_kind("Year-on-year change in the value of trade") == "Year-on-year change"


def test_labels_are_cut_at_a_word_with_no_bracket_left_open() -> None:
    text = "not stated (findings cited by the MERICS–Chatham House–GMF report)"
    for limit in range(5, len(text)):
        cut = clip(text, limit)
        assert len(cut) <= limit and cut.count("(") == cut.count(")"), cut
        assert cut.endswith("\u2026") and not cut.endswith(" \u2026")
    corpus = SimpleNamespace(figures={
        "a": figure("China's share of imported microchips in Russian weapons", 80, "percent",
                    "Share of imported chips", period="not stated (findings cited by the report)"),
        "b": figure("Machine tools", 70, "percent", "Share of tools", period="2024 (less than a month after)")})
    svg = dict(_charts(corpus))["Share, in percent"]  # type: ignore[arg-type]
    for label in re.findall(r"<text class=\"bar-label\"[^>]*>(.*?)</text>", svg):
        words = re.sub(r"<[^>]+>", " ", label)
        assert words.count("(") == words.count(")"), words
    assert "(not stated)" in svg and "(2024)" in svg


def test_long_labels_wrap_and_values_have_room() -> None:
    bars = [charts.Bar("A very long label " * 6, 90, "nearly 90 percent"), charts.Bar("Short", 10, "10 percent")]
    svg = charts.bar_chart("Share, in percent", bars, "c")
    assert svg.count("<tspan") >= 3  # the long label on two lines or more
    width = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))  # type: ignore[union-attr]
    value_x = float(re.findall(r'class="bar-value" x="([\d.]+)"', svg)[0])
    assert value_x + charts.CHAR_W * len("nearly 90 percent") <= width


def test_a_chart_title_is_the_same_whatever_the_hash_seed() -> None:
    """'Share' and 'share' are one kind of measure: the title picks between them the same way in every run."""
    import os
    import subprocess
    import sys

    code = ("from types import SimpleNamespace as N; from briefing.figcharts import charts; "
            "f = lambda l, m: N(label=l, value=1.0, unit='percent', measures=m, period='2023', value_text='1', "
            "source='s'); print(charts([f('A', 'Share of A'), f('B', 'share of B')])[0].title)")
    titles = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.strip() for seed in range(8)}
    assert titles == {"Share, in percent"}
