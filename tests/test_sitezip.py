"""The site's zip: written as ``zipfile`` writes it, and made again from the last zip where files are unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import cachedir, sitezip

EPOCH = 1728000000
STAMP = (2024, 10, 4, 0, 0, 0)

names = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"), min_size=1,
                max_size=12).filter(lambda n: n not in {".", ".."} and len(n.encode()) < 200)
trees = st.dictionaries(names, st.binary(max_size=3000) | st.text(max_size=3000).map(str.encode), min_size=1,
                        max_size=8)


def lay_out(folder: Path, tree: dict[str, bytes]) -> list[tuple[str, Path]]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in tree.items():
        (folder / name).write_bytes(data)
    return [(f"site/{name}", folder / name) for name in sorted(tree)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trees, trees)
def test_the_zip_is_the_one_zipfile_writes_fresh_or_made_from_an_earlier_one(tmp_path: Path, first: dict,
                                                                             second: dict) -> None:
    """For any files: the zip is byte-for-byte what ``zipfile`` writes, whether every entry is compressed now or
    some are copied from an earlier zip (one of other files, some the same)."""
    files = lay_out(tmp_path / "a", first)
    sitezip._plain_zip(files, tmp_path / "plain.zip", STAMP)
    written = sitezip.write(files, tmp_path / "ours.zip", STAMP)
    ours = (tmp_path / "ours.zip").read_bytes()
    assert ours == (tmp_path / "plain.zip").read_bytes()
    assert written is not None and written[1] == hashlib.sha256(ours).hexdigest()
    earlier = sitezip.Earlier(ours, written[0])
    files = lay_out(tmp_path / "b", {**second, **dict(list(first.items())[:2])})
    sitezip._plain_zip(files, tmp_path / "plain.zip", STAMP)
    sitezip.write(files, tmp_path / "again.zip", STAMP, earlier)
    assert (tmp_path / "again.zip").read_bytes() == (tmp_path / "plain.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "again.zip") as zipped:
        assert zipped.testzip() is None
        assert {info.filename: zipped.read(info) for info in zipped.infolist()} == {
            name: path.read_bytes() for name, path in files}


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The contents the zip compresses (rather than copies from the last zip)."""
    compressed: list[bytes] = []
    real = sitezip._compressed

    def spy(content: bytes) -> bytes:
        compressed.append(content)
        return real(content)

    monkeypatch.setattr(sitezip, "_compressed", spy)
    return compressed


def site_and_root(tmp_path: Path) -> tuple[Path, Path]:
    site, root = tmp_path / "work" / "site", tmp_path / "corpus"
    lay_out(site, {f"page{n}.html": f"<p>page {n}</p>".encode() * 50 for n in range(6)})
    (root / "dist").mkdir(parents=True)
    return site, root


def publish(tmp_path: Path, site: Path, root: Path, name: str = "site-v1.zip") -> bytes:
    """Zip the site as a build does (into its work folder), then put the zip in dist/ as the build does."""
    out = tmp_path / "work" / name
    sitezip.zip_site(site, out, EPOCH, root)
    for old in (root / "dist").glob("*.zip"):
        old.unlink()
    shutil.copyfile(out, root / "dist" / name)
    return out.read_bytes()


def test_only_changed_files_are_compressed_again(tmp_path: Path, counted: list[bytes]) -> None:
    site, root = site_and_root(tmp_path)
    first = publish(tmp_path, site, root)
    assert len(counted) == 6
    counted.clear()
    (site / "page2.html").write_bytes(b"<p>edited</p>")
    again = publish(tmp_path, site, root, "site-v2.zip")  # (another version: the last zip is found by the cache)
    assert counted == [b"<p>edited</p>"]
    counted.clear()
    sitezip._plain_zip(sitezip_files(site), tmp_path / "plain.zip", STAMP)
    assert again == (tmp_path / "plain.zip").read_bytes() != first


def sitezip_files(site: Path) -> list[tuple[str, Path]]:
    return [(f"site/{p.name}", p) for p in sorted(site.iterdir())]


