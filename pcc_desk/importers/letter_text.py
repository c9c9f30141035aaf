"""Letters as .md or .txt: text exported from a PDF, or written in Markdown.

``**bold**`` marks asks; footnote markers are Unicode superscript digits (``¹²``) or pandoc's ``[^12]``;
footnote bodies (``¹ …`` or ``[^1]: …``) sit in blocks between paragraphs, where the page breaks were.
A paragraph cut by such a block is joined again (see :mod:`letter_structure`). Markdown links
``[text](url)`` become their text, the URL kept with the footnote.
"""

from __future__ import annotations

import re
from pathlib import Path

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.letter_structure import Block, Inline, RawNote, build_letter, real_url
from pcc_desk.importers.safety import check_file
from pcc_desk.importers.text import decode_text
from pcc_desk.letter_values import ParsedLetter

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
_NOTE_START = re.compile(
    rf"^\s*(?:(?P<sup>[{SUPERSCRIPTS}]+)|\[\^(?P<pandoc>\d+)\]:)\s*(?P<rest>.*)$"
)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_ESCAPABLE = set("\\`*_{}[]()#+-.!|~<>\"'")
# the characters parse_inline may read as more than themselves (the rest is copied a run at a time)
_SPECIAL = re.compile("[" + re.escape("\\*_[" + SUPERSCRIPTS) + "]")
_HEADING = re.compile(r"^#{1,6}\s+")
_BULLET = re.compile(r"^\s*(?:[-*+•]\s+)")


def read_text_letter(path: Path) -> ParsedLetter:
    """Parse a .md/.txt letter (after the safety checks)."""
    path = Path(path)
    checked = check_file(path)
    if checked.kind != "text":
        raise ImportRejected(f"{path.name}: this is not a text file (it is a {checked.kind} file).")
    blocks, notes = text_blocks(decode_text(path.read_bytes(), path.name))
    return build_letter(blocks, notes, "text")


def text_blocks(text: str) -> tuple[list[Block], dict[int, RawNote]]:
    """Split text into paragraphs (blank-line separated) and footnote bodies."""
    raw_blocks = _split_blocks(text)
    notes: dict[int, RawNote] = {}
    body: list[tuple[list[str], bool]] = []
    cut = False
    for lines in raw_blocks:
        if _NOTE_START.match(lines[0]):
            _read_notes(lines, notes)
            cut = True
            continue
        body.append((lines, cut))
        cut = False
    blocks = []
    for lines, cut_before in body:
        heading = bool(_HEADING.match(lines[0])) and len(lines) == 1
        if heading:
            lines = [_HEADING.sub("", lines[0])]
        blocks.append(
            Block(
                parse_inline("\n".join(_BULLET.sub("", ln) for ln in lines), notes),
                heading,
                cut_before,
            )
        )
    return blocks, notes


def _split_blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
        elif _NOTE_START.match(line) and current and not _NOTE_START.match(current[0]):
            blocks.append(current)  # a footnote line right under a paragraph line
            current = [line]
        else:
            current.append(line.rstrip())
    if current:
        blocks.append(current)
    return blocks


def _read_notes(lines: list[str], notes: dict[int, RawNote]) -> None:
    current: RawNote | None = None
    for line in lines:
        match = _NOTE_START.match(line)
        if match:
            number = int(
                (match.group("sup") or "").translate(_SUP_TO_DIGIT) or match.group("pandoc")
            )
            text, urls = _strip_markdown(match.group("rest"))
            current = RawNote(number, text, urls)
            notes[number] = current
        elif current is not None:
            text, urls = _strip_markdown(line)
            current.text = f"{current.text} {text}".strip()
            current.urls.extend(urls)


def _links(text: str) -> tuple[str, list[str]]:
    urls: list[str] = []

    def keep(match: re.Match[str]) -> str:
        if real_url(match.group(2)):
            urls.append(match.group(2))
        return match.group(1)

    return _LINK.sub(keep, _IMAGE.sub("", text)), urls


def _strip_markdown(text: str) -> tuple[str, list[str]]:
    """A footnote's text: links reduced to their text, emphasis marks and escapes removed."""
    text, urls = _links(text)
    pieces = parse_inline(text, {})
    return "".join(p.text for p in pieces).strip(), urls


def parse_inline(text: str, notes: dict[int, RawNote]) -> list[Inline]:
    """Markdown emphasis, escapes and footnote markers into pieces."""
    text, _urls = _links(text)
    out: list[Inline] = []
    buf: list[str] = []
    bold = italic = False

    def flush() -> None:
        if buf:
            out.append(Inline("".join(buf), bold, italic))
            buf.clear()

    i, n = 0, len(text)
    while i < n:
        special = _SPECIAL.search(text, i)
        if special is None:
            buf.append(text[i:])
            break
        if special.start() > i:
            buf.append(text[i : special.start()])
            i = special.start()
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE:
            buf.append(text[i + 1])
            i += 2
        elif text.startswith("**", i) or (text.startswith("__", i) and _at_boundary(text, i, 2)):
            flush()
            bold = not bold
            i += 2
        elif c == "*" or (c == "_" and _at_boundary(text, i, 1)):
            flush()
            italic = not italic
            i += 1
        elif c in SUPERSCRIPTS:
            j = i
            while j < n and text[j] in SUPERSCRIPTS:
                j += 1
            number = int(text[i:j].translate(_SUP_TO_DIGIT))
            if number in notes:
                flush()
                out.append(Inline(note=number))
            else:
                buf.append(text[i:j])
            i = j
        elif text.startswith("[^", i) and (m := re.match(r"\[\^(\d+)\]", text[i:])):
            flush()
            out.append(Inline(note=int(m.group(1))))
            i += m.end()
        else:
            buf.append(c)
            i += 1
    flush()
    return out


def _at_boundary(text: str, i: int, width: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    return not (before.isalnum() and after.isalnum())
