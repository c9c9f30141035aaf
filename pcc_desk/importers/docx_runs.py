"""A Word paragraph's runs in order, hyperlinks, insertions, fields and content controls included,
deleted text and text boxes left out; their text (see :mod:`docx_reading`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.docx_xml import MC_NS, XmlElement, w

# --- runs ------------------------------------------------------------------------------------------

_SKIP_CONTAINERS = {
    w("del"),
    w("moveFrom"),
    w("txbxContent"),
    f"{{{MC_NS}}}Fallback",
    w("rPr"),
    w("pPr"),
}


def paragraph_runs(p: XmlElement) -> Iterator[XmlElement]:
    """Every ``w:r`` of the paragraph in order, wherever it is nested (hyperlink, ins, sdt, field…)."""
    stack = list(reversed(list(p)))
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_CONTAINERS or tag == w("p"):
            continue
        if tag == w("r"):
            yield el
            continue
        stack.extend(reversed(list(el)))


@dataclass
class RunPiece:
    text: str = ""
    note: int | None = None  # w:id of a footnote reference
    endnote: int | None = None


def run_pieces(r: XmlElement) -> list[RunPiece]:
    """A run's text, breaks and tabs, and its footnote/endnote references, in order."""
    out: list[RunPiece] = []
    for el in r:
        tag = el.tag
        if tag == w("t"):
            out.append(RunPiece(el.text or ""))
        elif tag == w("tab"):
            out.append(RunPiece("\t"))
        elif tag in (w("br"), w("cr")):
            out.append(RunPiece("\n"))
        elif tag == w("noBreakHyphen"):
            out.append(RunPiece("-"))
        elif tag == w("sym"):
            char = el.get(w("char"), "")
            try:
                code = int(char, 16)
                out.append(RunPiece(chr(code - 0xF000 if code >= 0xF000 else code)))
            except ValueError:
                continue
        elif tag == w("footnoteReference"):
            out.append(RunPiece(note=_int(el.get(w("id")))))
        elif tag == w("endnoteReference"):
            out.append(RunPiece(endnote=_int(el.get(w("id")))))
    return out


def no_text(name: str, body: XmlElement) -> ImportRejected:
    """The refusal of a Word file with no text, saying that its tables and text boxes were read too."""
    tables = sum(1 for _ in body.iter(w("tbl")))
    boxes = sum(1 for _ in body.iter(w("txbxContent")))
    what = [
        f"{count} {noun}s" if count > 1 else noun
        for count, noun in ((tables, "table"), (boxes, "text box"))
        if count
    ]
    if not what:
        return ImportRejected(f"{name}: the file has no text to import.")
    verb = "are" if tables + boxes > 1 else "is"
    return ImportRejected(
        f"{name}: the file has no text to import (its {' and '.join(what)} {verb} empty)."
    )


def paragraph_text(p: XmlElement) -> str:
    """The paragraph's text as Word shows it (tabs and line breaks as ``\t`` and ``\n``), without the
    text of boxes anchored in it or deleted text."""
    return "".join(piece.text for r in paragraph_runs(p) for piece in run_pieces(r))


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