@pytest.mark.parametrize("change", ["bytes", "link", "pipe", "folder", "dist-link", "unsealed", "offsets"])
def test_a_last_zip_the_cache_cannot_vouch_for_is_never_copied_from(tmp_path: Path, counted: list[bytes],
                                                                    change: str) -> None:
    """dist/ changed since (one byte of an entry's compressed data; the zip replaced by a link to another file, by
    a pipe, which a read would wait on forever, or by a folder; dist/ itself a link out of the corpus), a cache index
    this user's key did not seal, or a sealed one whose entries lie outside the zip: every entry is compressed
    afresh, and the zip is the right one."""
    site, root = site_and_root(tmp_path)
    publish(tmp_path, site, root)
    published = root / "dist" / "site-v1.zip"
    index = root / ".briefing-cache" / "zip" / "index.json"
    if change == "bytes":
        data = bytearray(published.read_bytes())
        data[50] ^= 1  # (in the first entry's compressed data)
        published.write_bytes(bytes(data))
    elif change == "link":
        other = tmp_path / "elsewhere.zip"
        published.rename(other)
        published.symlink_to(other)
    elif change == "pipe":
        published.unlink()
        os.mkfifo(published)
    elif change == "folder":
        published.unlink()
        published.mkdir()
    elif change == "dist-link":
        (root / "dist").rename(tmp_path / "outside")
        (root / "dist").symlink_to(tmp_path / "outside")
    elif change == "unsealed":
        sealed = index.read_bytes()
        index.write_bytes(b"0" * 64 + sealed[64:])
    else:
        kept = json.loads(cachedir.unseal(sitezip.INDEX, index.read_bytes()) or b"")
        for n, digest in enumerate(kept["entries"]):
            at, size, crc = kept["entries"][digest]
            kept["entries"][digest] = [[len(published.read_bytes()), -at, at + 1 << 40][n % 3], size, crc]
        index.write_bytes(cachedir.seal(sitezip.INDEX, json.dumps(kept).encode()) or b"")
    counted.clear()
    signal.alarm(60)  # (a read waiting on the pipe would never end)
    try:
        sitezip.zip_site(site, tmp_path / "again.zip", EPOCH, root)
    finally:
        signal.alarm(0)
    assert len(counted) == 6
    sitezip._plain_zip(sitezip_files(site), tmp_path / "plain.zip", STAMP)
    assert (tmp_path / "again.zip").read_bytes() == (tmp_path / "plain.zip").read_bytes()


def test_a_zip_past_the_plain_formats_limits_is_left_to_zipfile(tmp_path: Path, counted: list[bytes],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Past 65,535 files (here, past a lowered limit) ``zipfile`` writes the zip, with its zip64 records; nothing
    is kept for the next zip, and the next zip is right too."""
    site, root = site_and_root(tmp_path)
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 5)
    sitezip.zip_site(site, tmp_path / "big.zip", EPOCH, root)
    assert counted == []  # (zipfile compressed every entry itself)
    with zipfile.ZipFile(tmp_path / "big.zip") as zipped:
        assert zipped.testzip() is None and len(zipped.infolist()) == 6
    assert not (root / ".briefing-cache" / "zip" / "index.json").exists()


def test_the_cache_index_is_never_written_through_a_planted_link(tmp_path: Path) -> None:
    """A link planted at the name the index is first written under (the process id is guessable) is replaced,
    not written through: the file it points to is unchanged. A cache that cannot be written fails nothing."""
    site, root = site_and_root(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's file", encoding="utf-8")
    folder = root / ".briefing-cache" / "zip"
    folder.mkdir(parents=True)
    (folder / f".index.json.{os.getpid()}").symlink_to(victim)
    publish(tmp_path, site, root)
    assert victim.read_text("utf-8") == "the user's file"
    assert cachedir.unseal(sitezip.INDEX, (folder / "index.json").read_bytes()) is not None
    (folder / "index.json").unlink()
    (folder / "index.json").mkdir()  # the index's name taken by a folder: the zip is written all the same
    sitezip.zip_site(site, tmp_path / "again.zip", EPOCH, root)
    assert zipfile.ZipFile(tmp_path / "again.zip").testzip() is None


def test_without_a_cache_the_zip_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, root = site_and_root(tmp_path)
    kept = publish(tmp_path, site, root)
    monkeypatch.setenv(cachedir.DISABLE_ENV, "1")
    sitezip.zip_site(site, tmp_path / "off.zip", EPOCH, root)
    assert (tmp_path / "off.zip").read_bytes() == kept
