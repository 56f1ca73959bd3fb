"""YAML reading that remembers the line of every mapping, key and list item, and never raises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .problems import Loc, Problems

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YMap(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class YList(list):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _Loader(_Base):  # type: ignore[misc,valid-type]
    duplicate_keys: list[tuple[str, int]]
    offset: int = 0


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


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    # Dates stay strings: the checker validates ISO 8601, including partial dates.
    return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str)


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
    return text.removeprefix("\ufeff")


def load_yaml(path: Path, shown: str, problems: Problems) -> Any:
    """Parse one YAML file; None (with a problem recorded) when it cannot be used."""
    text = read_text(path, shown, problems)
    if text is None:
        return None
    if not text.strip():
        problems.error(Loc(shown, 1), "file-empty", "file is empty")
        return None
    return parse_yaml(text, shown, problems)


def parse_yaml(text: str, shown: str, problems: Problems, offset: int = 0) -> Any:
    """Parse YAML text whose first line is line offset+1 of the file shown."""
    loader = _Loader(text)
    loader.duplicate_keys = []
    loader.offset = offset
    try:
        data = loader.get_single_data()
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
