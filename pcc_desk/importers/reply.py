"""A reply to a Committee letter (the Met's, MOPAC's, anyone's), read into its head and its passages.
Parse only, no database.

The file goes through the letter readers (:func:`pcc_desk.importers.letters.read_blocks`: the same
safety checks and one-line refusals, .docx, .pdf in its bounded process, .md/.txt), the head is read
as a letter's head (date, sender, recipient, subject), and the body between "Dear …" and "Yours …"
becomes passages:

- a paragraph is a passage; one cut by a page break is joined again (as a letter's are);
- a block that opens with a numbered label ("Recommendation 3", "Response to recommendation 3") or
  that repeats an ask in bold opens a passage that runs on until the next such block, so a numbered
  answer of several paragraphs is one passage;
- a section heading is not a passage: the passages under it carry it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.letter_structure import (
    Block,
    clean,
    heading_text,
    join_cut_paragraphs,
    read_head,
)
from pcc_desk.importers.letters import read_blocks
from pcc_desk.letter_values import LetterHead

_LABEL = re.compile(
    r"^(?:response\s+to\s+)?(?:recommendation|ask|request|question|point)s?\s+\d+(?:\.\d+)?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReplyPassage:
    text: str
    heading: str = ""  # the section heading it sits under, if any
    bold: str = ""  # its bold words (a reply may repeat the ask in bold)


@dataclass(frozen=True)
class ParsedReply:
    head: LetterHead
    passages: tuple[ReplyPassage, ...]
    source_format: str
    warnings: tuple[str, ...] = ()


def _bold(block: Block) -> str:
    return clean(" ".join(i.text for i in block.inlines if i.bold and i.text.strip()))


def _opens_answer(block: Block) -> bool:
    text = clean(block.text)
    if _LABEL.match(text):
        return True
    bold = _bold(block)
    return len(bold.split()) >= 5 and len(bold) >= 0.8 * len(text)


def passages_of(body: list[Block]) -> list[ReplyPassage]:
    passages: list[ReplyPassage] = []
    heading = ""
    group: list[Block] | None = None

    def close() -> None:
        nonlocal group
        if group:
            text = "\n\n".join(clean(b.text) for b in group if clean(b.text))
            bold = " ".join(_bold(b) for b in group if _bold(b))
            passages.append(ReplyPassage(text, heading, bold))
        group = None

    for n, block in enumerate(body):
        text = clean(block.text)
        if not text:
            continue
        if _opens_answer(block):
            close()
            group = [block]
            continue
        name = heading_text(block)
        if name is not None and n + 1 < len(body) and not _LABEL.match(text):
            close()
            heading = name
            continue
        if group is not None:
            group.append(block)
            continue
        passages.append(ReplyPassage(text, heading, _bold(block)))
    close()
    return passages


def read_reply(path) -> ParsedReply:
    """The reply's head and passages; ImportRejected (one line) when it has none."""
    blocks, _notes, kind, unsure = read_blocks(path)
    head = read_head(blocks)
    body = join_cut_paragraphs(
        [
            b
            for n, b in enumerate(blocks[: head.body_end])
            if n >= head.body_start and n not in head.skip and b.text.strip()
        ]
    )
    passages = passages_of(body)
    if not passages:
        raise ImportRejected(f"{path.name}: no passages of text were found in the reply.")
    return ParsedReply(head.head, tuple(passages), kind, tuple(unsure))
