"""``briefing sign``: sign dist/SHA256SUMS so that a recipient with stock OpenSSH can tell who issued a release.

The signature is an SSH signature (``ssh-keygen -Y sign``, namespace ``briefing-release``) written beside the
sums as ``SHA256SUMS.sig``. It is not listed in the manifest or the sums, so signing leaves every other file
byte-identical. A recipient checks it with ``ssh-keygen -Y verify`` and an allowed-signers file holding the
issuer's public key, received by a channel they trust, then the files with ``sha256sum -c SHA256SUMS``.
We call OpenSSH's own tool rather than re-implement the SSHSIG format: the recipient verifies with it anyway.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .bundle import SIGNATURE, SUMS, inside
from .errors import BuildError

NAMESPACE = "briefing-release"


def public_key(key: Path) -> str:
    """The public half of a key ('ssh-ed25519 AAAA… comment'), read from KEY.pub."""
    pub = key.with_name(key.name + ".pub")
    if not pub.is_file():
        raise BuildError(f"no public key {pub} beside the private key (ssh-keygen -y -f {key} > {pub} makes one)")
    text = pub.read_text("utf-8").strip()
    if not text.startswith("ssh-ed25519 "):
        raise BuildError(f"{pub} is not an Ed25519 key; make one with: ssh-keygen -t ed25519 -f {key}")
    return text


def sign(dist: Path, key: Path, identity: str) -> tuple[Path, str]:
    """Sign dist/SHA256SUMS; returns the signature's path and the recipient's allowed-signers line."""
    sums = dist / SUMS
    if not sums.is_file():
        raise BuildError(f"no {sums}: run 'briefing build' first")
    if not inside(dist, SUMS):
        raise BuildError(f"{sums} is a link, or dist/ is: sign only what a build wrote (run 'briefing build' again)")
    if not key.is_file():
        raise BuildError(f"no private key {key}")
    pub = public_key(key)
    tool = shutil.which("ssh-keygen")
    if tool is None:
        raise BuildError("ssh-keygen (OpenSSH) is not installed; install openssh-client")
    signature = dist / SIGNATURE
    signature.unlink(missing_ok=True)
    done = subprocess.run([tool, "-Y", "sign", "-f", str(key), "-n", NAMESPACE, str(sums)], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0 or not signature.is_file():
        raise BuildError(f"ssh-keygen could not sign: {done.stderr.strip() or done.stdout.strip()}")
    key_type, blob = pub.split()[:2]
    return signature, f'{identity} namespaces="{NAMESPACE}" {key_type} {blob}'
