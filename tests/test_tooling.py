"""The analyst's daily tools, run as a user runs them: init, version, root discovery, output formats, follow-on
errors, quiet and verbose, and the offline install kit."""

from __future__ import annotations

import json
import os
import pty
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from checkhelp import BIB, CLAIMS, RECORDS, briefing, edit, line_of, run
from conftest import EXAMPLE, REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from briefing.pipeline import load_and_check
from briefing.problems import RULES

# --- follow-on errors ----------------------------------------------------------------------------------------


def test_an_unparsable_claims_file_is_one_error_and_one_note(minimal: Path) -> None:
    edit(minimal, CLAIMS, "    statement: Acme widgets reached", "    statement: [Acme widgets reached")
    problems = run(minimal)
    # records.yml (event, judgment, recommendation, gap) and both pages refer to the claims in that file
    assert [(p.rule, p.severity, p.loc.path) for p in problems] == [
        ("unresolved-skipped", "note", CLAIMS),
        ("yaml-syntax", "error", CLAIMS),
    ], [str(p) for p in problems]
    note = problems[0].message
    assert note.startswith("7 reference(s) to records were not checked because sources/claims/widgets.yml")


def test_references_are_still_judged_when_every_file_reads(minimal: Path) -> None:
    edit(minimal, RECORDS, "claims: [widgets-shipped, widget-trade-grew]", "claims: [widgets-shiped]")
    problems = run(minimal)
    assert [p.rule for p in problems] == ["unresolved-claim"]
    assert problems[0].suggestion == "widgets-shipped"


