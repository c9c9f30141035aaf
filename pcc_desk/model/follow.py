"""The models of following an ask through: target dates for doing it, the Committee's verification
that it was done, and the evidence files kept for it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcc_desk.model.base import Base, Timestamped, utcnow

if TYPE_CHECKING:
    from pcc_desk.model import Document, Recommendation


class TargetDateRevision(Timestamped, Base):
    """A target date for doing what was asked, given or revised, with its reason (append-only); the
    first has no ``old_target``. ``response_id``: the response that gave it, if one did."""

    __tablename__ = "target_date_revisions"

    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    old_target: Mapped[dt.date | None] = mapped_column(Date)
    new_target: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(Text, default="")
    response_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("responses.id", ondelete="SET NULL")
    )

    recommendation: Mapped[Recommendation] = relationship(back_populates="target_revisions")


class Verification(Timestamped, Base):
    """The Committee's own check that an ask was done: who verified it, when, and the note (what was
    seen); its evidence files are :class:`Evidence` rows. Apart from what the addressee reports."""

    __tablename__ = "verifications"

    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    verified_on: Mapped[dt.date] = mapped_column(Date)
    verified_by: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")

    recommendation: Mapped[Recommendation] = relationship(back_populates="verifications")


class Evidence(Timestamped, Base):
    """A file kept as evidence for an ask (content-addressed, as a :class:`Document` like imports),
    attached to the ask, to one of its responses or status changes, or to a verification."""

    __tablename__ = "evidence"

    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="RESTRICT"), index=True
    )
    response_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("responses.id", ondelete="SET NULL")
    )
    status_change_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("status_changes.id", ondelete="SET NULL")
    )
    verification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("verifications.id", ondelete="CASCADE")
    )
    note: Mapped[str] = mapped_column(Text, default="")

    recommendation: Mapped[Recommendation] = relationship(back_populates="evidence")
    document: Mapped[Document] = relationship()
