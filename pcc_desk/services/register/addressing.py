"""Adding an addressee to an ask and taking one off (its rules: :mod:`.addressees`). Each call is one
transaction and one journal row; undoing the one does the other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from pcc_desk.model import Addressee, Operation, OperationKind, Recommendation
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import AddresseeRecord
from pcc_desk.services.records import addressee_record
from pcc_desk.services.register import addressees as adr
from pcc_desk.services.register.reading import recommendation_by_id, recommendation_by_ref
from pcc_desk.services.register.writing import record_status
from pcc_desk.vocabulary import ChangeKind as C

T = TypeVar("T")
R_ = TypeVar("R_")


def add_addressee(desk: Desk, ref: str, name: str) -> AddresseeRecord:
    """Name one more addressee of ``ref``: it is awaiting its response, due when the ask is."""
    return _carry_out(
        desk, OperationKind.ADD_ADDRESSEE, ref, name, apply_add_addressee, addressee_record
    )


def _carry_out(
    desk: Desk,
    kind: OperationKind,
    ref: str,
    name: str,
    apply: Callable[[Session, journal.Pending, dict[str, Any]], T],
    result: Callable[[T, Recommendation], R_],
) -> R_:
    """One change of an ask's addressees: one transaction, one journal row."""
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = recommendation_by_ref(session, ref, lock=True)
        op = journal.pending(
            kind,
            {"recommendation": rec.id, "ref": rec.ref, "name": (name or "").strip()},
            desk.user,
        )
        done = apply(session, op, op.payload)
        journal.write(session, op)
        session.flush()
        return result(done, rec)


def apply_add_addressee(session: Session, op: journal.Pending, p: dict[str, Any]) -> Addressee:
    rec = recommendation_by_id(session, p["recommendation"], lock=True)
    row = adr.add_addressee_row(session, op, rec, p)
    adr.name_text(op, rec)
    _combine(session, op, rec, f"{row.name} added as an addressee")
    op.summary = f"Add {row.name} as an addressee of {rec.ref}"
    return row


def remove_addressee(desk: Desk, ref: str, name: str) -> str:
    """Take ``name`` off ``ref`` (refused in one line while it has a response); the ask's ref."""
    return _carry_out(
        desk,
        OperationKind.REMOVE_ADDRESSEE,
        ref,
        name,
        apply_remove_addressee,
        lambda _done, rec: rec.ref,
    )


def apply_remove_addressee(session: Session, op: journal.Pending, p: dict[str, Any]) -> None:
    rec = recommendation_by_id(session, p["recommendation"], lock=True)
    values = adr.remove_addressee_row(op, rec, p["name"])
    op.replaced["addressee_row"] = values
    session.flush()
    adr.name_text(op, rec)
    _combine(session, op, rec, f"{values['name']} taken off the addressees")
    op.summary = f"Take {values['name']} off the addressees of {rec.ref}"


def _combine(session: Session, op: journal.Pending, rec: Recommendation, note: str) -> None:
    combined = adr.combined_status(a.status for a in rec.addressees)
    if combined != rec.status:
        record_status(session, rec, combined, note, op, spread=False)


def undo_add(session: Session, op: journal.Pending, target: Operation) -> str:
    """Undo :func:`add_addressee`: the addressee taken off again (or unnamed again, when it was the
    ask's unnamed one)."""
    rec = recommendation_by_id(session, target.payload["recommendation"], lock=True)
    renamed = target.replaced.get("renamed")
    if renamed:
        row = session.get(Addressee, journal.uid(renamed))
        if row is not None:
            row.name = ""
            op.changed(R.ADDRESSEE, row.id, ["name"])
            adr.name_text(op, rec)
    else:
        apply_remove_addressee(session, op, target.payload)
    return rec.ref


def undo_remove(session: Session, op: journal.Pending, target: Operation) -> str:
    """Undo :func:`remove_addressee`: the addressee back, with its clock and status."""
    values = target.replaced["addressee_row"]
    apply_add_addressee(session, op, {"recommendation": target.payload["recommendation"], **values})
    return str(target.payload.get("ref", ""))


def why_not_undo_add(session: Session, target: Operation) -> str | None:
    rec = session.get(Recommendation, journal.uid(target.payload["recommendation"]))
    if rec is None:
        return "That recommendation is no longer in the register."
    row = adr.find(rec, target.payload["name"])
    if row is None:
        return f"{target.payload['name']} is no longer an addressee of {rec.ref}."
    if any(r.addressee_id == row.id for r in rec.responses):
        return f"{row.name} has responded to {rec.ref} since; take the response out first."
    return None


def why_not_undo_remove(session: Session, target: Operation) -> str | None:
    rec = session.get(Recommendation, journal.uid(target.payload["recommendation"]))
    if rec is None:
        return "That recommendation is no longer in the register."
    if adr.find(rec, target.payload["name"]) is not None:
        return f"{target.payload['name']} is an addressee of {rec.ref} again already."
    return None
