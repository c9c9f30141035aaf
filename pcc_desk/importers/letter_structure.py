"""From paragraphs with bold/italic runs and footnote references to a :class:`ParsedLetter`.

Every format reader (.md/.txt, .docx, .pdf) turns its file into the same simple shape: a list of
:class:`Block` (one per paragraph, each a list of :class:`Inline` pieces: text with bold/italic, or a
footnote reference) and a dict of footnote bodies. This module does the rest once for all formats:
letter head, section headings (themes), paragraphs cut by a page break joined again, asks (bold
spans), suggested asks (sentences that read like asks but are not bold) and footnotes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pcc_desk.dates import DAY_MONTH_YEAR, parse_date
from pcc_desk.letter_values import (
    DOC_LETTER,
    LetterHead,
    ParsedAsk,
    ParsedFootnote,
    ParsedLetter,
    sentences,
)
from pcc_desk.speakers import POST_NOMINALS


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
    place: tuple[object, ...] = ()
    table_header: bool = False  # in a table's header row ("No. | Recommendation"): never a theme

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


def make_footnote(number: int, text: str, urls: Iterable[str] = ()) -> ParsedFootnote:
    """A footnote with its URLs (given, and any written out in its text) and the meeting it cites."""
    text = clean(text)
    found = [u for u in urls if real_url(u)]
    for match in URL_RE.finditer(text):
        url = match.group(0).rstrip(".,;:")
        if url not in found:
            found.append(url)
    committee, meeting = "", None
    head = re.match(
        r"^(?:London Assembly\s+)?(?P<c>[A-Z][\w&’' -]*?Committee)\b(?P<rest>.*)$", text
    )
    if head and DAY_MONTH_YEAR.search(head.group("rest")):
        meeting = parse_date(head.group("rest"))
        if meeting is not None:
            committee = head.group("c").strip()
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
_CC = re.compile(
    r"^(cc|c\.c\.|copied to|copy to)(?![A-Za-z])\s*[:.\-–]?\s*(?P<rest>.*)$", re.IGNORECASE
)
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


# --- the "CC:" list ---------------------------------------------------------------------------------
# A CC list is written inline ("CC: A, role; B, role"), or one entry a line under "CC:". Either may
# wrap: on a PDF's or a text file's lines, on a Word line break, or on paragraphs made line by line.
# A wrapped line goes on with its entry; only ";" (or, in a list, a new line that is not a wrap)
# starts a new entry.

_WRAP_JOINERS = {
    "and",
    "of",
    "for",
    "the",
    "to",
    "on",
    "in",
    "at",
    "with",
    "by",
    "a",
    "an",
    "de",
    "van",
    "von",
    "da",
    "le",
    "la",
    "du",
}
# words that do not end an entry: a name's title, or a role cut in two ("Deputy" / "Mayor for …")
_CUT_WORDS = {
    "sir",
    "dame",
    "lord",
    "lady",
    "baroness",
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "professor",
    "prof",
    "cllr",
    "councillor",
    "rt",
    "hon",
    "deputy",
    "assistant",
    "acting",
    "interim",
    "detective",
    "vice",
    "chief",
    "metropolitan",  # the first word of a name that runs on: "Metropolitan" / "Police Service"
    "greater",
    "crown",
    "home",
    "national",
    "independent",
}
_GIVEN_NAME = re.compile(r"^[A-Z][a-zà-ÿ’']+(?:-[A-Z][a-zà-ÿ’']+)*$")  # "Diana", "Anne-Marie"


def _given_name_only(entry: str) -> bool:
    """ "Diana", "Sir Mark", "Dr Anne-Marie": a name cut after its first name (not "MOPAC")."""
    words = entry.split()
    return (
        bool(words)
        and all(w.lower().strip(".") in _CUT_WORDS for w in words[:-1])
        and bool(_GIVEN_NAME.match(words[-1]))
        and not _ROLE_WORDS.search(words[-1])  # not "Committee", "Service"
    )


def _post_nominal(word: str) -> bool:
    return word.upper().strip(".,") in POST_NOMINALS and word.strip(".,").isupper()


def _surname_first(line: str) -> bool:
    """ "Luchford, CEO, MOPAC" or "Desai AM": a line that starts with the rest of a name."""
    words = line.split(",", 1)[0].split()
    return (
        bool(words)
        and bool(re.fullmatch(r"[A-Z][a-zà-ÿ’'][\w’'-]*", words[0]))  # not an acronym
        and all(_post_nominal(w) for w in words[1:])
    )


FULL_LINE = 0.8
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,9}$")  # "MOPAC", "HMICFRS": an organisation on its own line


def _wrapped(entry: str, before: str, after: str, width: int, following: str = "") -> bool:
    """Is line ``after`` the rest of line ``before`` (whose CC entry so far is ``entry``), cut where
    the line was full, rather than a new entry? ``width`` is the longest line of the list (about
    where its lines wrap); ``following`` the line after ``after``."""
    entry, before, after = entry.strip(), before.rstrip(), after.strip()
    if not entry or not after or before.endswith(";"):
        return False
    if entry.endswith((",", "-", "–", "—", "&", "/", "(", "’s", "'s")):
        return True
    last = entry.split()[-1].lower().strip(".")
    if last in _WRAP_JOINERS or last in _CUT_WORDS:
        return True
    if after[0].islower() or after[0] in "&()–-—/" or _post_nominal(after.split()[0]):
        return True  # "… Commissioner" / "of Police"; "Sir Mark Rowley" / "QPM, Commissioner …"
    if entry.count("(") > entry.count(")"):
        return True
    if _given_name_only(entry) and _surname_first(after):
        return True  # "Diana" / "Luchford, CEO, MOPAC"
    if _given_name_only(after.split(",", 1)[0]) and _surname_first(following):
        return False  # "Anne-Marie" / "Kowalczyk, Head of Strategy": a new name, itself cut
    # its first word did not fit; counted in characters, so with room for a proportional font's
    # wide letters (a PDF line of capitals is full well before the longest line's character count)
    full = len(before) + 1 + len(after.split()[0]) > FULL_LINE * width
    person = _starts_with_person(after) or (
        _starts_with_person(f"{after} {following}") and len(after.split()) >= 2
    )  # "Caroline Russell" / "AM, Deputy Chair …"
    return full and not person and not _ACRONYM.match(after)


_TITLES = {"sir", "dame", "lord", "lady", "baroness", "dr", "mr", "mrs", "ms", "miss", "professor"}


def _starts_with_person(line: str) -> bool:
    """ "Sophie Linden, Deputy Mayor…", "Unmesh Desai AM", "Sir Mark Rowley": a person's full name
    first, known as one by the role after it, a post-nominal or a title (not "West BCU")."""
    name, comma, _ = line.partition(",")
    words = name.split()
    if len(words) < 2 or not _is_name(name):
        return False
    return bool(comma) or _post_nominal(words[-1]) or words[0].lower().strip(".") in _TITLES


def _join_wrap(text: str, line: str) -> str:
    if re.search(r"[A-Za-zÀ-ÿ]-$", text) and line[:1].isalpha():
        return text + line  # a word hyphenated at the line's end ("Anne-" / "Marie")
    return f"{text} {line}" if text else line


def _cc_entries(run: list[tuple[str, str]]) -> list[str]:
    """The entries of one CC list: ``run`` is its lines as written and as read (without "CC:")."""
    texts = [text for _, text in run]
    if any(";" in text for text in texts):  # separated by ";": every line break is a wrap
        joined = ""
        for text in texts:
            joined = _join_wrap(joined, text)
        return _split_cc(joined)
    width = max(len(raw.rstrip()) for raw, _ in run)
    entries: list[str] = []
    before = ""
    for n, (raw, text) in enumerate(run):
        following = run[n + 1][1] if n + 1 < len(run) else ""
        if entries and _wrapped(entries[-1], before, text, width, following):
            entries[-1] = _join_wrap(entries[-1], text)
        elif text.strip():
            entries.append(text)
        before = raw
    return [clean(e) for e in entries if clean(e)]


def _ends_cc(line: str) -> bool:
    """A line that is never part of a CC list: a date, the subject, another CC, "Dear …", the close."""
    return bool(
        (parse_date(line) and len(line.split()) <= 6)
        or re.match(r"^(re|subject)\s*:", line, re.IGNORECASE)
        or _CC.match(line)
        or _SALUTATION.match(line)
        or _CLOSING.match(line)
    )


def _starts_other_part(line: str) -> bool:
    """A paragraph after a CC line that is another part of the letter head, not more of the list: a
    person's name alone, an address, a reference, "(Sent by email)"."""
    return bool(
        _is_name(line) or _NOISE.search(line) or _POSTCODE.search(line) or re.match(r"^\d", line)
    )


