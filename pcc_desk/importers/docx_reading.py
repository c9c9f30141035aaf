"""What python-docx does not do for reading Word files, done with its XML (lxml).

- :func:`open_docx`: open a file that passed :func:`pcc_desk.importers.safety.check_file`, including
  ISO Strict OOXML (its namespaces are mapped to the transitional ones in memory), a renamed main part
  and a package without a styles part; anything else is an :class:`ImportRejected` with one line.
- :func:`body_paragraphs`: every paragraph of the body in reading order: table cells row by row and
  cell by cell (nested tables too), text boxes where they are anchored (each box once: the
  ``mc:Choice`` of an ``mc:AlternateContent``, not its VML ``mc:Fallback`` copy as well), content
  controls; each with :class:`Where` it sits (which table cell or text box).
- :func:`paragraph_runs`: a paragraph's runs in order, INCLUDING those inside hyperlinks, insertions,
  smart tags, content controls and simple fields (``paragraph.runs`` skips them), without deleted text
  or the paragraphs of text boxes.
- :class:`Formatting`: bold/italic as Word shows them: direct formatting, else the character style and
  paragraph style (each through its ``basedOn`` chain), combined with OOXML toggle semantics, else the
  document defaults.
- :func:`read_notes`: the footnotes (or endnotes) part as ``{id: (text, urls)}``, separators left out.

Each job has its module (:mod:`docx_xml`: names and opening; :mod:`docx_order`: reading order;
:mod:`docx_runs`: runs and text; :mod:`docx_formatting`); the footnotes are read here, and every name
is importable from here as before.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pcc_desk.importers.docx_formatting import Formatting
from pcc_desk.importers.docx_order import GROUP, LINE_WORDS, MAX_DEPTH, Cell, Where, body_paragraphs
from pcc_desk.importers.docx_runs import (
    RunPiece,
    _int,
    no_text,
    paragraph_runs,
    paragraph_text,
    run_pieces,
)
from pcc_desk.importers.docx_xml import (
    HEADER_PART,
    MC_NS,
    R_NS,
    W_NS,
    WP_NS,
    XmlElement,
    open_docx,
    register_note_parts,
    w,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.opc.part import Part

__all__ = [
    "GROUP",
    "HEADER_PART",
    "LINE_WORDS",
    "MAX_DEPTH",
    "MC_NS",
    "R_NS",
    "WP_NS",
    "W_NS",
    "Cell",
    "Formatting",
    "RunPiece",
    "Where",
    "XmlElement",
    "body_paragraphs",
    "no_text",
    "open_docx",
    "paragraph_runs",
    "paragraph_text",
    "read_notes",
    "register_note_parts",
    "run_pieces",
    "w",
]

# --- footnotes -------------------------------------------------------------------------------------


def _note_part(document: Document, kind: str) -> Part | None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    reltype = RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES
    for rel in document.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            part: Part = rel.target_part
            return part
    return None


def read_notes(document: Document, kind: str = "footnotes") -> dict[int, tuple[str, list[str]]]:
    """``{id: (text, urls)}`` of the document's footnotes (or endnotes), separators left out."""
    part = _note_part(document, kind)
    if part is None:
        return {}
    element = getattr(part, "element", None)
    if element is None:
        from lxml import etree

        try:
            element = etree.fromstring(
                part.blob, etree.XMLParser(resolve_entities=False, no_network=True)
            )
        except Exception:
            return {}
    tag = w("footnote") if kind == "footnotes" else w("endnote")
    notes: dict[int, tuple[str, list[str]]] = {}
    for note in element.iter(tag):
        if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        number = _int(note.get(w("id")))
        if number is None:
            continue
        paragraphs: list[str] = []
        urls: list[str] = []
        for p in note.iter(w("p")):
            texts: list[str] = []
            for r in paragraph_runs(p):
                texts.extend(piece.text for piece in run_pieces(r))
            paragraphs.append("".join(texts))
            urls.extend(_hyperlinks(p, part))
        notes[number] = (" ".join(t.strip() for t in paragraphs if t.strip()), urls)
    return notes


def _hyperlinks(p: XmlElement, part: Part) -> list[str]:
    urls: list[str] = []
    for link in p.iter(w("hyperlink")):
        rid = link.get(f"{{{R_NS}}}id")
        if rid and rid in part.rels and part.rels[rid].is_external:
            urls.append(part.rels[rid].target_ref)
    for instr in p.iter(w("instrText")):
        match = re.search(r'HYPERLINK\s+"([^"]+)"', instr.text or "")
        if match:
            urls.append(match.group(1))
    return urls
