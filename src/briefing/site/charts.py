"""Key figures as inline SVG bar charts, drawn at build time (no script, no network)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
LABEL_H = 18
BAR_H = 16
ROW_H = LABEL_H + BAR_H + 10
PAD = 8
VALUE_W = 110  # room right of the longest bar for its value


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str


def _fmt(n: float) -> str:
    return f"{n:.1f}".rstrip("0").rstrip(".")


def bar_chart(title: str, bars: Sequence[Bar], ident: str) -> str:
    """A horizontal bar chart: one row per bar, label above, value at the bar's end.

    Accessible: role="img" with a <title> and a <desc> listing every value; colours come from CSS.
    """
    low = min(0.0, *(b.value for b in bars))
    high = max(0.0, *(b.value for b in bars))
    span = (high - low) or 1.0
    plot = WIDTH - 2 * PAD - VALUE_W
    zero = PAD + plot * (-low / span)
    height = PAD * 2 + ROW_H * len(bars)
    desc = "; ".join(f"{b.label}: {b.value_text}" for b in bars)
    out = [
        f'<svg class="bar-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{html.escape(title)}</title>',
        f'<desc id="{ident}-d">{html.escape(desc)}</desc>',
    ]
    for i, b in enumerate(bars):
        top = PAD + i * ROW_H
        width = plot * abs(b.value) / span
        x = zero if b.value >= 0 else zero - width
        end = x + width
        out.append(f'<text class="bar-label" x="{PAD}" y="{top + 13}">{html.escape(b.label)}</text>')
        out.append(f'<rect class="bar" x="{_fmt(x)}" y="{top + LABEL_H}" width="{_fmt(max(width, 1))}" '
                   f'height="{BAR_H}" rx="2"/>')
        out.append(f'<text class="bar-value" x="{_fmt(end + 6)}" y="{top + LABEL_H + 12}">'
                   f'{html.escape(b.value_text)}</text>')
    if low < 0:
        out.append(f'<line class="axis" x1="{_fmt(zero)}" x2="{_fmt(zero)}" y1="{PAD}" y2="{height - PAD}"/>')
    out.append("</svg>")
    return "".join(out)
