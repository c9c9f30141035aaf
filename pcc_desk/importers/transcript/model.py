"""What a transcript is read into: the parsed transcript, its speaker turns, and the paragraphs
the formats give."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

TRANSCRIPT_SUFFIXES = (".txt", ".md", ".rst", ".docx", ".pdf")
COMMITTEE_ABBREVIATIONS = {"pcc": "Police and Crime Committee"}
MAX_HEADER_PARAGRAPHS = 40


@dataclass(frozen=True)
class ParsedSegment:
    speaker: str  # as written, without the trailing colon
    speaker_name: str  # the person, honours dropped, one form per person in the transcript
    role: str
    text: str
    page: int | None = None


@dataclass(frozen=True)
class ParsedTranscript:
    committee: str
    meeting_date: dt.date
    title: str
    segments: tuple[ParsedSegment, ...]
    source_name: str = ""
    format: str = ""  # "text" | "docx" | "pdf"
    notes: tuple[str, ...] = ()  # what was read without confidence, for the clerk to check

    @property
    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.segments)


@dataclass(frozen=True)
class _Para:
    text: str
    page: int | None = None
    label: bool = False  # the layout says it opens a speaker turn (a speaker | words table row)
