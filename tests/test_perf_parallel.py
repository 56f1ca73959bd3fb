"""Packs rendered side by side give the same bytes as packs rendered one after another."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.parallel import jobs

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "minimal"
MORE_PACKS = """
  - id: brief
    title: Widget export controls — brief
    audience: Ministers
    purpose: The judgments on one page
    ceiling: TLP:CLEAR
    distribution: Unlimited
    sections: [key-judgments, recommendations]
  - id: trade
    title: Widget trade
    audience: Desk officers
    purpose: The trade theme
    ceiling: TLP:CLEAR
    distribution: Unlimited
    sections: [key-judgments, evidence, sources]
    themes: [trade]
    registers: separate
"""


def build(root: Path, jobs: str, **extra: str) -> dict[str, bytes]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "BRIEFING_JOBS": jobs, "SOURCE_DATE_EPOCH": "1728000000",
           **extra}
    done = subprocess.run([sys.executable, "-m", "briefing", "build", "--root", str(root)], capture_output=True,
                          text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    return {str(p.relative_to(root)): p.read_bytes() for folder in ("site", "dist")
            for p in sorted((root / folder).rglob("*")) if p.is_file()}


def three_packs(tmp_path: Path) -> Path:
    root = Path(shutil.copytree(EXAMPLE, tmp_path / "corpus"))
    records = root / "sources" / "records.yml"
    text = records.read_text("utf-8")
    at = text.index("packs:\n") + len("packs:\n")
    records.write_text(text[:at] + MORE_PACKS.lstrip("\n") + text[at:], encoding="utf-8")
    return root


def test_three_packs_in_parallel_are_byte_identical_to_one_by_one(tmp_path: Path) -> None:
    root = three_packs(tmp_path)
    one = build(root, "1")
    assert {"dist/full.pdf", "dist/brief.pdf", "dist/trade.pdf", "site/downloads/trade.pdf",
            "dist/trade-evidence-trade.pdf", "dist/trade-sources.pdf"} <= set(one)  # the trade pack's annexes
    for jobs_ in ("2", "3"):  # one worker beside the site, then two
        other = build(root, jobs_)
        assert sorted(one) == sorted(other)
        assert [name for name in one if one[name] != other[name]] == []


STRESS = """
import subprocess
import briefing.parallel as parallel
parallel._render = lambda version, job: bytes([job[0]]) * 1000  # a pack in no time
with parallel.Rendering(None, [(n, None, None, None) for n in range(40)], alongside=True) as rendering:
    for _ in range(300):
        subprocess.run(["true"], check=True)  # as the build starts git and Typst while packs render
    assert rendering.results() == [bytes([n]) * 1000 for n in range(40)]
print("ok")
"""


def test_starting_programs_while_packs_render_in_fresh_workers_never_hangs() -> None:
    """Workers are forked for every pack while the build starts programs of its own; no fork may catch one of
    them half-started, and the pool must end when its work is done."""
    done = subprocess.run([sys.executable, "-c", STRESS], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "BRIEFING_JOBS": "3"})
    assert done.stdout.strip() == "ok", done.stderr


def test_a_failed_site_stops_the_packs_and_leaves_no_process(tmp_path: Path) -> None:
    root = three_packs(tmp_path)
    script = ("import sys, briefing.site as site\nfrom briefing.errors import BuildError\n"
              "def fail(*a, **k):\n    raise BuildError('the site failed')\nsite.render_site = fail\n"
              "from briefing.cli import main\nsys.exit(main(['build', '--root', sys.argv[1]]))\n")
    done = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, timeout=120,
                          check=False, env={**os.environ, "BRIEFING_JOBS": "3"})
    assert done.returncode == 1 and "the site failed" in done.stderr
    left = subprocess.run(["pgrep", "-f", str(root)], capture_output=True, text=True, check=False).stdout
    assert left.strip() == ""
    assert not (root / "dist").exists()


@pytest.mark.parametrize(("value", "expected"), [("3", 3), ("1", 1)])
def test_jobs_follow_the_environment(monkeypatch: pytest.MonkeyPatch, value: str, expected: int) -> None:
    monkeypatch.setenv("BRIEFING_JOBS", value)
    assert jobs() == expected


def test_jobs_default_to_the_usable_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFING_JOBS", raising=False)
    assert jobs() == len(os.sched_getaffinity(0))


def test_notes_formatted_in_a_worker_are_kept_for_the_next_build(tmp_path: Path) -> None:
    """A pack's worker process saves the references and notes it formatted, as a one-process build does."""
    root = three_packs(tmp_path)
    kept = {}
    for count in ("1", "2"):
        cache = tmp_path / f"cache-{count}"
        build(root, count, XDG_CACHE_HOME=str(cache))
        [file] = (cache / "briefing").glob("csl-*.json")
        kept[count] = set(json.loads(file.read_text("utf-8")))
    assert kept["2"] == kept["1"] and kept["1"]


