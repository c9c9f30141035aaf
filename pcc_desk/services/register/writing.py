"""Changing the register: add and edit recommendations, log and remove responses, change the status,
revise the due date, take a recommendation out. Each call is one transaction and one journal row.

Each use case checks its arguments, describes itself as a journal operation (its arguments, records
named by id) and carries it out with an ``apply_*`` function that reads only that description: the
same function applies it again for a redo, or on another register."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk.dates import house_date
from pcc_desk.errors import Conflict, InvalidInput
from pcc_desk.model import (
    DueDateRevision,
    OperationKind,
    Priority,
    Recommendation,
    RecommendationKind,
    Status,
    StatusChange,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal, versions
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import (
    DueRevisionRecord,
    RecommendationDetail,
    RecommendationSummary,
    StatusChangeRecord,
)
from pcc_desk.services.records import (
    due_revision_record,
    recommendation_detail,
    recommendation_summary,
    status_change_record,
)
from pcc_desk.services.register import addressees as adr
from pcc_desk.services.register.reading import recommendation_by_id, recommendation_by_ref
from pcc_desk.services.register.rules import (
    EDITABLE,
    EDITABLE_LABELS,
    FOLLOWING,
    after_history,
    clean_text,
    default_due,
    edited_value,
    merged_due,
    merged_status,
    next_reference,
    removal_blocker,
    shown_value,
    stored_field,
)
from pcc_desk.services.register.themes import drop_unused_theme, get_or_create_theme
from pcc_desk.vocabulary import ChangeKind as C


def record_status(
    session: Session,
    rec: Recommendation,
    new: Status,
    note: str,
    op: journal.Pending,
    response_id: uuid.UUID | None = None,
    *,
    spread: bool = True,
) -> StatusChange:
    """Append a status change (the history is append-only) and move the status, for ``op``; with
    ``spread``, every addressee's status too (else the change is the combined one)."""
    change = StatusChange(
        id=op.new_id(R.STATUS_CHANGE),
        recommendation_id=rec.id,
        from_status=rec.status,
        to_status=new,
        changed_at=after_history(session, op, StatusChange, rec.id),
        changed_by=op.actor,
        note=note,
        response_id=response_id,
    )
    started = op.origin_replaced.get("status") if op.replayed else None
    # the status it started from where it was made: so every register's journal row says the same
    op.replaced.setdefault("status", started or journal.enc(rec.status))
    seen = rec.version
    session.add(change)
    if op.replayed:  # made on another register: its own starting status, and the merged history's
        new = merged_status(session, change, op.origin_replaced.get("status"))
    if rec.status != new:
        rec.status = new
    if spread:
        adr.spread_status(op, rec, new)
    op.created(R.STATUS_CHANGE, change.id)
    op.changed(R.RECOMMENDATION, rec.id, ["status"], version=seen)
    return change


NUMBERED = "numbered"  # in an addition's payload: the reference is the register's next number
RENUMBER = "renumber"  # set by a sync's push: give it this register's next number instead


def add_recommendation(
    desk: Desk,
    text: str,
    *,
    theme: str | None = None,
    addressee: str = "",
    addressees: list[str] | None = None,
    made: dt.date | None = None,
    due: dt.date | None = None,
    kind: RecommendationKind = RecommendationKind.RECOMMENDATION,
    context: str = "",
    priority: Priority = Priority.NORMAL,
    notes: str = "",
    ref: str | None = None,
) -> RecommendationSummary:
    text = clean_text(text, "text of the recommendation")
    made = made or dt.date.today()
    due = due or default_due(made)
    if due < made:
        raise InvalidInput(
            f"The due date {house_date(due)} is before the date made {house_date(made)}."
        )
    names = adr.clean_names(addressees if addressees is not None else [addressee])
    values = {
        "text": text,
        "context": clean_text(context, "context", required=False),
        "theme": " ".join((theme or "").split()),
        "addressee": adr.joined(names),
        "addressees": names,
        "made": made,
        "due": due,
        "kind": kind,
        "priority": priority,
        "notes": clean_text(notes, "notes", required=False),
    }
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        values["ref"] = (ref or "").strip() or next_reference(session, made)
        if not (ref or "").strip():
            values[NUMBERED] = True  # the register's numbering: a team register renumbers at a sync
        op = journal.pending(OperationKind.ADD_RECOMMENDATION, values, desk.user)
        rec = apply_add(session, op, op.payload)
        journal.write(session, op)
        return recommendation_summary(rec)


