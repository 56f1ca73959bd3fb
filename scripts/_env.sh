# Shared by scripts/build, scripts/test and scripts/bench: make .venv and install the project into it.
# Re-installs only when pyproject.toml changed. Sourced, not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-python3}
hash=$(sha256sum pyproject.toml | cut -c1-16)
stamp=.venv/.installed-$hash-${1:-main}
# The test install includes everything the main install has.
if [ ! -f "$stamp" ] && ! [ "${1:-main}" = main -a -f ".venv/.installed-$hash-test" ]; then
  echo "setting up .venv (one time) ..." >&2
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip >&2
  if [ "${1:-main}" = test ]; then
    .venv/bin/python -m pip install -q -e '.[test]' >&2
  else
    .venv/bin/python -m pip install -q -e . >&2
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
export NO_MKDOCS_2_WARNING=1
