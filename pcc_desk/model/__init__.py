"""The register's data model: SQLAlchemy 2 typed models.

Every row has a UUID primary key (so two clerks' databases can later be merged without clashes) and
created/updated timestamps. Enumerations are stored as their slugs (``follow-up-needed``), the same
words the CLI accepts; lists and settings as JSON columns (SQLAlchemy's ``JSON``: values in, values
out, never decoded by hand). An order number is an ``ordinal`` (a turn's place in its meeting, an
ask's in its letter); ``position`` is only ever the Met's position on an ask (:class:`Position`).
Only :mod:`pcc_desk.services` should open sessions on these models; the UI never sees them (it gets
frozen dataclasses). The records a clerk edits in place (recommendations, themes, responses,
settings) carry a ``version`` that SQLAlchemy raises with every change of the row
(``version_id_col``; see :mod:`pcc_desk.services.versions`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcc_desk.model.addressees import Addressee
from pcc_desk.model.base import NAMING_CONVENTION, Base, Timestamped, _enum, replay_clock, utcnow
from pcc_desk.model.follow import Evidence, TargetDateRevision, Verification
from pcc_desk.vocabulary import (  # re-exported: ``from pcc_desk.model import Status`` still works
    Assessment,
    DocumentKind,
    Implementation,
    LinkKind,
    OperationKind,
    Position,
    Priority,
    RecommendationKind,
    RecordKind,
    ResponseKind,
    SlugEnum,
    Status,
)

__all__ = [
    "NAMING_CONVENTION",
    "RECORD_MODELS",
    "Addressee",
    "Assessment",
    "Base",
    "DocumentKind",
    "Evidence",
    "Implementation",
    "LinkKind",
    "OperationKind",
    "Position",
    "Priority",
    "RecommendationKind",
    "RecordKind",
    "ResponseKind",
    "SlugEnum",
    "Status",
    "TargetDateRevision",
    "Timestamped",
    "Verification",
    "replay_clock",
    "utcnow",
]

recommendation_footnotes = Table(
    "recommendation_footnotes",
    Base.metadata,
    Column(
        "recommendation_id",
        Uuid,
        ForeignKey("recommendations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("footnote_id", Uuid, ForeignKey("footnotes.id", ondelete="CASCADE"), primary_key=True),
)


class Document(Timestamped, Base):
    """A letter, report, response, minutes or transcript file, incoming or outgoing."""

    __tablename__ = "documents"

    kind: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind))
    title: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[dt.date | None] = mapped_column(Date)
    sender: Mapped[str] = mapped_column(Text, default="")
    sender_role: Mapped[str] = mapped_column(Text, default="")
    recipient: Mapped[str] = mapped_column(Text, default="")
    recipient_role: Mapped[str] = mapped_column(Text, default="")
    cc: Mapped[list[str]] = mapped_column(JSON, default=list)  # "Name, Role" strings
    salutation: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    stored_path: Mapped[str | None] = mapped_column(Text)  # relative to the files folder
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )

    themes: Mapped[list[Theme]] = relationship(back_populates="document", order_by="Theme.ordinal")
    footnotes: Mapped[list[Footnote]] = relationship(
        back_populates="document", order_by="Footnote.number", cascade="all, delete-orphan"
    )
    recommendations: Mapped[list[Recommendation]] = relationship(back_populates="document")


class Theme(Timestamped, Base):
    """A section heading that recommendations sit under, in its letter's order."""

    __tablename__ = "themes"

    name: Mapped[str] = mapped_column(Text)
    ordinal: Mapped[int] = mapped_column(Integer, default=0)  # its place in its letter, from 0
    document_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )

    version: Mapped[int] = mapped_column(Integer, server_default="1")

    document: Mapped[Document | None] = relationship(back_populates="themes")
    recommendations: Mapped[list[Recommendation]] = relationship(back_populates="theme")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (declarative; the base types it)


