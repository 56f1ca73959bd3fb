"""Key figures as inline SVG bar charts, drawn at build time (no script, no network).

Drawn narrow (``WIDTH`` user units, shown at most ``max-width`` in briefing.css) so that text stays legible
when a phone scales the chart down: 14-unit labels are about 12 px on a 390 px screen, 17 px at most. Labels wrap onto
lines instead of being cut.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence

from ..figcharts import Bar, describe

WIDTH = 400
LINE_H = 17  # one label line
BAR_H = 14
GAP = 10  # between rows
PAD = 6
CHAR_W = 7.6  # the widest average advance of a 13-unit bold value, for the room right of the bars
LABEL_CHARS = 50  # a label line's length at 14 units


def _fmt(n: float) -> str:
    return f"{n:.1f}".rstrip("0").rstrip(".")


def bar_chart(title: str, bars: Sequence[Bar], ident: str) -> str:
    """A horizontal bar chart: one row per bar, its label above (wrapped), its value at the bar's end.

    Every bar is on one scale: the caller charts together only figures with the same unit and meaning.
    Accessible: role="img" with a <title> and a <desc> listing every value; colours come from CSS.
    """
    low = min(0.0, *(b.value for b in bars))
    high = max(0.0, *(b.value for b in bars))
    span = (high - low) or 1.0
    value_w = 8 + CHAR_W * max(len(b.text) for b in bars)
    plot = max(WIDTH - 2 * PAD - value_w, WIDTH / 3)
    zero = PAD + plot * (-low / span)
    labels = [textwrap.wrap(b.label, LABEL_CHARS, break_on_hyphens=False) or [""] for b in bars]
    height = PAD * 2 + sum(LINE_H * len(lines) + BAR_H + GAP for lines in labels)
    desc = describe(bars)
    out = [
        f'<svg class="bar-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{html.escape(title)}</title>',
        f'<desc id="{ident}-d">{html.escape(desc)}</desc>',
    ]
    top = PAD
    for b, lines in zip(bars, labels, strict=True):
        spans = "".join(f'<tspan x="{PAD}" dy="{0 if i == 0 else LINE_H}">{html.escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        out.append(f'<text class="bar-label" x="{PAD}" y="{top + 13}">{spans}</text>')
        bar_top = top + LINE_H * len(lines)
        width = plot * abs(b.value) / span
        x = zero if b.value >= 0 else zero - width
        end = x + width
        out.append(f'<rect class="bar" x="{_fmt(x)}" y="{bar_top}" width="{_fmt(max(width, 1))}" '
                   f'height="{BAR_H}" rx="2"/>')
        out.append(f'<text class="bar-value" x="{_fmt(end + 5)}" y="{bar_top + 11}">'
                   f'{html.escape(b.text)}</text>')
        top = bar_top + BAR_H + GAP
    if low < 0:
        out.append(f'<line class="axis" x1="{_fmt(zero)}" x2="{_fmt(zero)}" y1="{PAD}" y2="{height - PAD}"/>')
    out.append("</svg>")
    return "".join(out)
