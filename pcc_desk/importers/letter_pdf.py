"""Letters as published PDFs, read through :func:`pcc_desk.importers.pdf_reading.read_pdf_lines`.

Bold comes from the font names; running headers/footers and page numbers are already dropped. The
footnotes are the block of small-font lines at the foot of each page (``¹ text``, a note wrapping onto
more lines, or onto the next page's foot); the body is grouped into paragraphs by the vertical gaps
between lines, a larger font marks a heading, and a paragraph cut by a page break is joined again by
:mod:`letter_structure` as for the other formats. URLs of the footnotes come from the text, or from the
PDF's link annotations when it has them.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pcc_desk.importers.letter_structure import Block, Inline, RawNote
from pcc_desk.importers.pdf_reading import PdfLine, drop_page_furniture, read_pdf_lines

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
_NOTE_START = re.compile(
    rf"^\s*(?:(?P<sup>[{SUPERSCRIPTS}]+)|(?P<num>\d{{1,3}})(?=\s))\s*(?P<rest>.*)$"
)
_SUP_RUN = re.compile(rf"[{SUPERSCRIPTS}]+")
SMALL = 1.5  # points below the body size that make a line footnote-sized
PARAGRAPH_GAP = 0.5  # a gap above a line of more than this many times its size starts a paragraph


def _body_size(lines: list[PdfLine]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size, 1)] += len(line.text)
    return weights.most_common(1)[0][0]


def _split_pages(lines: list[PdfLine], body: float) -> tuple[list[PdfLine], list[PdfLine]]:
    """(body lines, footnote lines): the footnotes are the small lines at the foot of each page."""
    by_page: dict[int, list[PdfLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    text_lines, note_lines = [], []
    for page in sorted(by_page):
        page_lines = sorted(by_page[page], key=lambda ln: (ln.top, ln.x0))
        cut = len(page_lines)
        while cut > 0 and page_lines[cut - 1].size <= body - SMALL:
            cut -= 1
        foot = page_lines[cut:]
        # a foot block must start with a note number, else it is just small print
        if foot and not _NOTE_START.match(foot[0].text):
            while foot and not _NOTE_START.match(foot[0].text):
                cut += 1
                foot = foot[1:]
        text_lines.extend(page_lines[:cut])
        note_lines.extend(foot)
    return text_lines, note_lines


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


def _notes(note_lines: list[PdfLine], links: dict) -> dict[int, RawNote]:
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
        if number is not None:
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


def _line_inlines(line: PdfLine, notes: dict[int, RawNote]) -> list[Inline]:
    out: list[Inline] = []
    for span in line.spans:
        pos = 0
        for match in _SUP_RUN.finditer(span.text):
            number = int(match.group(0).translate(_SUP_TO_DIGIT))
            if number not in notes:
                continue
            if match.start() > pos:
                out.append(Inline(span.text[pos : match.start()], span.bold, span.italic))
            out.append(Inline(note=number))
            pos = match.end()
        if pos < len(span.text):
            out.append(Inline(span.text[pos:], span.bold, span.italic))
    return out


def pdf_blocks(path: Path) -> tuple[list[Block], dict[int, RawNote]]:
    path = Path(path)
    every_line = read_pdf_lines(path, keep_furniture=True)
    lines = drop_page_furniture(every_line, max(line.page for line in every_line))
    body = _body_size(lines)
    text_lines, note_lines = _split_pages(lines, body)
    kept = {id(line) for line in lines}
    note_lines = _rescue_note_lines(
        note_lines, [line for line in every_line if id(line) not in kept]
    )
    notes = _notes(note_lines, _link_uris(path) if note_lines else {})
    blocks: list[Block] = []
    block_lines: list[list[PdfLine]] = []
    previous: PdfLine | None = None
    for line in text_lines:
        new_page = previous is None or line.page != previous.page
        starts = (
            new_page
            or line.top - previous.bottom > PARAGRAPH_GAP * max(line.size, previous.size)
            or abs(line.size - previous.size) > 1.0
        )
        inlines = _line_inlines(line, notes)
        if starts:
            heading = line.size >= body + 1.0 and len(line.text.split()) <= 16
            blocks.append(
                Block(inlines, heading=heading, cut_before=new_page and previous is not None)
            )
            block_lines.append([line])
        else:
            _append_line(blocks[-1], previous, inlines)
            block_lines[-1].append(line)
        previous = line
    return _join_at_full_page_ends(path, blocks, block_lines), notes


def _append_line(block: Block, previous: PdfLine, inlines: list[Inline]) -> None:
    joiner = "" if re.search(r"[A-Za-z]-$", previous.text) else "\n"
    block.inlines.extend(
        [Inline(joiner, _last_bold(block.inlines)), *inlines] if joiner else inlines
    )


def _word_boxes(path: Path, pages: set[int]) -> dict[int, list[tuple[float, float, float, float]]]:
    """(top, bottom, x0, x1) of the words on the given pages."""
    out: dict[int, list[tuple[float, float, float, float]]] = {}
    try:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            for number in sorted(pages):
                page = pdf.pages[number - 1]
                out[number] = [
                    (float(w["top"]), float(w["bottom"]), float(w["x0"]), float(w["x1"]))
                    for w in page.extract_words()
                ]
                page.close()
    except Exception:
        return {}
    return out


def _words_of(line: PdfLine, boxes) -> list[tuple[float, float]]:
    return sorted(
        (x0, x1)
        for top, bottom, x0, x1 in boxes.get(line.page, ())
        if top < line.bottom and bottom > line.top
    )


def _join_at_full_page_ends(
    path: Path, blocks: list[Block], block_lines: list[list[PdfLine]]
) -> list[Block]:
    """A paragraph whose page ends with a full line goes on at the top of the next page, even when the
    page breaks between two sentences (the text rules only catch a cut sentence). "Full" is measured:
    the first word of the next page would not have fitted on the line (so the line was wrapped)."""
    candidates = [
        n
        for n in range(1, len(blocks))
        if blocks[n].cut_before
        and not blocks[n].heading
        and not blocks[n - 1].heading
        and len(block_lines[n - 1]) >= 2
    ]
    if not candidates:
        return blocks
    pages = {block_lines[n][0].page for n in candidates} | {
        block_lines[n - 1][-1].page for n in candidates
    }
    boxes = _word_boxes(path, pages)
    if not boxes:
        return blocks
    margin = max((x1 for page in boxes.values() for _t, _b, _x0, x1 in page), default=0.0)
    joins = set()
    for n in candidates:
        last, first = block_lines[n - 1][-1], block_lines[n][0]
        last_words, first_words = _words_of(last, boxes), _words_of(first, boxes)
        if not last_words or not first_words or first.size != last.size:
            continue
        room = margin - last_words[-1][1]
        first_word = first_words[0][1] - first_words[0][0]
        if room < first_word + 0.25 * last.size:
            joins.add(n)
    out: list[Block] = []
    for n, block in enumerate(blocks):
        if n in joins and out:
            _append_line(out[-1], block_lines[n - 1][-1], block.inlines)
            continue
        out.append(block)
    return out


def _last_bold(inlines: list[Inline]) -> bool:
    for piece in reversed(inlines):
        if piece.note is None and piece.text.strip():
            return piece.bold
    return False
