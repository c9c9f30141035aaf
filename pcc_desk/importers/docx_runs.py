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


# tags compared for every element of every paragraph: made once
_P, _R, _T, _TAB, _HYPHEN, _SYM = w("p"), w("r"), w("t"), w("tab"), w("noBreakHyphen"), w("sym")
_BREAKS = (w("br"), w("cr"))
_NOTE, _ENDNOTE = w("footnoteReference"), w("endnoteReference")


def paragraph_runs(p: XmlElement) -> Iterator[XmlElement]:
    """Every ``w:r`` of the paragraph in order, wherever it is nested (hyperlink, ins, sdt, field…)."""
    stack = list(reversed(list(p)))
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_CONTAINERS or tag == _P:
            continue
        if tag == _R:
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
        if tag == _T:
            out.append(RunPiece(el.text or ""))
        elif tag == _TAB:
            out.append(RunPiece("\t"))
        elif tag in _BREAKS:
            out.append(RunPiece("\n"))
        elif tag == _HYPHEN:
            out.append(RunPiece("-"))
        elif tag == _SYM:
            char = el.get(w("char"), "")
            try:
                code = int(char, 16)
                out.append(RunPiece(chr(code - 0xF000 if code >= 0xF000 else code)))
            except ValueError:
                continue
        elif tag == _NOTE:
            out.append(RunPiece(note=_int(el.get(w("id")))))
        elif tag == _ENDNOTE:
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
