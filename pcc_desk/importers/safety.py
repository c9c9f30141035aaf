"""Checks a file must pass before any parser sees it.

A .docx is a zip: before python-docx opens it we check that it really is one (an OLE compound file is a
password-protected or Word 97–2003 document), cap its size, and pre-scan the zip's directory (number of
entries, total uncompressed size, compression ratio, macros) so a zip bomb is refused in well under a
second without inflating anything. The messages are the one-liners a clerk sees, in the CLI and the UI.
"""

from __future__ import annotations

import contextlib
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.docx_reading import open_docx as read_package

if TYPE_CHECKING:
    from docx.document import Document

MAX_FILE_BYTES = 50 * 1024 * 1024  # a letter or transcript; anything larger is not one
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_DOCX_ENTRIES = 2_000
MAX_COMPRESSION_RATIO = 200  # for entries large enough to matter
MAX_TEXT_BYTES = 20 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
PDF_MAGIC = b"%PDF-"

LETTER_SUFFIXES = (".docx", ".md", ".txt", ".pdf")


@dataclass(frozen=True)
class CheckedFile:
    path: Path
    kind: str  # "docx" | "pdf" | "text"
    size: int


def _head(path: Path, n: int = 8) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(n)


def check_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> CheckedFile:
    """Refuse what cannot be a clerk's document; say what kind it is by its content, not its name."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise ImportRejected(f"{name}: file not found.")
    if path.is_dir():
        raise ImportRejected(f"{name}: is a folder, not a file.")
    try:
        size = path.stat().st_size
        head = _head(path)
    except OSError as exc:
        raise ImportRejected(f"{name}: cannot be read ({exc.strerror or exc}).") from None
    if size == 0:
        raise ImportRejected(f"{name}: the file is empty.")
    if size > max_bytes:
        raise ImportRejected(
            f"{name}: the file is too large ({size / 1_048_576:.0f} MB; the limit is {max_bytes / 1_048_576:.0f} MB)."
        )
    suffix = path.suffix.lower()
    if head.startswith(OLE_MAGIC):
        raise ImportRejected(
            f"{name}: this is a password-protected or Word 97–2003 document; open it in Word and save it as .docx (without a password)."
        )
    if head.startswith(ZIP_MAGIC):
        check_docx_zip(path)
        return CheckedFile(path, "docx", size)
    if head.startswith(PDF_MAGIC) or (suffix == ".pdf" and PDF_MAGIC in _head(path, 1024)):
        return CheckedFile(path, "pdf", size)
    if suffix == ".docx":
        raise ImportRejected(
            f"{name}: this is not a Word .docx file (it is damaged or of another kind)."
        )
    if suffix == ".pdf":
        raise ImportRejected(f"{name}: this is not a PDF file (it is damaged or of another kind).")
    if suffix in (".md", ".txt", ".text", ".markdown", ".rst", ".rest", ""):
        if size > MAX_TEXT_BYTES:
            raise ImportRejected(f"{name}: the text file is too large ({size / 1_048_576:.0f} MB).")
        return CheckedFile(path, "text", size)
    raise ImportRejected(
        f"{name}: PCC Desk reads .docx, .pdf, .md, .rst and .txt files, not {suffix} files."
    )


def check_docx_zip(path: Path) -> None:
    """Pre-scan a .docx's zip directory without inflating anything."""
    name = Path(path).name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        raise ImportRejected(
            f"{name}: this is not a Word .docx file (the file is damaged)."
        ) from None
    if len(infos) > MAX_DOCX_ENTRIES:
        raise ImportRejected(
            f"{name}: refused: the file holds {len(infos):,} parts, far more than any letter."
        )
    total = 0
    names = set()
    for info in infos:
        names.add(info.filename.lower())
        if info.flag_bits & 0x1:
            raise ImportRejected(
                f"{name}: the file is encrypted; save it in Word without a password and try again."
            )
        total += info.file_size
        if (
            info.file_size > 1_000_000
            and info.compress_size
            and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
        ):
            raise ImportRejected(
                f"{name}: refused: the file is built to expand to an enormous size (a 'zip bomb')."
            )
    if total > MAX_DOCX_UNCOMPRESSED:
        raise ImportRejected(
            f"{name}: refused: the file would expand to {total / 1_048_576:.0f} MB, far more than any letter."
        )
    if "[content_types].xml" not in names:
        raise ImportRejected(f"{name}: this zip file is not a Word .docx file.")
    if any(n.endswith("vbaproject.bin") for n in names):
        raise ImportRejected(
            f"{name}: the file contains macros; save it as a plain .docx (not .docm) and try again."
        )
    _check_inflated_sizes(path, infos)


