"""Lines of text from a PDF, with the font facts the importers need, and the page furniture removed.

Both the letter importer (bold asks, small-font footnotes at the page foot) and the transcript importer
(speaker turns, pages) read PDFs through :func:`read_pdf_lines`:

- characters are grouped into lines by their position; each line keeps its page, position, dominant
  font size and spans of equal bold/italic/size;
- footnote markers (digits set smaller than the line and raised) come back as Unicode superscript digits,
  the same way text exported from a PDF shows them;
- running headers and footers (the same text, digits aside, at the top or foot of most pages) and page
  numbers are dropped;
- a PDF that is encrypted, damaged, or has no text layer (a scan) is refused with a one-line reason.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcc_desk.errors import ImportRejected

if TYPE_CHECKING:
    from pdfplumber.page import Page
    from pdfplumber.pdf import PDF

MAX_PAGES = 2_000
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demibold", "extrabold", ",bd", "-bd")
_ITALIC_NAMES = ("italic", "oblique", ",it", "-it")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.IGNORECASE)
MARGIN_FRACTION = 0.09  # the top and foot bands where running headers and footers sit


@dataclass(frozen=True)
class PdfSpan:
    text: str
    bold: bool
    italic: bool
    size: float


@dataclass(frozen=True)
class PdfLine:
    page: int  # 1-based
    text: str
    spans: tuple[PdfSpan, ...]
    size: float  # the dominant font size of the line
    top: float  # distance from the top of the page, in points
    bottom: float
    x0: float
    page_height: float
    # (x0, x1) of each word of ``text`` (``text.split()``), for the layout analysis of letters
    words: tuple[tuple[float, float], ...] = ()

    @property
    def bold(self) -> bool:
        """True when every visible character of the line is bold."""
        visible = [s for s in self.spans if s.text.strip()]
        return bool(visible) and all(s.bold for s in visible)


def _is_bold(fontname: str) -> bool:
    name = (fontname or "").lower().split("+")[-1]
    return any(mark in name for mark in _BOLD_NAMES)


def _is_italic(fontname: str) -> bool:
    name = (fontname or "").lower().split("+")[-1]
    return any(mark in name for mark in _ITALIC_NAMES)


def _open(path: Path) -> PDF:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ImportRejected(f"{path.name}: PDF support is not installed ({exc.name}).") from None
    try:
        return pdfplumber.open(path)
    except PDFPasswordIncorrect:
        raise ImportRejected(
            f"{path.name}: the PDF is password-protected; save an unprotected copy and try again."
        ) from None
    except Exception as exc:
        cause = exc.args[0] if exc.args else exc
        described = f"{type(cause).__name__} {exc!r}".lower()
        if "password" in described or "encrypt" in described:
            raise ImportRejected(
                f"{path.name}: the PDF is password-protected; save an unprotected copy and try again."
            ) from None
        raise ImportRejected(f"{path.name}: the PDF is damaged and cannot be read.") from None


def _lines_of_page(page: Page, number: int) -> list[PdfLine]:
    chars = [c for c in page.chars if c.get("text") not in (None, "")]
    if not chars:
        return []
    height = float(page.height)
    chars.sort(key=lambda c: (round(float(c["bottom"]), 0), float(c["x0"])))
    # group by baseline: a raised footnote marker shares the line of the text it follows
    rows: list[list[dict[str, Any]]] = []
    for char in chars:
        bottom = float(char["bottom"])
        size = float(char.get("size") or 0)
        for row in reversed(rows[-3:]):
            ref = max(row, key=lambda c: float(c.get("size") or 0))
            ref_bottom, ref_size = float(ref["bottom"]), float(ref.get("size") or 0)
            tolerance = max(ref_size, size) * 0.45
            if abs(bottom - ref_bottom) <= tolerance:
                row.append(char)
                break
        else:
            rows.append([char])
    lines = []
    for row in rows:
        row.sort(key=lambda c: float(c["x0"]))
        sizes = Counter(round(float(c.get("size") or 0), 1) for c in row if c["text"].strip())
        if not sizes:
            continue
        dominant = sizes.most_common(1)[0][0]
        largest = max(sizes)
        spans: list[PdfSpan] = []
        text_parts: list[str] = []
        words: list[list[float]] = []  # [x0, x1] of each word, in order
        in_word = False
        previous = None
        for char in row:
            ch = char["text"]
            size = float(char.get("size") or 0)
            if previous is not None:
                gap = float(char["x0"]) - float(previous["x1"])
                if gap > max(size, 1) * 0.2 and not text_parts[-1].endswith(" ") and ch != " ":
                    _append(
                        spans,
                        " ",
                        bool(spans and spans[-1].bold),
                        bool(spans and spans[-1].italic),
                        size,
                    )
                    text_parts.append(" ")
                    in_word = False
            if ch.isspace():
                in_word = False
            elif in_word:
                words[-1][1] = max(words[-1][1], float(char["x1"]))
            else:
                words.append([float(char["x0"]), float(char["x1"])])
                in_word = True
            if ch.isdigit() and size < largest * 0.8 and len(sizes) > 1:
                ch = ch.translate(_SUPERSCRIPT)
            _append(
                spans,
                ch,
                _is_bold(char.get("fontname", "")),
                _is_italic(char.get("fontname", "")),
                size,
            )
            text_parts.append(ch)
            previous = char
        text = "".join(text_parts).strip()
        if not text:
            continue
        lines.append(
            PdfLine(
                page=number,
                text=" ".join(text.split()),
                spans=tuple(spans),
                size=float(dominant),
                top=min(float(c["top"]) for c in row),
                bottom=max(float(c["bottom"]) for c in row),
                x0=float(row[0]["x0"]),
                page_height=height,
                words=tuple((a, b) for a, b in words),
            )
        )
    lines.sort(key=lambda line: (line.top, line.x0))
    return lines


def _append(spans: list[PdfSpan], text: str, bold: bool, italic: bool, size: float) -> None:
    if (
        spans
        and spans[-1].bold == bold
        and spans[-1].italic == italic
        and abs(spans[-1].size - size) < 0.6
    ):
        last = spans[-1]
        spans[-1] = PdfSpan(last.text + text, bold, italic, last.size)
    elif text == " " and spans:
        last = spans[-1]
        spans[-1] = PdfSpan(last.text + text, last.bold, last.italic, last.size)
    else:
        spans.append(PdfSpan(text, bold, italic, size))


def _furniture_key(line: PdfLine) -> str:
    return re.sub(r"\d+", "#", line.text.lower()).strip()


def _in_margin(line: PdfLine) -> bool:
    band = line.page_height * MARGIN_FRACTION
    return line.top < band or line.bottom > line.page_height - band


def drop_page_furniture(lines: list[PdfLine], pages: int) -> list[PdfLine]:
    """Drop running headers/footers (repeated in the margins of most pages) and page numbers."""
    counts = Counter(_furniture_key(line) for line in lines if _in_margin(line))
    threshold = max(2, int(pages * 0.5 + 0.5))
    repeated = {key for key, n in counts.items() if n >= threshold} if pages >= 2 else set()
    kept = []
    for line in lines:
        if _in_margin(line) and (_PAGE_NUMBER.match(line.text) or _furniture_key(line) in repeated):
            continue
        kept.append(line)
    return kept


def read_pdf_lines(path: Path, *, keep_furniture: bool = False) -> list[PdfLine]:
    """Every line of text of the PDF in reading order (page, then top to bottom)."""
    path = Path(path)
    pdf = _open(path)
    try:
        try:
            pages = pdf.pages
        except Exception:
            raise ImportRejected(f"{path.name}: the PDF is damaged and cannot be read.") from None
        if len(pages) > MAX_PAGES:
            raise ImportRejected(
                f"{path.name}: the PDF has {len(pages):,} pages, far more than any letter or transcript."
            )
        lines: list[PdfLine] = []
        for number, page in enumerate(pages, start=1):
            try:
                lines.extend(_lines_of_page(page, number))
            except ImportRejected:
                raise
            except Exception:
                raise ImportRejected(
                    f"{path.name}: page {number} of the PDF is damaged and cannot be read."
                ) from None
            finally:
                page.close()
        page_count = len(pages)
    finally:
        pdf.close()
    if not any(line.text.strip() for line in lines):
        raise ImportRejected(
            f"{path.name}: the PDF has no text to read (it may be a scanned image); ask for the original document."
        )
    return lines if keep_furniture else drop_page_furniture(lines, page_count)
