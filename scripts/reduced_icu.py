"""A smaller ICU data library for the Linux bundle (build.spec; issue 16).

PySide6's Linux wheels ship ICU, and Qt Core links its data library, ``libicudata.so.NN`` (31 MB: the
data of every locale, converter, dictionary and unit name ICU knows). Qt Core is the only part of the
app that calls ICU, and only for: collation (``QCollator``: the Qt file dialog's natural sort),
named text encodings (``QStringDecoder`` / ``QStringEncoder`` for encodings Qt does not carry itself),
time-zone names and ids (``QTimeZone``) and locale-aware upper/lower case (``QLocale::toUpper``).
Character properties and NFC normalisation are compiled into ``libicuuc`` itself.

This module copies the library's common data package (the ``icudtNN_dat`` symbol, an ICU "CmnD"
package) keeping only the items those calls read, for the root and English locales, and links it
into a library of the same name and symbol with the C compiler. Another locale's collation or time-
zone names fall back to the root's, as ICU does for any locale it has no data for. Building needs
``cc`` (or ``$CC``); without one the full library is kept and the build says so.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

# Items kept (names inside the package, without its "icudtNNl/" prefix). Everything else (break
# dictionaries, unit, currency, language and region names, transliteration, spell-out rules, the
# CJK converters and every other locale's bundles) is what no Qt Core call can reach.
KEEP = (
    # resource bundles' shared strings, the locale index and fallbacks
    "pool.res", "res_index.res", "root.res", "en.res", "en_*.res",
    "supplementalData.res", "likelySubtags.res", "keyTypeData.res", "icustd.res", "icuver.res",
    # time zones (QTimeZone: ids, aliases, Windows ids, names)
    "zoneinfo64.res", "metaZones.res", "timezoneTypes.res", "windowsZones.res",
    "zone/pool.res", "zone/res_index.res", "zone/root.res", "zone/en.res", "zone/en_*.res",
    # collation (QCollator): the root collation serves English
    "coll/ucadata.icu", "coll/res_index.res", "coll/root.res", "coll/en.res", "coll/en_*.res",
    # encodings (QStringDecoder): the alias table and every table of a single- or double-byte
    # encoding under 50 KB (Windows, ISO 8859, Mac, IBM/EBCDIC code pages); not the CJK giants
    "cnvalias.icu", "*.cnv<50000",
    # normalisation and properties data beyond what libicuuc carries (small)
    "*.nrm", "*.icu",
)  # fmt: skip


class IcuDataError(Exception):
    """The library is not an ICU data library this module understands."""


def _common_data(library: bytes) -> tuple[str, bytes]:
    """The name and bytes of the ``icudtNN_dat`` symbol of an ELF64 little-endian shared library."""
    if library[:6] != b"\x7fELF\x02\x01":
        raise IcuDataError("not a 64-bit little-endian ELF library")
    (shoff,) = struct.unpack_from("<Q", library, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", library, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", library, shoff + i * shentsize) for i in range(shnum)
    ]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link][4]
        for at in range(offset, offset + size, entsize):
            name_at, _info, _other, shndx, value, length = struct.unpack_from(
                "<IBBHQQ", library, at
            )
            end = library.index(b"\0", strtab + name_at)
            name = library[strtab + name_at : end].decode("ascii")
            if re.fullmatch(r"icudt\d+_dat", name):
                # the symbol's address -> its place in the file, through its section
                sec = sections[shndx]
                start = value - sec[3] + sec[4]
                return name, library[start : start + length]
    raise IcuDataError("no icudtNN_dat symbol")


def _items(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """A CmnD package's header and its (name, data) items, in order."""
    (header_size,) = struct.unpack_from("<H", package, 0)
    if package[2:4] != b"\xda\x27" or package[12:16] != b"CmnD":
        raise IcuDataError("not an ICU common data package")
    (count,) = struct.unpack_from("<I", package, header_size)
    toc = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    base = header_size
    ends = [data_at for _, data_at in toc[1:]] + [len(package) - base]
    items = []
    for (name_at, data_at), end in zip(toc, ends, strict=True):
        name = package[base + name_at : package.index(b"\0", base + name_at)].decode("ascii")
        items.append((name, package[base + data_at : base + end]))
    return package[:header_size], items


def _kept(name: str, size: int) -> bool:
    short = name.split("/", 1)[1]
    for pattern in KEEP:
        pattern, _, limit = pattern.partition("<")
        # a pattern without a folder ("*.cnv") matches top-level items only
        same_level = "/" in pattern or "/" not in short
        if same_level and fnmatch.fnmatchcase(short, pattern) and (not limit or size < int(limit)):
            return True
    return False


def _converter(item: str) -> bytes:
    """How a converter's name is written inside another converter's data."""
    return item.rsplit("/", 1)[1].removesuffix(".cnv").encode("ascii") + b"\0"


def reduced_package(package: bytes) -> bytes:
    """The package with only the kept items, laid out as ICU's own tools lay one out."""
    header, items = _items(package)
    kept = [(name, data) for name, data in items if _kept(name, len(data))]
    # A converter may only extend another one (its base table's name is in its data): without its
    # base it cannot open, so it goes too.
    while True:
        kept_names = {name for name, _ in kept}
        gone = [
            _converter(name)
            for name, _ in items
            if name.endswith(".cnv") and name not in kept_names
        ]
        orphans = {
            name for name, data in kept if name.endswith(".cnv") and any(g in data for g in gone)
        }
        if not orphans:
            break
        kept = [(name, data) for name, data in kept if name not in orphans]
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in kept)
    toc_size = 4 + 8 * len(kept)
    first = toc_size + len(names)
    first += -first % 16  # items are 16-byte aligned
    toc, body, at = [], b"", first
    name_at = toc_size
    for name, data in kept:
        toc.append(struct.pack("<II", name_at, at))
        name_at += len(name) + 1
        padded = data + b"\0" * (-len(data) % 16)
        body += padded
        at += len(padded)
    head = struct.pack("<I", len(kept)) + b"".join(toc) + names
    return header + head + b"\0" * (first - len(head)) + body


def item_names(package: bytes) -> list[str]:
    return [name for name, _ in _items(package)[1]]


def build_reduced_library(library: Path, folder: Path) -> Path | None:
    """Write a reduced copy of the ICU data ``library`` into ``folder``, under the same file name;
    ``None`` (and the full library stays) when there is no C compiler."""
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    symbol, package = _common_data(library.read_bytes())
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / f"{symbol}.dat"
    data.write_bytes(reduced_package(package))
    source = folder / f"{symbol}.c"
    source.write_text(
        "/* ICU common data, reduced for PCC Desk (scripts/reduced_icu.py) */\n"
        f'__asm__(".section .rodata\\n.globl {symbol}\\n.type {symbol}, @object\\n.balign 16\\n'
        f'{symbol}:\\n.incbin \\"{data.name}\\"\\n.size {symbol}, .-{symbol}\\n.previous\\n");\n'
    )
    out = folder / library.name
    subprocess.run(
        [
            compiler,
            "-shared",
            "-fPIC",
            "-nostdlib",
            f"-Wl,-soname,{library.name}",
            "-o",
            str(out),
            source.name,
        ],
        cwd=folder,
        check=True,
    )
    return out


def library_package(library: Path) -> bytes:
    """The common data package a built library carries (for tests)."""
    return _common_data(library.read_bytes())[1]
