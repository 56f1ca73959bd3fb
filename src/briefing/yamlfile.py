"""YAML reading that remembers the line of every mapping, key and list item, and never raises.

Fail closed on what YAML 1.1 would silently reinterpret: scalars follow the YAML 1.2 core schema (``NO`` and
``on`` stay text, ``010`` is ten, not eight, ``1:20`` stays text), numbers remember how they were written (an id
``010`` stays ``"010"``), and anchors/aliases are refused (they have no use in a corpus and make alias bombs).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .problems import Loc, Problems, rule

rule("file-unreadable", "a file cannot be read")
rule("file-encoding", "a file is not UTF-8")
rule("file-empty", "a file is empty")
rule("yaml-syntax", "a YAML file cannot be parsed")
rule("yaml-duplicate-key", "a key appears twice in one YAML mapping")

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YMap(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class YList(list):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class YInt(int):
    """An integer that remembers the text it was written as."""

    text: str


class YFloat(float):
    """A float that remembers the text it was written as."""

    text: str


def source_text(value: object) -> str:
    """A scalar as the analyst typed it: '010' stays '010', not '8' or '10'."""
    return getattr(value, "text", None) or str(value)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    duplicate_keys: list[tuple[str, int]]
    offset: int = 0


# YAML 1.2 core schema: only these plain scalars are not text.
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
                              list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> YMap:
    loader.flatten_mapping(node)
    result = YMap()
    result.line = node.start_mark.line + 1 + loader.offset
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            key = str(key)
        key = str(key)
        if key in result:
            loader.duplicate_keys.append((key, key_node.start_mark.line + 1 + loader.offset))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1 + loader.offset
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> YList:
    result = YList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.offset
    result.item_lines = [child.start_mark.line + 1 + loader.offset for child in node.value]
    return result


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> YInt:
    text = loader.construct_scalar(node)
    digits = text.lstrip("+-")
    base = 16 if digits.startswith("0x") else 8 if digits.startswith("0o") else 10
    value = YInt(int(digits[2:] if base != 10 else digits, base) * (-1 if text.startswith("-") else 1))
    value.text = text
    return value


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> YFloat:
    text = loader.construct_scalar(node)
    value = YFloat(float(text.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                         .replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan")))
    value.text = text
    return value


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)

# Characters YAML cannot hold (and a NUL, which would otherwise end in an error without a line).
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _first_alias(node: yaml.Node) -> yaml.Node | None:
    """The first node reached twice: an alias (``*name``) of an anchored node."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            return current
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key, value in reversed(current.value):
                stack.extend((value, key))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
    return None


def read_text(path: Path, shown: str, problems: Problems) -> str | None:
    """Read a UTF-8 file; report unreadable files and bad bytes with their line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(Loc(shown), "file-unreadable", f"cannot read file: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(
            Loc(shown, line),
            "file-encoding",
            f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}; save the file as UTF-8",
        )
        return None
    text = text.removeprefix("\ufeff")
    bad = _FORBIDDEN.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        problems.error(Loc(shown, line), "file-encoding",
                       f"control character U+{ord(bad.group()):04X} remove it (is this a text file?)")
        return None
    return text


def load_yaml(path: Path, shown: str, problems: Problems) -> Any:
    """Parse one YAML file; None (with a problem recorded) when it cannot be used."""
    text = read_text(path, shown, problems)
    return None if text is None else yaml_of(text, shown, problems)


def yaml_of(text: str, shown: str, problems: Problems) -> Any:
    """The data of a YAML file's text (see ``load_yaml``)."""
    if not text.strip():
        problems.error(Loc(shown, 1), "file-empty", "file is empty")
        return None
    reported = len(problems.items)
    data = parse_yaml(text, shown, problems)
    if data is None and len(problems.items) == reported:  # only comments, '---' or '~': nothing to trust
        problems.error(Loc(shown, 1), "file-empty", "file holds no data (only comments or an empty document)")
    return data


def parse_yaml(text: str, shown: str, problems: Problems, offset: int = 0) -> Any:
    """Parse YAML text whose first line is line offset+1 of the file shown."""
    loader = _Loader(text)
    loader.duplicate_keys = []
    loader.offset = offset
    try:
        node = loader.get_single_node()
        alias = _first_alias(node) if node is not None and "&" in text else None
        if alias is not None:
            problems.error(Loc(shown, alias.start_mark.line + 1 + offset), "yaml-syntax",
                           "YAML anchors and aliases (&name, *name) are not allowed: write the value out")
            return None
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else 0
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        problems.error(Loc(shown, line), "yaml-syntax", f"invalid YAML: {what}")
        return None
    except yaml.YAMLError as exc:
        problems.error(Loc(shown), "yaml-syntax", f"invalid YAML: {exc}")
        return None
    finally:
        loader.dispose()
    for key, line in loader.duplicate_keys:
        problems.error(Loc(shown, line), "yaml-duplicate-key", f"key '{key}' appears twice in one record")
    return data


def line_of(value: Any, key: str | None = None, default: int = 0) -> int:
    """The line of a mapping's key (or of the mapping itself)."""
    if isinstance(value, YMap):
        if key is not None and key in value.key_lines:
            return value.key_lines[key]
        return value.line
    if isinstance(value, YList):
        return value.line
    return default
