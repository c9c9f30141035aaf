"""Decoding text files of unknown encoding, the way a clerk's files come."""

from __future__ import annotations

import codecs

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
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise(data.decode(encoding))
            except UnicodeDecodeError:
                raise ImportRejected(
                    f"{name}: the text is damaged (invalid {encoding.upper()})."
                ) from None
    if b"\x00" in data[:4096]:
        raise ImportRejected(f"{name}: this is not a text file (it holds binary data).")
    try:
        return _normalise(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRejected(
            f"{name}: the text is not in a readable encoding (save it as UTF-8 and try again)."
        ) from None
    return _normalise(text)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