def test_an_unreadable_bibtex_file_is_one_error_and_one_note(minimal: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.bib"
    (minimal / BIB).rename(outside)
    (minimal / BIB).symlink_to(outside)
    problems = run(minimal)
    assert [(p.rule, p.loc.path) for p in problems] == [("path-outside", BIB), ("unresolved-skipped", BIB)], \
        [str(p) for p in problems]


def test_an_invalid_marking_is_one_error(minimal: Path) -> None:
    # everything in records.yml and both pages depend on this claim; as TLP:RED it would "leak" into each
    edit(minimal, CLAIMS, "    reviewed: 2024-10-05\n", "    reviewed: 2024-10-05\n    marking: TLP:PURPLE\n")
    problems = run(minimal)
    assert [(p.rule, p.loc.line) for p in problems] == [("marking-invalid", line_of(minimal, CLAIMS, "PURPLE"))]


def test_an_invalid_marking_on_a_source_page_or_default_is_one_error(minimal: Path) -> None:
    edit(minimal, BIB, "  archive = {agency2024widgets.txt},\n",
         "  archive = {agency2024widgets.txt},\n  marking = {TLP:AMBR},\n")
    assert [p.rule for p in run(minimal)] == ["marking-invalid"]
    edit(minimal, BIB, "  marking = {TLP:AMBR},\n", "")
    edit(minimal, "docs/themes/trade.md", "marking: TLP:CLEAR", "marking: TLP:WHITE")
    edit(minimal, RECORDS, "    sections: [key-judgments", "    themes: [trade]\n    sections: [key-judgments")
    assert [p.rule for p in run(minimal)] == ["marking-invalid"]  # and no pack-ceiling error for the page
    edit(minimal, "docs/themes/trade.md", "marking: TLP:WHITE", "marking: TLP:CLEAR")
    edit(minimal, "sources/corpus.yml", "default_marking: TLP:CLEAR", "default_marking: TLP:CLEAR+")
    edit(minimal, CLAIMS, "    reviewed: 2024-10-05\n", "    reviewed: 2024-10-05\n    marking: TLP:CLEAR\n")
    assert [p.rule for p in run(minimal)] == ["marking-invalid"]


def test_a_real_leak_is_still_reported_beside_an_invalid_marking(minimal: Path) -> None:
    edit(minimal, CLAIMS, "    reviewed: 2024-10-05\n", "    reviewed: 2024-10-05\n    marking: TLP:PURPLE\n")
    edit(minimal, CLAIMS, "    confidence: moderate\n    reviewed", "    confidence: moderate\n"
         "    marking: TLP:AMBER\n    reviewed")
    problems = run(minimal)
    assert sorted({p.rule for p in problems}) == ["marking-invalid", "marking-leak"]
    assert all("widget-trade-grew" in p.message for p in problems if p.rule == "marking-leak")


# --- briefing init -------------------------------------------------------------------------------------------


def test_init_writes_a_corpus_that_checks_strict_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "my-corpus"
    made = briefing("init", str(target))
    assert made.returncode == 0, made.stderr
    written = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert written == [".gitignore", "archive/gazette2024delays.txt", "docs/index.md", "docs/themes/crossing.md",
                       "mkdocs.yml", "sources/claims/crossing.yml", "sources/corpus.yml", "sources/records.yml",
                       "sources/references.bib"]
    assert {"/site/", "/dist/", ".briefing-build-*"} <= set((target / ".gitignore").read_text("utf-8").splitlines())
    corpus, problems = load_and_check(target)
    assert problems.items == []
    for kind in ("sources", "claims", "entities", "events", "figures", "recommendations", "judgments", "gaps",
                 "themes", "packs", "pages"):
        assert getattr(corpus, kind), f"the starter corpus has no {kind}"
    assert all(r.options for r in corpus.recommendations.values())
    assert corpus.config.archive == (target / "archive").resolve()  # its excerpts were verified, inside DIR
    checked = briefing("check", "--strict", cwd=target)
    assert checked.returncode == 0, checked.stderr
    assert "ok: 4 sources, 2 claims, 2 pages checked" in checked.stderr
    built = briefing("build", cwd=target)
    assert built.returncode == 0, built.stderr
    assert (target / "dist/full.pdf").read_bytes().startswith(b"%PDF")
    assert "Northport" in (target / "site/index.html").read_text("utf-8")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = briefing("init", str(tmp_path))
    assert result.returncode == 1
    assert "is not empty" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert briefing("init", str(empty)).returncode == 0


# --- version, root discovery, quiet and verbose --------------------------------------------------------------


def test_version_comes_from_the_package_metadata() -> None:
    result = briefing("--version")
    assert result.returncode == 0
    assert result.stdout.startswith(f"briefing {metadata.version('briefing')} (typst {metadata.version('typst')}")


def test_the_corpus_root_is_found_from_any_folder_inside_it(minimal: Path, tmp_path: Path) -> None:
    edit(minimal, CLAIMS, "status: reported", "status: rumoured")
    inside = briefing("check", "--today", "2024-11-01", cwd=minimal / "docs" / "themes")
    assert inside.returncode == 1
    assert re.search(r"^sources/claims/widgets\.yml:\d+: error: .*'rumoured'", inside.stderr, re.M)
    other = tmp_path / "other"
    shutil.copytree(EXAMPLE, other)
    overridden = briefing("check", "--today", "2024-11-01", "--root", str(other), cwd=minimal / "docs" / "themes")
    assert overridden.returncode == 0, overridden.stderr  # --root wins
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    lost = briefing("check", cwd=nowhere)
    assert lost.returncode == 1
    assert "briefing init DIR" in lost.stderr and "[file-missing]" in lost.stderr


def test_quiet_prints_only_errors_and_verbose_says_each_step(minimal: Path) -> None:
    with (minimal / BIB).open("a", encoding="utf-8") as f:
        f.write("\n@misc{lonely,\n  title = {Nobody cites me},\n  reliability = {C},\n  reliability_note = {x},\n}\n")
    args = ("check", "--root", str(minimal), "--today", "2024-11-01")
    assert "[source-uncited]" in briefing(*args).stderr
    assert briefing(*args, "--quiet").stderr == ""
    strict = briefing(*args, "--quiet", "--strict")  # a warning that fails the run is shown
    assert strict.returncode == 1 and strict.stderr.splitlines() == [
        f"{BIB}:{line_of(minimal, BIB, '@misc{lonely')}: warning: source 'lonely' is not cited anywhere "
        "[source-uncited]"]
    edit(minimal, CLAIMS, "status: reported", "status: rumoured")
    quiet = briefing(*args, "-q")
    assert quiet.returncode == 1 and [line.split(": ")[1] for line in quiet.stderr.splitlines()] == ["error"]
    verbose = briefing(*args, "-v")
    assert re.search(r"^loading and checking the corpus: \d+\.\d s$", verbose.stderr, re.M)
    both = briefing(*args, "-q", "-v")
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_build_progress_is_plain_text_and_quiet_silences_it(tmp_path: Path) -> None:
    target = tmp_path / "c"
    assert briefing("init", "-q", str(target)).stderr == ""
    built = briefing("build", cwd=target)
    assert built.returncode == 0
    assert "rendering pack 'full' ...\nbuilding site ...\nok: built version" in built.stderr
    assert "\033[" not in built.stderr  # stderr is not a terminal here
    quiet = briefing("build", "--quiet", cwd=target)
    assert quiet.returncode == 0 and quiet.stderr == ""


def _on_a_terminal(root: Path, **env: str) -> str:
    """What 'briefing check' writes to stderr when stderr is a terminal."""
    main, child = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | {"TERM": "xterm"} | env
    try:
        subprocess.run([sys.executable, "-m", "briefing", "check", "--root", str(root), "--today", "2024-11-01"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=child, env=environment,
                       check=False, timeout=120)
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal is closed once everything is read
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode()
    finally:
        os.close(main)


def test_colour_only_on_a_terminal_and_never_with_no_color(minimal: Path) -> None:
    edit(minimal, CLAIMS, "status: reported", "status: rumoured")
    assert re.search(r"widgets\.yml:\d+: \033\[1;31merror\033\[0m: .*'rumoured'", _on_a_terminal(minimal))
    plain = _on_a_terminal(minimal, NO_COLOR="1")
    assert re.search(r"widgets\.yml:\d+: error: .*'rumoured'", plain) and "\033[" not in plain


@pytest.mark.parametrize("command", ["init", "check", "build", "pack", "diff", "sign"])
def test_every_command_takes_quiet_and_verbose(command: str) -> None:
    result = briefing(command, "--help")
    assert "--quiet" in result.stdout and "--verbose" in result.stdout


# --- check --format ------------------------------------------------------------------------------------------


def _broken(root: Path) -> None:
    """Two errors, one with a suggestion, and a note without a line."""
    edit(root, CLAIMS, "    confidence: moderate\n    tags", "    confidance: moderate\n    tags")
    edit(root, CLAIMS, "status: reported", "status: rumoured")
    (root / "sources/corpus.yml").write_text("title: T\narchive: nowhere\n", encoding="utf-8")


def test_format_json(minimal: Path) -> None:
    _broken(minimal)
    result = briefing("check", "--format", "json", "--root", str(minimal), "--today", "2024-11-01")
    assert result.returncode == 1
    assert result.stderr == ""  # no summary line: the JSON is the whole answer
    found = json.loads(result.stdout)
    assert [(p["path"], p["severity"], p["rule"]) for p in found] == [
        ("sources/claims/widgets.yml", "error", "unknown-key"),
        ("sources/claims/widgets.yml", "error", "invalid-value"),
        ("sources/corpus.yml", "note", "archive-unavailable"),
    ]
    # the same problems as the text, in the same order
    text = briefing("check", "--root", str(minimal), "--today", "2024-11-01").stderr.splitlines()[:-1]
    assert [f"{p['path']}:{p['line']}: {p['severity']}: {p['message']} [{p['rule']}]" for p in found] == text
    assert found[0]["line"] == line_of(minimal, CLAIMS, "confidance")
    assert set(found[0]) == {"path", "line", "column", "severity", "rule", "message", "suggestion"}
    assert found[0]["suggestion"] == "confidence" and found[1]["suggestion"] is None
    assert found[0]["column"] is None
    assert found[0]["message"] == "unknown key 'confidance' in claim (did you mean 'confidence'?)"
    clean = briefing("check", "--format", "json", "--root", str(EXAMPLE), "--today", "2024-11-01")
    assert clean.returncode == 0 and json.loads(clean.stdout) == []


def test_format_sarif(minimal: Path) -> None:
    _broken(minimal)
    (minimal / "sources/claims/empty.yml").write_text("", encoding="utf-8")
    result = briefing("check", "--format", "sarif", "--root", str(minimal), "--today", "2024-11-01")
    assert result.returncode == 1 and result.stderr == ""
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and "sarif-schema-2.1.0" in log["$schema"]
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "briefing" and driver["version"] == metadata.version("briefing")
    assert [r["id"] for r in driver["rules"]] == list(RULES)
    assert all(r["shortDescription"]["text"] for r in driver["rules"])
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == minimal.resolve().as_uri() + "/"
    results = run_["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("file-empty", "error"), ("unknown-key", "error"), ("invalid-value", "error"),
        ("archive-unavailable", "note")]
    for r in results:
        assert r["message"]["text"]
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startLine"] >= 1
    unknown = results[1]
    assert unknown["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "sources/claims/widgets.yml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": line_of(minimal, CLAIMS, "confidance")}}
    assert unknown["properties"]["suggestion"] == "confidence"


def test_format_sarif_leaves_out_the_region_when_the_whole_file_is_meant(minimal: Path, tmp_path: Path) -> None:
    (minimal / "sources/claims/gone.yml").symlink_to(tmp_path / "nowhere.yml")
    log = json.loads(briefing("check", "--format", "sarif", "--root", str(minimal), "--today", "2024-11-01").stdout)
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "path-outside"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "sources/claims/gone.yml", "uriBaseId": "%SRCROOT%"}}


def test_format_github(minimal: Path) -> None:
    _broken(minimal)
    edit(minimal, CLAIMS, "theme: trade", "theme: trade,1%")
    result = briefing("check", "--format", "github", "--root", str(minimal), "--today", "2024-11-01", cwd=minimal)
    assert result.returncode == 1 and result.stderr == ""
    lines = result.stdout.splitlines()
    confidance = line_of(minimal, CLAIMS, "confidance")
    assert f"::error file=sources/claims/widgets.yml,line={confidance},title=unknown-key::unknown key " \
        "'confidance' in claim (did you mean 'confidence'?)" in lines
    assert any(re.match(r"::error file=sources/claims/widgets\.yml,line=\d+,title=unresolved-theme::.*'trade,1%25'",
                        line) for line in lines)  # '%' escaped as GitHub requires
    assert lines[-1].startswith("::notice file=sources/corpus.yml,line=1,title=archive-unavailable::")
    assert all(re.match(r"^::(error|warning|notice) file=[^,:]+(,line=\d+)?,title=[a-z-]+::\S", line) for line in lines)
    # run from above the corpus, the paths are the repository's
    above = briefing("check", "--format", "github", "--root", "corpus", "--today", "2024-11-01", cwd=minimal.parent)
    assert above.stdout.startswith("::error file=corpus/sources/claims/widgets.yml,")


def test_github_escaping() -> None:
    from briefing.formats import as_github
    from briefing.problems import Loc, Problem

    problem = Problem(Loc("docs/a,b:c.md", 3), "warning", "50% done\r\nnext line", "x-rule")
    assert as_github([problem], Path("/r"), Path("/r")) == \
        "::warning file=docs/a%2Cb%3Ac.md,line=3,title=x-rule::50%25 done%0D%0Anext line\n"


# --- offline install kit -------------------------------------------------------------------------------------


def test_wheelhouse_installs_briefing_on_a_machine_with_no_index(tmp_path: Path) -> None:
    kit, venv = tmp_path / "kit", tmp_path / "venv"
    made = subprocess.run([str(REPO / "scripts" / "wheelhouse"), str(kit)], capture_output=True, text=True,
                          env={**os.environ, "PYTHON": sys.executable}, check=False, timeout=900)
    assert made.returncode == 0, made.stderr
    assert f"install offline with: pip install --no-index --find-links {kit} briefing" in made.stderr
    wheels = sorted(p.name for p in kit.iterdir())
    assert all(name.endswith(".whl") for name in wheels)
    assert any(name.startswith(f"briefing-{metadata.version('briefing')}-") for name in wheels)
    pinned = {re.sub(r"[-_.]+", "_", line.split("==")[0]).lower(): line.split("==")[1]
              for line in (REPO / "constraints.txt").read_text("utf-8").splitlines() if "==" in line}
    for name in wheels:  # every dependency at the version the project is tested with
        project, version = name.split("-")[:2]
        if project.lower() in pinned:
            assert version == pinned[project.lower()], name
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    # nothing but the kit: no index, no pip configuration, no other wheel folders of this machine
    offline = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")} | {"PIP_CONFIG_FILE": os.devnull}
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--no-index", "--find-links",
                              str(kit), "briefing"], capture_output=True, text=True, env=offline, check=False,
                             timeout=900)
    assert install.returncode == 0, install.stdout + install.stderr
    tool = str(venv / "bin" / "briefing")
    version = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False, env=offline)
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith(f"briefing {metadata.version('briefing')} (typst ")
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import briefing; print(briefing.__file__)"],
                           capture_output=True, text=True, check=True, env=offline).stdout
    assert where.startswith(str(venv))  # the installed wheel, not this checkout
    corpus = tmp_path / "corpus"  # the starter corpus travels in the wheel
    assert subprocess.run([tool, "init", "-q", str(corpus)], env=offline, check=False).returncode == 0
    checked = subprocess.run([tool, "check", "--strict"], cwd=corpus, capture_output=True, text=True, env=offline,
                             check=False)
    assert checked.returncode == 0, checked.stderr


