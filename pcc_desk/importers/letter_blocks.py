"""The shape every format reader gives :mod:`letter_structure`: paragraphs (:class:`Block`) of
:class:`Inline` pieces, footnote bodies (:class:`RawNote`), and the small text helpers they share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pcc_desk.dates import DAY_MONTH_YEAR, parse_date
from pcc_desk.letter_values import ParsedFootnote


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
