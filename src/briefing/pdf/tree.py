"""The shared Markdown parse (``briefing.prose``) as JSON-ready nodes for the Typst template.

A node is a string (text, shown as itself) or a dict ``{"t": kind, ...}``. Nothing here produces Typst code:
the template walks the nodes, so no character of a page can be read as markup.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any

from .. import prose
from ..sanitise import external_url
from .text import CONTROL, keep_lines

Node = str | dict[str, Any]
_PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_NOTE_AFTER = re.compile(r"[.,;:!?\u2026]+")  # punctuation a footnote mark is set after
_WRAPPERS = {"strong", "em", "span", "link"}  # inline nodes whose text a footnote mark may follow
_LONE_CAPITAL = re.compile(r"(?:^|\W)[A-Z]$")  # a word of one capital letter, such as a grade
BLOCK_NODES = {"p", "h", "ul", "ol", "pre", "table", "hr", "quote", "note", "block"}
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table", "hr", "div"}


class Converter:
    """Element tree -> nodes. Citations and claim references are resolved by the callbacks given."""

    def __init__(self, stash: list[str], cite: Callable[[etree.Element], Node],
                 claim: Callable[[str], Node]):
        self.stash, self.cite, self.claim = stash, cite, claim

    def text(self, value: str | None) -> str:
        if not value:
            return ""

        def restore(m: re.Match) -> str:
            index = int(m.group(1))
            raw = self.stash[index] if index < len(self.stash) else ""
            return html.unescape(_TAG.sub("", str(raw)))

        value = _PLACEHOLDER.sub(restore, value)
        return _SPACE.sub(" ", CONTROL.sub("", value))

    def children(self, el: etree.Element) -> list[Node]:
        out: list[Node] = []
        self._add(out, self.text(el.text))
        for child in el:
            node = self.element(child)
            tail = self.text(child.tail)
            if _is_cite(node):
                tail = _before_mark(out, tail)
            if node is not None:
                out.append(node)
            self._add(out, tail)
        if any(isinstance(n, dict) and n["t"] in BLOCK_NODES for n in out):
            out = [n for n in out if not isinstance(n, str) or n.strip()]  # no stray paragraphs between blocks
        return _trim(out) if el.tag in BLOCKS or el.tag in {"td", "th"} else out

    @staticmethod
    def _add(out: list[Node], text: str) -> None:
        if not text:
            return
        if out and isinstance(out[-1], str):
            out[-1] += text
        else:
            out.append(text)

    def element(self, el: etree.Element) -> Node | None:
        tag, cls = el.tag, el.get("class", "")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return {"t": "h", "level": int(tag[1]), "c": self.children(el)}
        if tag == "p":
            return {"t": "p", "c": self.children(el)}
        if tag in ("ul", "ol"):
            items = [{"t": "li", "c": self.children(li)} for li in el if li.tag == "li"]
            node: dict[str, Any] = {"t": tag, "c": items}
            if tag == "ol":
                node["start"] = int(el.get("start", "1")) if el.get("start", "1").isdigit() else 1
            return node
        if tag == "blockquote":
            return {"t": "quote", "c": self.children(el)}
        if tag == "pre":
            code = el.find("code")
            raw = "".join((code if code is not None else el).itertext())
            return {"t": "pre", "text": keep_lines(html.unescape(raw))}
        if tag == "code":
            return {"t": "code", "text": CONTROL.sub("", html.unescape("".join(el.itertext())))}
        if tag in ("em", "i"):
            return {"t": "em", "c": self.children(el)}
        if tag in ("strong", "b"):
            return {"t": "strong", "c": self.children(el)}
        if tag == "br":
            return {"t": "br"}
        if tag == "hr":
            return {"t": "hr"}
        if tag == "img":
            return {"t": "img", "alt": self.text(el.get("alt", "")).strip()}
        if tag == "table":
            return self.table(el)
        if tag == "span" and "citations" in cls.split():
            return self.cite(el)
        if tag == "a" and "claim-ref" in cls.split():
            return self.claim(el.get("data-claim", ""))
        if tag == "a":
            href = el.get("href", "")
            kids = self.children(el)
            if external_url(href):
                return {"t": "link", "url": href, "c": kids or [href]}
            return {"t": "span", "c": kids}
        if tag == "div" and "admonition" in cls.split():
            title = el.find("p[@class='admonition-title']")
            body = [c for c in el if c is not title]
            holder = etree.Element("div")
            holder.extend(body)
            kind = next((k for k in cls.split() if k != "admonition"), "note")
            return {"t": "note", "kind": kind, "title": self.children(title) if title is not None else [kind.title()],
                    "c": self.children(holder)}
        return {"t": "span" if tag not in BLOCKS else "block", "c": self.children(el)}

    def table(self, el: etree.Element) -> Node:
        rows: list[list[list[Node]]] = []
        head: list[list[Node]] = []
        aligns: list[str] = []
        for tr in el.iter("tr"):
            cells = [c for c in tr if c.tag in ("th", "td")]
            if not aligns:
                aligns = [_align(c.get("style", "")) for c in cells]
            content = [self.children(c) for c in cells]
            if all(c.tag == "th" for c in cells) and not rows and not head:
                head = content
            else:
                rows.append(content)
        width = max([len(head)] + [len(r) for r in rows] + [1])
        rows = [r + [[]] * (width - len(r)) for r in rows]
        head = head + [[]] * (width - len(head)) if head else []
        aligns = (aligns + ["left"] * width)[:width]
        return {"t": "table", "head": head, "rows": rows, "align": aligns}


def _align(style: str) -> str:
    match = re.search(r"text-align:\s*(left|right|center)", style)
    return match.group(1) if match else "left"


def _trim(nodes: list[Node]) -> list[Node]:
    if nodes and isinstance(nodes[0], str):
        nodes[0] = nodes[0].lstrip()
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] = nodes[-1].rstrip()
    return [n for n in nodes if n != ""]


def _before_mark(out: list[Node], tail: str) -> str:
    """Set what comes before a footnote mark about to follow ``out``; the text after the mark is returned. The mark
    sits on the word it follows, or on the punctuation after that word, as notes are set (Chicago 14.26), and then
    before the marks of the citations just before it too; a lone capital letter ('graded C') keeps a narrow
    no-break space before it, or 'C' and the mark 2 would read as the grade C2."""
    while out and isinstance(out[-1], str) and not out[-1].strip():
        out.pop()  # the space between a word and its mark
    after = _NOTE_AFTER.match(tail)
    last = _last_text(out)
    if last is not None:
        text = str(last[-1]).rstrip()
        last[-1] = text + "\u202f" if after is None and _LONE_CAPITAL.search(text) else text
    if after is None:
        return tail
    at = len(out)
    while at and (_is_cite(out[at - 1]) or out[at - 1] in ("", " ")):
        if _is_cite(out[at - 1]) and at > 1 and _punctuated(out[at - 2]):
            break  # that mark follows punctuation of its own ('C, [@a], [@b].'): this one stays after it
        at -= 1
    before = out[at - 1] if at else None  # the punctuation follows it, with no narrow space an earlier mark left
    if before is not None and _punctuated(before):
        return tail  # 'a, [@k].': no second stop after the comma; the mark stays before it
    if isinstance(before, str):
        out[at - 1] = before.rstrip("\u202f") + after.group(0)
    else:
        inner = _last_text([before]) if before is not None else None
        if inner is not None:
            inner[-1] = str(inner[-1]).rstrip("\u202f")
        out.insert(at, after.group(0))
    return tail[after.end():]


def _punctuated(node: Node) -> bool:
    """Does the text that ends node end in punctuation that a footnote mark is set after?"""
    inner = _last_text([node])
    return inner is not None and _NOTE_AFTER.fullmatch(str(inner[-1]).rstrip()[-1:]) is not None


def _last_text(out: list[Node]) -> list[Node] | None:
    """The list whose last item is the text that ends ``out``, inside emphasis or a link ('graded **C**'); None
    when something else ends it."""
    while out:
        last = out[-1]
        if isinstance(last, str):
            return out
        if not isinstance(last, dict) or last.get("t") not in _WRAPPERS or not isinstance(last.get("c"), list):
            return None
        out = last["c"]
    return None


def _is_cite(node: Node | None) -> bool:
    return isinstance(node, dict) and node.get("t") == "cite"


def convert(text: str, cite: Callable[[etree.Element], Node], claim: Callable[[str], Node]) -> list[Node]:
    """A Markdown page as a list of block nodes."""
    root, stash = prose.to_tree(text)
    return Converter(stash, cite, claim).children(root)


def settle_headings(nodes: list[Node], base: int) -> None:
    """Give the headings of a page levels from base down with no level skipped (PDF/UA), in place.

    A page's '#### Detail' right under its title becomes level base; deeper headings nest one level at a time.
    """
    stack: list[tuple[int, int]] = []  # (level in the page, level in the pack)

    def walk(items: list[Node]) -> None:
        for node in items:
            if not isinstance(node, dict):
                continue
            if node["t"] == "h":
                while stack and stack[-1][0] >= node["level"]:
                    stack.pop()
                level = min(stack[-1][1] + 1 if stack else base, 6)
                stack.append((node["level"], level))
                node["level"] = level
            for key in ("c", "title"):
                if isinstance(node.get(key), list):
                    walk(node[key])

    walk(nodes)
