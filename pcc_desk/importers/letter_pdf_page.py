"""A letter PDF's pages measured (body size, line pitch, text width) and their footnote areas read;
see :mod:`letter_pdf` for the rules. Every threshold is a fraction of the document's own measures.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pcc_desk.importers.letter_structure import RawNote
from pcc_desk.importers.pdf_reading import MARGIN_FRACTION, PdfLine

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
