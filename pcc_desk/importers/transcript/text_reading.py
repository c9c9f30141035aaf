"""A .txt/.md/.rst transcript read into paragraphs in two passes over its lines (a big file is read
a piece at a time and never held whole): margin line numbers, pages, "Q." / "A." evidence, broken words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from pcc_desk.importers.hyphens import Dehyphenator
from pcc_desk.importers.transcript.labels import (
    _QA,
    _InquiryStyle,
    _unwrap,
    is_standalone,
    match_label,
)
from pcc_desk.importers.transcript.model import _Para

_LINE_NUMBER = re.compile(r"^[ \t]*(\d{1,2})(?:[ \t]+|$)")


class _LineNumbers:
    """:func:`numbered_lines`, fed a line at a time."""

    def __init__(self) -> None:
        self.lines = self.numbered = self.steps = 0
        self._last: int | None = None

    def feed(self, line: str) -> None:
        if not line.strip() or line.strip() == "\f":
            return
        match = _LINE_NUMBER.match(line.lstrip("\f"))
        number = int(match.group(1)) if match else None
        last = self._last
        if (
            last is not None
            and number is not None
            and (number == last + 1 or (number == 1 and last >= 8))
        ):
            self.steps += 1
        self.lines += 1
        self.numbered += number is not None
        self._last = number

    @property
    def found(self) -> bool:
        if self.lines < 10:
            return False
        return self.numbered >= 0.8 * self.lines and self.steps >= 0.6 * self.lines


def numbered_lines(lines: Iterable[str]) -> bool:
    """Whether the lines carry a transcript's line numbers in the margin (1 to 25 on every page, as
    public inquiries and courts print them): most lines start with a number one more than the line
    before, or start again at 1."""
    counter = _LineNumbers()
    for line in lines:
        counter.feed(line)
    return counter.found


def drop_line_numbers(line: str) -> str:
    return _LINE_NUMBER.sub("", line, count=1)


def _without_line_number(line: str) -> str:
    """A text line without its margin line number (a page break before it kept)."""
    out = ("\f" if line.startswith("\f") else "") + drop_line_numbers(line.lstrip("\f"))
    return line if out == line else out


@dataclass
class _TextEvidence:
    """What the reading of a text decides over the whole document, gathered in a first pass."""

    paged: bool  # it holds form feeds: pages are numbered
    numbered: bool  # margin line numbers, dropped
    qa: bool  # "Q." / "A." evidence
    fixer: Dehyphenator  # how the document writes the words it breaks at line ends


def _text_evidence(lines: Callable[[], Iterable[str]]) -> _TextEvidence:
    """The first pass over a text's lines. Whether the margin numbers go is known only at the end, and
    the other decisions read the lines as they are once that is settled: both readings are gathered.
    What is kept is counts, not text. The document's words, which only a document with broken words
    needs (to decide them), are counted then, in one more pass (line numbers do not change them)."""
    numbers = _LineNumbers()
    qa, qa_unnumbered = _InquiryStyle(), _InquiryStyle()
    fixer, fixer_unnumbered = Dehyphenator(), Dehyphenator()
    paged = False
    for line in lines():
        paged = paged or "\f" in line
        numbers.feed(line)
        kind = qa.kind(line)
        qa.add(kind)
        fixer.feed(line, words=False)
        unnumbered = _without_line_number(line)
        qa_unnumbered.add(kind if unnumbered is line else qa.kind(unnumbered))
        fixer_unnumbered.feed(unnumbered, words=False)
    chosen = fixer_unnumbered if numbers.found else fixer
    words = Dehyphenator()
    if chosen.broken_words:
        for line in lines():
            words.count_words(line)
    style = qa_unnumbered if numbers.found else qa
    return _TextEvidence(paged, numbers.found, style.found, chosen.finish(words=words))


def _paragraphs_of_text(lines: Callable[[], Iterable[str]], markdown: bool) -> Iterator[_Para]:
    """Paragraphs of a text read in two passes over its lines (``lines()`` gives them, as often as
    asked; a big file is read a piece at a time and never held whole): the first gathers what is
    decided over the whole document (:func:`_text_evidence`), the second reads the paragraphs and
    joins their broken words again."""
    evidence = _text_evidence(lines)
    second: Iterable[str] = lines()
    if evidence.numbered:
        second = map(_without_line_number, second)
    fixer = evidence.fixer
    for para in _paragraphs_of_lines(second, markdown, paged=evidence.paged, qa=evidence.qa):
        yield replace(para, text=fixer.fix(para.text)) if fixer.breaks else para


def _text_paragraphs(text: str, markdown: bool) -> list[_Para]:
    return list(_paragraphs_of_text(lambda: iter(text.split("\n")), markdown))


def _paragraphs_of_lines(
    lines: Iterable[str], markdown: bool, *, paged: bool, qa: bool = False
) -> Iterator[_Para]:
    """Paragraphs of a text, read line by line; a form feed starts a new page, and pages are numbered
    when the text has any (``paged``). ``qa``: "Q." / "A." lines open turns."""
    seen_label = False  # before the first speaker turn every header line stands alone
    page_no = 1
    block: list[str] = []

    def flush() -> Iterator[_Para]:
        if block:
            yield _Para(" ".join(block), page_no if paged else None)
            block.clear()

    for raw_line in lines:
        for piece_no, raw in enumerate(raw_line.split("\f")):
            if piece_no:  # a form feed: the page ends here
                yield from flush()
                page_no += 1
            line = raw.strip()
            if markdown:
                line = re.sub(r"^#{1,6}\s+", "", line).replace("**", "").replace("__", "")
                line = re.sub(r"^[>*-]\s+", "", line) if line.startswith(">") else line
                line = _unwrap(line)
            elif line.startswith("**") and re.match(r"^\*\*[^*]{1,200}\*\*:", line):
                line = line.replace("**", "", 2)  # "**Lady Hallett**: …" pasted into a text file
            if not line:
                yield from flush()
                continue
            if match_label(line) or (qa and _QA.match(line)):
                seen_label = True
                yield from flush()
            elif not seen_label or is_standalone(line):
                yield from flush()
                block.append(line)
                yield from flush()
                continue
            block.append(line)
    yield from flush()


def dehyphenate(paras: list[_Para], document_text: str) -> list[_Para]:
    """Words broken at line ends ("large- scale") joined again, deciding by the whole document."""
    fixer = Dehyphenator(document_text)
    return [replace(p, text=fixer.fix(p.text)) for p in paras]
