"""A letter's head: who wrote to whom, when, and where its body starts and ends."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pcc_desk.dates import parse_date
from pcc_desk.importers.letter_blocks import Block, clean, ends_sentence
from pcc_desk.importers.letter_cc import (
    _CC,
    _CLOSING,
    _NOISE,
    _POSTCODE,
    _SALUTATION,
    _is_name,
    read_cc,
)
from pcc_desk.letter_values import LetterHead


def _all_bold(block: Block) -> bool:
    pieces = [i for i in block.inlines if i.note is None and i.text.strip()]
    return bool(pieces) and all(i.bold for i in pieces)


@dataclass
class _Person:
    name: str
    role: list[str] = field(default_factory=list)


def _people(lines: list[str]) -> list[_Person]:
    people: list[_Person] = []
    for line in lines:
        if _is_name(line):
            people.append(_Person(line))
        elif people:
            people[-1].role.append(line)
        # a role with no name before it (a letterhead's "Chairman of …") names nobody
    return people


def _name_key(name: str) -> list[str]:
    return [
        w
        for w in re.findall(r"[A-Za-z’'-]+", name.lower())
        if w not in ("dear", "mr", "mrs", "ms", "dr", "miss")
    ]


def _matches(person: _Person, words: list[str]) -> bool:
    have = set(_name_key(person.name)) | set(_name_key(" ".join(person.role)))
    return bool(words) and all(w in have for w in words)


@dataclass
class _Head:
    head: LetterHead
    body_start: int
    body_end: int
    skip: frozenset[int] = frozenset()  # blocks of the body that belong to the head (a date)


def _signature(blocks: list[Block]) -> _Person | None:
    lines = []
    for line in (line for b in blocks for line in b.lines):
        if _CC.match(line) or re.match(r"(?i)^(enc|encl|enclosures?)\b", line):
            break
        lines.append(line)
    lines = [line for line in lines if not ends_sentence(line) and len(line.split()) <= 10]
    people = _people(lines)
    named = [p for p in people if _is_name(p.name)]
    return named[0] if named else None


def read_head(blocks: list[Block]) -> _Head:
    salutation_at = next(
        (n for n, b in enumerate(blocks) if b.lines and _SALUTATION.match(b.lines[0])), None
    )
    if salutation_at is None:
        return _Head(LetterHead(date=_first_date(blocks[:3])), 0, len(blocks))
    closing_at = next(
        (
            n
            for n in range(salutation_at + 1, len(blocks))
            if blocks[n].lines and _CLOSING.match(blocks[n].lines[0])
        ),
        len(blocks),
    )
    salutation = blocks[salutation_at].lines[0]
    date = None
    cc, in_cc = read_cc(blocks, 0, salutation_at)
    signed_cc, _ = read_cc(blocks, closing_at + 1, len(blocks))  # "cc:" under the signature
    candidates: list[str] = []
    subject = ""
    just_before = next(
        (n for n in range(salutation_at - 1, -1, -1) if blocks[n].text.strip()), None
    )
    for n_block, block in enumerate(blocks[:salutation_at]):
        whole = clean(block.text)
        if (
            n_block == just_before
            and (block.heading or _all_bold(block))
            and len(whole.split()) >= 4
            and not _CC.match(whole)
            and (n_block, 0) not in in_cc
        ):
            subject = whole  # a bold or heading-styled subject line just above "Dear …"
            continue
        for n_line, line in enumerate(block.lines):
            if (n_block, n_line) in in_cc:
                continue
            if date is None and parse_date(line) and len(line.split()) <= 6:
                date = parse_date(line)
                continue
            if re.match(r"^(re|subject)\s*:", line, re.IGNORECASE):
                subject = clean(line.split(":", 1)[1])
                continue
            if _NOISE.search(line) or _POSTCODE.search(line) or re.match(r"^\d", line):
                continue
            candidates.append(clean(line))
    cc.extend(signed_cc)
    body_start = salutation_at + 1
    while body_start < closing_at and not blocks[body_start].text.strip():
        body_start += 1
    skip: set[int] = set()
    if date is None:  # a date set beside "Dear …" (as a text box anchored there is read after it)
        near = [n for n in range(body_start, closing_at) if blocks[n].text.strip()][:3]
        for n in near:
            only = clean(blocks[n].text)
            if parse_date(only) and len(only.split()) <= 6:
                date = parse_date(only)
                skip.add(n)
                break
    while body_start in skip or (body_start < closing_at and not blocks[body_start].text.strip()):
        body_start += 1
    if not subject and body_start < closing_at:
        first = blocks[body_start]
        text = clean(first.text)
        if (
            len(first.lines) <= 3
            and not ends_sentence(text)
            and len(text.split()) <= 30
            and not first.notes
        ):
            subject = re.sub(r"^(re|subject)\s*:\s*", "", text, flags=re.IGNORECASE)
            body_start += 1
    people = _people(candidates)
    signer = _signature(blocks[closing_at + 1 :]) if closing_at < len(blocks) else None
    sal_words = _name_key(salutation.rstrip(",").split(None, 1)[1] if " " in salutation else "")
    sender = recipient = None
    if signer is not None:  # who signs is the sender (with the role written in the head, if there)
        sender = next(
            (p for p in people if _name_key(p.name)[:2] == _name_key(signer.name)[:2]), signer
        )
    recipient = next((p for p in people if p is not sender and _matches(p, sal_words)), None)
    others = [p for p in people if p is not sender and p is not recipient]
    if sender is None and others:
        sender = others.pop(0)
    if recipient is None and others:
        recipient = others.pop(0)
    if (
        recipient is None
        and sal_words
        and not re.fullmatch(r"(?i)dear\s+(sir|madam|sir or madam|colleague)s?,?", salutation)
    ):
        recipient = _Person(
            clean(salutation.split(None, 1)[1].rstrip(","))
        )  # only the "Dear …" names them
    head = LetterHead(
        date=date,
        sender=sender.name if sender else "",
        sender_role=", ".join(sender.role) if sender else "",
        recipient=recipient.name if recipient else "",
        recipient_role=", ".join(recipient.role) if recipient else "",
        cc=tuple(dict.fromkeys(cc)),
        salutation=clean(salutation),
        subject=subject,
    )
    return _Head(head, body_start, closing_at, frozenset(skip))


def _first_date(blocks: list[Block]) -> dt.date | None:
    for block in blocks:
        for line in block.lines:
            if parse_date(line) and len(line.split()) <= 8:
                return parse_date(line)
    return None
