"""The follow-up letter: composed from plain records, laid out with the template's styles.

Two steps, each testable alone:

- :func:`compose` turns a :class:`LetterInput` (plain values the letters service gathers from the
  register) into a list of :class:`Block` s: paragraphs with a role (sender, heading, quotation...)
  and inline parts (text, an ask in bold, a footnote). The fixed wording comes from
  ``resources/templates/letter-wording.json``, overridden by the Committee's settings.
- :func:`render` lays the blocks out in a copy of the letterhead template: each role is one of the
  template's paragraph styles, the asks use its ``Ask`` character style and the footnotes are real
  Word footnotes (:mod:`pcc_desk.letters.footnotes`). No run or paragraph carries direct formatting,
  so a clerk's own template decides fonts, sizes and spacing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from pcc_desk import paths
from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput, NotFound
from pcc_desk.letters import footnotes as fn
from pcc_desk.letters.output import output_file

TEMPLATE_NAME = "pcc-letterhead.docx"
WORDING_NAME = "letter-wording.json"
RESPONSE_QUOTE_LIMIT = (
    700  # characters of a response quoted in full; longer ones are cut at a sentence
)


def default_template() -> Path:
    return paths.resources_dir() / "templates" / TEMPLATE_NAME


# --- what a letter is made of -------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A footnote: its text, and URLs to link (those not already in the text are appended)."""

    text: str
    urls: tuple[str, ...] = ()


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


# Role → the template's paragraph style, and how to add it plainly (no fonts) when a template lacks it.
PARAGRAPH_ROLES: dict[str, tuple[str, dict]] = {
    "sender": ("Sender Block", {"align": "right", "after": 24}),
    "recipient": ("Recipient Block", {"after": 12}),
    "note": ("Letter Note", {"after": 12}),
    "date": ("Letter Date", {"after": 12}),
    "salutation": ("Salutation", {"keep": True, "after": 12}),
    "subject": ("Letter Subject", {"bold": True, "keep": True, "after": 12}),
    "heading": ("Theme Heading", {"bold": True, "keep": True, "before": 6, "after": 6}),
    "body": ("Normal", {}),
    "quote": ("Quotation", {"indent": 1.0, "after": 12}),
    "signoff": ("Sign-off", {"keep": True, "after": 36}),
    "signature": ("Signature Block", {"after": 18}),
    "contact": ("Contact Line", {"after": 0}),
}
ASK_STYLE = "Ask"


# --- inputs the letters service hands over ------------------------------------------------------


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


# --- wording ------------------------------------------------------------------------------------


@cache
def _default_wording() -> tuple[tuple[str, str], ...]:
    data = json.loads(
        (paths.resources_dir() / "templates" / WORDING_NAME).read_text(encoding="utf-8")
    )
    return tuple((k, v) for k, v in data.items() if not k.startswith("_"))


# The placeholders each wording may use: those every letter fills in, plus the wording's own.
COMMON_PLACEHOLDERS = ("committee", "clerk_name", "clerk_email", "recipient", "date", "reply_by")
_OWN_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "cc": ("cc",),
    "subject_one": ("original_date", "original_subject"),
    "subject_many": ("original_dates",),
    "original_letter": ("date", "subject"),
    "original_undated": ("date",),
    "opening": ("originals",),
    "recap": ("made", "ask"),
    "response": ("received", "response", "from_whom"),
    "response_from": ("received", "response", "from_whom"),
    "no_response": ("due",),
    "quote_intro_you": ("meeting", "speaker"),
    "quote_intro_speaker": ("meeting", "speaker"),
    "quote_intro": ("meeting", "speaker"),
    "quote_intro_other_you": ("meeting", "speaker", "meeting_committee"),
    "quote_intro_other_speaker": ("meeting", "speaker", "meeting_committee"),
    "quote_intro_other": ("meeting", "speaker", "meeting_committee"),
    "quote_citation": ("meeting",),
}


