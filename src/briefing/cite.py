"""One citation style for the site's bibliography, its hover text and the PDF footnotes.

Author-date, after the Chicago Manual of Style: ``Balazs, Daniel. 2025. "Title." Publisher, 25 August 2025.``
The parts come back as segments so that each renderer applies its own italics and links.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Source

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@dataclass(frozen=True)
class Segment:
    text: str
    style: str = ""  # "" plain, "em" italic, "link" a URL


def year(source: Source) -> str:
    value = source.get("date") or source.get("year")
    return value[:4] if value[:4].isdigit() else "n.d."


def long_date(value: str) -> str:
    """'2025-08-25' -> '25 August 2025'; '2025-08' -> 'August 2025'; '2025' -> '2025'."""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            day = dt.date.fromisoformat(value)
            return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return value


def _name(name: str, first: bool) -> str:
    if first or "," not in name:
        return name
    last, _, given = name.partition(",")
    return f"{given.strip()} {last.strip()}"


def author_list(source: Source) -> str:
    names = [_name(n, i == 0) for i, n in enumerate(source.authors)]
    if len(names) > 3:
        return f"{names[0]} et al."
    if len(names) <= 2:
        return ", and ".join(names) if len(names) == 2 and "," in names[0] else " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def short_label(source: Source) -> str:
    """'Balazs 2025', 'Reuters 2024', or the title's first words when there is no author."""
    if source.authors:
        first = source.authors[0].split(",")[0].strip()
        who = first + (" et al." if len(source.authors) > 2 else f" and {source.authors[1].split(',')[0]}"
                       if len(source.authors) == 2 else "")
    else:
        words = source.title.split()
        who = " ".join(words[:4]) + ("\u2026" if len(words) > 4 else "")
    return f"{who} {year(source)}"


def container(source: Source) -> str:
    for name in ("journal", "booktitle", "institution", "organization", "publisher", "howpublished"):
        if source.get(name):
            return source.get(name)
    return ""


def reference(source: Source) -> list[Segment]:
    """The full reference as styled segments."""
    out: list[Segment] = []
    title = source.title.rstrip(".")
    when = _stop(year(source))
    if source.authors:
        out.append(Segment(f"{_stop(author_list(source))} {when} "))
        out.append(Segment(f"\u201c{title}.\u201d "))
    else:
        out.append(Segment(f"\u201c{title}.\u201d {when} "))
    where = container(source)
    if where:
        out.append(Segment(where, "em"))
    when = source.get("date")
    if when and len(when) > 4:
        out.append(Segment(f", {long_date(when)}" if where else long_date(when)))
    if where or (when and len(when) > 4):
        out.append(Segment(". "))
    if source.url:
        out.append(Segment(source.url, "link"))
        accessed = source.get("urldate")
        out.append(Segment(f" (accessed {long_date(accessed)})." if accessed else "."))
    return _tidy(out)


def reference_text(source: Source) -> str:
    return "".join(s.text for s in reference(source))


def _stop(text: str) -> str:
    """End a part of a reference with one full stop: 'n.d.' stays 'n.d.', 'Doe, J' becomes 'Doe, J.'."""
    return text if text.endswith(".") else text + "."


def _tidy(segments: list[Segment]) -> list[Segment]:
    segments = [s for s in segments if s.text]
    if segments:
        last = segments[-1]
        segments[-1] = Segment(last.text.rstrip(), last.style)
    return segments
