"""The site's zip in dist/, made again from the last build's zip where the site's files are unchanged.

Compressing the site is most of a rebuild's zipping (140 MB of site at 5,000 claims), and an analyst's edit changes a
few of its files. So the zip is written here rather than by ``zipfile``, which cannot take data already compressed:
an entry whose content (by SHA-256) the last build's zip holds, compressed by this same zlib at this level, is copied
from it; any other is compressed now. Compressing the same bytes the same way gives the same bytes, so the zip is
byte-identical to one ``zipfile`` writes from nothing (tested, for any files).

What the last zip holds is kept in the build cache (``briefing.cachedir``), sealed with the user's key: the zip's
file name and SHA-256, and where each content's compressed data lies in it. The last zip is used only when its
bytes still have that SHA-256, so a dist/ changed since, or received from someone else, is never copied from.
A zip that could pass the limits of the plain zip format (65,535 files, offsets of 2 GiB) is left to ``zipfile``, which
writes the zip64 records it needs, compressed from nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

from . import cachedir
from .bundle import inside

ZIP_EPOCH_MIN = 315532800  # 1980-01-01, the earliest date a zip entry can hold
LEVEL = 3  # deflate level 3: at 5,000 claims 2.9x as fast as level 6, for a zip 10 % larger (34 MB, not 31)
# The zip format's central directory record and end record (PKWARE APPNOTE 4.3.12, 4.3.16)
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
END = struct.Struct("<4s4H2LH")
INDEX = "site-zip"  # the sealed cache entry (``zip/index.json``)


def _compressed(content: bytes) -> bytes:
    """Content deflated as ``zipfile`` deflates it (a raw stream, one call)."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return packer.compress(content) + packer.flush()


class Earlier:
    """The compressed entries of the last build's zip, by the SHA-256 of their content."""

    def __init__(self, data: bytes, entries: dict[str, list[int]]):
        self.data, self.entries = data, entries

    @classmethod
    def of(cls, root: Path) -> Earlier | None:
        """The last zip the cache of the corpus at root vouches for, if its dist/ (a folder, not a link out of
        the corpus) still holds it unchanged. The zip is read once, then hashed: what is copied is what was hashed."""
        folder = cachedir.folder(root, "zip")
        dist = root / "dist"
        if folder is None or not inside(dist):
            return None
        kept = cachedir.kept_json(folder / "index.json", INDEX)
        if not isinstance(kept, dict) or kept.get("method") != _method() or not isinstance(kept.get("file"), str):
            return None
        name, entries = kept["file"], kept.get("entries")
        if Path(name).name != name or not name.endswith(".zip") or not isinstance(entries, dict):
            return None
        data = cachedir.read(dist / name, limit=zipfile.ZIP64_LIMIT)
        if data is None or hashlib.sha256(data).hexdigest() != kept.get("sha256"):
            return None
        return cls(data, entries)

    def get(self, digest: str) -> tuple[bytes, int] | None:
        """The compressed data and CRC-32 of this content, or None."""
        found = self.entries.get(digest)
        if not (isinstance(found, list) and len(found) == 3 and all(type(n) is int for n in found)):
            return None
        at, size, crc = found
        if not (at >= 0 and size >= 0 and at + size <= len(self.data)):
            return None
        return self.data[at:at + size], crc


def _method() -> str:
    """How entries are compressed: a kept entry is reused only by the same zlib at the same level."""
    return f"deflate-{LEVEL}-zlib-{zlib.ZLIB_RUNTIME_VERSION}"


def _info(name: str, date_time: tuple[int, ...]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, whatever the platform
    return info


def _plain_zip(files: Sequence[tuple[str, Path]], out: Path, date_time: tuple[int, ...]) -> None:
    """Every file compressed by ``zipfile`` (which writes the zip64 records a large zip needs)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as archive:
        for name, path in files:
            archive.writestr(_info(name, date_time), path.read_bytes(), compresslevel=LEVEL)


def write(files: Sequence[tuple[str, Path]], out: Path, date_time: tuple[int, ...],
          earlier: Earlier | None = None) -> tuple[dict[str, list[int]], str] | None:
    """Zip files (name in the zip, file) in this order into out, every entry dated date_time; entries the
    earlier zip holds are copied from it. Returns where each content's compressed data lies in out, and out's
    SHA-256 (None where the zip was left to ``zipfile``: past the plain format's limits)."""
    largest = sum(path.stat().st_size * 1.05 + 2 * len(name.encode()) + 200 for name, path in files)  # (headers)
    if len(files) > zipfile.ZIP_FILECOUNT_LIMIT or largest > zipfile.ZIP64_LIMIT:
        _plain_zip(files, out, date_time)
        return None
    entries: dict[str, list[int]] = {}
    central = []
    whole = hashlib.sha256()
    at = 0
    with out.open("wb") as zipped:

        def put(data: bytes) -> None:
            nonlocal at
            zipped.write(data)
            whole.update(data)
            at += len(data)

        for name, path in files:
            content = path.read_bytes()
            digest = hashlib.sha256(content).hexdigest()
            found = earlier.get(digest) if earlier is not None else None
            data, crc = found if found is not None else (_compressed(content), zlib.crc32(content))
            info = _info(name, date_time)
            info.CRC, info.compress_size, info.file_size = crc, len(data), len(content)
            info.header_offset = at
            put(info.FileHeader(False))
            entries[digest] = [at, len(data), crc]
            put(data)
            central.append(_central_record(info))
        start = at
        for record in central:
            put(record)
        put(END.pack(b"PK\x05\x06", 0, 0, len(files), len(files), at - start, start, 0))
    return entries, whole.hexdigest()


def _central_record(info: zipfile.ZipInfo) -> bytes:
    """The entry's record in the central directory, as ``zipfile`` writes it for an entry below the zip64 limits."""
    try:
        filename, flags = info.filename.encode("ascii"), info.flag_bits
    except UnicodeEncodeError:
        filename, flags = info.filename.encode("utf-8"), info.flag_bits | 0x800
    year, month, day, hour, minute, second = info.date_time
    dosdate = (year - 1980) << 9 | month << 5 | day
    dostime = hour << 11 | minute << 5 | (second // 2)
    return CENTRAL.pack(b"PK\x01\x02", info.create_version,
                       info.create_system, info.extract_version, info.reserved, flags, info.compress_type,
                       dostime, dosdate, info.CRC, info.compress_size, info.file_size, len(filename),
                       len(info.extra), len(info.comment), 0, info.internal_attr, info.external_attr,
                       info.header_offset) + filename + info.extra + info.comment


def zip_site(site: Path, out: Path, epoch: int, root: Path | None = None) -> None:
    """Zip site/ under a top folder 'site/', every entry dated at epoch (or 1980, the earliest a zip can hold),
    byte-identical for the same files and epoch. ``root``: the corpus whose build cache records this zip, and whose
    dist/ holds the last one to copy unchanged entries from."""
    date_time = dt.datetime.fromtimestamp(max(epoch, ZIP_EPOCH_MIN), dt.UTC).timetuple()[:6]
    files = [(f"site/{path.relative_to(site).as_posix()}", path)
             for path in sorted(p for p in site.rglob("*") if p.is_file())]
    earlier = Earlier.of(root) if root is not None else None
    written = write(files, out, date_time, earlier)
    cache = cachedir.folder(root, "zip") if root is not None and written is not None else None
    if cache is None or written is None:
        return
    entries, digest = written
    cachedir.keep_json(cache / "index.json", INDEX,
                       {"method": _method(), "file": out.name, "sha256": digest, "entries": entries})
