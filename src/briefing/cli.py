"""The ``briefing`` command: a thin adapter over the pipeline."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import traceback
from pathlib import Path

from . import __version__, console
from .build import ENGINES, BuildError, Plan, build, default_since
from .changes import compare, to_text
from .formats import FORMATS, as_github, as_json, as_sarif
from .marking import at_ceiling
from .model import Corpus
from .pipeline import find_root, load_and_check
from .problems import ERROR, RULES, WARNING, Problem, Problems
from .revisions import RevisionError, corpus_at, version_of
from .scaffold import InitError, init
from .schema import json_schema
from .signing import sign
from .versioning import describe
from .vocab import normalise_marking

EPILOG_INIT = """examples:
  briefing init my-corpus        write a small, complete corpus into my-corpus/ (new or empty folder)
  cd my-corpus && briefing check --strict && briefing build

the corpus is a fictional ferry crossing with one record of each kind: replace it with your own."""

EPILOG_CHECK = """examples:
  briefing check                 validate the corpus holding the current folder
  briefing check --strict        also fail on warnings (stale claims, uncited sources)
  briefing check --root ../other-corpus --today 2026-01-31
  briefing check --format sarif > briefing.sarif
  briefing check --rules         list every rule id with what it checks

formats: text (default; on stderr, with a summary line), json (an array of {path, line, column, severity,
rule, message, suggestion}), sarif (SARIF 2.1.0) and github (GitHub Actions annotations); all but text go to
stdout and list every problem whatever --quiet says.

exit status: 0 clean, 1 problems found, 2 usage error"""

EPILOG_BUILD = """examples:
  briefing build                 check, then build the site (site/) and every PDF pack (dist/)
  briefing build --ceiling TLP:GREEN
  briefing build --since v1.0    report changes since v1.0 (default: the previous release tag)

dist/ then holds the packs, site-VERSION.zip, manifest.json and SHA256SUMS (check with: sha256sum -c SHA256SUMS).
A pack whose registers are set apart is ID.pdf and its annexes: ID-evidence-THEME.pdf (one per theme),
ID-timeline.pdf, ID-entities.pdf and ID-sources.pdf.
Nothing is written when the check finds an error; the previous output is left untouched.

environment:
  BRIEFING_JOBS=N      plan for N cores (default: the usable cores; 1: one process, packs one after another, then
                       the site)
  BRIEFING_NO_CACHE=1  build from scratch: format every reference afresh (not from ~/.cache/briefing), parse every
                       file and build every page and pack (not from .git/briefing-cache, or .briefing-cache outside
                       git)"""

EPILOG_PACK = """examples:
  briefing pack brief            check, then render dist/brief.pdf only (other files in dist/ are kept)
  briefing pack drones --since v1.0"""

EPILOG_SIGN = """examples:
  briefing sign --key ~/.ssh/briefing_ed25519 --identity analyst@ministry.example

writes dist/SHA256SUMS.sig and prints the line a recipient puts in an allowed-signers file. The recipient checks:
  ssh-keygen -Y verify -f allowed_signers -I analyst@ministry.example -n briefing-release \\
      -s SHA256SUMS.sig < SHA256SUMS && sha256sum -c SHA256SUMS"""

EPILOG_SCHEMA = """examples:
  briefing schema -o .vscode/briefing.schema.json
  briefing schema --settings -o .vscode/corpus.schema.json

then, in VS Code with the YAML extension, the first line of a file in sources/ can be:
  # yaml-language-server: $schema=../.vscode/briefing.schema.json"""

EPILOG_DIFF = """examples:
  briefing diff v1.0             what changed between release v1.0 and the working tree
  briefing diff v1.0 v1.1        between two releases
  briefing diff v1.0 --markdown > changes.md"""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from exc


def package_version() -> str:
    """The installed version of briefing (from its package metadata)."""
    from importlib import metadata  # imported when asked: it costs a quarter of the start-up time

    try:
        return metadata.version("briefing")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return __version__


def _version_text() -> str:
    from importlib import metadata

    try:
        typst = f"typst {metadata.version('typst')}, "
    except metadata.PackageNotFoundError:
        typst = ""
    return f"briefing {package_version()} ({typst}Python {sys.version.split()[0]})"


