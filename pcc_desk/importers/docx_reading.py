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
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from pcc_desk.errors import ImportRejected

if TYPE_CHECKING:
    from docx.document import Document
    from docx.opc.part import Part

# An lxml element (python-docx's oxml elements are lxml elements): lxml ships no type information
# (lxml-stubs is not installed), so its elements are Any to mypy under any name.
XmlElement: TypeAlias = Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# ISO/IEC 29500 Strict → Transitional namespaces (what python-docx understands)
_STRICT_TO_TRANSITIONAL = (
    (
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
        b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/math",
        b"http://schemas.openxmlformats.org/officeDocument/2006/math",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/sharedTypes",
        b"http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
        b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/main",
        b"http://schemas.openxmlformats.org/drawingml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/picture",
        b"http://schemas.openxmlformats.org/drawingml/2006/picture",
    ),
)
_STRICT_MARK = b"http://purl.oclc.org/ooxml/"

_registered = False


def register_note_parts() -> None:
    """Load footnotes/endnotes parts as XML (python-docx keeps unknown parts as opaque bytes)."""
    global _registered
    if _registered:
        return
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.part import PartFactory, XmlPart

    for content_type in (CT.WML_FOOTNOTES, CT.WML_ENDNOTES):
        PartFactory.part_type_for.setdefault(content_type, XmlPart)
    _registered = True