def read_cc(blocks: list[Block], start: int, stop: int) -> tuple[list[str], set[tuple[int, int]]]:
    """Every CC list in ``blocks[start:stop]``: (the entries, the (block, line) places they use).

    A CC list goes on over the lines of its paragraph, then over the next paragraphs while they
    continue it: a list under a bare "CC:" until an empty paragraph; an inline list while a line
    ends with "," or ";", holds a ";", is wrapped (see :func:`_wrapped`) or is not another part of
    the head (see :func:`_starts_other_part`)."""
    entries: list[str] = []
    used: set[tuple[int, int]] = set()
    items = [
        (n, j, line)
        for n in range(start, stop)
        for j, line in (enumerate(blocks[n].lines) if blocks[n].lines else [(-1, "")])
    ]
    k = 0
    while k < len(items):
        n, j, line = items[k]
        k += 1
        found = _CC.match(line) if line else None
        if found is None:
            continue
        rest = found.group("rest").strip()
        run = [(line, rest)] if rest else []
        list_form = not rest
        used.add((n, j))
        before, block_of_before = line, n
        while k < len(items):
            n2, j2, nxt = items[k]
            if not nxt or _ends_cc(nxt):
                break
            if n2 != block_of_before:  # the next paragraph: does it go on with the list?
                entry = " ".join(text for _, text in run).rsplit(";", 1)[-1]
                goes_on = (
                    list_form
                    or before.rstrip().endswith((",", ";"))
                    or ";" in nxt
                    or _wrapped(entry, before, nxt, max(len(raw) for raw, _ in [*run, (nxt, "")]))
                    or not _starts_other_part(nxt)
                )
                if not goes_on:
                    break
            run.append((nxt, nxt))
            used.add((n2, j2))
            before, block_of_before = nxt, n2
            k += 1
        if run:
            entries.extend(_cc_entries(run))
    return entries, used


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