def placeholders_for(key: str) -> tuple[str, ...]:
    """The ``{placeholders}`` the wording ``key`` may use (an unknown key is refused)."""
    if key not in dict(_default_wording()):
        known = ", ".join(k for k, _ in _default_wording())
        raise InvalidInput(f"'{key}' is not a letter wording anyone uses; known: {known}.")
    return tuple(dict.fromkeys(COMMON_PLACEHOLDERS + _OWN_PLACEHOLDERS.get(key, ())))


def check_wording(key: str, text: str) -> None:
    """Refuse (one line) a wording that uses a placeholder the writer cannot fill in, or bad braces."""
    import string

    allowed = placeholders_for(key)
    try:
        fields = [
            (name, conv, spec)
            for _lit, name, spec, conv in string.Formatter().parse(str(text))
            if name is not None
        ]
    except ValueError as exc:
        raise InvalidInput(
            f"The letter wording '{key}' is not valid ({exc}); a brace must open and close a placeholder such as {{committee}}."
        ) from None
    may_use = ", ".join(f"{{{p}}}" for p in allowed)
    for name, conv, spec in fields:
        if name not in allowed:
            raise InvalidInput(
                f"The letter wording '{key}' uses {{{name}}}, which it cannot fill in; it may use {may_use}."
            )
        if conv or spec:
            raise InvalidInput(
                f"The letter wording '{key}' adds something to {{{name}}}; write the placeholder alone, as {{{name}}}."
            )


def wording(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The default wording, with the Committee's overrides (unknown keys and placeholders are refused)."""
    merged = dict(_default_wording())
    for key, value in (overrides or {}).items():
        if key.startswith("_"):
            continue
        check_wording(key, str(value))
        merged[key] = str(value)
    return merged


class _Words:
    def __init__(self, words: dict[str, str], common: dict[str, str]) -> None:
        self.words = words
        self.common = common

    def __call__(self, key: str, **values) -> str:
        template = self.words[key]
        given = {**self.common, **values}
        # only the placeholders check_wording allows, so that what passes the check is what can be filled
        allowed = {name: given[name] for name in placeholders_for(key) if name in given}
        try:
            return template.format_map(allowed)
        except KeyError as exc:
            raise InvalidInput(
                f"The letter wording '{key}' uses {{{exc.args[0]}}}, which it cannot fill in."
            ) from None
        except (ValueError, IndexError) as exc:
            raise InvalidInput(
                f"The letter wording '{key}' is not valid ({exc}); check its braces."
            ) from None


# --- salutation ---------------------------------------------------------------------------------

_KEEP_FIRST_NAME = {"sir", "dame"}
_KEEP_SURNAME = {"lord", "lady", "baroness", "baron", "viscount", "earl", "countess"}
_DROP = {
    "the",
    "rt",
    "rt.",
    "hon",
    "hon.",
    "right",
    "honourable",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "miss",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "professor",
    "councillor",
    "cllr",
    "commander",
    "commissioner",
}


def salutation_for(name: str) -> str:
    """``Dear Sir Mark,`` for Sir Mark Rowley, ``Dear Sophie,`` for Sophie Linden, ``Dear Lord Harris,``."""
    words = [w for w in re.split(r"\s+", (name or "").replace(",", " ").strip()) if w]
    # post-nominals: AM, MP, QPM, CBE, KC... (all capitals, after the first word)
    while len(words) > 1 and re.fullmatch(r"[A-Z]{2,5}", words[-1]):
        words.pop()
    if not words:
        return "Dear Sir or Madam,"
    if words[0].lower() in _KEEP_FIRST_NAME and len(words) > 2:
        return f"Dear {words[0]} {words[1]},"
    if (
        words[0].lower() in _KEEP_SURNAME
    ):  # Lord Harris (of Haringey), Baroness Casey (of Blackstock)
        return f"Dear {' '.join(words[:2])},"
    while len(words) > 1 and words[0].lower() in _DROP:
        words.pop(0)
    return f"Dear {words[0]},"


# --- composing ----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join((text or "").split())


_INNER_QUOTES = str.maketrans({"“": "‘", "”": "’"})


def inner_quote(text: str) -> str:
    """Text to put inside quotation marks: whitespace collapsed, outer quotes and final stop removed,
    quotation marks within it made single (British style: “… ‘…’ …”)."""
    text = _clean(text)
    if (
        len(text) > 1
        and (text[0], text[-1]) in (("“", "”"), ('"', '"'))
        and not any(c in text[1:-1] for c in '“”"')
    ):
        text = text[1:-1].strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text.translate(_INNER_QUOTES)


def shorten_quote(text: str, limit: int = RESPONSE_QUOTE_LIMIT) -> str:
    """The text, or its first sentences up to ``limit`` characters followed by ``[…]``."""
    text = inner_quote(text)
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit))
    if cut < limit // 3:
        cut = text.rfind(" ", 0, limit)
    return text[: cut + 1].rstrip() + " […]"


