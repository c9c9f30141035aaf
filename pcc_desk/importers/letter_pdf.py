"""Letters as published PDFs: each page read as a typesetter laid it out.

:func:`pcc_desk.importers.pdf_reading.read_pdf_lines` gives the lines of every page with their fonts,
sizes and word positions (running headers, footers and page numbers already dropped). From them:

- **the footnote area** of a page is the block at its foot that starts with a note number (a
  superscript, or a plain number set smaller than the body) matching a reference cited above it in the
  text, or the next note's number; a note carried over from the previous page is the small print just
  above it; a footer printed under the notes of one page is not part of them;
- **the letter head** may be set in two columns (a table, or tab stops: recipient left, sender right,
  or the other way): its columns are read one after the other, not line across line;
- **paragraphs**: a line ends its paragraph when the next line's first word would have fitted after it
  (the line was broken by hand, not wrapped), when the gap to the next line is larger than the
  document's own line pitch, or when the size changes; a paragraph cut by a page break goes on when the
  page's last line is full (and :mod:`letter_structure` joins a sentence cut mid-way);
- **headings** are short paragraphs set larger than the body, or bold, that do not end a sentence and
  are followed by body text.

Every threshold is relative to the document's own measures (its body size, line pitch and text width).
Where the page cannot be read with confidence (references with no note, notes nothing cites, notes
whose numbers are not found, a page end that may or may not end a paragraph, a head line that could
belong to either column), a warning says so in the review instead of a guess. URLs of the footnotes come from the text, or from the PDF's
link annotations when it has them.

The measures and the footnote area are read in :mod:`letter_pdf_page`, the head's columns, the
paragraphs, headings and warnings in :mod:`letter_pdf_layout`; this module puts them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pcc_desk.importers.letter_pdf_layout import (
    _head_rows,
    _join_at_full_page_ends,
    _paragraphs,
    _warnings,
)
from pcc_desk.importers.letter_pdf_page import (
    COLUMN_GAP,
    HEADING_WORDS,
    PARAGRAPH_GAP,
    SIZE_STEP,
    SUPERSCRIPTS,
    WORD_SPACE,
    _body_size,
    _line_pitch,
    _link_uris,
    _notes,
    _rescue_note_lines,
    _split_pages,
    _text_edge,
)
from pcc_desk.importers.letter_structure import Block, RawNote
from pcc_desk.importers.pdf_reading import drop_page_furniture, read_pdf_lines

__all__ = [
    "COLUMN_GAP",
    "HEADING_WORDS",
    "PARAGRAPH_GAP",
    "SIZE_STEP",
    "SUPERSCRIPTS",
    "WORD_SPACE",
    "PdfLetter",
    "pdf_blocks",
    "read_pdf_letter",
]


@dataclass(frozen=True)
class PdfLetter:
    """What the layout analysis gives :func:`letter_structure.build_letter`, and what it is unsure of."""

    blocks: list[Block]
    notes: dict[int, RawNote]
    warnings: tuple[str, ...] = ()


# --- everything together --------------------------------------------------------------------------------


def read_pdf_letter(path: Path) -> PdfLetter:
    """The letter's paragraphs and footnotes, and what could not be read with confidence."""
    path = Path(path)
    every_line = read_pdf_lines(path, keep_furniture=True)
    lines = drop_page_furniture(every_line, max(line.page for line in every_line))
    body = _body_size(lines)
    text_lines, note_lines, record = _split_pages(lines, body)
    kept = {id(line) for line in lines}
    note_lines = _rescue_note_lines(
        note_lines, [line for line in every_line if id(line) not in kept]
    )
    notes = _notes(note_lines, _link_uris(path) if note_lines else {})
    if not text_lines:
        return PdfLetter([], notes, _warnings(record, notes, [], False))
    edge = _text_edge(text_lines, body)
    unsure_head: list[int] = []
    rows = _head_rows(text_lines, body, edge, unsure_head)
    blocks, block_rows, unspaced = _paragraphs(rows, body, _line_pitch(text_lines, body))
    blocks, joined = _join_at_full_page_ends(blocks, block_rows, body)
    warnings = _warnings(record, notes, joined, unspaced)
    if unsure_head:
        warnings += (
            "PDF: the letter head is set in two columns and a line wrapped under them could belong "
            "to either; check the sender's and the recipient's roles",
        )
    return PdfLetter(blocks, notes, warnings)


def pdf_blocks(path: Path) -> tuple[list[Block], dict[int, RawNote]]:
    """:func:`read_pdf_letter` without its warnings."""
    letter = read_pdf_letter(path)
    return letter.blocks, letter.notes
