"""The ``briefing`` command: a thin adapter over the pipeline."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
from pathlib import Path

from .build import BuildError, build
from .checks import RULES
from .pipeline import load_and_check
from .problems import Problems
from .versioning import describe
from .vocab import normalise_marking

EPILOG_CHECK = """examples:
  briefing check                 validate the corpus in the current folder
  briefing check --strict        also fail on warnings (stale claims, uncited sources)
  briefing check --root ../other-corpus --today 2026-01-31
  briefing check --rules         list every rule id with what it checks

exit status: 0 clean, 1 problems found, 2 usage error"""

EPILOG_BUILD = """examples:
  briefing build                 check, then build the site (site/) and every PDF pack (dist/)
  briefing build --ceiling TLP:GREEN

Nothing is written when the check finds an error; the previous output is left untouched."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from exc


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder holding sources/ and docs/ "
                        "(default: the current folder)")
    parser.add_argument("--today", type=_date, help="date to judge staleness against (default: today)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show internal details on failure")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Compile a curated evidence corpus (sources/, docs/) into an offline site and PDF briefing packs.",
        epilog="run 'briefing COMMAND --help' for the options and an example of each command",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser("check", help="load and validate everything; write nothing",
                           description="Load and validate the whole corpus and print every problem as "
                           "path:line: severity: message [rule-id]. Writes nothing.",
                           epilog=EPILOG_CHECK, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as failures")
    check.add_argument("--rules", action="store_true", help="list the rule ids and exit")
    build = sub.add_parser("build", help="check, then build the site and the PDF packs",
                           description="Check the corpus, then build the outputs. Refuses to build on errors.",
                           epilog=EPILOG_BUILD, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(build)
    build.add_argument("--strict", action="store_true", help="treat warnings as failures")
    build.add_argument("--ceiling", help="marking ceiling of this build (default: 'ceiling' in sources/corpus.yml)")
    return parser


def report(problems: Problems, out: object = sys.stderr) -> None:
    for problem in problems.sorted():
        print(problem, file=out)  # type: ignore[arg-type]
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=out)  # type: ignore[arg-type]


def cmd_check(args: argparse.Namespace) -> int:
    if args.rules:
        for rule, text in RULES.items():
            print(f"{rule:28} {text}")
        return 0
    corpus, problems = load_and_check(args.root, args.today)
    report(problems)
    if problems.failed(args.strict):
        return 1
    print(f"ok: {len(corpus.sources)} sources, {len(corpus.claims)} claims, {len(corpus.pages)} pages checked",
          file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    corpus, problems = load_and_check(args.root, args.today)
    report(problems)
    if problems.failed(args.strict):
        print("build refused: fix the errors above; nothing was written", file=sys.stderr)
        return 1
    ceiling = corpus.config.ceiling
    if args.ceiling:
        ceiling = normalise_marking(args.ceiling) or ""
        if not ceiling:
            print(f"briefing: error: --ceiling '{args.ceiling}' is not a TLP 2.0 marking", file=sys.stderr)
            return 2
    version = describe(corpus.config.root, corpus.config.release_tags)
    try:
        build(corpus, version, ceiling=ceiling)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("build refused: nothing was written", file=sys.stderr)
        return 1
    print(f"ok: built version {version.version} ({version.date}) into site/ and dist/", file=sys.stderr)
    return 0


COMMANDS = {"check": cmd_check, "build": cmd_build}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug must still end in a clear line, not a traceback
        if args.verbose:
            traceback.print_exc()
        print(f"briefing: internal error: {exc!r} (run with -v for details)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
