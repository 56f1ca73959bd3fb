"""briefing sign: recipients verify a release with nothing but stock OpenSSH (ssh-keygen -Y verify)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from checkhelp import briefing

TODAY = "2024-11-01"


def keypair(folder: Path, kind: str = "ed25519") -> Path:
    key = folder / f"issuer_{kind}"
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "issuer", "-f", str(key)], check=True)
    return key


def verify(dist: Path, allowed: Path, identity: str) -> subprocess.CompletedProcess[str]:
    with (dist / "SHA256SUMS").open("rb") as sums:
        return subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", identity, "-n",
                               "briefing-release", "-s", str(dist / "SHA256SUMS.sig")], stdin=sums,
                              capture_output=True, text=True, check=False)


@pytest.fixture
def built(minimal: Path) -> Path:
    assert briefing("build", "--root", str(minimal), "--today", TODAY).returncode == 0
    return minimal


def test_a_signed_release_verifies_with_stock_openssh(built: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in (built / "dist").iterdir()}
    result = briefing("sign", "--root", str(built), "--key", str(keypair(tmp_path)), "--identity", "desk@example.org")
    assert result.returncode == 0, result.stderr
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(result.stdout, encoding="utf-8")
    assert result.stdout.startswith('desk@example.org namespaces="briefing-release" ssh-ed25519 ')
    dist = built / "dist"
    good = verify(dist, allowed, "desk@example.org")
    assert good.returncode == 0 and 'Good "briefing-release" signature for desk@example.org' in good.stdout
    assert subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True, check=False).returncode == 0
    # signing adds one file and changes none
    assert {p.name: p.read_bytes() for p in dist.iterdir() if p.name != "SHA256SUMS.sig"} == before
    assert verify(dist, allowed, "someone@else.example").returncode != 0
    sums = dist / "SHA256SUMS"
    sums.write_text(sums.read_text("utf-8").replace("full.pdf", "full.pdf ", 1), encoding="utf-8")
    assert verify(dist, allowed, "desk@example.org").returncode != 0  # tampered sums fail


def test_a_rebuilt_pack_drops_the_old_signature(built: Path, tmp_path: Path) -> None:
    key = keypair(tmp_path)
    assert briefing("sign", "--root", str(built), "--key", str(key), "--identity", "d@example.org").returncode == 0
    assert briefing("pack", "full", "--root", str(built), "--today", TODAY).returncode == 0
    assert not (built / "dist/SHA256SUMS.sig").exists()


def test_only_ed25519_keys_and_a_built_release(minimal: Path, tmp_path: Path) -> None:
    key = keypair(tmp_path)
    result = briefing("sign", "--root", str(minimal), "--key", str(key), "--identity", "d@example.org")
    assert result.returncode == 1 and "run 'briefing build' first" in result.stderr
    assert briefing("build", "--root", str(minimal), "--today", TODAY).returncode == 0
    rsa = keypair(tmp_path, "rsa")
    result = briefing("sign", "--root", str(minimal), "--key", str(rsa), "--identity", "d@example.org")
    assert result.returncode == 1 and "not an Ed25519 key" in result.stderr and "Traceback" not in result.stderr


def test_a_sums_file_that_is_a_link_is_not_signed(built: Path, tmp_path: Path) -> None:
    """dist/SHA256SUMS replaced by a link to a file elsewhere: signing it would vouch for that file; refused."""
    other = tmp_path / "elsewhere"
    other.write_text("0" * 64 + "  anything.pdf\n", encoding="utf-8")
    (built / "dist" / "SHA256SUMS").unlink()
    (built / "dist" / "SHA256SUMS").symlink_to(other)
    result = briefing("sign", "--root", str(built), "--key", str(keypair(tmp_path)), "--identity", "d@example.org")
    assert result.returncode == 1 and "is a link" in result.stderr and "Traceback" not in result.stderr
    assert not (built / "dist" / "SHA256SUMS.sig").exists()
