"""Frozen records the services hand out (never live ORM objects), and how to turn them into JSON.

Each is made from its table row by one mapper in :mod:`pcc_desk.services.records`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import uuid
from dataclasses import dataclass
from typing import Any

from pcc_desk.dates import house_date
from pcc_desk.vocabulary import (  # (not pcc_desk.model: no SQLAlchemy to read the table ahead)
    Assessment,
    Implementation,
    Position,
    Priority,
    RecommendationKind,
    ResponseKind,
    Status,
)


@dataclass(frozen=True)
class FootnoteRecord:
    id: uuid.UUID
    number: int
    text: str
    urls: tuple[str, ...] = ()
    meeting_date: dt.date | None = None
    committee: str = ""
    transcript_id: uuid.UUID | None = None
    document_id: uuid.UUID | None = None


@dataclass(frozen=True)
class QuoteRecord:
    id: uuid.UUID
    transcript_id: uuid.UUID
    segment_id: uuid.UUID
    start: int
    end: int
    text: str
    speaker: str
    citation: str
    meeting_date: dt.date | None = None
    segment_ordinal: int = 0  # the quoted turn's place in its meeting


def citation(committee: str, day: dt.date | None) -> str:
    """The house style of the Committee's footnotes: "Police and Crime Committee, 12 October 2022 – transcript"."""
    parts = [p for p in (committee, house_date(day) if day else "") if p]
    return f"{', '.join(parts)} – transcript" if parts else "Transcript"


@dataclass(frozen=True)
class SegmentRecord:
    """One speaker turn of a transcript."""

    id: uuid.UUID
    ordinal: int  # its place in the meeting, from 1
    speaker: str
    speaker_name: str
    role: str
    text: str
    page: int | None


@dataclass(frozen=True)
class TranscriptRecord:
    id: uuid.UUID
    committee: str
    date: dt.date | None
    title: str
    file_name: str = ""
    sha256: str = ""
    segment_count: int = 0
    word_count: int | None = None  # counted when one transcript is read, not in the list
    quote_count: int = 0

    @property
    def citation(self) -> str:
        return citation(self.committee, self.date)


@dataclass(frozen=True)
class ResponseRecord:
    id: uuid.UUID
    ref: str
    received: dt.date
    from_whom: str
    text: str
    position: Position
    implementation: Implementation
    assessment: Assessment
    evidence: str
    document_id: uuid.UUID | None = None
    kind: ResponseKind = ResponseKind.RESPONSE
    version: int = 0  # raised by every change of the row (see services.versions)
    addressee: str = ""  # the addressee of the ask it came from


@dataclass(frozen=True)
class StatusChangeRecord:
    id: uuid.UUID
    from_status: Status | None
    to_status: Status
    changed_at: dt.datetime
    changed_by: str
    note: str


@dataclass(frozen=True)
class DueRevisionRecord:
    id: uuid.UUID
    old_due: dt.date
    new_due: dt.date
    reason: str
    changed_at: dt.datetime
    changed_by: str


@dataclass(frozen=True)
class TargetRevisionRecord:
    id: uuid.UUID
    old_target: dt.date | None
    new_target: dt.date | None
    reason: str
    changed_at: dt.datetime
    changed_by: str
    response_id: uuid.UUID | None = None


@dataclass(frozen=True)
class EvidenceRecord:
    """A file kept as evidence: its name, where its kept copy is (relative to the files folder) and
    what it is attached to (the ask; one of its responses or status changes; a verification)."""

    id: uuid.UUID
    file_name: str
    sha256: str
    stored_path: str
    note: str
    attached_at: dt.datetime
    response_id: uuid.UUID | None = None
    status_change_id: uuid.UUID | None = None
    verification_id: uuid.UUID | None = None


@dataclass(frozen=True)
class VerificationRecord:
    """The Committee's own check that an ask was done."""

    id: uuid.UUID
    verified_on: dt.date
    verified_by: str
    note: str
    evidence: tuple[EvidenceRecord, ...] = ()


def shown_ref(ref: str, provisional: bool) -> str:
    """A reference as a clerk is shown it (lists, detail, letters): marked while provisional."""
    return f"{ref} (provisional)" if provisional else ref


@dataclass(frozen=True)
class RecommendationSummary:
    """One row of the register."""

    id: uuid.UUID
    ref: str
    kind: RecommendationKind
    text: str
    theme: str
    addressee: str
    made: dt.date
    due: dt.date
    status: Status
    priority: Priority
    latest_assessment: Assessment | None = None
    latest_position: Position | None = None
    document_id: uuid.UUID | None = None
    ordinal: int = 0  # its place in its letter
    # made on a laptop copy and not yet synced: ``ref`` is the laptop's numbering until the team
    # register gives the final one (:mod:`pcc_desk.services.sync_state`)
    provisional: bool = False
    # a joint ask's addressees, each with its own status (empty for an ask to one addressee)
    addressee_lines: tuple[AddresseeLine, ...] = ()

    @property
    def shown_ref(self) -> str:
        """The reference as a clerk is shown it, marked when it is provisional."""
        return shown_ref(self.ref, self.provisional)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.status is Status.AWAITING_RESPONSE and self.due < (today or dt.date.today())


@dataclass(frozen=True)
class AddresseeLine:
    """One addressee of a joint ask as the register's table shows it under the ask's row."""

    name: str
    status: Status
    due: dt.date
    position: Position | None = None  # its latest response's

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.status is Status.AWAITING_RESPONSE and self.due < (today or dt.date.today())


ADDRESSEE_SEPARATOR = "; "  # between the names of an ask's several addressees, in its one field


@dataclass(frozen=True)
class AddresseeRecord:
    """One addressee of an ask: its own clock, target date, status and responses."""

    id: uuid.UUID
    name: str
    ordinal: int
    status: Status
    original_due: dt.date
    due: dt.date
    original_target: dt.date | None = None
    target: dt.date | None = None
    position: Position | None = None  # its latest response's
    next_update_due: dt.date | None = None
    responses: tuple[ResponseRecord, ...] = ()
    version: int = 0

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.status is Status.AWAITING_RESPONSE and self.due < (today or dt.date.today())


@dataclass(frozen=True)
class RecommendationDetail(RecommendationSummary):
    context: str = ""
    notes: str = ""
    original_due: dt.date | None = None
    source_title: str = ""
    source_date: dt.date | None = None
    footnotes: tuple[FootnoteRecord, ...] = ()
    quotes: tuple[QuoteRecord, ...] = ()
    responses: tuple[ResponseRecord, ...] = ()
    due_revisions: tuple[DueRevisionRecord, ...] = ()
    history: tuple[StatusChangeRecord, ...] = ()
    original_target: dt.date | None = None
    target: dt.date | None = None
    target_revisions: tuple[TargetRevisionRecord, ...] = ()
    next_update_due: dt.date | None = None
    verifications: tuple[VerificationRecord, ...] = ()
    evidence: tuple[EvidenceRecord, ...] = ()  # every file kept for it, verifications' included
    addressees: tuple[AddresseeRecord, ...] = ()  # each with its clock, status and responses
    rag: str | None = None  # the clerk's own RAG rating (Red, Amber, Green); None: derived
    rag_reason: str = ""  # why the clerk set it
    version: int = 0  # raised by every change of the row: an edit names the one it started from


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, dates and UUIDs as plain JSON values."""
    return _plain(value)


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)
