"""From paragraphs with bold/italic runs and footnote references to a :class:`ParsedLetter`.

Every format reader (.md/.txt, .docx, .pdf) turns its file into the same simple shape: a list of
:class:`Block` (one per paragraph, each a list of :class:`Inline` pieces: text with bold/italic, or a
footnote reference) and a dict of footnote bodies. This module does the rest once for all formats:
letter head, section headings (themes), paragraphs cut by a page break joined again, asks (bold
spans), suggested asks (sentences that read like asks but are not bold) and footnotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pcc_desk.dates import DAY_MONTH_YEAR, parse_date
from pcc_desk.importers.letter_model import (
    DOC_LETTER,
    LetterHead,
    ParsedAsk,
    ParsedFootnote,
    ParsedLetter,
    sentences,
)


@dataclass
class Inline:
    text: str = ""
    bold: bool = False
    italic: bool = False
    note: int | None = None  # a footnote reference (text is then empty)


@dataclass
class Block:
    inlines: list[Inline] = field(default_factory=list)
    heading: bool = False  # styled as a heading in the source
    cut_before: bool = False  # a page break / footnote block comes just before it
    # where it sits: () for the page itself, else the table cells and text boxes around it
    # (see pcc_desk.importers.docx_reading.Where); two blocks in different places never join
    place: tuple = ()

    @property
    def text(self) -> str:
        return "".join(i.text for i in self.inlines)

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.split("\n") if line.strip()]

    @property
    def notes(self) -> list[int]:
        seen: list[int] = []
        for i in self.inlines:
            if i.note is not None and i.note not in seen:
                seen.append(i.note)
        return seen


@dataclass
class RawNote:
    number: int
    text: str
    urls: list[str] = field(default_factory=list)


# --- small text helpers ---------------------------------------------------------------------------

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"”)\]]+", re.IGNORECASE)
_WS = re.compile(r"\s+")
_TERMINAL = re.compile(r"[.!?:;…][”\"’')\]]*$")
_LIGATURES = {
    "ﬁ": "fi",
    "ﬂ": "fl",
    "ﬀ": "ff",
    "ﬃ": "ffi",
    "ﬄ": "ffl",
    "\u00ad": "",
    "\u200b": "",
    "\ufeff": "",
}


def clean(text: str) -> str:
    for a, b in _LIGATURES.items():
        text = text.replace(a, b)
    return _WS.sub(" ", text.replace("\u00a0", " ")).strip()


def ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text.rstrip()))


def real_url(url: str) -> bool:
    return bool(re.match(r"(?i)(https?|mailto|ftp)://|www\.", url.strip()))


def make_footnote(number: int, text: str, urls=()) -> ParsedFootnote:
    """A footnote with its URLs (given, and any written out in its text) and the meeting it cites."""
    text = clean(text)
    found = [u for u in urls if real_url(u)]
    for match in URL_RE.finditer(text):
        url = match.group(0).rstrip(".,;:")
        if url not in found:
            found.append(url)
    committee, meeting = "", None
    match = re.match(
        r"^(?:London Assembly\s+)?(?P<c>[A-Z][\w&’' -]*?Committee)\b(?P<rest>.*)$", text
    )
    if match and DAY_MONTH_YEAR.search(match.group("rest")):
        meeting = parse_date(match.group("rest"))
        if meeting is not None:
            committee = match.group("c").strip()
    return ParsedFootnote(
        number=number, text=text, urls=tuple(found), committee=committee, meeting_date=meeting
    )


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


# --- the letter head -------------------------------------------------------------------------------

_SALUTATION = re.compile(r"^Dear\s+\S.*$", re.IGNORECASE)
_CLOSING = re.compile(
    r"^(Yours (sincerely|faithfully|truly|ever)|Kind regards|Best wishes|With (best|kind) (wishes|regards)|Regards)\b[,.]?",
    re.IGNORECASE,
)
_CC = re.compile(r"^(cc|c\.c\.|copied to|copy to)\s*[:.\-–]?\s*(?P<rest>.*)$", re.IGNORECASE)
_ROLE_WORDS = re.compile(
    r"\b(Chair|Chairman|Chairwoman|Chairperson|Commissioner|Mayor|Deputy|Director|Chief|CEO|Officer|Head|"
    r"Member|Secretary|Minister|Committee|Police|Metropolis|Executive|Service|Office|Assembly|Authority|MOPAC|"
    r"Manager|President|Leader|Lead|Clerk|Council)\b"
)
_NAME_PARTICLES = {"of", "the", "and", "de", "van", "von", "da", "le", "la", "du", "bin"}
_NOISE = re.compile(
    r"^\(.*\)$|by e-?mail|^sent by|^our ref|^your ref|^ref(erence)?\s*:|^tel\b|^telephone|^email\b|^e-mail|@|^www\.|https?://",
    re.IGNORECASE,
)


_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


def _split_cc(text: str) -> list[str]:
    return [clean(p) for p in (text or "").split(";") if p.strip()]


def _all_bold(block: Block) -> bool:
    pieces = [i for i in block.inlines if i.note is None and i.text.strip()]
    return bool(pieces) and all(i.bold for i in pieces)


_RANKED_NAME = re.compile(
    r"^(?:(?:Deputy|Assistant|Acting)\s+)?(?:Commissioner|Commander|Chief Superintendent|Superintendent|"
    r"Chief Constable|Chief Inspector|Inspector)\s+(?:[A-Z][\w’'-]*\s*){2,5}$"
)


def _is_name(line: str) -> bool:
    words = line.replace(",", " ").split()
    if not 1 <= len(words) <= 7 or ends_sentence(line):
        return False
    if _ROLE_WORDS.search(line):
        return bool(_RANKED_NAME.match(line.strip()))  # "Deputy Commissioner Dame Lynne Owens"
    return all(
        w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words if w[0].isalpha()
    ) and any(w[0].isupper() for w in words)


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
    cc: list[str] = []
    candidates: list[str] = []
    subject = ""
    cc_text, cc_list_form = "", False
    just_before = next(
        (n for n in range(salutation_at - 1, -1, -1) if blocks[n].text.strip()), None
    )
    for n_block, block in enumerate(blocks[:salutation_at]):
        if not block.text.strip():  # an empty paragraph ends a group (and a CC list)
            cc.extend(_split_cc(cc_text))
            cc_text, cc_list_form = "", False
            continue
        if cc_text and not cc_list_form and not cc_text.rstrip().endswith((",", ";")):
            cc.extend(_split_cc(cc_text))  # a one-paragraph CC line ends with its paragraph
            cc_text = ""
        whole = clean(block.text)
        if (
            n_block == just_before
            and (block.heading or _all_bold(block))
            and len(whole.split()) >= 4
            and not _CC.match(whole)
        ):
            subject = whole  # a bold or heading-styled subject line just above "Dear …"
            continue
        for line in block.lines:
            cc_match = _CC.match(line)
            if cc_match:
                cc.extend(_split_cc(cc_text))
                cc_text = cc_match.group("rest").strip()
                cc_list_form = not cc_text
                continue
            if date is None and parse_date(line) and len(line.split()) <= 6:
                date = parse_date(line)
                cc.extend(_split_cc(cc_text))
                cc_text, cc_list_form = "", False
                continue
            if cc_text or cc_list_form:
                # a wrapped line continues its entry; a line after ";" or a whole entry is a new one
                wrapped = cc_text.rstrip().endswith(",") or line[:1].islower()
                cc_text = (
                    f"{cc_text} {line}" if wrapped else f"{cc_text}; {line}" if cc_text else line
                )
                continue
            if re.match(r"^(re|subject)\s*:", line, re.IGNORECASE):
                subject = clean(line.split(":", 1)[1])
                continue
            if _NOISE.search(line) or _POSTCODE.search(line) or re.match(r"^\d", line):
                continue
            candidates.append(clean(line))
    cc.extend(_split_cc(cc_text))
    collecting = False
    for block in blocks[closing_at + 1 :]:  # "cc:" under the signature
        if collecting and not block.text.strip():
            break
        for line in block.lines:
            cc_match = _CC.match(line)
            if cc_match:
                collecting = True
                line = cc_match.group("rest")
            if collecting and line.strip():
                cc.extend(_split_cc(line))
        if (
            collecting
            and block.lines
            and _CC.match(block.lines[0])
            and _CC.match(block.lines[0]).group("rest").strip()
        ):
            break  # "CC: a; b" on one line: that is all
    body_start = salutation_at + 1
    while body_start < closing_at and not blocks[body_start].text.strip():
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
    return _Head(head, body_start, closing_at)


def _first_date(blocks: list[Block]):
    for block in blocks:
        for line in block.lines:
            if parse_date(line) and len(line.split()) <= 8:
                return parse_date(line)
    return None


# --- section headings ------------------------------------------------------------------------------


def heading_text(block: Block) -> str | None:
    """The theme a block names, if it is a section heading (styled, or a short stand-alone line)."""
    text = clean(block.text)
    if not text or block.notes:
        return None
    text = re.sub(r"^(\d+(\.\d+)*\.?|[A-Z]\.|[IVX]+\.)\s+", "", text)
    if block.heading:
        return text or None
    if len(block.lines) != 1 or len(text) > 100 or len(text.split()) > 12:
        return None
    if ends_sentence(text) or text.endswith(",") or not (text[0].isupper() or text[0].isdigit()):
        return None
    return text


# --- everything together ---------------------------------------------------------------------------


def build_letter(
    blocks: list[Block], notes: dict[int, RawNote], source_format: str
) -> ParsedLetter:
    head = read_head(blocks)
    body = join_cut_paragraphs(
        [b for b in blocks[head.body_start : head.body_end] if b.text.strip() or b.notes]
    )
    themes: list[str] = []
    asks: list[ParsedAsk] = []
    suggested: list[ParsedAsk] = []
    theme = ""
    for n, block in enumerate(body):
        name = heading_text(block)
        if name is not None and (block.heading or n + 1 < len(body)):
            theme = name
            if theme not in themes:
                themes.append(theme)
            continue
        context = clean(plain_with_mask(block.inlines)[0])
        cited = tuple(block.notes)
        for span in bold_spans(block.inlines):
            asks.append(ParsedAsk(theme=theme, text=span, context=context, footnotes=cited))
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
