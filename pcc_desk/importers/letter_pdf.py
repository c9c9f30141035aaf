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
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pcc_desk.importers.letter_structure import Block, Inline, RawNote, ends_sentence
from pcc_desk.importers.pdf_reading import (
    MARGIN_FRACTION,
    PdfLine,
    PdfSpan,
    drop_page_furniture,
    read_pdf_lines,
)

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
_NOTE_START = re.compile(
    rf"^\s*(?:(?P<sup>[{SUPERSCRIPTS}]+)|(?P<num>\d{{1,3}})[.)]?(?=\s))\s*(?P<rest>.*)$"
)
_SUP_RUN = re.compile(rf"[{SUPERSCRIPTS}]+")
_SALUTATION = re.compile(r"^Dear\s+\S", re.IGNORECASE)

# Every measure below is a fraction of a font size (the size of the text concerned, in points).
# Sizes closer than this (times the body size) are the same size:
SIZE_STEP = 0.03
# A line further below the previous one than the line pitch plus this starts a paragraph:
PARAGRAPH_GAP = 0.25
# Room for a space: a line with room for the next line's first word and a space was broken by hand:
WORD_SPACE = 0.35
# A gap this wide between two words of a head line separates two columns:
COLUMN_GAP = 2.5
HEADING_WORDS = 16


@dataclass(frozen=True)
class PdfLetter:
    """What the layout analysis gives :func:`letter_structure.build_letter`, and what it is unsure of."""

    blocks: list[Block]
    notes: dict[int, RawNote]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Row:
    """A line of text as set: a whole line, or one column's part of a two-column head line."""

    line: PdfLine
    edge: float  # the right edge of the text column the line is set in
    column: int = 0  # 0: the full width; 1, 2: the columns of a two-column head

    @property
    def x1(self) -> float:
        return self.line.words[-1][1] if self.line.words else self.line.x0

    @property
    def first_word(self) -> float:
        words = self.line.words
        return words[0][1] - words[0][0] if words else 0.0


# --- sizes and measures -----------------------------------------------------------------------------


def _body_size(lines: list[PdfLine]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size, 1)] += len(line.text)
    return weights.most_common(1)[0][0]


def _same_size(a: float, b: float, body: float) -> bool:
    return abs(a - b) < SIZE_STEP * body


def _line_pitch(lines: list[PdfLine], body: float) -> float:
    """The usual distance from one line's top to the next within a paragraph of body text."""
    pitches: Counter[float] = Counter()
    for prev, line in itertools.pairwise(lines):
        if line.page != prev.page or not (
            _same_size(line.size, body, body) and _same_size(prev.size, body, body)
        ):
            continue
        step = line.top - prev.top
        if 0 < step < 3 * body:
            pitches[round(step * 2) / 2] += 1
    return pitches.most_common(1)[0][0] if pitches else 1.2 * body


def _text_edge(lines: list[PdfLine], body: float) -> float:
    """The right edge of the text: where the document's full lines of body text end."""
    ends = sorted(
        line.words[-1][1] for line in lines if line.words and _same_size(line.size, body, body)
    )
    if not ends:
        return max((line.words[-1][1] for line in lines if line.words), default=0.0)
    return ends[min(len(ends) - 1, int(len(ends) * 0.95))]


# --- the footnote area ------------------------------------------------------------------------------


def _note_start(line: PdfLine) -> tuple[int, bool] | None:
    """(number, set as a superscript) when the line starts with a note number."""
    match = _NOTE_START.match(line.text)
    if match is None:
        return None
    raw = match.group("sup")
    return (int(raw.translate(_SUP_TO_DIGIT)), True) if raw else (int(match.group("num")), False)


def _refs(line: PdfLine) -> list[int]:
    """The note numbers a line of text cites (its superscript numbers)."""
    return [int(m.group(0).translate(_SUP_TO_DIGIT)) for m in _SUP_RUN.finditer(line.text)]


@dataclass
class _Notes:
    """What the footnote areas held, for the warnings."""

    cited: dict[int, int]  # number -> page where the text cites it (first)
    found: dict[int, int]  # number -> page of the note
    unread: list[int]  # pages whose foot has small print that reads like notes, kept as text


def _opens_foot(
    page_lines: list[PdfLine],
    i: int,
    start: tuple[int, bool],
    pending: set[int],
    expected: int,
    body: float,
) -> bool:
    """Does the footnote area of the page start at line ``i``, which starts with a note number? The
    number is one the text cites above it (or the next note's), a superscript or set smaller than the
    body, and nothing below the line is set larger than it (the body is above the area)."""
    number, superscript = start
    line = page_lines[i]
    if number not in pending and number != expected:
        return False
    if not superscript and not line.size < body - SIZE_STEP * body:
        return False  # a plain number in body-sized print starts a line of text, not a note
    return all(
        below.size < line.size + SIZE_STEP * body or _note_start(below) is not None
        for below in page_lines[i + 1 :]
    )


