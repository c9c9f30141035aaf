"""A reply to a Committee letter (the Met's, MOPAC's, anyone's), read into its head and its passages.
Parse only, no database.

The file goes through the letter readers (:func:`pcc_desk.importers.letters.read_blocks`: the same
safety checks and one-line refusals, .docx, .pdf in its bounded process, .md/.txt), the head is read
as a letter's head (date, sender, recipient, subject), and the body between "Dear …" and "Yours …"
becomes passages:

- a paragraph is a passage; one cut by a page break is joined again (as a letter's are);
- a numbered label on its own line ("Recommendation 3", "Response to recommendation 3: Vetting") or
  an ask repeated in bold opens a passage that runs on until the next such block, so a numbered
  answer of several paragraphs is one passage;
- a section heading is not a passage: the passages under it carry it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.letter_structure import (
    Block,
    Inline,
    clean,
    ends_sentence,
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
    """A label on its own ("Recommendation 3", "Recommendation 3: Vetting") or the ask repeated in
    bold: the answer follows, perhaps in several paragraphs. A label that starts the answer's own
    paragraph ("Recommendation 3: The Met accepts…") makes that paragraph one passage."""
    text = clean(block.text)
    if _LABEL.match(text) and (len(text.split()) <= 12 and not text.endswith(".")):
        return True
    bold = _bold(block)
    return len(bold.split()) >= 5 and len(bold) >= 0.8 * len(text)


def _rejoined(body: list[Block]) -> list[Block]:
    """Paragraphs a page break cut, joined again: a block of more than 12 words that ends without
    ending its sentence goes on in the next block (the letter reader joins only the sure cases). An
    ask quoted in bold is not cut: a special report ends it "(Paragraph 12)", with no full stop."""
    out: list[Block] = []
    for block in body:
        prev = clean(out[-1].text) if out else ""
        if (
            prev
            and len(prev.split()) > 12
            and not ends_sentence(prev)
            and not out[-1].heading
            and not _opens_answer(out[-1])
        ):
            out[-1] = Block([*out[-1].inlines, Inline(" "), *block.inlines], place=out[-1].place)
        else:
            out.append(block)
    return out


def passages_of(body: list[Block]) -> list[ReplyPassage]:
    body = _rejoined(body)
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


def read_reply(path: Path) -> ParsedReply:
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
