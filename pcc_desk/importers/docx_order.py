"""A Word body's paragraphs in reading order, each with :class:`Where` it sits: table cells row by row
and cell by cell (nested tables too), text boxes where they are anchored, content controls (see
:mod:`docx_reading`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pcc_desk.importers.docx_runs import _int, paragraph_text
from pcc_desk.importers.docx_xml import MC_NS, WP_NS, XmlElement, w

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
_TEXT_BOX = w("txbxContent")
_P, _TBL, _T = w("p"), w("tbl"), w("t")
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
        if tag == _P:
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
        if tag == _TBL:
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
        return sum(len((t.text or "").split()) for t in p.iter(_T))
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
    if next(p.iter(_TEXT_BOX), None) is None:  # most paragraphs: no box at all (lxml looks, in C)
        return before, inline, after
    stack = list(reversed(list(p)))
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or tag in _NOT_TEXT:
            continue
        if tag == _TEXT_BOX:
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