def _split_pages(lines: list[PdfLine], body: float) -> tuple[list[PdfLine], list[PdfLine], _Notes]:
    """(body lines, footnote lines, what was cited and found), page by page."""
    by_page: dict[int, list[PdfLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    text_lines: list[PdfLine] = []
    note_lines: list[PdfLine] = []
    record = _Notes({}, {}, [])
    note_size: float | None = None
    open_note = False
    for page in sorted(by_page):
        page_lines = sorted(by_page[page], key=lambda ln: (ln.top, ln.x0))
        pending = set(record.cited) - set(record.found)
        expected = max(record.found, default=0) + 1
        cut = len(page_lines)
        for i, line in enumerate(page_lines):
            start = _note_start(line)
            if start is not None and _opens_foot(page_lines, i, start, pending, expected, body):
                cut = i
                break
            pending.update(_refs(line))
        if open_note and note_size is not None and note_size < body - SIZE_STEP * body:
            # the rest of a note carried over from the previous page: its small print above the area
            while cut > 0 and _same_size(page_lines[cut - 1].size, note_size, body):
                cut -= 1
        text = _without_foot_furniture(page_lines[:cut], body)
        for line in text:
            for number in _refs(line):
                record.cited.setdefault(number, page)
        foot = _without_foot_furniture(page_lines[cut:], body, notes=True)
        for line in foot:
            start = _note_start(line)
            if start is not None and start[0] not in record.found:
                record.found[start[0]] = page
        if foot:
            sizes = Counter(round(line.size, 1) for line in foot)
            note_size = sizes.most_common(1)[0][0]
        open_note = bool(foot)
        if _looks_like_unread_notes(text, body):
            record.unread.append(page)
        text_lines.extend(text)
        note_lines.extend(foot)
    return text_lines, note_lines, record


def _without_foot_furniture(
    lines: list[PdfLine], body: float, *, notes: bool = False
) -> list[PdfLine]:
    """Without a footer printed on one page only (an address under the first page's footnotes): in
    the page's bottom margin, below the footnotes a line that starts no note and is set apart from
    the note above it; below the text, small print set apart that does not read like a note."""
    if not lines:
        return lines
    if notes:
        kept = [lines[0]]
        for line in lines[1:]:
            if (
                _note_start(line) is not None
                or line.top - kept[-1].bottom <= 0.6 * kept[-1].size
                or line.bottom <= line.page_height * (1 - MARGIN_FRACTION)
            ):
                kept.append(line)
        return kept
    end = len(lines)
    while (
        end > 1
        and lines[end - 1].size < body - SIZE_STEP * body
        and lines[end - 1].bottom > lines[end - 1].page_height * (1 - MARGIN_FRACTION)
        and lines[end - 1].top - lines[end - 2].bottom > 0.6 * lines[end - 2].size
        and not _NOTE_MARK.match(lines[end - 1].text)  # notes not found are kept (and reported)
        and not _SUP_RUN.match(lines[end - 1].text)
    ):
        end -= 1
    return lines[:end]


_NOTE_MARK = re.compile(r"^\s*(?:[ivxlc]{1,6}\.?|[*†‡§¶]+|\d{1,3}[.)]?|[a-z]\))\s")


def _looks_like_unread_notes(text_lines: list[PdfLine], body: float) -> bool:
    """Small print left at the foot of a page's text that starts as a note does ("i …", "* …")."""
    run = len(text_lines)
    while run > 0 and text_lines[run - 1].size < body - SIZE_STEP * body:
        run -= 1
    foot = text_lines[run:]
    return bool(foot) and any(_NOTE_MARK.match(line.text) for line in foot)


def _rescue_note_lines(note_lines: list[PdfLine], dropped: list[PdfLine]) -> list[PdfLine]:
    """A footnote's last line that looks like a page number ("2021") sits right under its note: keep it."""
    out = list(note_lines)
    for line in sorted(dropped, key=lambda ln: (ln.page, ln.top)):
        above = [n for n in out if n.page == line.page and n.bottom <= line.top + 1]
        if not above:
            continue
        last = max(above, key=lambda n: n.bottom)
        if (
            abs(line.size - last.size) < 0.6
            and line.top - last.bottom < 0.8 * line.size
            and line.x0 <= last.x0 + 20
        ):
            out.insert(out.index(last) + 1, line)
    return out


def _link_uris(path: Path) -> dict[int, list[tuple[float, float, str]]]:
    """External links by page: (top, bottom, uri)."""
    out: dict[int, list[tuple[float, float, str]]] = {}
    try:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                for link in page.hyperlinks:
                    uri = link.get("uri")
                    if uri:
                        out.setdefault(number, []).append(
                            (float(link["top"]), float(link["bottom"]), uri)
                        )
                page.close()
    except Exception:  # links are a nicety: the text was read already
        return {}
    return out


def _notes(
    note_lines: list[PdfLine], links: dict[int, list[tuple[float, float, str]]]
) -> dict[int, RawNote]:
    notes: dict[int, RawNote] = {}
    current: RawNote | None = None
    for line in note_lines:
        match = _NOTE_START.match(line.text)
        number = None
        if match:
            raw = match.group("sup") or ""
            number = int(raw.translate(_SUP_TO_DIGIT)) if raw else int(match.group("num"))
            if number in notes or (
                current is not None and number != current.number + 1 and not raw
            ):
                number = None  # a plain number inside a wrapped note, not a new note
        if match and number is not None:
            current = RawNote(number, match.group("rest").strip())
            notes[number] = current
        elif current is not None:
            current.text = _join_text(current.text, line.text.strip())
        else:
            continue
        for top, bottom, uri in links.get(line.page, ()):
            if top < line.bottom and bottom > line.top and uri not in current.urls:
                current.urls.append(uri)
    return notes


def _join_text(before: str, after: str) -> str:
    if re.search(r"[A-Za-z]-$", before):
        return before + after
    return f"{before} {after}".strip()


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