def apply_add(session: Session, op: journal.Pending, p: dict[str, Any]) -> Recommendation:
    if op.replayed and p.pop(
        RENUMBER, False
    ):  # numbered on a laptop: the final number is given here
        p["ref"] = next_reference(session, journal.required_day(p["made"]))
    ref = p["ref"]
    if session.scalars(select(Recommendation.id).where(Recommendation.ref == ref)).first():
        raise InvalidInput(f"The reference {ref} is already in use.")
    rec = Recommendation(
        id=op.new_id(R.RECOMMENDATION),
        ref=ref,
        kind=RecommendationKind(p["kind"]),
        text=p["text"],
        context=p["context"],
        theme=get_or_create_theme(session, p["theme"], op=op),
        addressee=p["addressee"],
        made=journal.required_day(p["made"]),
        original_due=journal.required_day(p["due"]),
        due=journal.required_day(p["due"]),
        status=Status.AWAITING_RESPONSE,
        priority=Priority(p["priority"]),
        notes=p["notes"],
    )
    session.add(rec)
    adr.make_addressees(op, rec, p.get("addressees") or adr.clean_names([p["addressee"]]))
    session.flush()
    first = StatusChange(
        id=op.new_id(R.STATUS_CHANGE),
        recommendation_id=rec.id,
        from_status=None,
        to_status=rec.status,
        changed_at=op.at,
        changed_by=op.actor,
        note="Added to the register",
    )
    session.add(first)
    op.created(R.RECOMMENDATION, rec.id)
    op.created(R.STATUS_CHANGE, first.id)
    op.summary = f"Add {ref}"
    return rec


