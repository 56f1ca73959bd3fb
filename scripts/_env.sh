# Shared by scripts/build, scripts/test and scripts/bench: make .venv and install the project into it, with the
# dependency versions of constraints.txt. Re-installs only when pyproject.toml or constraints.txt changed.
# Sourced, not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-python3}
hash=$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
stamp=.venv/.installed-$hash-${1:-main}
# The test install includes everything the main install has.
if [ ! -f "$stamp" ] && ! [ "${1:-main}" = main -a -f ".venv/.installed-$hash-test" ]; then
  started=$SECONDS
  _setup() { echo "setup: $* ..." >&2; }
  echo "setting up .venv (one time, or after pyproject.toml or constraints.txt changed; about a minute) ..." >&2
  if [ ! -x .venv/bin/python ]; then
    _setup "creating .venv with $("$PY" --version 2>&1)"
    "$PY" -m venv .venv
  fi
  _setup "upgrading pip"
  .venv/bin/python -m pip install -q --upgrade pip >&2
  if [ "${1:-main}" = test ]; then
    _setup "installing briefing, its dependencies (versions from constraints.txt) and the test tools"
    .venv/bin/python -m pip install -q -c constraints.txt -e '.[test]' >&2
  else
    _setup "installing briefing and its dependencies (versions from constraints.txt)"
    .venv/bin/python -m pip install -q -c constraints.txt -e . >&2
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
  echo "setup: done in $((SECONDS - started)) s" >&2
fi
export PATH="$PWD/.venv/bin:$PATH"
export NO_MKDOCS_2_WARNING=1
