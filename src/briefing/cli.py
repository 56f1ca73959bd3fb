"""The ``briefing`` command: a thin adapter over the pipeline."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import traceback
from pathlib import Path

from .build import BuildError, Plan, build, default_since
from .changes import compare, to_text
from .checks import RULES
from .marking import at_ceiling
from .model import Corpus
from .pipeline import load_and_check
from .problems import Problems
from .revisions import RevisionError, corpus_at, version_of
from .signing import sign
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
  briefing build --since v1.0    report changes since v1.0 (default: the previous release tag)

dist/ then holds the packs, site-VERSION.zip, manifest.json and SHA256SUMS (check with: sha256sum -c SHA256SUMS).
Nothing is written when the check finds an error; the previous output is left untouched."""

EPILOG_PACK = """examples:
  briefing pack brief            check, then render dist/brief.pdf only (other files in dist/ are kept)
  briefing pack drones --since v1.0"""

EPILOG_SIGN = """examples:
  briefing sign --key ~/.ssh/briefing_ed25519 --identity analyst@ministry.example

writes dist/SHA256SUMS.sig and prints the line a recipient puts in an allowed-signers file. The recipient checks:
  ssh-keygen -Y verify -f allowed_signers -I analyst@ministry.example -n briefing-release \\
      -s SHA256SUMS.sig < SHA256SUMS && sha256sum -c SHA256SUMS"""

