"""A .docx or .pdf transcript read into paragraphs: Word bodies with their text boxes and tables
(a speaker | words table gives one turn a row), PDF lines joined by their layout."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from pcc_desk.importers.docx_reading import (
    HEADER_PART,
    Cell,
    XmlElement,
    body_paragraphs,
    no_text,
    open_docx,
    paragraph_text,
)
from pcc_desk.importers.pdf_sandbox import read_pdf_lines  # bounded in memory, time and size
from pcc_desk.importers.transcript.labels import _QA, inquiry_style, is_standalone, match_label
from pcc_desk.importers.transcript.model import _Para
from pcc_desk.importers.transcript.text_reading import (
    dehyphenate,
    drop_line_numbers,
    numbered_lines,
)

# what a transcript reads of a Word file besides its body: the page headers (not the styles…)
_PARTS = frozenset({HEADER_PART})


def _docx_paragraphs(path: Path) -> tuple[list[_Para], list[str]]:
    # Strict Open XML read too; a one-line refusal otherwise
    document = open_docx(path, only=_PARTS)
    paras = _word_paragraphs(document.element.body)
    if not paras:
        raise no_text(path.name, document.element.body)
    running: list[str] = []  # the page header often names the committee and date
    for section in document.sections:
        try:
            for para in _word_paragraphs(section.header._element):
                if para.text not in running:
                    running.append(para.text)
        except Exception:  # a damaged header part: the body is what matters
            continue
    return paras, running


def _word_paragraphs(container: XmlElement) -> list[_Para]:
    """The paragraphs of a Word body in reading order: text boxes where they are anchored, tables row
    by row and cell by cell; a table of turns (speaker | words) gives one labelled paragraph a row."""
    paras: list[_Para] = []
    # the table being read: ((where, table, row), [(column, lines)])
    rows: list[tuple[tuple[tuple[Cell | int, ...], int, int], list[tuple[int, list[str]]]]] = []

    def flush_table() -> None:
        paras.extend(_table_paragraphs([cells for _, cells in rows]))
        rows.clear()

    for p, where in body_paragraphs(container):
        text = " ".join(paragraph_text(p).replace("\u00a0", " ").split())
        cell = where.cell
        if cell is None:
            if rows:
                flush_table()
            if text:
                paras.append(_Para(text, None))
            continue
        table_key = (where.path[:-1], cell.table)
        if rows and rows[-1][0][:2] != table_key:
            flush_table()
        if not rows or rows[-1][0] != (*table_key, cell.row):
            rows.append(((*table_key, cell.row), []))
        cells = rows[-1][1]
        if not cells or cells[-1][0] != cell.column:
            cells.append((cell.column, []))
        if text:
            cells[-1][1].append(text)
    if rows:
        flush_table()
    return paras


_TIME_OR_NUMBER = re.compile(r"^(?:\[?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\]?|\d{1,4}\.?)$")
_HEADER_WORDS = {
    "speaker",
    "speakers",
    "name",
    "who",
    "person",
    "member",
    "witness",
    "contributor",
    "participant",
    "time",
}


def _row_turn(cells: list[tuple[int, list[str]]]) -> tuple[str, list[str]] | None:
    """(label, words) of a table row laid out as speaker | words (a time or number column allowed
    before them), else None."""
    filled = [texts for _, texts in cells if texts]
    if len(filled) < 2:
        return None
    words = filled[-1]
    parts: list[str] = []
    for texts in filled[:-1]:
        for n, text in enumerate(texts):
            if _TIME_OR_NUMBER.match(text):
                continue
            if parts and n > 0 and not text.startswith("("):
                text = f"({text.strip('()')})"  # a role written under the name
            parts.append(text)
    label = " ".join(parts).strip().rstrip(":").strip()
    if not label:
        return None
    found = match_label(f"{label}: {words[0]}")
    if found is None or found[0] != label:
        return None
    return label, words


def _table_paragraphs(rows: list[list[tuple[int, list[str]]]]) -> list[_Para]:
    """A table's paragraphs: one turn a row when the table is laid out as speaker | words, else every
    cell's paragraphs in reading order."""
    turns = [_row_turn(cells) for cells in rows]
    first_label = next((texts[0] for _, texts in rows[0] if texts), "") if rows else ""
    header = first_label.lower().strip(" :.") in _HEADER_WORDS  # "Speaker | Words"
    # rows with two or more cells filled: most must be turns, with words in them (not figures)
    laid_out = [
        turn
        for n, (cells, turn) in enumerate(zip(rows, turns, strict=True))
        if not (header and n == 0) and sum(1 for _, texts in cells if texts) >= 2
    ]
    spoken = [t for t in laid_out if t is not None]
    words = sum(len(" ".join(t[1]).split()) for t in spoken)
    is_turns = bool(spoken) and 5 * len(spoken) >= 3 * len(laid_out) and words >= 3 * len(spoken)
    out: list[_Para] = []
    for n, (cells, turn) in enumerate(zip(rows, turns, strict=True)):
        if is_turns and turn is not None and not (header and n == 0):
            label, texts = turn
            out.append(_Para(f"{label}: {texts[0]}", None, label=True))
            out.extend(_Para(text, None) for text in texts[1:])
            continue
        out.extend(_Para(text, None) for _, texts in cells for text in texts)
    return out


def _pdf_paragraphs(path: Path) -> list[_Para]:
    lines = read_pdf_lines(path)
    if numbered_lines([line.text for line in lines]):
        lines = [replace(line, text=drop_line_numbers(line.text)) for line in lines]
        lines = [line for line in lines if line.text.strip()]
    qa = inquiry_style([line.text for line in lines])
    paras: list[_Para] = []
    current: list[str] = []
    page: int | None = None
    previous = None
    for line in lines:
        new_para = previous is None
        if previous is not None:
            starts_turn = match_label(line.text) or (qa and _QA.match(line.text.strip()))
            if starts_turn or is_standalone(line.text) or is_standalone(previous.text):
                new_para = True
            elif line.page == previous.page:
                gap = line.top - previous.bottom
                new_para = gap > max(line.size, previous.size) * 0.9
        if new_para and current:
            paras.append(_Para(" ".join(current), page))
            current = []
        if not current:
            page = line.page
        current.append(line.text)
        previous = line
    if current:
        paras.append(_Para(" ".join(current), page))
    return dehyphenate(paras, "\n".join(line.text for line in lines))
