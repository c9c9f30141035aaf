"""What reading a letter (or minutes) produces: plain frozen dataclasses, no database.

A foundation module (standard library only): the importers make these values, the services save
them, and the review dialog shows them and edits them with the pure functions at the bottom of this
module (each returns a new ``ParsedLetter``), so the desktop never imports the importers for them.
Every reader (.md/.txt, .docx, .pdf, minutes) returns a :class:`ParsedLetter`; the import service
saves whatever the clerk ends up with.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

KIND_RECOMMENDATION = "recommendation"
KIND_UNDERTAKING = "undertaking"

DOC_LETTER = "letter"
DOC_MINUTES = "minutes"


@dataclass(frozen=True)
class LetterHead:
    date: dt.date | None = None
    sender: str = ""
    sender_role: str = ""
    recipient: str = ""
    recipient_role: str = ""
    cc: tuple[str, ...] = ()
    salutation: str = ""
    subject: str = ""


@dataclass(frozen=True)
class ParsedFootnote:
    number: int
    text: str
    urls: tuple[str, ...] = ()
    committee: str = ""  # set when the note cites a committee meeting
    meeting_date: dt.date | None = None


@dataclass(frozen=True)
class ParsedAsk:
    """One ask: ``text`` is the bold span (or the promise, for minutes); ``context`` its paragraph."""

    theme: str
    text: str
    context: str
    footnotes: tuple[int, ...] = ()
    kind: str = KIND_RECOMMENDATION
    addressee: str = ""  # empty: the letter's recipient
    made: dt.date | None = None  # empty: the letter's date
    # the earlier ask this one is linked to when saved (a follow-up found at import, or a repeat the
    # clerk confirmed in the review): its reference and the LinkKind slug; "" for none
    link_to: str = ""
    link_kind: str = ""
    # the paragraphs read between the previous ask and this one (a follow-up's recap of what was
    # asked before); not part of the ask, so not compared
    lead_in: str = dataclasses.field(default="", compare=False)
    # several addressees the ask names ("the Met and MOPAC should…"), for the clerk to confirm;
    # empty: the one addressee above
    addressees: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedLetter:
    head: LetterHead
    themes: tuple[str, ...] = ()
    asks: tuple[ParsedAsk, ...] = ()
    suggested: tuple[ParsedAsk, ...] = ()  # read like asks but are not bold: saved only if accepted
    footnotes: tuple[ParsedFootnote, ...] = ()
    source_format: str = ""  # "text" | "docx" | "pdf"
    document_kind: str = DOC_LETTER  # "letter" | "minutes"
    warnings: tuple[str, ...] = ()

    def footnote(self, number: int) -> ParsedFootnote | None:
        return next((n for n in self.footnotes if n.number == number), None)


# --- editing, for the review dialog: each returns a new ParsedLetter ------------------------------


def _check_index(letter: ParsedLetter, index: int) -> None:
    if not 0 <= index < len(letter.asks):
        raise IndexError(f"there is no ask number {index + 1}")


def _with_themes(letter: ParsedLetter, asks: tuple[ParsedAsk, ...]) -> ParsedLetter:
    themes = list(letter.themes)
    for ask in asks:
        if ask.theme and ask.theme not in themes:
            themes.append(ask.theme)
    return dataclasses.replace(letter, asks=asks, themes=tuple(themes))


def edit_ask(letter: ParsedLetter, index: int, **changes: Any) -> ParsedLetter:
    """Change an ask's text, context, theme, footnotes, kind, addressee or made date."""
    _check_index(letter, index)
    asks = list(letter.asks)
    if "footnotes" in changes:
        changes["footnotes"] = tuple(sorted(set(changes["footnotes"])))
    asks[index] = dataclasses.replace(asks[index], **changes)
    return _with_themes(letter, tuple(asks))


def drop_ask(letter: ParsedLetter, index: int) -> ParsedLetter:
    _check_index(letter, index)
    return dataclasses.replace(letter, asks=letter.asks[:index] + letter.asks[index + 1 :])


def merge_asks(letter: ParsedLetter, first: int, second: int) -> ParsedLetter:
    """Join two asks into one (kept at the first's place, under the first's theme)."""
    _check_index(letter, first)
    _check_index(letter, second)
    if first == second:
        return letter
    first, second = sorted((first, second))
    a, b = letter.asks[first], letter.asks[second]
    context = a.context if a.context == b.context else f"{a.context} {b.context}".strip()
    merged = dataclasses.replace(
        a,
        text=f"{a.text} {b.text}".strip(),
        context=context,
        footnotes=tuple(sorted(set(a.footnotes) | set(b.footnotes))),
    )
    asks = list(letter.asks)
    asks[first] = merged
    del asks[second]
    return dataclasses.replace(letter, asks=tuple(asks))


def split_ask(letter: ParsedLetter, index: int, at: int) -> ParsedLetter:
    """Cut an ask's text at character ``at`` into two asks with the same context and footnotes."""
    _check_index(letter, index)
    ask = letter.asks[index]
    head, tail = ask.text[:at].strip(), ask.text[at:].strip()
    if not head or not tail:
        raise ValueError("splitting there would leave an empty ask")
    asks = list(letter.asks)
    asks[index : index + 1] = [
        dataclasses.replace(ask, text=head),
        dataclasses.replace(ask, text=tail),
    ]
    return dataclasses.replace(letter, asks=tuple(asks))


def split_sentences(letter: ParsedLetter, index: int) -> ParsedLetter:
    """Cut an ask into one ask per sentence."""
    _check_index(letter, index)
    ask = letter.asks[index]
    parts = sentences(ask.text)
    if len(parts) < 2:
        return letter
    asks = list(letter.asks)
    asks[index : index + 1] = [dataclasses.replace(ask, text=p) for p in parts]
    return dataclasses.replace(letter, asks=tuple(asks))


def accept_suggestions(letter: ParsedLetter, indices: Iterable[int]) -> ParsedLetter:
    """Move the chosen suggestions into the asks, each placed after the asks of its paragraph/theme."""
    chosen = sorted(set(indices))
    for i in chosen:
        if not 0 <= i < len(letter.suggested):
            raise IndexError(f"there is no suggestion number {i + 1}")
    asks = list(letter.asks)
    theme_order = {t: n for n, t in enumerate(letter.themes)}
    for i in chosen:
        sug = letter.suggested[i]
        # after the last ask of the same theme, else after the asks of earlier themes
        rank = theme_order.get(sug.theme, len(theme_order))
        pos = 0
        for n, ask in enumerate(asks):
            if theme_order.get(ask.theme, len(theme_order)) <= rank:
                pos = n + 1
        asks.insert(pos, sug)
    suggested = tuple(s for n, s in enumerate(letter.suggested) if n not in set(chosen))
    return _with_themes(dataclasses.replace(letter, suggested=suggested), tuple(asks))


# --- text helpers shared by the readers -----------------------------------------------------------

_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "Dr.", "Mr.", "Mrs.", "Ms.", "St.", "No.", "cf.", "vs.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’')\]]*(?=\s+[“\"‘'(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """Split prose into sentences (a full stop, ? or ! before a capital), keeping abbreviations whole."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        piece = text[start:end]
        if any(piece.endswith(a) for a in _ABBREVIATIONS):
            continue
        if piece.strip():
            out.append(piece.strip())
        start = end
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def normalise_for_match(text: str) -> str:
    """Lower-case words only: how two wordings of an ask are compared on re-import."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")))