EPILOG_DIFF = """examples:
  briefing diff v1.0             what changed between release v1.0 and the working tree
  briefing diff v1.0 v1.1        between two releases
  briefing diff v1.0 --markdown > changes.md"""


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
    build = sub.add_parser("build", help="check, then build the site, the PDF packs and the release bundle",
                           description="Check the corpus, then build site/ and dist/. Refuses to build on errors.",
                           epilog=EPILOG_BUILD, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(build)
    _building(build)
    build.add_argument("--ceiling", help="marking ceiling of the site (default: 'ceiling' in sources/corpus.yml); "
                       "each pack has its own ceiling")
    pack = sub.add_parser("pack", help="check, then render one PDF pack into dist/",
                          description="Check the corpus, then render one pack (by its id) into dist/ID.pdf and "
                          "refresh dist/manifest.json and SHA256SUMS.",
                          epilog=EPILOG_PACK, formatter_class=argparse.RawDescriptionHelpFormatter)
    pack.add_argument("pack_id", metavar="ID", help="the id of a pack defined in sources/")
    _common(pack)
    _building(pack)
    sign_cmd = sub.add_parser("sign", help="sign dist/SHA256SUMS with an Ed25519 SSH key",
                              description="Sign dist/SHA256SUMS with an Ed25519 SSH key (ssh-keygen -Y sign), so "
                              "that recipients can verify who issued the release with stock OpenSSH.",
                              epilog=EPILOG_SIGN, formatter_class=argparse.RawDescriptionHelpFormatter)
    sign_cmd.add_argument("--key", type=Path, required=True, help="the private key (its .pub must sit beside it)")
    sign_cmd.add_argument("--identity", required=True, help="who signs, as recipients will name you "
                          "(e.g. an e-mail address)")
    sign_cmd.add_argument("--root", type=Path, default=Path.cwd(), help="project folder holding dist/ "
                          "(default: the current folder)")
    sign_cmd.add_argument("-v", "--verbose", action="store_true", help="show internal details on failure")
    diff = sub.add_parser("diff", help="what changed in the corpus between two git revisions",
                          description="Compare the corpus at git revision REF with REF2 (default: the working "
                          "tree): claims added, removed and reworded; status, confidence and grade changes; new "
                          "and dropped sources; changed key judgments and recommendations.",
                          epilog=EPILOG_DIFF, formatter_class=argparse.RawDescriptionHelpFormatter)
    diff.add_argument("ref", metavar="REF", help="a tag, branch or commit")
    diff.add_argument("ref2", metavar="REF2", nargs="?", help="a second revision (default: the working tree)")
    diff.add_argument("--markdown", action="store_true", help="print Markdown instead of plain text")
    diff.add_argument("--ceiling", help="leave out content marked above this ceiling")
    _common(diff)
    return parser


def _building(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="treat warnings as failures")
    parser.add_argument("--since", metavar="REF", help="report changes since this git revision "
                        "(default: the newest release tag before HEAD)")
    parser.add_argument("--no-changes", action="store_true", help="do not compare with an earlier release")


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


def _bad_ceiling(args: argparse.Namespace) -> bool:
    """True (after saying why) when --ceiling is given and is not a TLP 2.0 marking."""
    if args.ceiling and not normalise_marking(args.ceiling):
        print(f"briefing: error: --ceiling '{args.ceiling}' is not a TLP 2.0 marking (TLP:CLEAR, TLP:GREEN, "
              "TLP:AMBER, TLP:AMBER+STRICT, TLP:RED)", file=sys.stderr)
        return True
    return False


def _checked(args: argparse.Namespace) -> Corpus | None:
    corpus, problems = load_and_check(args.root, args.today)
    report(problems)
    if problems.failed(args.strict):
        print("build refused: fix the errors above; nothing was written", file=sys.stderr)
        return None
    return corpus


def _run(corpus: Corpus, args: argparse.Namespace, plan: Plan) -> int:
    version = describe(corpus.config.root, corpus.config.release_tags)
    plan.since = None if args.no_changes else (args.since or default_since(corpus))
    try:
        build(corpus, version, plan)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("build refused: nothing was written", file=sys.stderr)
        return 1
    compared = f", changes since {plan.since}" if plan.since else ""
    print(f"ok: built version {version.version} ({version.date}){compared}", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    if _bad_ceiling(args):
        return 2
    corpus = _checked(args)
    if corpus is None:
        return 1
    ceiling = normalise_marking(args.ceiling) if args.ceiling else corpus.config.ceiling
    return _run(corpus, args, Plan(ceiling=ceiling or "", site=True, packs=list(corpus.packs.values())))


def cmd_pack(args: argparse.Namespace) -> int:
    corpus = _checked(args)
    if corpus is None:
        return 1
    pack = corpus.packs.get(args.pack_id)
    if pack is None:
        known = ", ".join(corpus.packs) or "none defined"
        print(f"briefing: error: no pack '{args.pack_id}' (packs: {known})", file=sys.stderr)
        return 2
    return _run(corpus, args, Plan(ceiling=pack.ceiling, site=False, packs=[pack]))


def cmd_diff(args: argparse.Namespace) -> int:
    if _bad_ceiling(args):
        return 2
    root = args.root
    try:
        base = corpus_at(root, args.ref)
        if args.ref2:
            head, head_version = corpus_at(root, args.ref2), version_of(root, args.ref2)
        else:
            head, problems = load_and_check(root, args.today)
            if problems.errors:
                report(problems)
                print("diff refused: the working tree has errors", file=sys.stderr)
                return 1
            head_version = describe(root, head.config.release_tags).version
        base_version = version_of(root, args.ref)
    except RevisionError as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return 2
    if args.ceiling:
        ceiling = normalise_marking(args.ceiling) or ""
        base, head = at_ceiling(base, ceiling), at_ceiling(head, ceiling)
    print(to_text(compare(base, head, args.ref, base_version, head_version), markdown=args.markdown), end="")
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    try:
        signature, allowed = sign(args.root / "dist", args.key, args.identity)
    except BuildError as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return 1
    print(f"ok: signed {signature}", file=sys.stderr)
    print("give recipients this allowed-signers line by a channel they trust:", file=sys.stderr)
    print(allowed)
    return 0


COMMANDS = {"check": cmd_check, "build": cmd_build, "pack": cmd_pack, "diff": cmd_diff, "sign": cmd_sign}


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