class Recommendation(Timestamped, Base):
    """One ask of the Committee, a request for information, or a witness's undertaking."""

    __tablename__ = "recommendations"

    ref: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[RecommendationKind] = mapped_column(
        _enum(RecommendationKind), default=RecommendationKind.RECOMMENDATION
    )
    text: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(Text, default="")
    theme_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    addressee: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer, default=0)  # its place in its letter, from 0
    made: Mapped[dt.date] = mapped_column(Date)
    original_due: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date, index=True)  # the latest revision
    status: Mapped[Status] = mapped_column(
        _enum(Status), default=Status.AWAITING_RESPONSE, index=True
    )
    priority: Mapped[Priority] = mapped_column(_enum(Priority), default=Priority.NORMAL)
    notes: Mapped[str] = mapped_column(Text, default="")
    # when the addressee says it will be done (from a response; apart from the response due date)
    original_target: Mapped[dt.date | None] = mapped_column(Date)
    target: Mapped[dt.date | None] = mapped_column(Date)  # the latest revision
    rag: Mapped[str | None] = mapped_column(String(8))  # the clerk's own RAG rating, if any
    rag_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    theme: Mapped[Theme | None] = relationship(back_populates="recommendations")
    document: Mapped[Document | None] = relationship(back_populates="recommendations")
    footnotes: Mapped[list[Footnote]] = relationship(
        secondary=recommendation_footnotes,
        back_populates="recommendations",
        order_by="Footnote.number",
    )
    responses: Mapped[list[Response]] = relationship(
        back_populates="recommendation",
        order_by="(Response.received, Response.created_at)",
        cascade="all, delete-orphan",
    )
    status_changes: Mapped[list[StatusChange]] = relationship(
        back_populates="recommendation",
        order_by="StatusChange.changed_at",
        cascade="all, delete-orphan",
    )
    due_revisions: Mapped[list[DueDateRevision]] = relationship(
        back_populates="recommendation",
        order_by="DueDateRevision.changed_at",
        cascade="all, delete-orphan",
    )
    target_revisions: Mapped[list[TargetDateRevision]] = relationship(
        back_populates="recommendation",
        order_by="TargetDateRevision.changed_at",
        cascade="all, delete-orphan",
    )
    verifications: Mapped[list[Verification]] = relationship(
        back_populates="recommendation",
        order_by="(Verification.verified_on, Verification.created_at)",
        cascade="all, delete-orphan",
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="recommendation",
        order_by="Evidence.created_at",
        cascade="all, delete-orphan",
    )
    quote_links: Mapped[list[RecommendationQuote]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan"
    )
    addressees: Mapped[list[Addressee]] = relationship(
        back_populates="recommendation", order_by="Addressee.ordinal", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (declarative; the base types it)


class DueDateRevision(Timestamped, Base):
    """A change of a recommendation's response due date, with its reason (append-only)."""

    __tablename__ = "due_date_revisions"

    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    old_due: Mapped[dt.date] = mapped_column(Date)
    new_due: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(Text, default="")

    recommendation: Mapped[Recommendation] = relationship(back_populates="due_revisions")


class Footnote(Timestamped, Base):
    """A footnote as numbered in its source document."""

    __tablename__ = "footnotes"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    committee: Mapped[str] = mapped_column(Text, default="")  # when it cites a meeting
    meeting_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    transcript_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("transcripts.id", ondelete="SET NULL"), index=True
    )

    document: Mapped[Document] = relationship(back_populates="footnotes")
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=recommendation_footnotes, back_populates="footnotes"
    )
    transcript: Mapped[Transcript | None] = relationship()


class Transcript(Timestamped, Base):
    """The transcript of one committee meeting (or agenda item)."""

    __tablename__ = "transcripts"

    document_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    committee: Mapped[str] = mapped_column(Text, default="")
    meeting_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[Document | None] = relationship()
    segments: Mapped[list[Segment]] = relationship(
        back_populates="transcript", order_by="Segment.ordinal", cascade="all, delete-orphan"
    )


class Segment(Timestamped, Base):
    """One speaker turn of a transcript."""

    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("transcript_id", "ordinal"),)

    transcript_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("transcripts.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)  # its place in the meeting, from 1
    speaker: Mapped[str] = mapped_column(Text, default="")  # as written
    speaker_name: Mapped[str] = mapped_column(Text, default="", index=True)  # normalised
    speaker_role: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)

    transcript: Mapped[Transcript] = relationship(back_populates="segments")


class Quote(Timestamped, Base):
    """A verbatim span of one segment: ``segment.text[start:end] == text``."""

    __tablename__ = "quotes"

    transcript_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("transcripts.id", ondelete="RESTRICT"), index=True
    )
    segment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("segments.id", ondelete="RESTRICT"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str] = mapped_column(Text, default="")
    citation: Mapped[str] = mapped_column(Text, default="")

    transcript: Mapped[Transcript] = relationship()
    segment: Mapped[Segment] = relationship()
    recommendation_links: Mapped[list[RecommendationQuote]] = relationship(
        back_populates="quote", cascade="all, delete-orphan"
    )


class RecommendationQuote(Base):
    """A quote attached to a recommendation."""

    __tablename__ = "recommendation_quotes"

    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    quote_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    recommendation: Mapped[Recommendation] = relationship(back_populates="quote_links")
    quote: Mapped[Quote] = relationship(back_populates="recommendation_links")


class RecommendationLink(Timestamped, Base):
    """A clerk's confirmation that an ask repeats (supersedes, is related to) an earlier one."""

    __tablename__ = "recommendation_links"
    __table_args__ = (UniqueConstraint("recommendation_id", "earlier_id"),)

    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    earlier_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[LinkKind] = mapped_column(_enum(LinkKind), default=LinkKind.REPEATS)
    score: Mapped[float | None] = mapped_column(Float)

    recommendation: Mapped[Recommendation] = relationship(foreign_keys=[recommendation_id])
    earlier: Mapped[Recommendation] = relationship(foreign_keys=[earlier_id])


