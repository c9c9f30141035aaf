"""Several addressees per ask: the Met *and* MOPAC (or the Mayor) asked for the same thing, each with
its own responses, position, clock (due date), target date and status.

Rules the register keeps:

- every ask has at least one addressee row (unnamed when no addressee was given); the ask's
  ``addressee`` text is their names joined by "; " (what lists, search and letters show);
- a response belongs to one addressee: the one named, or the only one; an ask with several refuses a
  response that names none of them (:func:`addressee_for`);
- a response moves its addressee's status; the ask's status is the combined one
  (:func:`combined_status`): the least advanced of its addressees' statuses in the order of
  :data:`ADVANCE`, so an ask is closed only when every addressee is;
- what is done to the ask itself (a status change, closing it, a due date or target date revised)
  is done for every addressee.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from pcc_desk.dates import house_date
from pcc_desk.errors import Conflict, InvalidInput
from pcc_desk.model import (
    Addressee,
    DueDateRevision,
    Recommendation,
    Response,
    ResponseKind,
    Status,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal
from pcc_desk.services.dto import ADDRESSEE_SEPARATOR
from pcc_desk.services.register.rules import after_history, status_after

# the order an addressee's status advances in; the ask shows the least advanced of them
ADVANCE = (
    Status.AWAITING_RESPONSE,
    Status.FOLLOW_UP_NEEDED,
    Status.RESPONSE_RECEIVED,
    Status.CLOSED_NOT_ACCEPTED,
    Status.CLOSED_IMPLEMENTED,
    Status.SUPERSEDED,
)
SEPARATOR = ADDRESSEE_SEPARATOR


def combined_status(statuses: Iterable[Status]) -> Status:
    """The ask's status from its addressees': the least advanced (see :data:`ADVANCE`)."""
    ranked = sorted(statuses, key=ADVANCE.index)
    return ranked[0] if ranked else Status.AWAITING_RESPONSE


def clean_names(names: Iterable[str]) -> list[str]:
    """Addressees as typed (spaces around them dropped), empty ones dropped, the same name (any case,
    any spacing) once."""
    seen: dict[str, str] = {}
    for name in names:
        name = (name or "").strip()
        if name and _key(name) not in seen:
            seen[_key(name)] = name
    return list(seen.values())


def _words(text: str) -> str:
    """Text as its words, spaced and in lower case, with a space either side (for whole words)."""
    return " " + _key(_NOT_WORD.sub(" ", text)) + " "


_NOT_WORD = re.compile(r"[^\w]+")


def _key(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def joined(names: Iterable[str]) -> str:
    return SEPARATOR.join(n for n in names if n)


def find(rec: Recommendation, name: str) -> Addressee | None:
    wanted = _key(name)
    return next((a for a in rec.addressees if _key(a.name) == wanted), None)


def first_addressees(
    op: journal.Pending,
    rec_id: uuid.UUID,
    names: list[str],
    due: tuple[dt.date, dt.date],
    status: Status,
) -> list[dict[str, Any]]:
    """The values of the first addressee rows of a new ask (one unnamed when none is given), its
    clock (``due``: as first set, and now) and status, each noted as created by ``op``."""
    rows = []
    for ordinal, name in enumerate(names or [""]):
        ident = op.new_id(R.ADDRESSEE)
        values: dict[str, Any] = {
            "id": ident,
            "recommendation_id": rec_id,
            "ordinal": ordinal,
            "name": name,
            "original_due": due[0],
            "due": due[1],
            "status": status,
            "version": 1,
        }
        op.created(R.ADDRESSEE, ident)
        rows.append(values)
    return rows


def make_addressees(op: journal.Pending, rec: Recommendation, names: list[str]) -> list[Addressee]:
    """The first addressee rows of a new ask (one unnamed when none is given), its clock and status."""
    rows = []
    for values in first_addressees(op, rec.id, names, (rec.original_due, rec.due), rec.status):
        values.pop("version")
        row = Addressee(**values)
        rec.addressees.append(row)
        rows.append(row)
    return rows


def addressee_for(rec: Recommendation, name: str | None) -> Addressee | None:
    """The addressee a response comes from: the one ``name`` names; on a one-addressee ask, that
    one whatever ``name`` is (it is then who signed it); on an ask with several, one of them must be
    named (:class:`InvalidInput` naming them)."""
    if len(rec.addressees) <= 1:
        return rec.addressees[0] if rec.addressees else None
    found = find(rec, name or "") or _named_in(rec, name or "")
    if found is None:
        names = ", ".join(a.name for a in rec.addressees)
        said = f"'{name.strip()}' is not one of them" if name and name.strip() else "say which"
        raise InvalidInput(
            f"{rec.ref} is addressed to {names}: {said} (--from, or 'From' in the form)."
        )
    return found


def _named_in(rec: Recommendation, words: str) -> Addressee | None:
    """The one addressee whose name stands in ``words`` as whole words ("Sophie Linden, Deputy
    Mayor, MOPAC" is from MOPAC), or None (none, or more than one)."""
    text = _words(words)
    named = [a for a in rec.addressees if a.name and _words(a.name) in text]
    return named[0] if len(named) == 1 else None


def set_status(op: journal.Pending, row: Addressee, new: Status) -> None:
    key = f"addressee_status:{row.id}"
    if op.replayed and key in op.origin_replaced:  # made on another register: as it started there
        op.replaced.setdefault(key, op.origin_replaced[key])  # (what an undo of it restores)
    if row.status != new:
        op.replaced.setdefault(key, row.status.value)
        seen = row.version
        row.status = new
        op.changed(R.ADDRESSEE, row.id, ["status"], version=seen)


def spread_status(op: journal.Pending, rec: Recommendation, new: Status) -> None:
    """A status the ask itself was given: every addressee's."""
    for row in rec.addressees:
        set_status(op, row, new)


def restore_statuses(session: Session, op: journal.Pending, replaced: dict[str, Any]) -> None:
    """Undoing a status given to the whole ask: each addressee's own status as it was before
    (what :func:`set_status` kept in the operation's replaced values)."""
    for key, value in replaced.items():
        if key.startswith("addressee_status:"):
            row = session.get(Addressee, journal.uid(key.split(":", 1)[1]))
            if row is not None:
                set_status(op, row, Status(value))


def spread_clock(op: journal.Pending, rec: Recommendation, only: Addressee | None = None) -> None:
    """The ask's due date and target date, given to every addressee (or to ``only``, whose response
    gave the target)."""
    for row in [only] if only is not None else rec.addressees:
        fields = []
        if row.due != rec.due and only is None:
            row.due = rec.due
            fields.append("due")
        if row.target != rec.target:
            if row.original_target is None and rec.target is not None:
                row.original_target = rec.target
                fields.append("original_target")
            row.target = rec.target
            fields.append("target")
        merged = op.replayed and only is None and rec.original_target is not None
        if merged and row.original_target != rec.original_target:  # (the earlier first target)
            row.original_target = rec.original_target
            fields.append("original_target")
        if fields:
            op.changed(R.ADDRESSEE, row.id, fields)


def status_from_responses(row: Addressee, responses: list[Response]) -> Status:
    """An addressee's status worked out again from its own responses (after one is taken out)."""
    status = Status.AWAITING_RESPONSE
    for resp in responses:
        status = status_after(resp.kind, resp.assessment, resp.position, status)
    return status


def response_status(
    rec: Recommendation, row: Addressee | None, kind: ResponseKind, default: Status
) -> tuple[Status, Status]:
    """What a response moves: its addressee's new status and the ask's combined one."""
    if row is None or len(rec.addressees) <= 1:
        return default, default
    others = [a.status for a in rec.addressees if a.id != row.id]
    return default, combined_status([default, *others])


def add_addressee_row(
    session: Session, op: journal.Pending, rec: Recommendation, p: dict[str, Any]
) -> Addressee:
    """Name one more addressee of ``rec`` (``p``: name, and for an undo the values it had)."""
    name = (p.get("name") or "").strip()
    if not name:
        raise InvalidInput("Give the addressee's name.")
    if find(rec, name) is not None:
        raise InvalidInput(f"{rec.ref} is already addressed to {name}.")
    unnamed = [a for a in rec.addressees if not a.name]
    if len(rec.addressees) == 1 and unnamed:  # the ask had no addressee: this is its name now
        row = unnamed[0]
        op.replaced["renamed"] = str(row.id)
        seen = row.version
        row.name = name
        op.changed(R.ADDRESSEE, row.id, ["name"], version=seen)
    else:
        row = Addressee(
            id=op.new_id(R.ADDRESSEE),
            recommendation_id=rec.id,
            ordinal=max((a.ordinal for a in rec.addressees), default=-1) + 1,
            name=name,
            original_due=journal.day(p.get("original_due")) or rec.due,
            due=journal.day(p.get("due")) or rec.due,
            original_target=journal.day(p.get("original_target")),
            target=journal.day(p.get("target")),
            status=Status(p.get("status") or Status.AWAITING_RESPONSE),
        )
        rec.addressees.append(row)
        session.flush()
        op.created(R.ADDRESSEE, row.id)
    return row


def remove_addressee_row(op: journal.Pending, rec: Recommendation, name: str) -> dict[str, Any]:
    """Take ``name`` off ``rec`` (refused while a response of it is in the register, or when it is
    the only one); its values, for an undo."""
    row = find(rec, name)
    if row is None:
        names = ", ".join(a.name for a in rec.addressees if a.name) or "no one by name"
        raise InvalidInput(f"{rec.ref} is not addressed to {name.strip()} (it is to {names}).")
    answered = [r for r in rec.responses if r.addressee_id == row.id]
    if answered:
        raise Conflict(
            f"{row.name} has {len(answered)} response(s) to {rec.ref} (the first of "
            f"{house_date(answered[0].received)}); take them out first. Nothing was changed."
        )
    if len(rec.addressees) == 1:
        raise InvalidInput(f"{row.name} is {rec.ref}'s only addressee; an ask keeps one.")
    values = {
        "name": row.name,
        "original_due": journal.enc(row.original_due),
        "due": journal.enc(row.due),
        "original_target": journal.enc(row.original_target),
        "target": journal.enc(row.target),
        "status": row.status.value,
    }
    rec.addressees.remove(row)
    op.removed(R.ADDRESSEE, row.id)
    return values


def name_text(op: journal.Pending, rec: Recommendation) -> None:
    """The ask's ``addressee`` text: its addressees' names."""
    text = joined(a.name for a in sorted(rec.addressees, key=lambda a: a.ordinal))
    if rec.addressee != text:
        op.replaced.setdefault("addressee", rec.addressee)
        seen = rec.version
        rec.addressee = text
        op.changed(R.RECOMMENDATION, rec.id, ["addressee"], version=seen)


def rename_only(op: journal.Pending, rec: Recommendation, text: str) -> None:
    """The ask's addressee edited as text: the name of its one addressee (several: refused)."""
    if len(rec.addressees) > 1:
        raise InvalidInput(
            f"{rec.ref} has {len(rec.addressees)} addressees: add or remove one "
            "(pcc-desk addressees, or the detail's Addressees) instead of editing the text."
        )
    for row in rec.addressees:
        if row.name != text:
            seen = row.version
            row.name = text
            op.changed(R.ADDRESSEE, row.id, ["name"], version=seen)


def revise_addressee_due(
    session: Session,
    op: journal.Pending,
    rec: Recommendation,
    name: str,
    new_due: dt.date,
    reason: str,
) -> DueDateRevision:
    """One addressee's due date revised (kept with the ask's revisions, its name before the
    reason); the ask is due when the first addressee still awaited is."""
    row = find(rec, name)
    if row is None:
        names = ", ".join(a.name for a in rec.addressees)
        raise InvalidInput(f"{rec.ref} is not addressed to {name.strip()} (it is to {names}).")
    if new_due == row.due:
        raise InvalidInput(
            f"{row.name} is already due to answer {rec.ref} on {house_date(new_due)}."
        )
    rev = DueDateRevision(
        id=op.new_id(R.DUE_REVISION),
        recommendation_id=rec.id,
        old_due=row.due,
        new_due=new_due,
        reason=f"{row.name}: {reason}",
        changed_at=after_history(session, op, DueDateRevision, rec.id),
        changed_by=op.actor,
    )
    op.replaced.setdefault("addressee_due", journal.enc(row.due))
    seen = row.version
    row.due = new_due
    op.changed(R.ADDRESSEE, row.id, ["due"], version=seen)
    awaited = [a.due for a in rec.addressees if a.status is Status.AWAITING_RESPONSE]
    due = min(awaited or [a.due for a in rec.addressees])
    if due != rec.due:
        op.replaced.setdefault("due", journal.enc(rec.due))
        seen = rec.version
        rec.due = due
        op.changed(R.RECOMMENDATION, rec.id, ["due"], version=seen)
    session.add(rev)
    op.created(R.DUE_REVISION, rev.id)
    op.summary = f"Revise the due date of {rec.ref} for {row.name} to {house_date(new_due)}"
    return rev


def due_words(row: Addressee) -> str:
    return house_date(row.due)


def is_overdue(row: Addressee, today: dt.date) -> bool:
    return row.status is Status.AWAITING_RESPONSE and row.due < today
