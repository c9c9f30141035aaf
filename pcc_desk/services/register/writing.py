"""Changing the register: add and edit recommendations, log and remove responses, change the status,
revise the due date, take a recommendation out. Each call is one transaction and one journal row.

Each use case checks its arguments, describes itself as a journal operation (its arguments, records
named by id) and carries it out with an ``apply_*`` function that reads only that description: the
same function applies it again for a redo, or on another register."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk.dates import house_date
from pcc_desk.errors import Conflict, InvalidInput, NotFound
from pcc_desk.model import (
    Assessment,
    DueDateRevision,
    Implementation,
    OperationKind,
    Position,
    Priority,
    Recommendation,
    RecommendationKind,
    Response,
    ResponseKind,
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
    ResponseRecord,
    StatusChangeRecord,
)
from pcc_desk.services.records import (
    due_revision_record,
    recommendation_detail,
    recommendation_summary,
    response_record,
    status_change_record,
)
from pcc_desk.services.register.reading import recommendation_by_id, recommendation_by_ref
from pcc_desk.services.register.rules import (
    EDITABLE,
    EDITABLE_LABELS,
    clean_text,
    default_due,
    edited_value,
    merged_status,
    next_reference,
    position_for,
    removal_blocker,
    shown_value,
    status_after,
    stored_field,
    update_words,
)
from pcc_desk.services.register.targets import set_target, withdraw_response_target
from pcc_desk.services.register.themes import drop_unused_theme, get_or_create_theme
from pcc_desk.vocabulary import ChangeKind as C


def record_status(
    session: Session,
    rec: Recommendation,
    new: Status,
    note: str,
    op: journal.Pending,
    response_id: uuid.UUID | None = None,
) -> StatusChange:
    """Append a status change (the history is append-only) and move the status, for ``op``."""
    change = StatusChange(
        id=op.new_id(R.STATUS_CHANGE),
        recommendation_id=rec.id,
        from_status=rec.status,
        to_status=new,
        changed_at=op.at,
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
    op.created(R.STATUS_CHANGE, change.id)
    op.changed(R.RECOMMENDATION, rec.id, ["status"], version=seen)
    return change


def add_recommendation(
    desk: Desk,
    text: str,
    *,
    theme: str | None = None,
    addressee: str = "",
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
    values = {
        "text": text,
        "context": clean_text(context, "context", required=False),
        "theme": " ".join((theme or "").split()),
        "addressee": (addressee or "").strip(),
        "made": made,
        "due": due,
        "kind": kind,
        "priority": priority,
        "notes": clean_text(notes, "notes", required=False),
    }
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        values["ref"] = (ref or "").strip() or next_reference(session, made)
        op = journal.pending(OperationKind.ADD_RECOMMENDATION, values, desk.user)
        rec = apply_add(session, op, op.payload)
        journal.write(session, op)
        return recommendation_summary(rec)


def apply_add(session: Session, op: journal.Pending, p: dict[str, Any]) -> Recommendation:
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
        op.replaced.setdefault(name, stored_field(rec, name))
        if name == "theme":
            rec.theme = get_or_create_theme(session, value, op=op)
        elif name == "priority":
            rec.priority = Priority(value)
        elif name == "kind":
            rec.kind = RecommendationKind(value)
        elif name == "made":
            rec.made = journal.required_day(value)
        else:
            setattr(rec, name, value)
    op.changed(R.RECOMMENDATION, rec.id, changes, version=seen)
    op.summary = f"Edit {rec.ref} ({', '.join(changes)})"
    session.flush()
    return rec


def log_response(
    desk: Desk,
    ref: str,
    *,
    received: dt.date,
    position: Position | None,
    text: str,
    from_whom: str = "",
    implementation: Implementation = Implementation.NOT_STATED,
    assessment: Assessment = Assessment.NOT_YET_ASSESSED,
    evidence: str = "",
    new_status: Status | None = None,
    note: str = "",
    document_id: uuid.UUID | None = None,
    today: dt.date | None = None,
    kind: ResponseKind = ResponseKind.RESPONSE,
    target: dt.date | None = None,
) -> ResponseRecord:
    """Record a response or progress update (position: the latest one's unless given), move the
    status with its audit row and set the target date it gives, in one transaction."""
    text = clean_text(text, f"text of the {update_words(kind)}")
    if received > (today or dt.date.today()):
        raise InvalidInput(f"The date received ({house_date(received)}) is in the future.")
    with desk.transaction((C.RESPONSES, C.RECOMMENDATIONS)) as session:
        rec = recommendation_by_ref(session, ref, lock=True)
        position = position_for(rec, position, kind)
        op = journal.pending(
            OperationKind.LOG_RESPONSE,
            {
                "recommendation": rec.id,
                "ref": rec.ref,
                "received": received,
                "from_whom": (from_whom or "").strip(),
                "text": text,
                "position": position,
                "implementation": implementation,
                "assessment": assessment,
                "evidence": clean_text(evidence, "evidence", required=False),
                "status": new_status,
                "note": note,
                "document": document_id,
                "kind": kind,
                "target": target,
            },
            desk.user,
        )
        resp = apply_log_response(session, op, op.payload)
        journal.write(session, op)
        return response_record(resp, rec.ref)


def apply_log_response(session: Session, op: journal.Pending, p: dict[str, Any]) -> Response:
    rec = recommendation_by_id(session, p["recommendation"], lock=True)
    received = journal.required_day(p["received"])
    if received < rec.made:
        raise InvalidInput(
            f"The date received ({house_date(received)}) is before {rec.ref} was made ({house_date(rec.made)})."
        )
    position, assessment = Position(p["position"]), Assessment(p["assessment"])
    kind = ResponseKind(p.get("kind") or ResponseKind.RESPONSE)
    resp = Response(
        id=op.new_id(R.RESPONSE),
        kind=kind,
        recommendation_id=rec.id,
        received=received,
        from_whom=p["from_whom"],
        text=p["text"],
        position=position,
        implementation=Implementation(p["implementation"]),
        assessment=assessment,
        evidence=p["evidence"],
        document_id=journal.uid(p.get("document")),
    )
    session.add(resp)
    session.flush()
    op.created(R.RESPONSE, resp.id)
    op.used(R.RECOMMENDATION, rec.id)
    words = update_words(kind)
    # made on another register (a sync): the status change it made there, if any, joins the history
    # here too (the same row on both sides); the status then follows the merged history
    started = op.origin_replaced.get("status") if op.replayed else journal.enc(rec.status)
    default = status_after(kind, assessment, position, Status(started or rec.status))
    target = Status(p["status"]) if p.get("status") else default
    if started is not None and target.value != started:
        note = p["note"] or f"{words.capitalize()} of {house_date(received)} logged"
        record_status(session, rec, target, note, op, resp.id)
    if p.get("target") and journal.day(p["target"]) != rec.target:
        reason = f"Given in the {words} of {house_date(received)}"
        set_target(session, op, rec, journal.day(p["target"]), reason, resp.id)
    op.summary = f"Log a {words} to {rec.ref}"
    return resp


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


def revise_due(desk: Desk, ref: str, new_due: dt.date, reason: str) -> DueRevisionRecord:
    reason = clean_text(reason, "reason for the new due date")
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = recommendation_by_ref(session, ref, lock=True)
        op = journal.pending(
            OperationKind.REVISE_DUE,
            {"recommendation": rec.id, "ref": rec.ref, "due": new_due, "reason": reason},
            desk.user,
        )
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
    if new_due == rec.due:
        raise InvalidInput(f"{rec.ref} is already due on {house_date(new_due)}.")
    rev = DueDateRevision(
        id=op.new_id(R.DUE_REVISION),
        recommendation_id=rec.id,
        old_due=rec.due,
        new_due=new_due,
        reason=p["reason"],
        changed_at=op.at,
        changed_by=op.actor,
    )
    op.replaced.setdefault("due", journal.enc(rec.due))
    seen = rec.version
    rec.due = new_due
    session.add(rev)
    op.created(R.DUE_REVISION, rev.id)
    op.changed(R.RECOMMENDATION, rec.id, ["due"], version=seen)
    op.summary = f"Revise the due date of {rec.ref} to {house_date(new_due)}"
    return rev


def remove_response(desk: Desk, response_id: uuid.UUID, note: str = "") -> ResponseRecord:
    """Take a logged response out of the register (what undoing :func:`log_response` does).

    The status history stays append-only: when the response moved the status and nothing has moved
    it since, a new change back to the earlier status is appended; the original change is kept. The
    response's values stay in the journal (the operation's replaced values).
    """
    with desk.transaction((C.RESPONSES, C.RECOMMENDATIONS)) as session:
        if session.get(Response, response_id) is None:
            raise NotFound("That response is no longer in the register.")
        op = journal.pending(
            OperationKind.REMOVE_RESPONSE, {"response": response_id, "note": note}, desk.user
        )
        removed = apply_remove_response(session, op, op.payload)
        journal.write(session, op)
        return removed


def apply_remove_response(
    session: Session, op: journal.Pending, p: dict[str, Any]
) -> ResponseRecord:
    resp = session.get(Response, journal.uid(p["response"]))
    if resp is None:
        raise NotFound("That response is no longer in the register.")
    rec = recommendation_by_id(session, resp.recommendation_id, lock=True)
    removed = response_record(resp, rec.ref)
    op.replaced["response"] = journal.enc(dataclasses.asdict(removed))
    caused = session.scalars(
        select(StatusChange)
        .where(StatusChange.response_id == resp.id)
        .order_by(StatusChange.changed_at.desc())
        .limit(1)
    ).first()
    latest = session.scalars(
        select(StatusChange)
        .where(StatusChange.recommendation_id == rec.id)
        .order_by(StatusChange.changed_at.desc())
        .limit(1)
    ).first()
    if (
        caused is not None
        and latest is not None
        and caused.id == latest.id
        and caused.from_status is not None
    ):
        record_status(
            session,
            rec,
            caused.from_status,
            p.get("note") or f"Response of {house_date(resp.received)} removed",
            op,
        )
    withdraw_response_target(session, op, rec, resp)
    rec.responses.remove(resp)
    session.delete(resp)
    session.flush()
    op.removed(R.RESPONSE, resp.id)
    op.used(R.RECOMMENDATION, rec.id)
    op.summary = f"Remove a response to {rec.ref}"
    return removed


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
    reason = removal_blocker(rec)
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
