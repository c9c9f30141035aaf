"""Letters as Word .docx files: asks are bold runs (however the bold is applied), section headings are
Heading-styled paragraphs or short stand-alone lines, footnotes are real Word footnotes.

Paragraphs are read in reading order, table cells (row by row, cell by cell) and text boxes included
(:func:`pcc_desk.importers.docx_reading.body_paragraphs`). Each cell and box is a group of its own: an
empty block is put where one starts or ends, as an empty paragraph would separate them on the page.

Footnotes are numbered as Word shows them: in the order they are first referenced in the text (their
XML ids need not be 1..n). A letter with endnotes instead of footnotes has them read the same way.
"""

from __future__ import annotations

from pathlib import Path

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.docx_reading import (
    Cell,
    Formatting,
    body_paragraphs,
    no_text,
    open_docx,
    paragraph_runs,
    read_notes,
    run_pieces,
)
from pcc_desk.importers.letter_structure import Block, Inline, RawNote, ends_sentence

MAX_PARAGRAPHS = 50_000


class _Numbering:
    """Footnote ids → the numbers Word shows (order of first reference)."""

    def __init__(
        self,
        footnotes: dict[int, tuple[str, list[str]]],
        endnotes: dict[int, tuple[str, list[str]]],
    ) -> None:
        self.footnotes, self.endnotes = footnotes, endnotes
        self.numbers: dict[tuple[str, int], int] = {}

    def number(self, kind: str, note_id: int) -> int | None:
        source = self.footnotes if kind == "footnotes" else self.endnotes
        if note_id not in source:
            return None
        key = (kind, note_id)
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]

    def notes(self) -> dict[int, RawNote]:
        # notes never referenced in the text still count (after the others)
        for kind, source in (("footnotes", self.footnotes), ("endnotes", self.endnotes)):
            for note_id in source:
                self.number(kind, note_id)
        out = {}
        for (kind, note_id), number in self.numbers.items():
            source = self.footnotes if kind == "footnotes" else self.endnotes
            text, urls = source[note_id]
            out[number] = RawNote(number, text, list(urls))
        return out


def _label(text: str) -> bool:
    """A column title: a few words, not a sentence ("No." and "Ref." are abbreviations)."""
    words = text.split()
    return len(words) <= 6 and (len(words) <= 2 or not ends_sentence(text))


def _mark_header_rows(blocks: list[Block]) -> None:
    """A table's first row is its header when it has rows below it and holds only short labels
    ("No. | Recommendation | Response due"): its cells are then not themes."""
    tables: dict[tuple[tuple[object, ...], int], dict[int, list[Block]]] = {}
    for block in blocks:
        cell = block.place[-1] if block.place else None
        if isinstance(cell, Cell):
            rows = tables.setdefault((block.place[:-1], cell.table), {})
            rows.setdefault(cell.row, []).append(block)
    for rows in tables.values():
        first = [b for b in rows.get(0, []) if b.text.strip()]
        if len(rows) < 2 or not first:
            continue
        if all(_label(b.text) for b in first):
            for block in first:
                block.table_header = True


def docx_blocks(path: Path) -> tuple[list[Block], dict[int, RawNote]]:
    path = Path(path)
    document = open_docx(path)
    try:
        fmt = Formatting(document)
        numbering = _Numbering(read_notes(document, "footnotes"), read_notes(document, "endnotes"))
        body = document.element.body
        blocks: list[Block] = []
        place: tuple[object, ...] = ()
        for count, (p, where) in enumerate(body_paragraphs(body)):
            if count > MAX_PARAGRAPHS:
                raise ImportRejected(
                    f"{path.name}: the document has more than {MAX_PARAGRAPHS:,} paragraphs, far more than any letter."
                )
            if where.path != place:
                blocks.append(Block([], place=place))  # a cell or a box ends: a group ends
                place = where.path
            inlines: list[Inline] = []
            for r in paragraph_runs(p):
                pieces = run_pieces(r)
                if not pieces:
                    continue
                bold, italic = fmt.resolve(r, p, "b"), fmt.resolve(r, p, "i")
                for piece in pieces:
                    note_id = piece.note if piece.note is not None else piece.endnote
                    if note_id is not None:
                        kind = "footnotes" if piece.note is not None else "endnotes"
                        number = numbering.number(kind, note_id)
                        if number is not None:
                            inlines.append(Inline(note=number))
                    elif piece.text:
                        inlines.append(Inline(piece.text.replace("\t", " "), bold, italic))
            blocks.append(Block(inlines, heading=fmt.is_heading(p), place=place))
        if not any(b.text.strip() or b.notes for b in blocks):
            raise no_text(path.name, body)
        _mark_header_rows(blocks)
    except ImportRejected:
        raise
    except Exception as exc:
        raise ImportRejected(
            f"{path.name}: the Word file is damaged and cannot be read ({type(exc).__name__})."
        ) from None
    return blocks, numbering.notes()
