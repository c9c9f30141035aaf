"""A letter PDF's text laid out again: a head set in two columns read column by column, lines joined
into paragraphs and headings, and the warnings where the layout could not be read with confidence;
see :mod:`letter_pdf` for the rules.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import Counter

from pcc_desk.importers.letter_pdf_page import (
    _SALUTATION,
    _SUP_RUN,
    _SUP_TO_DIGIT,
    COLUMN_GAP,
    HEADING_WORDS,
    PARAGRAPH_GAP,
    SIZE_STEP,
    SUPERSCRIPTS,
    WORD_SPACE,
    _Notes,
    _Row,
    _same_size,
)
from pcc_desk.importers.letter_structure import Block, Inline, RawNote, ends_sentence
from pcc_desk.importers.pdf_reading import PdfLine, PdfSpan

# --- a letter head in two columns ---------------------------------------------------------------------


def _slice(line: PdfLine, first: int, end: int) -> PdfLine:
    """The part of a line made of its words ``first`` to ``end`` (exclusive), with their fonts."""
    spans: list[PdfSpan] = []
    word = -1
    in_word = False
    for span in line.spans:
        kept = []
        for ch in span.text:
            if ch.isspace():
                in_word = False
                if first <= word < end - 1:
                    kept.append(" ")
                continue
            if not in_word:
                word += 1
                in_word = True
            if first <= word < end:
                kept.append(ch)
        if kept:
            spans.append(PdfSpan("".join(kept), span.bold, span.italic, span.size))
    words = line.words[first:end]
    text = " ".join(line.text.split()[first:end])
    sizes: Counter[float] = Counter()
    for span in spans:
        sizes[round(span.size, 1)] += len(span.text.strip())
    return dataclasses.replace(
        line,
        text=text,
        spans=tuple(spans),
        size=sizes.most_common(1)[0][0] if sizes else line.size,
        x0=words[0][0],
        words=words,
    )


def _column_break(line: PdfLine, at: float, tolerance: float) -> int | None:
    """The index of the word starting at ``at`` (the right column) after a gap wider than the spaces
    before it (a word of a monospaced or justified line may start there too), if there is one."""
    for n in range(1, len(line.words)):
        x0 = line.words[n][0]
        if abs(x0 - at) > tolerance:
            continue
        spaces = sorted(b[0] - a[1] for a, b in itertools.pairwise(line.words[:n]))
        space = spaces[len(spaces) // 2] if spaces else 0.0
        if x0 - line.words[n - 1][1] > max(1.25 * space, WORD_SPACE * line.size):
            return n
    return None


def _head_rows(lines: list[PdfLine], body: float, edge: float, unsure: list[int]) -> list[_Row]:
    """Rows in reading order: a head set in two columns (above "Dear …", a table or tab stops) is
    read column by column, each column with its own right edge. ``unsure`` gets the page of a head
    line that could belong to either column."""
    rows = [_Row(line, edge) for line in lines]
    salutation = next((n for n, ln in enumerate(lines) if _SALUTATION.match(ln.text)), None)
    if salutation is None:
        return rows
    head = [ln for ln in lines[:salutation] if ln.page == lines[salutation].page and ln.words]
    # the right column starts where the wide gaps of the head lines end
    starts: Counter[float] = Counter()
    for line in head:
        for n in range(1, len(line.words)):
            if line.words[n][0] - line.words[n - 1][1] > COLUMN_GAP * line.size:
                starts[round(line.words[n][0])] += 1
    if not starts:
        return rows
    at = float(starts.most_common(1)[0][0])
    tolerance = SIZE_STEP * 4 * body
    split = [_column_break(ln, at, tolerance) for ln in head]
    shared = [n for n, b in enumerate(split) if b is not None]
    first, last = shared[0], shared[-1]
    steps = [head[n + 1].top - head[n].top for n in range(first, last)]
    widest = max(steps, default=1.6 * body)

    left: list[PdfLine] = []
    right: list[PdfLine] = []

    def place(n: int) -> bool:
        """Put head line ``n`` in its column; False when it is no longer part of the columns."""
        line, above = head[n], head[n - 1]
        cut = split[n]
        if cut is not None:
            left.append(_slice(line, 0, cut))
            right.append(_slice(line, cut, len(line.words)))
            return True
        step = line.top - above.top
        if line.x0 >= at - tolerance:
            right.append(line)
            return n <= last or step <= widest + 1
        # a line wrapped under a shared row goes on the right column's text (its paragraph ran past
        # the page's edge: tab stops) or the left one's (its next word did not fit before the right
        # column: a table); when both could be, it is put on the left and the review is told
        if split[n - 1] is not None and step < 1.6 * line.size and right:
            word = line.words[0][1] - line.words[0][0] + WORD_SPACE * line.size
            left_full = word + line.size > at - left[-1].words[-1][1]
            if edge - right[-1].words[-1][1] < word:
                if not left_full:
                    right.append(line)
                    return True
                unsure.append(line.page)
        if line.words[-1][1] < at - WORD_SPACE * body and (n <= last or step <= widest + 1):
            left.append(line)
            return True
        if n <= last:  # a line across the columns, between shared rows
            left.append(line)
            return True
        return False

    place(first)
    end = first + 1
    while end < len(head) and place(end):
        end += 1
    if not right:
        return rows
    region = {id(ln) for ln in head[first:end]}
    left_edge = max((ln.words[-1][1] for ln in left), default=at)
    right_edge = max(ln.words[-1][1] for ln in right)
    out: list[_Row] = []
    placed = False
    for row in rows:
        if id(row.line) not in region:
            out.append(row)
        elif not placed:
            out.extend(_Row(ln, left_edge, 1) for ln in left)
            out.extend(_Row(ln, right_edge, 2) for ln in right)
            placed = True
    return out


# --- paragraphs and headings --------------------------------------------------------------------------


def _broken_by_hand(prev: _Row, row: _Row) -> bool:
    """Was ``prev`` ended by hand (the paragraph ends), not wrapped: would ``row``'s first word have
    fitted after it?"""
    room = prev.edge - prev.x1
    return room > row.first_word + WORD_SPACE * prev.line.size


def _line_inlines(line: PdfLine) -> list[Inline]:
    """The line's text with bold/italic; its superscript numbers become footnote references."""
    out: list[Inline] = []
    for span in line.spans:
        pos = 0
        for match in _SUP_RUN.finditer(span.text):
            if match.start() > pos:
                out.append(Inline(span.text[pos : match.start()], span.bold, span.italic))
            out.append(Inline(note=int(match.group(0).translate(_SUP_TO_DIGIT))))
            pos = match.end()
        if pos < len(span.text):
            out.append(Inline(span.text[pos:], span.bold, span.italic))
    return out


