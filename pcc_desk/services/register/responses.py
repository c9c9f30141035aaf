"""Responses: log one (a response or a progress update, from one of the ask's addressees) and take
one out again. Each call is one transaction and one journal row (see :mod:`.writing`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput, NotFound
from pcc_desk.model import (
    Addressee,
    Assessment,
    Implementation,
    OperationKind,
    Position,
    Response,
    ResponseKind,
    Status,
    StatusChange,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import ResponseRecord
from pcc_desk.services.records import response_record
from pcc_desk.services.register import addressees as adr
from pcc_desk.services.register.reading import recommendation_by_id, recommendation_by_ref
from pcc_desk.services.register.rules import (
    clean_text,
    position_for,
    status_after,
    update_words,
)
from pcc_desk.services.register.targets import set_target, withdraw_response_target
from pcc_desk.services.register.writing import record_status
from pcc_desk.vocabulary import ChangeKind as C


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
    addressee: str | None = None,
) -> ResponseRecord:
    """Record a response or progress update (position: the latest one's unless given), move the
    status with its audit row and set the target date it gives, in one transaction."""
    text = clean_text(text, f"text of the {update_words(kind)}")
    if received > (today or dt.date.today()):
        raise InvalidInput(f"The date received ({house_date(received)}) is in the future.")
    with desk.transaction((C.RESPONSES, C.RECOMMENDATIONS)) as session:
        rec = recommendation_by_ref(session, ref, lock=True)
        row = adr.addressee_for(rec, addressee or from_whom)
        if row is not None and adr.find(rec, from_whom) is row:
            from_whom = row.name  # the addressee's name as the register has it
        own = [r for r in rec.responses if row is None or r.addressee_id in (row.id, None)]
        if position is None and kind is ResponseKind.PROGRESS_UPDATE and own:
            position = own[-1].position
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
                "addressee": row.id if row is not None else None,
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
    if p.get("addressee"):
        row = session.get(Addressee, journal.uid(p["addressee"]))
        if row is None or row.recommendation_id != rec.id:
            raise NotFound(f"That addressee of {rec.ref} is no longer in the register.")
    else:  # an imported reply: the addressee its sender names, or the only one
        row = adr.addressee_for(rec, p["from_whom"])
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
        addressee_id=row.id if row is not None else None,
    )
    session.add(resp)
    session.flush()
    op.created(R.RESPONSE, resp.id)
    op.used(R.RECOMMENDATION, rec.id)
    several = row if row is not None and len(rec.addressees) > 1 else None
    # made on another register (a sync): the status change it made there, if any, joins the history
    # here too (the same row on both sides); the status then follows the merged history
    started = op.origin_replaced.get("status") if op.replayed else journal.enc(rec.status)
    current = several.status if several is not None else Status(started or rec.status)
    default = status_after(kind, assessment, position, current)
    target, words = Status(p["status"]) if p.get("status") else default, update_words(kind)
    note = p["note"] or f"{words.capitalize()} of {house_date(received)} logged"
    moves = started is not None and target.value != started
    if several is not None:  # its addressee's status moves; the ask's is the combined one
        adr.set_status(op, several, target)
        target = adr.combined_status(a.status for a in rec.addressees)
        words_from = f"{words.capitalize()} from {several.name} of {house_date(received)}"
        note = p["note"] or f"{words_from} logged"
        moves = target != rec.status
    if moves:
        record_status(session, rec, target, note, op, resp.id, spread=several is None)
    # a target given: made on another register (a sync), the revision it made there joins the
    # history here too (the target then follows the merged history)
    gives = p.get("target") and journal.day(p["target"]) != rec.target
    if "target" in op.origin_replaced if op.replayed else gives:
        reason = f"Given in the {words} of {house_date(received)}"
        set_target(session, op, rec, journal.day(p["target"]), reason, resp.id)
        adr.spread_clock(op, rec, several)
    op.summary = f"Log a {words} to {rec.ref}"
    return resp


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
    row = resp.addressee if len(rec.addressees) > 1 else None
    # taken out on another register (a sync): the status moves back here when it did there (the
    # same change joins the history on both; the status then follows the merged history), whatever
    # was changed here since
    moved_there = "status" in op.origin_replaced if op.replayed else None
    if row is not None:  # one of several: its own status again, and the ask's combined one
        rest = [r for r in rec.responses if r.addressee_id == row.id and r.id != resp.id]
        adr.set_status(op, row, adr.status_from_responses(row, rest))
        combined = adr.combined_status(a.status for a in rec.addressees)
        if combined != rec.status if moved_there is None else moved_there:
            note = p.get("note") or f"Response of {house_date(resp.received)} removed"
            record_status(session, rec, combined, note, op, spread=False)
    elif (
        caused is not None
        and caused.from_status is not None
        and (latest is not None and caused.id == latest.id if moved_there is None else moved_there)
    ):
        record_status(
            session,
            rec,
            caused.from_status,
            p.get("note") or f"Response of {house_date(resp.received)} removed",
            op,
        )
    withdraw_response_target(session, op, rec, resp)
    adr.spread_clock(op, rec, row)
    rec.responses.remove(resp)
    session.delete(resp)
    session.flush()
    op.removed(R.RESPONSE, resp.id)
    op.used(R.RECOMMENDATION, rec.id)
    op.summary = f"Remove a response to {rec.ref}"
    return removed
