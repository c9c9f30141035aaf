"""Hostile .docx files: zip bombs are refused before anything is inflated, with bounded memory."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from pcc_desk.errors import ImportRejected
from pcc_desk.importers import safety

MB = 1024 * 1024
# A generous bound: the bombs below would inflate to hundreds of MB; refusing one must not need more
# than a few MB of Python memory.
MEMORY_BOUND = 20 * MB


def _small_docx() -> bytes:
    import docx

    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("An ordinary letter.")
    document.save(out)
    return out.getvalue()


def _deflate_zeros(size: int) -> tuple[bytes, int]:
    """Deflate ``size`` zero bytes without ever holding them: (raw deflate data, crc32)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(MB)
    parts, crc, left = [], 0, size
    while left:
        piece = chunk[: min(left, MB)]
        parts.append(comp.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    parts.append(comp.flush())
    return b"".join(parts), crc


def _add_raw_entry(base: bytes, name: str, data: bytes, crc: int, declared: int) -> bytes:
    """Append a deflated entry whose headers declare ``declared`` bytes uncompressed."""
    archive = zipfile.ZipFile(io.BytesIO(base))
    entries = [(i, archive.read(i.filename)) for i in archive.infolist()]
    out = io.BytesIO()
    central = []

    def write(filename: str, payload: bytes, crc32: int, size: int) -> None:
        offset = out.tell()
        encoded = filename.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                8,
                0,
                0,
                crc32,
                len(payload),
                size,
                len(encoded),
                0,
            )
        )
        out.write(encoded + payload)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc32,
                len(payload),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )

    for info, content in entries:
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        write(
            info.filename, comp.compress(content) + comp.flush(), zlib.crc32(content), len(content)
        )
    write(name, data, crc, declared)
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0
        )
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    base = _small_docx()
    made = {}

    zeros, crc = _deflate_zeros(400 * MB)
    made["one-huge-part"] = _add_raw_entry(base, "word/media/image1.png", zeros, crc, 400 * MB)

    out = io.BytesIO(base)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        piece = bytes(900_000)  # each part under the per-part ratio check's size
        for i in range(400):
            archive.writestr(f"word/media/part{i}.bin", piece)
    made["many-parts"] = out.getvalue()

    # headers that lie: they declare a small part, the data inflates to 400 MB
    made["lying-headers"] = _add_raw_entry(base, "word/media/image2.png", zeros, crc, 2_000)

    paths = {}
    for name, data in made.items():
        paths[name] = folder / f"{name}.docx"
        paths[name].write_bytes(data)
        assert len(data) < 3 * MB, "a small file"
    return paths


def _peak_memory(fn) -> tuple[BaseException | None, int]:
    tracemalloc.start()
    try:
        fn()
        error = None
    except Exception as exc:
        error = exc
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return error, peak


@pytest.mark.parametrize("bomb", ["one-huge-part", "many-parts", "lying-headers"])
def test_zip_bomb_is_refused_by_the_pre_scan_with_bounded_memory(bombs, bomb):
    """Declared sizes are checked from the directory; a part that inflates past what it declares is
    caught by streaming it in small pieces (Python's zipfile would inflate it whole: ~800 MB here)."""
    error, peak = _peak_memory(lambda: safety.check_file(bombs[bomb]))
    assert isinstance(error, ImportRejected), error
    message = str(error)
    assert message.startswith(f"{bomb}.docx: refused") and "\n" not in message
    assert peak < MEMORY_BOUND, f"{peak / MB:.0f} MB"


def test_the_declared_sizes_really_are_hundreds_of_mb(bombs):
    with zipfile.ZipFile(bombs["many-parts"]) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 300 * MB
    with zipfile.ZipFile(bombs["one-huge-part"]) as archive:
        assert max(i.file_size for i in archive.infolist()) == 400 * MB


def test_open_docx_reads_an_ordinary_letter(tmp_path):
    path = tmp_path / "letter.docx"
    path.write_bytes(_small_docx())
    document = safety.open_docx(path)
    assert [p.text for p in document.paragraphs] == ["An ordinary letter."]


def test_open_docx_refuses_a_file_that_is_not_a_docx(tmp_path):
    path = tmp_path / "letter.docx"
    path.write_bytes(b"%PDF-1.4 not a word file")
    with pytest.raises(ImportRejected, match=r"not a Word \.docx"):
        safety.open_docx(path)
