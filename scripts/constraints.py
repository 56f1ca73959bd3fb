"""Print constraints.txt: the exact version of every dependency of briefing and of its test extra installed here.

After changing a dependency (or to move to newer versions): install them into .venv, run the tests, then
    .venv/bin/python scripts/constraints.py > constraints.txt
scripts/_env.sh installs with these versions (pip -c constraints.txt), so builds and CI use the same ones.
"""

from __future__ import annotations

import re
from importlib import metadata

from packaging.requirements import Requirement

HEADER = """\
# The exact versions of briefing's dependencies (runtime and test extra) that the project is built and tested with.
# scripts/_env.sh and scripts/wheelhouse install with them (pip -c constraints.txt). Regenerate with
#     .venv/bin/python scripts/constraints.py > constraints.txt
"""


def closure(name: str, found: dict[str, str], extra: str = "") -> dict[str, str]:
    """name (with an extra of its own) and everything it requires on this platform, by normalised name ->
    'Name==version'."""
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key not in found or extra:
        dist = metadata.distribution(name)
        found[key] = f"{dist.metadata['Name']}=={dist.version}"
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
                closure(requirement.name, found)
    return found


def main() -> None:
    pins = closure("briefing", {}, extra="test")
    pins.pop("briefing")
    print(HEADER + "".join(f"{pin}\n" for _, pin in sorted(pins.items())), end="")


if __name__ == "__main__":
    main()