def _is_strict(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        try:
            return _STRICT_MARK in archive.read("_rels/.rels")
        except KeyError:
            return False


def _transitional_copy(path: Path) -> io.BytesIO:
    """The package with Strict namespaces rewritten, in memory (its size was checked beforehand)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for strict, transitional in _STRICT_TO_TRANSITIONAL:
                    data = data.replace(strict, transitional)
            target.writestr(info, data)
    out.seek(0)
    return out


def open_docx(path: Path) -> Document:
    """A python-docx Document, or a one-line ImportRejected."""
    path = Path(path)
    name = path.name
    register_note_parts()
    import docx

    try:
        source = _transitional_copy(path) if _is_strict(path) else str(path)
        return docx.Document(source)
    except ImportRejected:
        raise
    except ValueError as exc:
        message = str(exc)
        if "content type" in message:
            kind = message.rsplit("'", 2)[-2] if message.count("'") >= 2 else ""
            what = (
                "a spreadsheet"
                if "spreadsheet" in kind
                else "a presentation"
                if "presentation" in kind
                else "of another kind"
            )
            raise ImportRejected(f"{name}: this is not a Word document (it is {what}).") from None
        raise ImportRejected(f"{name}: the Word file is damaged and cannot be read.") from None
    except KeyError:
        raise ImportRejected(
            f"{name}: this zip file is not a Word document (it has no main document part)."
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ImportRejected(f"{name}: the Word file is damaged and cannot be read.") from None
    except Exception as exc:  # lxml XMLSyntaxError and whatever a damaged package raises
        raise ImportRejected(
            f"{name}: the Word file is damaged and cannot be read ({type(exc).__name__})."
        ) from None


# --- reading order -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A table cell: the table's number in reading order (nested tables count too), row and column."""

    table: int
    row: int
    column: int


@dataclass(frozen=True)
class Where:
    """Where a paragraph sits: ``path`` names every table cell and text box around it, outermost
    first (``()`` for the body itself), so two paragraphs with the same path share one container."""

    path: tuple[Cell | int, ...] = ()

    @property
    def cell(self) -> Cell | None:
        """The innermost table cell, when the paragraph is directly in one (not in a box inside it)."""
        last = self.path[-1] if self.path else None
        return last if isinstance(last, Cell) else None

    @property
    def in_box(self) -> bool:
        return any(isinstance(part, int) for part in self.path)


_MC_CHOICE, _MC_FALLBACK = f"{{{MC_NS}}}Choice", f"{{{MC_NS}}}Fallback"
_MC_ALTERNATE = f"{{{MC_NS}}}AlternateContent"
_NOT_TEXT = {w("del"), w("moveFrom"), w("rPr"), w("pPr"), w("tblPr"), w("tcPr"), w("trPr")}
_BLOCK_WRAPPERS = {w("sdt"), w("sdtContent"), w("customXml"), w("ins"), w("moveTo")}
_ROW_WRAPPERS = {w("sdt"), w("sdtContent"), w("customXml")}
MAX_DEPTH = 40  # tables in boxes in tables…: far deeper than any document a person wrote


class _Counter:
    def __init__(self) -> None:
        self.tables = 0
        self.boxes = 0


def body_paragraphs(container: XmlElement) -> Iterator[tuple[XmlElement, Where]]:
    """The ``w:p`` elements of a body (or a cell, a text box…) in reading order, with where each sits."""
    yield from _blocks(container, (), _Counter(), 0)


GROUP = 6  # a floating box moves at most this many paragraphs, to the edge of its group
LINE_WORDS = 12  # a paragraph of more words is prose, a group by itself


def _blocks(
    container: XmlElement, path: tuple[Cell | int, ...], counter: _Counter, depth: int
) -> Iterator[tuple[XmlElement, Where]]:
    """A container's paragraphs in reading order. A floating text box stands beside the lines it is
    anchored in: it is read before the group of short lines (up to an empty paragraph or one of
    prose) that holds its anchor when it is set on the page or above, after that group when set
    beside or below, so that its lines never cut a group of the page's own (a name from its role);
    an inline box is read where it is, after its paragraph."""
    if depth > MAX_DEPTH:
        return
    group: list[tuple[XmlElement, list[XmlElement], list[XmlElement], list[XmlElement]]] = []

    def flush() -> Iterator[tuple[XmlElement, Where]]:
        for _, before, _, _ in group:
            for box in before:
                yield from _box(box, path, counter, depth)
        for p, _, inline, _ in group:
            yield p, Where(path)
            for box in inline:
                yield from _box(box, path, counter, depth)
        for _, _, _, after in group:
            for box in after:
                yield from _box(box, path, counter, depth)
        group.clear()

    for child in container:
        tag = child.tag
        if tag == w("p"):
            boxes = _boxes_of(child)
            words = _word_count(child, bool(boxes[0] or boxes[1] or boxes[2]))
            if words == 0 or words > LINE_WORDS:
                yield from flush()  # an empty paragraph or one of prose ends a group of lines
                group.append((child, *boxes))
                yield from flush()
                continue
            group.append((child, *boxes))
            if len(group) >= GROUP:
                yield from flush()
            continue
        yield from flush()
        if tag == w("tbl"):
            counter.tables += 1
            table = counter.tables
            for row_number, row in enumerate(_rows(child)):
                for column, cell in enumerate(_cells(row)):
                    yield from _blocks(
                        cell, (*path, Cell(table, row_number, column)), counter, depth + 1
                    )
        elif tag in _BLOCK_WRAPPERS:
            yield from _blocks(child, path, counter, depth + 1)
    yield from flush()


def _word_count(p: XmlElement, has_boxes: bool) -> int:
    if not has_boxes:  # fast: the paragraph's own w:t elements
        return sum(len((t.text or "").split()) for t in p.iter(w("t")))
    return len(paragraph_text(p).split())


def _box(
    box: XmlElement, path: tuple[Cell | int, ...], counter: _Counter, depth: int
) -> Iterator[tuple[XmlElement, Where]]:
    counter.boxes += 1
    yield from _blocks(box, (*path, counter.boxes), counter, depth + 1)


def _rows(table: XmlElement) -> Iterator[XmlElement]:
    for child in table:
        if child.tag == w("tr"):
            yield child
        elif child.tag in _ROW_WRAPPERS:
            yield from _rows(child)


def _cells(row: XmlElement) -> Iterator[XmlElement]:
    for child in row:
        if child.tag == w("tc"):
            yield child
        elif child.tag in _ROW_WRAPPERS:
            yield from _cells(child)


def _boxes_of(p: XmlElement) -> tuple[list[XmlElement], list[XmlElement], list[XmlElement]]:
    """The text boxes anchored in paragraph ``p`` (not those inside another box), read once each:
    (floating above it or on the page, inline, floating beside or below it)."""
    before: list[XmlElement] = []
    inline: list[XmlElement] = []
    after: list[XmlElement] = []
    stack = list(reversed(list(p)))
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or tag in _NOT_TEXT:
            continue
        if tag == w("txbxContent"):
            {"before": before, "inline": inline, "after": after}[_placement(el)].append(el)
            continue
        if tag == _MC_ALTERNATE:
            stack.extend(reversed(_one_alternative(el)))
            continue
        stack.extend(reversed(list(el)))
    return before, inline, after


def _one_alternative(alternate: XmlElement) -> list[XmlElement]:
    """An ``mc:AlternateContent``'s children to read: its first Choice that holds text boxes (Word
    writes the same box as a DrawingML Choice and a VML Fallback), else its Fallback."""
    choices = [c for c in alternate if c.tag == _MC_CHOICE]
    for choice in choices:
        if next(choice.iter(w("txbxContent")), None) is not None:
            return list(choice)
    for fallback in alternate:
        if fallback.tag == _MC_FALLBACK:
            return list(fallback)
    return list(choices[0]) if choices else []


def _placement(txbx: XmlElement) -> str:
    """ "inline" for a box in the line of text; for a floating box "before" when it is set on the
    page (or margin) or above its anchor paragraph, else "after"."""
    anchor = next(
        (a for a in txbx.iterancestors() if a.tag in (f"{{{WP_NS}}}anchor", f"{{{WP_NS}}}inline")),
        None,
    )
    if anchor is not None:
        if anchor.tag == f"{{{WP_NS}}}inline":
            return "inline"
        position = anchor.find(f"{{{WP_NS}}}positionV")
        if position is None:
            return "after"
        if position.get("relativeFrom", "paragraph") not in ("paragraph", "line"):
            return "before"
        offset = position.find(f"{{{WP_NS}}}posOffset")
        return "before" if offset is not None and (_int(offset.text) or 0) < 0 else "after"
    shape = next((a for a in txbx.iterancestors() if a.get("style")), None)  # VML
    style = (shape.get("style") or "").replace(" ", "").lower() if shape is not None else ""
    if "position:absolute" not in style:
        return "inline"
    relative = re.search(r"mso-position-vertical-relative:([a-z-]+)", style)
    if relative and relative.group(1) not in ("paragraph", "line", "text"):
        return "before"
    return "before" if re.search(r"margin-top:-", style) else "after"


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


# --- formatting ------------------------------------------------------------------------------------

_FALSE = {"0", "false", "off", "none"}


def _on_off(el: XmlElement) -> bool | None:
    if el is None:
        return None
    val = el.get(w("val"))
    return val is None or val.lower() not in _FALSE


def _rpr_value(rpr: XmlElement, prop: str) -> bool | None:
    if rpr is None:
        return None
    return _on_off(rpr.find(w(prop)))


@dataclass
class _Style:
    style_id: str
    kind: str
    name: str
    based_on: str | None
    rpr: XmlElement
    outline: bool


class Formatting:
    """Bold and italic as Word resolves them, and which paragraphs are headings."""

    def __init__(self, document: Document) -> None:
        self.styles: dict[str, _Style] = {}
        self.defaults: XmlElement = None
        self.default_paragraph: str | None = None
        try:
            root = (
                document.part._styles_part.element
            )  # python-docx supplies default styles when none
        except Exception:
            root = None
        if root is None:
            return
        doc_defaults = root.find(w("docDefaults"))
        if doc_defaults is not None:
            self.defaults = doc_defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
        for el in root.findall(w("style")):
            style_id = el.get(w("styleId")) or ""
            name_el, based_el = el.find(w("name")), el.find(w("basedOn"))
            ppr = el.find(w("pPr"))
            outline = (
                ppr is not None
                and ppr.find(w("outlineLvl")) is not None
                and _int(ppr.find(w("outlineLvl")).get(w("val"))) in range(0, 9)
            )
            style = _Style(
                style_id=style_id,
                kind=el.get(w("type")) or "paragraph",
                name=(name_el.get(w("val")) if name_el is not None else style_id) or "",
                based_on=based_el.get(w("val")) if based_el is not None else None,
                rpr=el.find(w("rPr")),
                outline=outline,
            )
            self.styles[style_id] = style
            if style.kind == "paragraph" and _on_off_attr(el.get(w("default"))):
                self.default_paragraph = style_id

    def _chain(self, style_id: str | None) -> Iterator[_Style]:
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = style.based_on

    def _style_value(self, style_id: str | None, prop: str) -> bool | None:
        for style in self._chain(style_id):
            value = _rpr_value(style.rpr, prop)
            if value is not None:
                return value
        return None

    def paragraph_style(self, p: XmlElement) -> str | None:
        ppr = p.find(w("pPr"))
        pstyle = ppr.find(w("pStyle")) if ppr is not None else None
        return pstyle.get(w("val")) if pstyle is not None else self.default_paragraph

    def resolve(self, r: XmlElement, p: XmlElement, prop: str) -> bool:
        """``prop`` ("b" or "i") of run ``r`` in paragraph ``p``."""
        rpr = r.find(w("rPr"))
        direct = _rpr_value(rpr, prop)
        if direct is not None:
            return direct
        rstyle = rpr.find(w("rStyle")) if rpr is not None else None
        char_value = self._style_value(rstyle.get(w("val")) if rstyle is not None else None, prop)
        para_value = self._style_value(self.paragraph_style(p), prop)
        if char_value is None and para_value is None:
            return bool(_rpr_value(self.defaults, prop))
        return bool(char_value) ^ bool(para_value)  # toggle properties: each style level flips

    def is_heading(self, p: XmlElement) -> bool:
        ppr = p.find(w("pPr"))
        if (
            ppr is not None
            and ppr.find(w("outlineLvl")) is not None
            and _int(ppr.find(w("outlineLvl")).get(w("val"))) in range(0, 9)
        ):
            return True
        for style in self._chain(self.paragraph_style(p)):
            if re.match(r"(?i)^heading\s*\d$", style.name) or style.outline:
                return True
        return False


def _on_off_attr(value: str | None) -> bool:
    return value is not None and value.lower() not in _FALSE


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
