"""What the command says on stderr besides its results: progress and outcomes, at the chosen verbosity.

Plain text; colour only when stderr is a terminal and ``NO_COLOR`` is not set (https://no-color.org).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

QUIET, NORMAL, VERBOSE = 0, 1, 2

_level = NORMAL

_STYLES = {"error": "1;31", "warning": "33", "note": "36", "ok": "32", "progress": "2"}


def configure(quiet: bool = False, verbose: bool = False) -> None:
    global _level
    _level = QUIET if quiet else VERBOSE if verbose else NORMAL


def level() -> int:
    return _level


def colour() -> bool:
    """True when stderr is a terminal that may show colour."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def paint(text: str, style: str) -> str:
    code = _STYLES.get(style)
    return f"\033[{code}m{text}\033[0m" if code and colour() else text


def say(message: str, style: str = "") -> None:
    """A line for the analyst (not shown with --quiet)."""
    if _level >= NORMAL:
        print(paint(message, style), file=sys.stderr, flush=True)


def detail(message: str) -> None:
    """A line shown only with --verbose."""
    if _level >= VERBOSE:
        print(paint(message, "progress"), file=sys.stderr, flush=True)


def error(message: str) -> None:
    """A line shown at every verbosity."""
    print(message, file=sys.stderr, flush=True)


@contextmanager
def step(what: str, announce_after: float = 1.5) -> Iterator[None]:
    """Say 'what ...' when the step is still running after announce_after seconds (0: at once), so quick steps
    stay silent; with --verbose, say it at once and how long it took."""
    started = time.monotonic()
    timer = None
    if _level >= VERBOSE or (_level >= NORMAL and announce_after <= 0):
        say(f"{what} ...", "progress")
    elif _level >= NORMAL:
        timer = threading.Timer(announce_after, say, (f"{what} ...", "progress"))
        timer.daemon = True
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.cancel()
        detail(f"{what}: {time.monotonic() - started:.1f} s")