def _join_and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _themes_in_order(items: Iterable[ItemInput], other: str) -> list[tuple[str, list[ItemInput]]]:
    sections: dict[str, list[ItemInput]] = {}
    for item in items:
        sections.setdefault(_clean(item.theme) or other, []).append(item)
    return list(sections.items())


def compose(letter: LetterInput) -> list[Block]:
    """Every paragraph of the letter, in order. No empty paragraph is ever produced."""
    if not letter.items:
        raise InvalidInput("There are no recommendations to write about; no letter was written.")
    say = _Words(
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
            original_dates=_join_and([house_date(o.date) for o in originals if o.date]),
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
        mentions = [say("original_undated", date=_join_and([house_date(d) for d in made]))]
    add("body", say("opening", originals=_join_and(mentions)))

    for theme, items in _themes_in_order(letter.items, say("other_theme")):
        add("heading", theme)
        for item in items:
            blocks.extend(_item_blocks(item, say, letter.committee, letter.recipient))

    add("body", say("closing"))
    if letter.clerk_name or letter.clerk_email:
        add("body", say("contact"))
    add("signoff", say("sign_off"))
    add("signature", "\n".join(x for x in (letter.sender, letter.sender_role) if x))
    return blocks


def _same_person(a: str, b: str) -> bool:
    def key(name: str) -> str:
        words = [
            w
            for w in re.split(r"\s+", name.replace(",", " "))
            if w and not re.fullmatch(r"[A-Z]{2,5}", w)
        ]
        return " ".join(words).lower()

    return bool(a.strip()) and key(a) == key(b)


# Words that say which body a committee belongs to, not which committee it is.
_COMMITTEE_BODIES = (
    ("london", "assembly"),
    ("london", "assemblys"),
    ("house", "of", "commons"),
    ("house", "of", "lords"),
    ("uk", "parliament"),
    ("commons",),
    ("lords",),
)


def _committee_key(name: str) -> tuple[str, ...]:
    words = re.sub(r"[^\w\s]", "", name.lower().replace("&", " and ")).split()
    full = tuple(words)
    words = [w for w in words if w != "select"]
    if words[:1] == ["the"]:
        words = words[1:]
    for body in _COMMITTEE_BODIES:
        if tuple(words[: len(body)]) == body and len(words) > len(body):
            words = words[len(body) :]
            break
    if words[:1] == ["the"]:
        words = words[1:]
    return tuple(words) or full


def same_committee(meeting_committee: str, committee: str) -> bool:
    """Whether a meeting's committee is the letter's own (an unknown one is taken to be):
    "London Assembly Police and Crime Committee", "The Police & Crime Committee" and "Police and
    Crime Committee" are one committee; the Home Affairs Committee is another."""
    if not _clean(meeting_committee):
        return True
    return _committee_key(meeting_committee) == _committee_key(committee)


_SMALL_WORDS = {"and", "of", "the", "for", "on", "in"}


def committee_name(name: str) -> str:
    """A committee's name to follow "the" in a sentence ("HOME AFFAIRS COMMITTEE" -> "Home Affairs
    Committee"; "The Justice Committee" -> "Justice Committee"; "London Assembly (Plenary)" ->
    "London Assembly")."""
    name = _clean(name)
    if name.isupper():
        name = " ".join(
            w.lower() if i and w.lower() in _SMALL_WORDS else w.capitalize()
            for i, w in enumerate(name.split())
        )
    name = re.sub(r"\s*\((?:plenary|[^()]*meeting[^()]*)\)$", "", name, flags=re.IGNORECASE)
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)


