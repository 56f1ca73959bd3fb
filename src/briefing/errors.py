"""The exceptions of the pipeline, in one tree. Each message is meant for the analyst, not a developer.

    BriefingError          anything the analyst can act on; the CLI prints it as one line, never a traceback
    ├── BuildError         a build stops; nothing has been replaced
    │   ├── MarkingLeak    a record kept at a ceiling refers to one withheld (the checker reports it first)
    │   └── Unfit          a pack section cannot stand at its ceiling or scope
    └── RevisionError      a git revision cannot be read
"""

from __future__ import annotations


class BriefingError(Exception):
    """A problem the analyst can act on."""


class BuildError(BriefingError):
    """A problem that stops a build, with a message meant for the analyst. Nothing has been replaced."""


class MarkingLeak(BuildError):
    """A record kept at the ceiling refers to one withheld; nothing may be rendered."""


class Unfit(BuildError):
    """A pack section that cannot stand at this ceiling or scope; the message names what is missing."""


class RevisionError(BriefingError):
    """A git revision (tag, branch, commit) that cannot be read."""
