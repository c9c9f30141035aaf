"""A letter's body once its head is known: paragraphs cut by a page break joined again, its asks
(bold spans) and suggested asks (sentences that read like asks but are not bold).
"""

from __future__ import annotations

import re

from pcc_desk.importers.letter_blocks import Block, Inline, clean, ends_sentence
from pcc_desk.letter_values import sentences

# --- joining paragraphs cut by a page break -------------------------------------------------------

_SENTENCE_STOP = re.compile(r"[.!?][”\"’')\]]*(?=\s|$)")


def _last_content(inlines: list[Inline]) -> Inline | None:
    for i in reversed(inlines):
        if i.note is None and i.text.strip():
            return i
    return None


def _first_content(inlines: list[Inline]) -> Inline | None:
    for i in inlines:
        if i.note is None and i.text.strip():
            return i
    return None


def _continues(prev: Block, nxt: Block) -> bool:
    """Is ``nxt`` the rest of ``prev``, cut by a page break (and perhaps a block of footnotes)?"""
    if prev.heading or nxt.heading or prev.place != nxt.place:
        return False
    before, after = prev.text.rstrip(), nxt.text.lstrip()
    if not before or not after or ends_sentence(before):
        return False
    if before.endswith(","):  # a letter's "Dear ...," or a list lead-in is not cut text
        return after[0].islower()
    if after[0].islower():
        return True
    return nxt.cut_before and len(before.split()) >= 25


def _extend_bold(inlines: list[Inline]) -> list[Inline]:
    """Bold the start of a continuation up to its first sentence end (the cut bold span's rest)."""
    out: list[Inline] = []
    done = False
    for piece in inlines:
        if done or piece.note is not None or piece.bold:
            if piece.bold and not done:
                done = True  # the source itself marks bold from here on
            out.append(piece)
            continue
        stop = _SENTENCE_STOP.search(piece.text)
        if stop is None:
            out.append(Inline(piece.text, True, piece.italic))
            continue
        out.append(Inline(piece.text[: stop.end()], True, piece.italic))
        if piece.text[stop.end() :]:
            out.append(Inline(piece.text[stop.end() :], False, piece.italic))
        done = True
    return out


def join_cut_paragraphs(blocks: list[Block]) -> list[Block]:
    joined: list[Block] = []
    for block in blocks:
        if joined and _continues(joined[-1], block):
            prev = joined[-1]
            tail = block.inlines
            last, first = _last_content(prev.inlines), _first_content(tail)
            if last is not None and last.bold and first is not None and not first.bold:
                tail = _extend_bold(tail)
            joined[-1] = Block(
                [*prev.inlines, Inline(" "), *tail],
                heading=False,
                cut_before=prev.cut_before,
                place=prev.place,
            )
        else:
            joined.append(block)
    return joined


# --- asks --------------------------------------------------------------------------------------------


def _transparent(piece: Inline) -> bool:
    """Pieces that do not end a bold span: references, spaces, a stray comma or quote between bolds."""
    if piece.note is not None:
        return True
    stripped = piece.text.strip()
    return not stripped or (len(stripped) <= 2 and not any(c.isalnum() for c in stripped))


def bold_spans(inlines: list[Inline]) -> list[str]:
    spans: list[str] = []
    current: list[str] = []
    pending: list[str] = []
    for piece in inlines:
        if piece.note is None and piece.bold and piece.text.strip():
            current.extend(pending)
            pending = []
            current.append(piece.text)
        elif current and _transparent(piece):
            if piece.note is None:
                pending.append(piece.text)
        else:
            if current:
                spans.append(clean("".join(current)))
            current, pending = [], []
    if current:
        spans.append(clean("".join(current)))
    return [s for s in spans if _is_ask(s)]


def _is_ask(span: str) -> bool:
    words = span.split()
    return len(words) >= 5 or (len(words) >= 2 and ends_sentence(span))


def plain_with_mask(inlines: list[Inline]) -> tuple[str, list[bool]]:
    text, mask = [], []
    for piece in inlines:
        if piece.note is not None:
            continue
        text.append(piece.text)
        mask.extend([piece.bold] * len(piece.text))
    return "".join(text), mask


_ASK_VERB = re.compile(
    r"\b(?:The Committee|the Committee|We|we|I)\s+(?:also\s+|therefore\s+|strongly\s+)?"
    r"(?:recommends?|urges?|asks?|requests?|calls? (?:on|for)|would (?:also |therefore )?(?:welcome|like to see|ask)"
    r"|expects?|(?:believes?|considers?|thinks?)\b.*\b(?:should|must|needs? to|would benefit))\b"
)


def suggestions_in(inlines: list[Inline]) -> list[str]:
    text, mask = plain_with_mask(inlines)
    found = []
    pos = 0
    for sentence in sentences(text):
        start = text.find(sentence, pos)
        if start < 0:
            continue
        pos = start + len(sentence)
        if any(mask[start:pos]):
            continue  # already (partly) a bold ask
        if _ASK_VERB.search(sentence):
            found.append(clean(sentence))
    return found
