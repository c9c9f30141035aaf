"""An ask's addressees: the Met, MOPAC, the Mayor... each with its own clock (the date its response
is due, as first set and as revised), the target date it gave for doing what was asked, and its own
status. The recommendation keeps the combined status (see
:func:`pcc_desk.services.register.addressees.combined_status`); a response belongs to one addressee."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcc_desk.model.base import Base, Timestamped, _enum
from pcc_desk.vocabulary import Status

if TYPE_CHECKING:
    from pcc_desk.model import Recommendation


class Addressee(Timestamped, Base):
    """One addressee of an ask (its place among them: ``ordinal``, from 0)."""

    __tablename__ = "addressees"
    __table_args__ = (UniqueConstraint("recommendation_id", "name"),)

    recommendation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text, default="")
    original_due: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date)  # the latest revision
    original_target: Mapped[dt.date | None] = mapped_column(Date)
    target: Mapped[dt.date | None] = mapped_column(Date)  # the latest revision
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.AWAITING_RESPONSE)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    recommendation: Mapped[Recommendation] = relationship(back_populates="addressees")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (declarative; the base types it)