def test_constraints_pin_every_dependency_within_what_pyproject_allows() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    pins = {canonicalize_name(Requirement(line).name): Requirement(line)
            for line in (REPO / "constraints.txt").read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")}
    assert all(str(pin.specifier).startswith("==") for pin in pins.values())
    for text in project["dependencies"]:
        wanted = Requirement(text)
        pin = pins.get(canonicalize_name(wanted.name))
        assert pin is not None, f"{wanted.name} is not pinned in constraints.txt"
        assert wanted.specifier.contains(str(pin.specifier)[2:], prereleases=True), f"{pin} is outside {wanted}"
    typst = Requirement(next(d for d in project["dependencies"] if d.startswith("typst")))
    assert typst.specifier.contains(metadata.version("typst"))  # the PDFs' bytes depend on it


# --- pre-commit ----------------------------------------------------------------------------------------------


def test_pre_commit_hook_runs_the_check_on_corpus_changes(minimal: Path) -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "briefing-check" and hook["language"] == "python" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("sources/claims/widgets.yml") and files.search("docs/themes/trade.md")
    assert not files.search("README.md") and not files.search("src/briefing/cli.py")
    command, *args = shlex.split(hook["entry"])
    assert command == "briefing"
    assert briefing(*args, "--today", "2024-11-01", cwd=minimal).returncode == 0
    edit(minimal, CLAIMS, "status: reported", "status: rumoured")
    assert briefing(*args, "--today", "2024-11-01", cwd=minimal / "sources").returncode == 1


def test_readme_lists_every_source_class_and_the_new_commands() -> None:
    from briefing.vocab import SOURCE_CLASSES

    readme = (REPO / "README.md").read_text("utf-8")
    fields = readme[readme.index("## Fields that are easy to miss"):]
    fields = fields[:fields.index("\n## ", 1)]
    assert all(f"`{value}`" in fields for value in SOURCE_CLASSES)
    for text in ("briefing init DIR", "--format text|json|sarif|github", "briefing --version",
                 "pip install --no-index --find-links DIR briefing", "superseded_by"):
        assert text in readme
