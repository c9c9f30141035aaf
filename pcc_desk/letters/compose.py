"""Composing a follow-up letter: :func:`compose` turns a :class:`LetterInput` (plain values the letters
service gathers from the register) into a list of :class:`Block` s: paragraphs with a role (sender,
heading, quotation...) and inline parts (text, an ask in bold, a footnote). Footnotes are numbered
here, once (:func:`number_notes`): the Word letter (:mod:`.render`) and the preview both use those
numbers and :attr:`Note.full_text`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput
from pcc_desk.letters.wording import (
    Words,
    clean,
    committee_name,
    inner_quote,
    join_and,
    salutation_for,
    same_committee,
    same_person,
    shorten_quote,
    wording,
)


@dataclass(frozen=True)
class Note:
    """A footnote: its text, and URLs to link (those not already in the text are appended);
    ``number``: its number in the letter, given by :func:`number_notes` (0 until then)."""

    text: str
    urls: tuple[str, ...] = ()
    number: int = 0

    @property
    def full_text(self) -> str:
        """The note as the reader sees it, in Word and in the preview: the text, then its URLs."""
        from pcc_desk.letters.footnotes import (
            note_text,  # (python-docx, loaded with the first note)
        )

        return note_text(self.text, self.urls)


@dataclass(frozen=True)
class Strong:
    """Text in the template's ``Ask`` character style (bold): only the Committee's asks."""

    text: str


Inline = str | Strong | Note


@dataclass(frozen=True)
class Block:
    """One paragraph: a role (mapped to a style) and its inline parts; ``\\n`` in text is a line break."""

    role: str
    parts: tuple[Inline, ...]

    @property
    def text(self) -> str:
        return "".join(
            p if isinstance(p, str) else p.text if isinstance(p, Strong) else "" for p in self.parts
        )

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(p for p in self.parts if isinstance(p, Note))


def number_notes(blocks: Iterable[Block]) -> list[Block]:
    """The blocks with their footnotes numbered 1..n in reading order: the one numbering of a letter,
    which the Word file (:func:`pcc_desk.letters.render.render`) and the preview both show."""
    numbered, count = [], 0
    for block in blocks:
        parts = []
        for part in block.parts:
            if isinstance(part, Note):
                count += 1
                part = dataclasses.replace(part, number=count)
            parts.append(part)
        numbered.append(Block(block.role, tuple(parts)))
    return numbered


@dataclass(frozen=True)
class QuoteInput:
    text: str
    speaker: str = ""
    citation: str = ""
    meeting: dt.date | None = None
    urls: tuple[str, ...] = ()
    committee: str = ""  # whose meeting it was (the transcript's); empty: not known


@dataclass(frozen=True)
class ResponseInput:
    received: dt.date
    text: str
    from_whom: str = ""


class CitedFootnote(Protocol):
    """One of the original letter's footnotes, cited where the recommendation was made: the services'
    ``FootnoteRecord`` as it is (the one value a footnote row becomes)."""

    @property
    def text(self) -> str: ...

    @property
    def urls(self) -> tuple[str, ...]: ...

    @property
    def meeting_date(self) -> dt.date | None: ...


@dataclass(frozen=True)
class ItemInput:
    """One recommendation as the letter needs it."""

    ref: str
    theme: str
    ask: str
    made: dt.date
    due: dt.date
    letter_date: dt.date | None = None  # the original letter's date (else ``made``)
    footnotes: tuple[CitedFootnote, ...] = ()
    quotes: tuple[QuoteInput, ...] = ()
    response: ResponseInput | None = None
    follow_up_needed: bool = False
    follow_up_ask: str = ""  # the clerk's own words for the ask; else the wording's default
    first_asked: dt.date | None = None  # the letter's date of the earliest ask it repeats


@dataclass(frozen=True)
class OriginalLetter:
    date: dt.date | None
    subject: str


@dataclass(frozen=True)
class LetterInput:
    committee: str
    sender: str
    sender_role: str
    recipient: str
    recipient_role: str
    date: dt.date
    items: tuple[ItemInput, ...]  # already in the order of the original letter(s)
    originals: tuple[OriginalLetter, ...] = ()
    cc: tuple[str, ...] = ()
    salutation: str = ""  # empty: derived from the recipient
    subject: str = ""  # empty: from the wording and the original letters
    reply_by: dt.date | None = None
    clerk_name: str = ""
    clerk_email: str = ""
    wording: dict[str, str] = field(default_factory=dict)


def _themes_in_order(items: Iterable[ItemInput], other: str) -> list[tuple[str, list[ItemInput]]]:
    sections: dict[str, list[ItemInput]] = {}
    for item in items:
        sections.setdefault(clean(item.theme) or other, []).append(item)
    return list(sections.items())


def compose(letter: LetterInput) -> list[Block]:
    """Every paragraph of the letter, in order, its footnotes numbered (:func:`number_notes`). No
    empty paragraph is ever produced."""
    if not letter.items:
        raise InvalidInput("There are no recommendations to write about; no letter was written.")
    say = Words(
        wording(letter.wording),
        {
            "committee": letter.committee,
            "clerk_name": letter.clerk_name,
            "clerk_email": letter.clerk_email,
            "recipient": letter.recipient,
            "date": house_date(letter.date),
            "reply_by": house_date(letter.reply_by) if letter.reply_by else "",
        },
    )
    blocks: list[Block] = []

    def add(role: str, *parts: Inline) -> None:
        parts = tuple(
            p
            for p in parts
            if not (isinstance(p, (str, Strong)) and not str(getattr(p, "text", p)).strip())
        )
        if any(isinstance(p, str | Strong) for p in parts):
            blocks.append(Block(role, parts))

    add("sender", "\n".join(x for x in (letter.sender, letter.sender_role) if x))
    add("recipient", "\n".join(x for x in (letter.recipient, letter.recipient_role) if x))
    add("note", say("sent_by"))
    if letter.cc:
        add("note", say("cc", cc="; ".join(letter.cc)))
    add("date", house_date(letter.date))
    add("salutation", letter.salutation or salutation_for(letter.recipient))

    originals = [o for o in letter.originals if o.subject or o.date]
    if letter.subject:
        subject = letter.subject
    elif len(originals) == 1 and originals[0].date and originals[0].subject:
        subject = say(
            "subject_one",
            original_date=house_date(originals[0].date),
            original_subject=originals[0].subject,
        )
    elif originals:
        subject = say(
            "subject_many",
            original_dates=join_and([house_date(o.date) for o in originals if o.date]),
        )
    else:
        subject = say("subject_none")
    add("subject", subject)

    mentions = []
    for o in originals:
        if o.date and o.subject:
            mentions.append(say("original_letter", date=house_date(o.date), subject=o.subject))
        elif o.date:
            mentions.append(say("original_undated", date=house_date(o.date)))
    if not mentions:
        made = sorted({i.made for i in letter.items})
        mentions = [say("original_undated", date=join_and([house_date(d) for d in made]))]
    add("body", say("opening", originals=join_and(mentions)))

    for theme, items in _themes_in_order(letter.items, say("other_theme")):
        add("heading", theme)
        for item in items:
            blocks.extend(_item_blocks(item, say, letter.committee, letter.recipient))

    add("body", say("closing"))
    if letter.clerk_name or letter.clerk_email:
        add("body", say("contact"))
    add("signoff", say("sign_off"))
    add("signature", "\n".join(x for x in (letter.sender, letter.sender_role) if x))
    return number_notes(blocks)


def _item_blocks(item: ItemInput, say: Words, committee: str, recipient: str) -> list[Block]:
    out: list[Block] = []
    quoted_meetings = {q.meeting for q in item.quotes if q.meeting}
    carried = [
        n
        for n in item.footnotes
        if clean(n.text) and not (n.meeting_date and n.meeting_date in quoted_meetings)
    ]
    recap = say("recap", made=house_date(item.letter_date or item.made), ask=inner_quote(item.ask))
    out.append(Block("body", (recap, *(Note(clean(n.text), n.urls) for n in carried))))
    if item.first_asked is not None and item.first_asked < (item.letter_date or item.made):
        out.append(Block("body", (say("first_asked", first=house_date(item.first_asked)),)))

    if item.response is not None:
        key = "response_from" if item.response.from_whom else "response"
        out.append(
            Block(
                "body",
                (
                    say(
                        key,
                        received=house_date(item.response.received),
                        from_whom=item.response.from_whom,
                        response=shorten_quote(item.response.text),
                    ),
                ),
            )
        )
    else:
        out.append(Block("body", (say("no_response", due=house_date(item.due)),)))

    intro_key: tuple[str, str, str] | None = None
    for quote in item.quotes:
        text = inner_quote(quote.text)
        if not text:
            continue
        meeting = house_date(quote.meeting) if quote.meeting else ""
        other = (
            "" if same_committee(quote.committee, committee) else committee_name(quote.committee)
        )
        quote_key = (meeting, clean(quote.speaker), other)
        if quote_key != intro_key and meeting:
            if quote.speaker and same_person(quote.speaker, recipient):
                name = "quote_intro_you"
            else:
                name = "quote_intro_speaker" if quote.speaker else "quote_intro"
            if other:  # another committee's evidence: name that committee, not "the Committee"
                name = name.replace("quote_intro", "quote_intro_other")
            out.append(
                Block(
                    "body",
                    (
                        say(
                            name,
                            meeting=meeting,
                            speaker=clean(quote.speaker),
                            meeting_committee=other,
                        ),
                    ),
                )
            )
        intro_key = quote_key
        citation = clean(quote.citation) or say(
            "quote_citation", committee=other or committee, meeting=meeting or "undated meeting"
        )
        out.append(Block("quote", (f"“{text}”", Note(citation, quote.urls))))

    if item.follow_up_ask.strip():
        ask = clean(item.follow_up_ask)
    elif item.response is None:
        ask = say("ask_no_response")
    elif item.follow_up_needed:
        ask = say("ask_follow_up")
    else:
        ask = say("ask_update")
    out.append(Block("body", (Strong(ask),)))
    return [b for b in out if b.text.strip()]  # a wording set to "" leaves its paragraph out