INFLATE_CHUNK = 64 * 1024
INFLATE_OUT = 1024 * 1024


def _check_inflated_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Inflate every part as a stream (never more than ~1 MB at a time) and refuse a part that holds
    more than its header declares. The directory alone can lie: Python's zipfile inflates a part's
    whole compressed data in one go and only then cuts it to the declared size, so a few hundred KB
    declared as "2 KB" would make python-docx allocate hundreds of MB."""
    name = Path(path).name
    lying = f"{name}: refused: the file's parts hold more than they declare (a 'zip bomb', or a damaged file)."
    damaged = f"{name}: this is not a Word .docx file (the file is damaged)."
    try:
        with open(path, "rb") as handle:
            for info in infos:
                if info.file_size == 0 and info.compress_size == 0:
                    continue
                handle.seek(info.header_offset)
                local = handle.read(30)
                if len(local) < 30 or local[:4] != b"PK\x03\x04":
                    raise ImportRejected(damaged)
                skip = int.from_bytes(local[26:28], "little") + int.from_bytes(
                    local[28:30], "little"
                )
                handle.seek(info.header_offset + 30 + skip)
                if info.compress_type == zipfile.ZIP_STORED:
                    if info.compress_size != info.file_size:
                        raise ImportRejected(damaged)
                    continue
                if info.compress_type != zipfile.ZIP_DEFLATED:
                    raise ImportRejected(
                        f"{name}: this Word file uses a compression Word does not; save it again in Word."
                    )
                inflater = zlib.decompressobj(-15)
                left, produced = info.compress_size, 0
                while left > 0 and not inflater.eof:
                    data = handle.read(min(INFLATE_CHUNK, left))
                    if not data:
                        break
                    left -= len(data)
                    while data:
                        produced += len(inflater.decompress(data, INFLATE_OUT))
                        if produced > info.file_size:
                            raise ImportRejected(lying)
                        data = inflater.unconsumed_tail
    except (OSError, zlib.error):
        raise ImportRejected(damaged) from None


def _docx_read_errors() -> tuple[type[BaseException], ...]:
    """What python-docx and the libraries under it raise on a damaged or hostile file (found by
    ``tests/test_fuzz_importers.py``). ValueError covers UnicodeDecodeError; python-docx raises
    AttributeError on a part whose XML has the wrong root element (e.g. a relationships part that is
    not one), so it is here too — keep only python-docx's own reads inside the ``with`` block."""
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    return (
        zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, NotImplementedError,
        AttributeError, LxmlError, PythonDocxError, OpcError,
    )  # fmt: skip


@contextlib.contextmanager
def damaged_docx_is_rejected(name: str) -> Iterator[None]:
    """Around any reading of a .docx with python-docx: a damaged file becomes one ImportRejected line."""
    try:
        yield
    except ImportRejected:
        raise
    except _docx_read_errors():
        raise ImportRejected(
            f"{name}: this Word file is damaged and cannot be read; open it in Word and save it again."
        ) from None


def open_docx(path: Path) -> Document:
    """:func:`check_file`, then python-docx (ISO Strict files included, see
    :func:`pcc_desk.importers.docx_reading.open_docx`); every failure is an :class:`ImportRejected`."""
    path = Path(path)
    checked = check_file(path)
    if checked.kind != "docx":
        raise ImportRejected(f"{path.name}: this is not a Word .docx file.")

    with damaged_docx_is_rejected(path.name):
        return read_package(path)