def _item_blocks(item: ItemInput, say: _Words, committee: str, recipient: str) -> list[Block]:
    out: list[Block] = []
    quoted_meetings = {q.meeting for q in item.quotes if q.meeting}
    carried = [
        n
        for n in item.footnotes
        if _clean(n.text) and not (n.meeting_date and n.meeting_date in quoted_meetings)
    ]
    recap = say("recap", made=house_date(item.letter_date or item.made), ask=inner_quote(item.ask))
    out.append(Block("body", (recap, *(Note(_clean(n.text), n.urls) for n in carried))))

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

    intro_key = None
    for quote in item.quotes:
        text = inner_quote(quote.text)
        if not text:
            continue
        meeting = house_date(quote.meeting) if quote.meeting else ""
        other = (
            "" if same_committee(quote.committee, committee) else committee_name(quote.committee)
        )
        key = (meeting, _clean(quote.speaker), other)
        if key != intro_key and meeting:
            if quote.speaker and _same_person(quote.speaker, recipient):
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
                            speaker=_clean(quote.speaker),
                            meeting_committee=other,
                        ),
                    ),
                )
            )
        intro_key = key
        citation = _clean(quote.citation) or say(
            "quote_citation", committee=other or committee, meeting=meeting or "undated meeting"
        )
        out.append(Block("quote", (f"“{text}”", Note(citation, quote.urls))))

    if item.follow_up_ask.strip():
        ask = _clean(item.follow_up_ask)
    elif item.response is None:
        ask = say("ask_no_response")
    elif item.follow_up_needed:
        ask = say("ask_follow_up")
    else:
        ask = say("ask_update")
    out.append(Block("body", (Strong(ask),)))
    return [b for b in out if b.text.strip()]  # a wording set to "" leaves its paragraph out


# --- rendering ----------------------------------------------------------------------------------


