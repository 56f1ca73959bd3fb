"""Shared fixtures: a fresh copy of the example corpus for each test that edits one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "minimal"


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of examples/minimal (archive included)."""
    root = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, root)
    return root
