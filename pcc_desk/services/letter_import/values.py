"""What importing a letter hands out: the preview, its comparison with the register, the result of
saving it, and of taking an import out again."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from pcc_desk.letter_values import (
    ParsedLetter,
)
from pcc_desk.model import (
    DocumentKind,
)
from pcc_desk.services.follow_ups import FollowsUp
from pcc_desk.vocabulary import ChangeKind as C

CHANGES = (C.DOCUMENTS, C.RECOMMENDATIONS, C.FOOTNOTES, C.THEMES)  # what an import writes


SIMILAR = 0.6  # difflib ratio above which a reworded ask is "changed" rather than new + removed


OUTCOME_IMPORTED = "imported"


OUTCOME_DUPLICATE = "duplicate"


OUTCOME_REIMPORTED = "reimported"


@dataclass(frozen=True)
class PriorImport:
    document_id: uuid.UUID
    file_name: str
    imported_on: dt.date
    date: dt.date | None
    subject: str


@dataclass(frozen=True)
class AskMatch:
    """How one ask of the file relates to the register: ``new``, ``unchanged`` or ``changed``."""

    status: str
    ref: str  # the existing reference, or the one a new ask would get
    text: str
    register_text: str = ""  # the register's wording, for unchanged/changed


@dataclass(frozen=True)
class RemovedAsk:
    ref: str
    text: str


@dataclass(frozen=True)
class Comparison:
    matches: tuple[AskMatch, ...]  # aligned with the letter's asks
    removed: tuple[RemovedAsk, ...] = ()
    previous: PriorImport | None = None  # set for the re-import of an edited letter

    @property
    def new(self) -> tuple[AskMatch, ...]:
        return tuple(m for m in self.matches if m.status == "new")

    @property
    def changed(self) -> tuple[AskMatch, ...]:
        return tuple(m for m in self.matches if m.status == "changed")


@dataclass(frozen=True)
class LetterPreview:
    path: str
    file_name: str
    sha256: str
    size: int
    letter: ParsedLetter
    comparison: Comparison
    duplicate_of: PriorImport | None = None
    # for each ask as read, the earlier ask it follows up (set on the ask as ``link_to``), or None
    follows_up: tuple[FollowsUp | None, ...] = ()

    @property
    def is_reimport(self) -> bool:
        return self.comparison.previous is not None


@dataclass(frozen=True)
class ImportResult:
    outcome: str  # imported | duplicate | reimported
    message: str
    file_name: str
    letter: ParsedLetter
    comparison: Comparison
    document_id: uuid.UUID | None = None
    refs: tuple[str, ...] = ()  # the recommendations added
    operation_id: uuid.UUID | None = None  # the journal's row of the import (undo, redo)


@dataclass(frozen=True)
class UndoneImport:
    document_id: uuid.UUID
    file_name: str
    sha256: str
    refs: tuple[str, ...]  # the recommendations removed
    footnotes: int
    themes: tuple[str, ...]  # the themes removed (made by this import, used by nothing else)
    message: str


@dataclass(frozen=True)
class FoundImport:
    document_id: uuid.UUID
    kind: DocumentKind
    file_name: str
    transcript_id: uuid.UUID | None = None  # set when the file was imported as a transcript
