"""From paragraphs with bold/italic runs and footnote references to a :class:`ParsedLetter`.

Every format reader (.md/.txt, .docx, .pdf) turns its file into the same simple shape: a list of
:class:`Block` (one per paragraph, each a list of :class:`Inline` pieces: text with bold/italic, or a
footnote reference) and a dict of footnote bodies. This module does the rest once for all formats:
letter head, section headings (themes), paragraphs cut by a page break joined again, asks (bold
spans), suggested asks (sentences that read like asks but are not bold) and footnotes.

The steps live in modules of their own: :mod:`letter_blocks` (the shape and text helpers),
:mod:`letter_cc` (head words and the "CC:" list), :mod:`letter_head` (the head) and
:mod:`letter_asks` (joined paragraphs, asks, suggested asks). Their names are importable from here too.
"""

from __future__ import annotations

import re

from pcc_desk.importers.letter_addressees import named_addressees
from pcc_desk.importers.letter_asks import (
    bold_spans,
    join_cut_paragraphs,
    plain_with_mask,
    suggestions_in,
)
from pcc_desk.importers.letter_blocks import (
    URL_RE,
    Block,
    Inline,
    RawNote,
    clean,
    ends_sentence,
    make_footnote,
    real_url,
)
from pcc_desk.importers.letter_cc import FULL_LINE, read_cc
from pcc_desk.importers.letter_head import read_head
from pcc_desk.letter_values import DOC_LETTER, ParsedAsk, ParsedLetter

__all__ = [
    "FULL_LINE",
    "URL_RE",
    "Block",
    "Inline",
    "RawNote",
    "bold_spans",
    "build_letter",
    "clean",
    "ends_sentence",
    "heading_text",
    "join_cut_paragraphs",
    "make_footnote",
    "plain_with_mask",
    "read_cc",
    "read_head",
    "real_url",
    "suggestions_in",
]

# --- section headings ------------------------------------------------------------------------------


def heading_text(block: Block) -> str | None:
    """The theme a block names, if it is a section heading (styled, or a short stand-alone line)."""
    text = clean(block.text)
    if not text or block.notes:
        return None
    text = re.sub(r"^(\d+(\.\d+)*\.?|[A-Z]\.|[IVX]+\.)\s+", "", text)
    if block.table_header or not any(c.isalpha() for c in text):
        return None  # a column's title, or a number alone in its cell
    if block.heading:
        return text or None
    if len(block.lines) != 1 or len(text) > 100 or len(text.split()) > 12:
        return None
    if ends_sentence(text) or text.endswith(",") or not (text[0].isupper() or text[0].isdigit()):
        return None
    return text


# --- everything together ---------------------------------------------------------------------------

LEAD_IN_PARAGRAPHS = 3  # how many paragraphs before an ask are kept as its lead-in


def build_letter(
    blocks: list[Block], notes: dict[int, RawNote], source_format: str
) -> ParsedLetter:
    head = read_head(blocks)
    body = join_cut_paragraphs(
        [
            b
            for n, b in enumerate(blocks[: head.body_end])
            if n >= head.body_start and n not in head.skip and (b.text.strip() or b.notes)
        ]
    )
    themes: list[str] = []
    asks: list[ParsedAsk] = []
    suggested: list[ParsedAsk] = []
    theme = ""
    since: list[str] = []  # the paragraphs since the last ask (a follow-up's recap)
    for n, block in enumerate(body):
        name = heading_text(block)
        if name is not None and (block.heading or n + 1 < len(body)):
            theme = name
            if theme not in themes:
                themes.append(theme)
            continue
        context = clean(plain_with_mask(block.inlines)[0])
        cited = tuple(block.notes)
        spans = bold_spans(block.inlines)
        lead_in = " ".join(since[-LEAD_IN_PARAGRAPHS:])
        for span in spans:
            asks.append(
                ParsedAsk(
                    theme=theme,
                    text=span,
                    context=context,
                    footnotes=cited,
                    lead_in=lead_in,
                    addressees=named_addressees(span, context),
                )
            )
        since = [] if spans else [*since, context]
        for sentence in suggestions_in(block.inlines):
            suggested.append(
                ParsedAsk(theme=theme, text=sentence, context=context, footnotes=cited)
            )
    footnotes = tuple(
        make_footnote(n.number, n.text, n.urls)
        for n in sorted(notes.values(), key=lambda x: x.number)
    )
    warnings = []
    known = {n.number for n in footnotes}
    cited_all = {c for b in blocks for c in b.notes}
    missing = sorted(cited_all - known)
    if missing:
        warnings.append(
            "footnote " + ", ".join(map(str, missing)) + " is cited but its text was not found"
        )
    if not asks:
        warnings.append("no asks (bold text) were found")
    if head.head.date is None:
        warnings.append("the letter's date was not found")
    return ParsedLetter(
        head=head.head,
        themes=tuple(themes),
        asks=tuple(asks),
        suggested=tuple(suggested),
        footnotes=footnotes,
        source_format=source_format,
        document_kind=DOC_LETTER,
        warnings=tuple(warnings),
    )