def _last_bold(inlines: list[Inline]) -> bool:
    for piece in reversed(inlines):
        if piece.note is None and piece.text.strip():
            return piece.bold
    return False


def _append_line(block: Block, previous: PdfLine, inlines: list[Inline]) -> None:
    """A wrapped line goes on its paragraph after a space (none after a word broken at its hyphen)."""
    joiner = "" if re.search(r"[A-Za-z]-$", previous.text) else " "
    block.inlines.extend(
        [Inline(joiner, _last_bold(block.inlines)), *inlines] if joiner else inlines
    )


def _heading_like(block: Block, rows: list[_Row], body: float) -> bool:
    """Short, set larger than the body or bold, and not a sentence: what a heading looks like."""
    text = " ".join(block.text.split())
    if not text or block.notes or len(rows) > 2 or len(text.split()) > HEADING_WORDS:
        return False
    if (
        ends_sentence(text)
        or text.endswith((",", ";"))
        or not (text[0].isupper() or text[0].isdigit())
    ):
        return False
    larger = all(r.line.size >= body + SIZE_STEP * body for r in rows)
    bold = all(s.bold for r in rows for s in r.line.spans if s.text.strip())
    return larger or bold


def _paragraphs(
    rows: list[_Row], body: float, pitch: float
) -> tuple[list[Block], list[list[_Row]], bool]:
    """Blocks (paragraphs) and their rows; and whether the paragraphs are set with no space between
    them (then a paragraph whose last line is full cannot be told from the next)."""
    blocks: list[Block] = []
    block_rows: list[list[_Row]] = []
    previous: _Row | None = None
    spaced = by_hand = 0
    for row in rows:
        line = row.line
        inlines = _line_inlines(line)
        if previous is None:
            starts, cut = True, False
        else:
            prev = previous.line
            cut = line.page != prev.page
            gap = line.top - prev.top > pitch * prev.size / body + PARAGRAPH_GAP * prev.size
            hand = _broken_by_hand(previous, row)
            starts = (
                cut
                or row.column != previous.column
                or not _same_size(line.size, prev.size, body)
                or gap
                or line.top < prev.top
                or hand
            )
            if not cut and _same_size(line.size, body, body) and _same_size(prev.size, body, body):
                spaced += gap
                by_hand += hand and not gap
        if starts or previous is None:
            blocks.append(Block(inlines, cut_before=cut))
            block_rows.append([row])
        else:
            _append_line(blocks[-1], previous.line, inlines)
            block_rows[-1].append(row)
        previous = row
    like = [_heading_like(b, r, body) for b, r in zip(blocks, block_rows, strict=True)]
    for n, block in enumerate(blocks):
        # a heading is followed by body text
        block.heading = like[n] and n + 1 < len(blocks) and not like[n + 1]
    # set with space between paragraphs, most paragraphs start after a gap
    return blocks, block_rows, by_hand >= 3 and by_hand > spaced


