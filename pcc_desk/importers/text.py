"""Decoding text files of unknown encoding, the way a clerk's files come."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from pathlib import Path

from pcc_desk.errors import ImportRejected

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16/32 with BOM, else Windows-1252 when it decodes cleanly.

    Binary data (NUL bytes without a UTF-16/32 BOM) or text that is none of those is refused.
    """
    return _normalise(data.decode(text_encoding(lambda: iter((data,)), name)))


CHUNK = 1 << 20


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            yield block


def _decodes(chunks: Iterator[bytes], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for block in chunks:
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def text_encoding(chunks: Callable[[], Iterator[bytes]], name: str) -> str:
    """The encoding :func:`decode_text` reads the bytes in (``chunks()`` gives them, as often as
    needed, a piece at a time), or :class:`ImportRejected`."""
    head = b""
    for block in chunks():  # the first 4 KB, however the pieces come
        head += block
        if len(head) >= 4096:
            break
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            if not _decodes(chunks(), encoding):
                raise ImportRejected(f"{name}: the text is damaged (invalid {encoding.upper()}).")
            return encoding
    if b"\x00" in head[:4096]:
        raise ImportRejected(f"{name}: this is not a text file (it holds binary data).")
    for encoding in ("utf-8", "cp1252"):
        if _decodes(chunks(), encoding):
            return encoding
    raise ImportRejected(
        f"{name}: the text is not in a readable encoding (save it as UTF-8 and try again)."
    )


def text_reader(path: Path) -> Callable[[], Iterator[str]]:
    """The lines of a text file, as often as they are asked for (each call reads the file again, a
    piece at a time: never the whole text at once), newlines normalised as :func:`decode_text` does
    (without the ``\\n``). The encoding is checked once, here: refused as :func:`decode_text` refuses."""
    path = Path(path)
    encoding = text_encoding(lambda: _chunks(path), path.name)

    def lines() -> Iterator[str]:
        # split a piece at a time (not a line at a time: the file object's line iteration costs more
        # than the reading of the lines); a line cut by a piece's end is carried to the next
        with open(path, encoding=encoding, newline=None) as handle:
            carried: list[
                str
            ] = []  # a line begun in earlier pieces (kept as pieces: no re-copying)
            while block := handle.read(CHUNK):
                pieces = block.split("\n")
                if len(pieces) > 1:
                    pieces[0] = "".join((*carried, pieces[0]))
                    carried = []
                    yield from pieces[:-1]
                carried.append(pieces[-1])
            if last := "".join(carried):
                yield last

    return lines


def text_lines(path: Path) -> tuple[Iterator[str], bool]:
    """The lines of a text file read a piece at a time (see :func:`text_reader`), and whether it holds
    a form feed (a page break, as PDF-to-text tools write them)."""
    lines = text_reader(path)
    return lines(), any("\f" in line for line in lines())


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