def open_template(template: str | Path | None = None):
    """A python-docx Document of the template (.docx or .dotx), body emptied, section kept."""
    import docx

    path = Path(template) if template else default_template()
    if not path.is_file():
        raise NotFound(f"The letter template {path.name} does not exist ({path}).")
    try:
        data = path.read_bytes()
        if path.suffix.lower() in (".dotx", ".dotm") or _is_word_template(data):
            data = _template_as_document(data)
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InvalidInput(
            f"{path.name} is not a Word .docx file that can be used as a letter template ({exc})."
        ) from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _is_word_template(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"template.main+xml" in z.read("[Content_Types].xml")


def _template_as_document(data: bytes) -> bytes:
    """A .dotx is a .docx with another content type for its main part."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml"
                )
                content = content.replace(
                    b"ms-word.template.macroEnabledTemplate.main+xml",
                    b"wordprocessingml.document.main+xml",
                )
            target.writestr(info, content)
    return out.getvalue()


def _style_by_name(document, name: str, kind):
    try:
        style = document.styles[name]
    except KeyError:
        return None
    return style if style.type == kind else None


def resolve_styles(document) -> dict[str, str]:
    """Role → style id in this document; a style the template lacks is added plainly (no fonts)."""
    ids: dict[str, str] = {}
    normal = _style_by_name(document, "Normal", WD_STYLE_TYPE.PARAGRAPH)
    for role, (name, plain) in PARAGRAPH_ROLES.items():
        style = _style_by_name(document, name, WD_STYLE_TYPE.PARAGRAPH)
        if style is None:
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            fmt = style.paragraph_format
            if plain.get("align") == "right":
                fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if "after" in plain:
                fmt.space_after = Pt(plain["after"])
            if "before" in plain:
                fmt.space_before = Pt(plain["before"])
            if plain.get("keep"):
                fmt.keep_with_next = True
            if "indent" in plain:
                fmt.left_indent = fmt.right_indent = Cm(plain["indent"])
            if plain.get("bold"):
                style.font.bold = True
        ids[role] = style.style_id
    ask = _style_by_name(document, ASK_STYLE, WD_STYLE_TYPE.CHARACTER) or _style_by_name(
        document, "Strong", WD_STYLE_TYPE.CHARACTER
    )
    if ask is None:
        ask = document.styles.add_style(ASK_STYLE, WD_STYLE_TYPE.CHARACTER)
        ask.font.bold = True
    ids["ask"] = ask.style_id
    return ids


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _run(text: str, style_id: str | None = None):
    r = OxmlElement("w:r")
    if style_id:
        rpr = OxmlElement("w:rPr")
        rstyle = OxmlElement("w:rStyle")
        rstyle.set(qn("w:val"), style_id)
        rpr.append(rstyle)
        r.append(rpr)
    for i, line in enumerate(text.split("\n")):
        if i:
            r.append(OxmlElement("w:br"))
        if line:
            t = OxmlElement("w:t")
            t.text = line
            if line != line.strip():
                t.set(_XML_SPACE, "preserve")
            r.append(t)
    return r


def render(
    blocks: Sequence[Block],
    template: str | Path | None = None,
    *,
    title: str = "",
    author: str = "",
):
    """A python-docx Document holding ``blocks``, styled by the template (footnotes not yet renumbered)."""
    document = open_template(template)
    styles = resolve_styles(document)
    notes = fn.Footnotes(document)
    sect_pr = document.element.body.find(qn("w:sectPr"))
    for block in blocks:
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        pstyle = OxmlElement("w:pStyle")
        pstyle.set(qn("w:val"), styles[block.role])
        ppr.append(pstyle)
        p.append(ppr)
        if sect_pr is not None:
            sect_pr.addprevious(p)
        else:
            document.element.body.append(p)
        previous = None
        for part in block.parts:
            if isinstance(part, Note):
                if isinstance(previous, Note):  # ⁹,¹⁰ as Word sets neighbouring references, not ⁹¹⁰
                    p.append(_run(",", notes.reference_style))
                notes.add(p, part.text, urls=part.urls)
            elif isinstance(part, Strong):
                p.append(_run(part.text, styles["ask"]))
            else:
                p.append(_run(part))
            previous = part
    props = document.core_properties
    props.title = title
    props.author = author
    props.comments = ""
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.last_modified_by = author
    props.revision = 1
    return document


@dataclass(frozen=True)
class Written:
    path: Path
    paragraphs: int
    footnotes: int


def save(document, target: str | Path) -> int:
    """Renumber the footnotes and write ``target`` atomically (FileLocked if Word has it open)."""
    with output_file(Path(target)) as tmp:
        count = fn.save(document, tmp)
    return count


def write_letter(
    letter: LetterInput, target: str | Path, template: str | Path | None = None
) -> Written:
    blocks = compose(letter)
    title = letter.subject or next((b.text for b in blocks if b.role == "subject"), "")
    document = render(blocks, template, title=title, author=letter.committee)
    count = save(document, target)
    return Written(path=Path(target), paragraphs=len(blocks), footnotes=count)