def _talk(parser: argparse.ArgumentParser) -> None:
    """--quiet and --verbose, on every command."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    group.add_argument("-v", "--verbose", action="store_true", help="say what each step does and how long it "
                       "takes; show internal details on failure")


def _root(parser: argparse.ArgumentParser, holding: str = "sources/ and docs/") -> None:
    parser.add_argument("--root", type=Path, help=f"project folder holding {holding} (default: the nearest "
                        "folder, from the current one upwards, holding sources/corpus.yml or sources/)")


def _common(parser: argparse.ArgumentParser) -> None:
    _root(parser)
    parser.add_argument("--today", type=_date, help="date to judge staleness against (default: today)")
    _talk(parser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Compile a curated evidence corpus (sources/, docs/) into an offline site and PDF briefing packs.",
        epilog="run 'briefing COMMAND --help' for the options and an example of each command",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version_text(),
                        help="print the version of briefing (and of typst and Python) and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    init_cmd = sub.add_parser("init", help="start a corpus: write a small, complete example into a new folder",
                              description="Write a small, complete corpus (sources, claims, an entity, an event, a "
                              "figure, a recommendation, a key judgment, a gap, a theme, a pack, narrative pages, "
                              "mkdocs.yml and .gitignore) into DIR, which must be new or empty. It checks clean "
                              "and builds as it is.",
                              epilog=EPILOG_INIT, formatter_class=argparse.RawDescriptionHelpFormatter)
    init_cmd.add_argument("dir", metavar="DIR", type=Path, help="the folder to create (or an empty one)")
    _talk(init_cmd)
    check = sub.add_parser("check", help="load and validate everything; write nothing",
                           description="Load and validate the whole corpus and print every problem as "
                           "path:line: severity: message [rule-id], or in a format for tools (--format). "
                           "Writes nothing.",
                           epilog=EPILOG_CHECK, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as failures")
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="how to print the problems: text (default), json, sarif or github")
    check.add_argument("--rules", action="store_true", help="list the rule ids and exit")
    build = sub.add_parser("build", help="check, then build the site, the PDF packs and the release bundle",
                           description="Check the corpus, then build site/ and dist/. Refuses to build on errors.",
                           epilog=EPILOG_BUILD, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(build)
    _building(build)
    build.add_argument("--ceiling", help="marking ceiling of the site (default: 'ceiling' in sources/corpus.yml); "
                       "each pack has its own ceiling")
    build.add_argument("--engine", choices=ENGINES, default="mkdocs", help="what builds the site: MkDocs + "
                       "Material (default) or Zensical (pip install 'briefing[zensical]')")
    pack = sub.add_parser("pack", help="check, then render one PDF pack into dist/",
                          description="Check the corpus, then render one pack (by its id) into dist/ID.pdf, with "
                          "its annexes when its registers are set apart (dist/ID-timeline.pdf and the like, "
                          "replacing those it had), and refresh dist/manifest.json and SHA256SUMS.",
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
    _root(sign_cmd, "dist/")
    _talk(sign_cmd)
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
    schema_cmd = sub.add_parser("schema", help="print the JSON Schema of record files (for editors)",
                                description="Print the JSON Schema (draft-07) of the YAML record files in sources/, "
                                "or with --settings of sources/corpus.yml. Editors use it to validate and complete "
                                "as you type.", epilog=EPILOG_SCHEMA,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    schema_cmd.add_argument("--settings", action="store_true", help="the schema of sources/corpus.yml")
    schema_cmd.add_argument("-o", "--output", type=Path, help="write it to this file instead of printing it")
    _talk(schema_cmd)
    return parser


def _building(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="treat warnings as failures")
    parser.add_argument("--since", metavar="REF", help="report changes since this git revision "
                        "(default: the newest release tag before HEAD)")
    parser.add_argument("--no-changes", action="store_true", help="do not compare with an earlier release")


def text_line(problem: Problem) -> str:
    """'path:line: severity: message [rule]', the severity in colour on a terminal."""
    return f"{problem.loc}: {console.paint(problem.severity, problem.severity)}: {problem.message} [{problem.rule}]"


def report(problems: Problems, strict: bool = False) -> None:
    """Every problem on stderr, sorted, then the totals. With --quiet only what fails the command: the errors
    (and the warnings, with --strict)."""
    failing = (ERROR, WARNING) if strict else (ERROR,)
    found = problems.sorted()
    for problem in found:
        if console.level() > console.QUIET or problem.severity in failing:
            console.error(text_line(problem))
    errors = sum(p.severity == ERROR for p in found)  # the totals count what was listed (each problem once)
    warnings = sum(p.severity == WARNING for p in found)
    if errors or warnings:
        console.say(f"{errors} error(s), {warnings} warning(s)")


def _root_of(args: argparse.Namespace) -> Path:
    """--root, or the corpus holding the current folder (the current folder itself when none does)."""
    if args.root is not None:
        return args.root
    found = find_root(Path.cwd())
    if found is None:
        console.say(f"briefing: no folder from {Path.cwd()} upwards holds sources/: run in a corpus, pass --root, "
                    "or start one with 'briefing init DIR'")
        return Path.cwd()
    if found != Path.cwd().absolute():
        console.detail(f"corpus root: {found}")
    return found


def _load(args: argparse.Namespace) -> tuple[Corpus, Problems]:
    with console.step("loading and checking the corpus"):
        return load_and_check(args.root, args.today)


def cmd_init(args: argparse.Namespace) -> int:
    try:
        written = init(args.dir)
    except InitError as exc:
        console.error(f"briefing: error: {exc}")
        return 1
    except OSError as exc:
        console.error(f"briefing: error: cannot write {exc.filename or args.dir}: {exc.strerror or exc}")
        return 1
    for path in written:
        console.detail(f"wrote {path}")
    console.say(f"ok: wrote a starter corpus of {len(written)} files into {args.dir}", "ok")
    console.say(f"next: cd {args.dir} && git init && briefing check --strict && briefing build")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    if args.rules:
        for rule in RULES.values():
            print(f"{rule.id:28} {rule.severity:8} {rule.text}")
        return 0
    corpus, problems = _load(args)
    found = problems.sorted()
    if args.format == "json":
        sys.stdout.write(as_json(found))
    elif args.format == "sarif":
        sys.stdout.write(as_sarif(found, {r.id: r.text for r in RULES.values()}, corpus.config.root, package_version()))
    elif args.format == "github":
        sys.stdout.write(as_github(found, corpus.config.root, Path.cwd()))
    else:
        report(problems, args.strict)
    if problems.failed(args.strict):
        return 1
    if args.format == "text":
        console.say(f"ok: {len(corpus.sources)} sources, {len(corpus.claims)} claims, {len(corpus.pages)} pages "
                    "checked", "ok")
    return 0


def _bad_ceiling(args: argparse.Namespace) -> bool:
    """True (after saying why) when --ceiling is given and is not a TLP 2.0 marking."""
    if args.ceiling and not normalise_marking(args.ceiling):
        console.error(f"briefing: error: --ceiling '{args.ceiling}' is not a TLP 2.0 marking (TLP:CLEAR, TLP:GREEN, "
                      "TLP:AMBER, TLP:AMBER+STRICT, TLP:RED)")
        return True
    return False


def _checked(args: argparse.Namespace) -> Corpus | None:
    corpus, problems = _load(args)
    report(problems, args.strict)
    if problems.failed(args.strict):
        console.error("build refused: fix the errors above; nothing was written")
        return None
    return corpus


def _run(corpus: Corpus, args: argparse.Namespace, plan: Plan) -> int:
    version = describe(corpus.config.root, corpus.config.release_tags)
    plan.since = None if args.no_changes else (args.since or default_since(corpus))
    try:
        build(corpus, version, plan)
    except BuildError as exc:
        console.error(f"error: {exc}")
        console.error("build refused: nothing was written")
        return 1
    compared = f", changes since {plan.since}" if plan.since else ""
    console.say(f"ok: built version {version.version} ({version.date}){compared}", "ok")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    if _bad_ceiling(args):
        return 2
    corpus = _checked(args)
    if corpus is None:
        return 1
    ceiling = normalise_marking(args.ceiling) if args.ceiling else corpus.config.ceiling
    return _run(corpus, args, Plan(ceiling=ceiling or "", site=True, packs=list(corpus.packs.values()),
                                   engine=args.engine))


def cmd_pack(args: argparse.Namespace) -> int:
    corpus = _checked(args)
    if corpus is None:
        return 1
    pack = corpus.packs.get(args.pack_id)
    if pack is None:
        known = ", ".join(corpus.packs) or "none defined"
        console.error(f"briefing: error: no pack '{args.pack_id}' (packs: {known})")
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
            head, problems = _load(args)
            if problems.errors:
                report(problems)
                console.error("diff refused: the working tree has errors")
                return 1
            head_version = describe(root, head.config.release_tags).version
        base_version = version_of(root, args.ref)
    except RevisionError as exc:
        console.error(f"briefing: error: {exc}")
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
        console.error(f"briefing: error: {exc}")
        return 1
    console.say(f"ok: signed {signature}", "ok")
    console.say("give recipients this allowed-signers line by a channel they trust:")
    print(allowed)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    text = json.dumps(json_schema(settings=args.settings), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


COMMANDS = {"init": cmd_init, "check": cmd_check, "build": cmd_build, "pack": cmd_pack, "diff": cmd_diff,
            "sign": cmd_sign, "schema": cmd_schema}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    console.configure(quiet=args.quiet, verbose=args.verbose)
    try:
        if hasattr(args, "root"):
            args.root = _root_of(args)
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.verbose:
            traceback.print_exc()
        console.error(f"briefing: internal error: {exc!r} (run with -v for details)")
        return 3


if __name__ == "__main__":
    sys.exit(main())
