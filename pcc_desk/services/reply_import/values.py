"""What importing a reply hands out: the preview (the letter it answers, each ask with the passages
that may answer it), the clerk's answers, and the result of saving them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from pcc_desk.vocabulary import ChangeKind as C
from pcc_desk.vocabulary import Position

CHANGES = (C.DOCUMENTS, C.RESPONSES, C.RECOMMENDATIONS)  # what an import of a reply writes

HIGH, MEDIUM, LOW = "high", "medium", "low"


@dataclass(frozen=True)
class LetterAnswered:
    document_id: uuid.UUID
    title: str
    date: dt.date | None
    recipient: str = ""


@dataclass(frozen=True)
class PassageScore:
    index: int  # the passage's place in the reply, from 0
    text: str
    score: float
    shared: tuple[str, ...] = ()  # the words it shares with the ask (for highlighting)


@dataclass(frozen=True)
class AskSuggestion:
    """One ask of the letter and what the reply says to it: ``passages`` best first (the suggestion,
    then up to 3 alternatives); ``chosen`` the suggested passage (None: not answered in this reply)."""

    ref: str
    number: int  # its place in the letter, from 1
    text: str
    context: str
    passages: tuple[PassageScore, ...]
    chosen: int | None
    position: Position
    position_words: str  # the words the position was read from ('' when none said it)
    confidence: str  # high | medium | low ('' when not answered)


@dataclass(frozen=True)
class ReplyPreview:
    path: str
    file_name: str
    sha256: str
    letter: LetterAnswered
    letter_reason: str  # why this letter (given, or found: its date named, its subject...)
    received: dt.date | None  # the reply's date (or the date given)
    sender: str
    passages: tuple[str, ...]
    suggestions: tuple[AskSuggestion, ...]
    in_order: bool  # whether the reply was matched in the letter's order
    warnings: tuple[str, ...] = ()

    @property
    def unanswered(self) -> tuple[str, ...]:
        return tuple(s.ref for s in self.suggestions if s.chosen is None)

    @property
    def unmatched_passages(self) -> tuple[int, ...]:
        used = {s.chosen for s in self.suggestions}
        return tuple(n for n in range(len(self.passages)) if n not in used)


@dataclass(frozen=True)
class Answer:
    """What the clerk saves for one ask: the text of its response and the Met's position."""

    ref: str
    text: str
    position: Position


@dataclass(frozen=True)
class ReplyImportResult:
    message: str
    document_id: uuid.UUID
    refs: tuple[str, ...]
    operation_id: uuid.UUID | None = None
