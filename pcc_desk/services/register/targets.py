"""Target dates: when the addressee says an ask will be done, given in a response or revised later
with a reason, each kept (append-only, like due-date revisions); and when the next progress update
is due. Kept apart from the response due date: an ask answered on time may be done years later."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput
from pcc_desk.model import (
    OperationKind,
    Recommendation,
    Response,
    TargetDateRevision,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import TargetRevisionRecord
from pcc_desk.services.records import target_revision_record
from pcc_desk.services.register.addressees import spread_clock
from pcc_desk.services.register.reading import recommendation_by_id, recommendation_by_ref
from pcc_desk.services.register.rules import after_history, clean_text, merged_target
from pcc_desk.vocabulary import ChangeKind as C


def set_target(
    session: Session,
    op: journal.Pending,
    rec: Recommendation,
    new_target: dt.date | None,
    reason: str,
    response_id: uuid.UUID | None = None,
) -> TargetDateRevision:
    """Give ``rec`` a new target date (None: withdrawn), appending the revision with its reason."""
    if new_target is not None and new_target < rec.made:
        raise InvalidInput(
            f"The target date {house_date(new_target)} is before {rec.ref} was made "
            f"({house_date(rec.made)})."
        )
    if new_target == rec.target and not op.replayed:  # from another register: both kept
        words = house_date(new_target) if new_target else "no date"
        raise InvalidInput(f"{rec.ref}'s target is already {words}.")
    rev = TargetDateRevision(
        id=op.new_id(R.TARGET_REVISION),
        recommendation_id=rec.id,
        old_target=rec.target,
        new_target=new_target,
        reason=reason,
        changed_at=after_history(session, op, TargetDateRevision, rec.id),
        changed_by=op.actor,
        response_id=response_id,
    )
    if op.replayed and "target" in op.origin_replaced:  # made on another register: its own start
        rev.old_target = journal.day(op.origin_replaced["target"])
    op.replaced.setdefault("target", journal.enc(rev.old_target))
    changed = ["target"]
    if rec.original_target is None and new_target is not None:
        op.replaced.setdefault("original_target", None)
        rec.original_target = new_target
        changed.append("original_target")
    session.add(rev)
    if op.replayed:  # ... and the dates the merged history gives (by time)
        new_target, first = merged_target(session, rev)
        if rev.old_target is None and rev.new_target is not None and first is not None:
            rec.original_target = first  # a first target given on both sides: the earlier one
    rec.target = new_target
    session.flush()
    op.created(R.TARGET_REVISION, rev.id)
    op.changed(R.RECOMMENDATION, rec.id, changed)
    return rev


def revise_target(
    desk: Desk, ref: str, new_target: dt.date | None, reason: str
) -> TargetRevisionRecord:
    """Set or revise the date ``ref`` is to be done by (None withdraws it), with the reason."""
    reason = clean_text(reason, "reason for the target date")
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = recommendation_by_ref(session, ref, lock=True)
        op = journal.pending(
            OperationKind.REVISE_TARGET,
            {"recommendation": rec.id, "ref": rec.ref, "target": new_target, "reason": reason},
            desk.user,
        )
        rev = apply_revise_target(session, op, op.payload)
        journal.write(session, op)
        return target_revision_record(rev)


def apply_revise_target(
    session: Session, op: journal.Pending, p: dict[str, Any]
) -> TargetDateRevision:
    rec = recommendation_by_id(session, p["recommendation"], lock=True)
    new_target = journal.day(p["target"]) if p.get("target") else None
    rev = set_target(session, op, rec, new_target, p["reason"])
    spread_clock(op, rec)
    if p.get("clear_original"):  # undoing the first target given: there is no original again
        rec.original_target = None
    words = house_date(new_target) if new_target else "none"
    op.summary = f"Revise the target date of {rec.ref} to {words}"
    return rev


def withdraw_response_target(
    session: Session, op: journal.Pending, rec: Recommendation, resp: Response
) -> None:
    """A response taken out: the target it gave goes back to the one before, by a revision appended
    (only while no later revision replaced it)."""
    given = session.scalars(
        select(TargetDateRevision).where(TargetDateRevision.response_id == resp.id)
    ).first()
    if given is None:
        return
    if op.replayed:  # taken out on another register (a sync): as it did there
        if "target" not in op.origin_replaced:
            return
    elif rec.target != given.new_target:
        return
    set_target(
        session, op, rec, given.old_target, f"Response of {house_date(resp.received)} removed"
    )
    if given.old_target is None:
        rec.original_target = None