def _join_at_full_page_ends(
    blocks: list[Block], block_rows: list[list[_Row]], body: float
) -> tuple[list[Block], list[int]]:
    """A paragraph whose page ends with a full line goes on at the top of the next page, even when the
    page breaks between two sentences (the text rules only catch a cut sentence). "Full" is measured:
    the first word of the next page would not have fitted on the line (so the line was wrapped).

    Also returns the pages whose last paragraph was joined although its full line ends a sentence
    (a paragraph may end there just as well) where the joined paragraph holds bold text: its asks'
    context and footnotes are worth a look."""
    out: list[Block] = []
    unsure: list[int] = []
    for n, block in enumerate(blocks):
        if n and block.cut_before and out and not block.heading and not blocks[n - 1].heading:
            last, first = block_rows[n - 1][-1], block_rows[n][0]
            if _same_size(last.line.size, first.line.size, body) and not _broken_by_hand(
                last, first
            ):
                if ends_sentence(last.line.text.rstrip(SUPERSCRIPTS)) and any(
                    piece.bold and piece.text.strip()
                    for piece in [*out[-1].inlines, *block.inlines]
                ):
                    unsure.append(last.line.page)
                _append_line(out[-1], last.line, block.inlines)
                continue
        out.append(block)
    return out, unsure


# --- warnings -------------------------------------------------------------------------------------------


def _numbers(numbers: list[int]) -> str:
    """1, 2, 3, 5 -> "1–3, 5"."""
    out: list[str] = []
    numbers = sorted(set(numbers))
    start = 0
    for n in range(1, len(numbers) + 1):
        if n == len(numbers) or numbers[n] != numbers[n - 1] + 1:
            a, b = numbers[start], numbers[n - 1]
            out.append(str(a) if a == b else f"{a}–{b}" if b > a + 1 else f"{a}, {b}")
            start = n
    return ", ".join(out)


def _warnings(
    record: _Notes, notes: dict[int, RawNote], joined: list[int], unspaced: bool
) -> tuple[str, ...]:
    warnings = []
    if unspaced:
        warnings.append(
            "PDF: the paragraphs are set with no space between them, so a paragraph whose last line "
            "is full is read as going on into the next one; check the context and footnotes of the asks"
        )
    if record.unread:
        warnings.append(
            f"PDF: the small print at the foot of page {_numbers(record.unread)} reads like footnotes, "
            "but its numbers match no reference in the text: it was kept as text; check the footnotes "
            "against the PDF"
        )
    if record.cited and not notes:
        warnings.append(
            "PDF: the text cites footnotes, but no footnote numbers were found at the foot of its "
            "pages: the footnotes are missing; check them against the PDF"
        )
    uncited = sorted(set(notes) - set(record.cited))
    if uncited:
        plural = len(uncited) > 1
        warnings.append(
            f"PDF: footnote{'s' if plural else ''} {_numbers(uncited)} at the foot of page "
            f"{_numbers([record.found.get(n, 0) for n in uncited if n in record.found])} "
            f"{'are' if plural else 'is'} not cited in the text (no superscript number matches); "
            "check that the notes and the asks' footnotes are right"
        )
    for page in joined:
        warnings.append(
            f"PDF: page {page} ends with a full line at the end of a sentence: its last paragraph was "
            f"read as going on at the top of page {page + 1}; check the context and footnotes of the "
            "asks there"
        )
    return tuple(warnings)