class Response(Timestamped, Base):
    """One response from the Met (or MOPAC) to one recommendation."""

    __tablename__ = "responses"

    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ResponseKind] = mapped_column(
        _enum(ResponseKind),
        default=ResponseKind.RESPONSE,
        server_default=ResponseKind.RESPONSE.value,
    )
    received: Mapped[dt.date] = mapped_column(Date)
    from_whom: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[Position] = mapped_column(_enum(Position))
    implementation: Mapped[Implementation] = mapped_column(
        _enum(Implementation), default=Implementation.NOT_STATED
    )
    assessment: Mapped[Assessment] = mapped_column(
        _enum(Assessment), default=Assessment.NOT_YET_ASSESSED
    )
    evidence: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    # the addressee it came from (one of the ask's)
    addressee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("addressees.id", ondelete="SET NULL"), index=True
    )

    recommendation: Mapped[Recommendation] = relationship(back_populates="responses")
    document: Mapped[Document | None] = relationship()
    addressee: Mapped[Addressee | None] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (declarative; the base types it)


class StatusChange(Timestamped, Base):
    """Append-only audit trail of a recommendation's status."""

    __tablename__ = "status_changes"

    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[Status | None] = mapped_column(_enum(Status))
    to_status: Mapped[Status] = mapped_column(_enum(Status))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    response_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("responses.id", ondelete="SET NULL")
    )

    recommendation: Mapped[Recommendation] = relationship(back_populates="status_changes")


class Setting(Base):
    """The Committee's details and letter wording (key → JSON value). Window state is not here."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, default=None)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (declarative; the base types it)


class Operation(Base):
    """One entry of the operations journal: a change made through the services, written in the same
    transaction as the change itself. Entries are only ever appended: an undo is a new entry (kind
    ``undo``, ``undoes_id`` naming what it undoes) and a redo is one too (``undoes_id`` naming the
    undo it reverses). ``payload`` holds the operation's arguments (records named by id), enough to
    apply it again on another register; applying an id already in the journal does nothing.
    ``records`` lists what it created, changed, removed or used (``{"kind", "id", "role"}``);
    ``replaced`` holds the values it replaced, for undo."""

    __tablename__ = "journal"
    __table_args__ = (Index("ix_journal_actor_seq", "actor", "seq"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    seq: Mapped[int] = mapped_column(Integer, unique=True)  # the order on this register
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # UTC
    actor: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[OperationKind] = mapped_column(_enum(OperationKind))
    summary: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    records: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    replaced: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    undoes_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("journal.id", ondelete="RESTRICT"), index=True
    )


class StoredFile(Base):
    """The bytes of a file a record came from (an imported letter, minutes, a transcript), kept in
    the register itself so that every clerk of a team register can open it: content-addressed by its
    SHA-256, which the :class:`Document` rows that came from it name (``documents.sha256``). Written
    in the import's transaction; deleted with the last record that uses it (see
    :mod:`pcc_desk.services.originals`)."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SyncConflict(Base):
    """A field that a laptop copy and the team register both changed from the same value to
    different ones (found by ``pcc-desk sync``): the server's value stayed, and the clerk chooses
    (``pcc-desk resolve``). Kept on the laptop only: not copied to or from the team register."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (UniqueConstraint("operation_id", "field"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    field: Mapped[str] = mapped_column(String(60))
    base: Mapped[Any] = mapped_column(
        JSON, nullable=True, default=None
    )  # the value both sides started from
    mine: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)  # this laptop's
    theirs: Mapped[Any] = mapped_column(JSON, nullable=True, default=None)  # the server's (kept)
    operation_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # the laptop's edit
    found_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    resolution: Mapped[str | None] = mapped_column(Text, default=None)  # mine | theirs | edited


# The table of each kind of record that has a UUID of its own (a setting is keyed by its name).
RECORD_MODELS: dict[RecordKind, type[Base]] = {
    RecordKind.RECOMMENDATION: Recommendation,
    RecordKind.STATUS_CHANGE: StatusChange,
    RecordKind.DUE_REVISION: DueDateRevision,
    RecordKind.TARGET_REVISION: TargetDateRevision,
    RecordKind.VERIFICATION: Verification,
    RecordKind.EVIDENCE: Evidence,
    RecordKind.RESPONSE: Response,
    RecordKind.THEME: Theme,
    RecordKind.DOCUMENT: Document,
    RecordKind.FOOTNOTE: Footnote,
    RecordKind.TRANSCRIPT: Transcript,
    RecordKind.SEGMENT: Segment,
    RecordKind.QUOTE: Quote,
    RecordKind.LINK: RecommendationLink,
    RecordKind.ADDRESSEE: Addressee,
}
