"""A small PDF writer for tests: paragraphs laid out in lines chosen here (so a test decides where a
line ends, and with it which words are broken), in one of the PDF standard fonts, at any size and
line width, with a running header and page numbers. No LibreOffice needed; real PDFs all the same."""

from __future__ import annotations

from pathlib import Path

PAGE_W, PAGE_H = 595, 842
MARGIN = 72
TOP = 100  # the body starts below the band where running headers sit
FONTS = ("Helvetica", "Times-Roman", "Courier")


def wrap(text: str, width: int, soft: dict[str, int] | None = None) -> list[str]:
    """Lines of at most ``width`` characters. A compound that does not fit is broken after one of its
    own hyphens ("large-" / "scale"); a word in ``soft`` is broken where it says, with a hyphen added
    ("govern-" / "ment"), as a typesetter hyphenating the text would."""
    soft = soft or {}
    lines: list[str] = []
    line = ""
    words = text.split(" ")
    i = 0
    while i < len(words):
        word = words[i]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line, i = candidate, i + 1
            continue
        room = width - len(line) - (1 if line else 0)
        head = ""
        if "-" in word[:-1]:
            cuts = [n + 1 for n, ch in enumerate(word[:-1]) if ch == "-" and n + 1 <= room]
            if cuts and word[0].isalpha():
                head, rest = word[: cuts[-1]], word[cuts[-1] :]
        elif word.strip(".,?").lower() in soft:
            cut = soft[word.strip(".,?").lower()]
            if cut + 1 <= room:
                head, rest = word[:cut] + "-", word[cut:]
        if head:
            lines.append(f"{line} {head}" if line else head)
            line, words[i] = "", rest
            continue
        if not line:  # a word longer than the line: let it overflow
            line, i = word, i + 1
            continue
        lines.append(line)
        line = ""
    if line:
        lines.append(line)
    return lines


def _escape(text: str) -> bytes:
    data = text.encode("cp1252")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def write_pdf(
    path: Path,
    paragraphs: list[str],
    *,
    font: str = "Helvetica",
    size: float = 11,
    width: int = 80,
    soft: dict[str, int] | None = None,
    header: str = "",
    numbered: bool = False,
) -> list[str]:
    """Write the paragraphs as a PDF; returns every line as laid out (to see where words broke).
    ``numbered``: every line, the blank one between paragraphs too, starts with its number on the
    page (1, 2, 3…), as inquiry and court transcripts print them."""
    leading = size * 1.25
    pages: list[list[tuple[float, str]]] = [[]]
    laid: list[str] = []
    y = PAGE_H - TOP

    def place(line: str) -> None:
        nonlocal y
        if y < MARGIN + leading:
            pages.append([])
            y = PAGE_H - TOP
        if numbered:
            line = f"{len(pages[-1]) + 1} {line}".rstrip()
        pages[-1].append((y, line))
        y -= leading

    for paragraph in paragraphs:
        lines = wrap(paragraph, width, soft)
        laid.extend(lines)
        for line in lines:
            place(line)
        if numbered:
            place("")  # the blank line between paragraphs, numbered
        else:
            y -= leading  # a blank line between paragraphs
    objects: list[bytes] = []
    page_ids = []
    font_id = 3
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # the page tree, filled in below
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
        % font.encode()
    )
    for number, page in enumerate(pages, start=1):
        ops = [b"BT /F1 %.2f Tf" % size]
        placed = list(page)
        if header:
            placed.append((PAGE_H - 36, header))
        placed.append((30, str(number)))
        for y_pos, line in placed:
            ops.append(b"1 0 0 1 %d %.2f Tm (%s) Tj" % (MARGIN, y_pos, _escape(line)))
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (PAGE_W, PAGE_H, content_id, font_id)
        )
        page_ids.append(len(objects))
    kids = b" ".join(b"%d 0 R" % n for n in page_ids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    Path(path).write_bytes(bytes(out))
    return laid
