"""Typst compilation in a private root that holds only the template and the data."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import typst

PDF_STANDARDS = ["ua-1"]  # PDF/UA-1: tagged, titled, every figure with alt text


@dataclass(frozen=True)
class Compiled:
    pdf: bytes
    pages: int


def template(name: str = "pack.typ") -> str:
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


def compile_pdf(data: dict[str, Any], epoch: int, source: str | None = None) -> Compiled:
    """Compile the template with data.json beside it. System fonts are ignored; the fonts come from the typst
    package itself, so output does not depend on the machine. No package imports: nothing is downloaded."""
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as tmp:
        root = Path(tmp)
        (root / "main.typ").write_text(source if source is not None else template(), encoding="utf-8")
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False, indent=None), encoding="utf-8")
        compiler = typst.Compiler(str(root / "main.typ"), root=str(root), font_paths=[], ignore_system_fonts=True,
                                  package_path=str(root / "packages"), package_cache_path=str(root / "cache"))
        pdf = compiler.compile(format="pdf", pdf_standards=PDF_STANDARDS,  # type: ignore[arg-type]
                               timestamp=max(epoch, 0))
        pages = json.loads(compiler.query("<briefing-pages>", field="value", one=True, format="json"))
    assert isinstance(pdf, bytes)
    return Compiled(pdf, int(pages))