SPY = """
import sys
from briefing.site import pagebuild
started = pagebuild.start
def start(pages, *args):
    print("helper builds", len(pages), "pages", file=sys.stderr)
    return started(pages, *args)
pagebuild.start = start
CHANGE
from briefing.cli import main
sys.exit(main(["build", "--root", sys.argv[1]]))
"""


def spied_build(root: Path, jobs: str, change: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SPY.replace("CHANGE", change), str(root)], capture_output=True,
                          text=True, timeout=300, check=False,
                          env={**os.environ, "BRIEFING_JOBS": jobs, "BRIEFING_NO_CACHE": "1",
                               "SOURCE_DATE_EPOCH": "1728000000", "NO_MKDOCS_2_WARNING": "1"})


def test_pages_a_helper_process_builds_are_byte_identical_to_one_process_building_all(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    subprocess.run([sys.executable, "-m", "briefing.synthetic", str(root), "--claims", "60", "--sources", "15"],
                   check=True, capture_output=True)
    files = {}
    for jobs_ in ("1", "2"):
        done = spied_build(root, jobs_)
        assert done.returncode == 0, done.stderr
        assert ("helper builds" in done.stderr) == (jobs_ == "2")
        files[jobs_] = {str(p.relative_to(root)): p.read_bytes() for folder in ("site", "dist")
                        for p in sorted((root / folder).rglob("*")) if p.is_file()}
    [count] = [int(line.split()[2]) for line in spied_build(root, "2").stderr.splitlines() if "helper" in line]
    assert count >= 30  # 3 of every 5 claim and entity pages
    done = spied_build(root, "2", NO_FORK)  # no process to spare: this process builds the helper's pages
    assert done.returncode == 0 and "helper builds" in done.stderr and "Traceback" not in done.stderr, done.stderr
    files["no fork"] = {str(p.relative_to(root)): p.read_bytes() for folder in ("site", "dist")
                        for p in sorted((root / folder).rglob("*")) if p.is_file()}
    files["default"] = build(root, "2")  # helper, shared sidebars and the caches, as a user builds
    files["again"] = build(root, "2")  # pages kept from that build
    for other in ("2", "no fork", "default", "again"):
        assert sorted(files["1"]) == sorted(files[other])
        assert [name for name in files["1"] if files["1"][name] != files[other][name]] == []


NO_FORK = """
import errno, os as real_os
class NoFork:
    def __getattr__(self, name):
        return getattr(real_os, name)
    def fork(self):
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
pagebuild.os = NoFork()
"""


@pytest.mark.parametrize(("change", "said"), [
    ("def fail(*a):\n    raise BuildError('claims/x.md: a page failed')\npagebuild._build = fail",
     "claims/x.md: a page failed"),
    ("import os\npagebuild._build = lambda *a: os._exit(3)", "stopped unexpectedly"),
    ("import errno\ndef full(*a):\n    raise OSError(errno.ENOSPC, 'No space left on device')\npagebuild._build = full",
     "disk is full"),
    ("from briefing import mkdocs_plugin\ndef fail(*a, **k):\n    raise BuildError('the site failed meanwhile')\n"
     "mkdocs_plugin.BriefingPlugin.on_env = fail", "the site failed meanwhile"),
])
def test_a_failed_helper_fails_the_build_cleanly(tmp_path: Path, change: str, said: str) -> None:
    """A helper that fails, or dies, stops the build with one message: no traceback, no site, no process left."""
    root = three_packs(tmp_path)
    done = spied_build(root, "2", "from briefing.errors import BuildError\n" + change)
    assert done.returncode == 1 and said in done.stderr and "Traceback" not in done.stderr
    assert not (root / "site").exists() and not (root / "dist").exists()
    left = subprocess.run(["pgrep", "-f", str(root)], capture_output=True, text=True, check=False).stdout
    assert left.strip() == ""