def edit_recommendation(
    desk: Desk, ref: str, *, expected_version: int | None = None, **changes: Any
) -> RecommendationDetail:
    """Change any of :data:`EDITABLE`. Status and due date have their own audited calls.

    ``expected_version``: the version the clerk's edit started from (the one shown); when the
    recommendation has changed since, :class:`VersionConflict` names who changed it and when, with
    their value and yours for each field, and nothing is saved."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"Cannot edit {', '.join(sorted(unknown))} this way.")
    values = {name: edited_value(name, value) for name, value in changes.items()}
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = recommendation_by_ref(session, ref, lock=True)
        versions.check(
            session,
            expected=expected_version,
            actual=rec.version,
            kind=R.RECOMMENDATION,
            ident=rec.id,
            ref=rec.ref,
            yours=journal.enc(values),
            theirs={name: stored_field(rec, name) for name in values},
            labels=EDITABLE_LABELS,
            shown=shown_value,
        )
        op = journal.pending(
            OperationKind.EDIT_RECOMMENDATION,
            {"recommendation": rec.id, "ref": rec.ref, "changes": values},
            desk.user,
        )
        apply_edit(session, op, op.payload)
        journal.write(session, op)
        session.flush()
        return recommendation_detail(rec)


def apply_edit(session: Session, op: journal.Pending, p: dict[str, Any]) -> Recommendation:
    rec = recommendation_by_id(session, p["recommendation"], lock=True)
    seen = rec.version  # before a theme's flush raises it
    changes = p["changes"]
    for name, value in changes.items():
        # brought down from the team register (a pull): what it replaced there, which an undo of it
        # made there restores there, and so here (whatever the laptop held: its conflict is listed)
        if session.info.get(FOLLOWING) and name in op.origin_replaced:
            op.replaced.setdefault(name, op.origin_replaced[name])
        op.replaced.setdefault(name, stored_field(rec, name))
        if name == "theme":
            rec.theme = get_or_create_theme(session, value, op=op)
        elif name == "priority":
            rec.priority = Priority(value)
        elif name == "kind":
            rec.kind = RecommendationKind(value)
        elif name == "made":
            rec.made = journal.required_day(value)
        elif name == "addressee":
            adr.rename_only(op, rec, value)
            rec.addressee = value
        else:
            setattr(rec, name, value)
    op.changed(R.RECOMMENDATION, rec.id, changes, version=seen)
    op.summary = f"Edit {rec.ref} ({', '.join(changes)})"
    session.flush()
    return rec


def change_status(desk: Desk, ref: str, new_status: Status, note: str) -> StatusChangeRecord:
    note = clean_text(note, "note explaining the change")
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = recommendation_by_ref(session, ref, lock=True)
        op = journal.pending(
            OperationKind.CHANGE_STATUS,
            {"recommendation": rec.id, "ref": rec.ref, "status": new_status, "note": note},
            desk.user,
        )
        change = apply_change_status(session, op, op.payload)
        journal.write(session, op)
        session.flush()
        return status_change_record(change)


def apply_change_status(session: Session, op: journal.Pending, p: dict[str, Any]) -> StatusChange:
    rec = recommendation_by_id(session, p["recommendation"], lock=True)
    new_status = Status(p["status"])
    if rec.status == new_status and not op.replayed:  # from another register: history merged
        raise InvalidInput(f"{rec.ref} is already '{new_status.label}'.")
    op.summary = f"Change the status of {rec.ref} to '{new_status.label}'"
    return record_status(session, rec, new_status, p["note"], op)


def revise_due(
    desk: Desk, ref: str, new_due: dt.date, reason: str, addressee: str | None = None
) -> DueRevisionRecord:
    """Revise when a response to ``ref`` is due: for the ask (every addressee), or for one of its
    several ``addressee`` s (the ask is then due when the first addressee still awaited is)."""
    reason = clean_text(reason, "reason for the new due date")
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = recommendation_by_ref(session, ref, lock=True)
        payload = {"recommendation": rec.id, "ref": rec.ref, "due": new_due, "reason": reason}
        if addressee and len(rec.addressees) > 1:
            payload["addressee"] = addressee.strip()
        op = journal.pending(OperationKind.REVISE_DUE, payload, desk.user)
        rev = apply_revise_due(session, op, op.payload)
        journal.write(session, op)
        session.flush()
        return due_revision_record(rev)


def apply_revise_due(session: Session, op: journal.Pending, p: dict[str, Any]) -> DueDateRevision:
    rec = recommendation_by_id(session, p["recommendation"], lock=True)
    new_due = journal.required_day(p["due"])
    if new_due < rec.made:
        raise InvalidInput(
            f"The due date {house_date(new_due)} is before {rec.ref} was made ({house_date(rec.made)})."
        )
    if p.get("addressee"):
        return adr.revise_addressee_due(session, op, rec, p["addressee"], new_due, p["reason"])
    if new_due == rec.due and not op.replayed:  # the same date set on both sides: both kept
        raise InvalidInput(f"{rec.ref} is already due on {house_date(new_due)}.")
    rev = DueDateRevision(
        id=op.new_id(R.DUE_REVISION),
        recommendation_id=rec.id,
        old_due=rec.due,
        new_due=new_due,
        reason=p["reason"],
        changed_at=after_history(session, op, DueDateRevision, rec.id),
        changed_by=op.actor,
    )
    started = op.origin_replaced.get("due") if op.replayed else None
    # the date it started from where it was made: so every register's journal row says the same
    op.replaced.setdefault("due", started or journal.enc(rec.due))
    seen = rec.version
    session.add(rev)
    if op.replayed:  # made on another register: its own starting date, and the merged history's
        new_due = merged_due(session, rev, op.origin_replaced.get("due"))
    if rec.due != new_due:
        rec.due = new_due
    adr.spread_clock(op, rec)
    op.created(R.DUE_REVISION, rev.id)
    op.changed(R.RECOMMENDATION, rec.id, ["due"], version=seen)
    op.summary = f"Revise the due date of {rec.ref} to {house_date(new_due)}"
    return rev


def remove_recommendation(desk: Desk, ref: str) -> RecommendationSummary:
    """Take a recommendation added by hand out of the register again (what undoing
    :func:`add_recommendation` does).

    Only while nothing hangs on it (:func:`removal_blocker`); otherwise :class:`Conflict`, nothing
    removed. Its own status row goes with it, and so does a theme typed by hand that nothing else uses
    now (redo makes it again). Its values stay in the journal.
    """
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = recommendation_by_ref(session, ref, lock=True)
        op = journal.pending(
            OperationKind.REMOVE_RECOMMENDATION,
            {"recommendation": rec.id, "ref": rec.ref},
            desk.user,
        )
        removed = apply_remove_recommendation(session, op, op.payload)
        journal.write(session, op)
        return removed


def apply_remove_recommendation(
    session: Session, op: journal.Pending, p: dict[str, Any]
) -> RecommendationSummary:
    rec = recommendation_by_id(session, p["recommendation"], lock=True)
    # taken out on the team register (a laptop's pull): out here too, whatever the laptop hung on it
    # since (the team register refused those changes: listed, they stay in the laptop's journal)
    reason = None if session.info.get(FOLLOWING) else removal_blocker(rec)
    if reason is not None:
        raise Conflict(f"{rec.ref} {reason}; it was not removed.")
    removed = recommendation_summary(rec)
    op.replaced["recommendation"] = {
        "ref": rec.ref,
        **{name: stored_field(rec, name) for name in EDITABLE},
        "due": journal.enc(rec.due),
        "original_due": journal.enc(rec.original_due),
    }
    theme = rec.theme
    session.delete(rec)
    session.flush()
    op.removed(R.RECOMMENDATION, rec.id)
    # a theme typed for it, now unused
    if theme is not None and theme.document_id is None and drop_unused_theme(session, theme):
        op.removed(R.THEME, theme.id)
    op.summary = f"Remove {rec.ref}"
    return removed
