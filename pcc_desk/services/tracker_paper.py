"""The Committee's tracker paper for a meeting, and recording its decision to close asks.

``write_paper(desk, meeting, out)`` reads the open asks as they stand on the meeting's date and
writes the paper (:mod:`pcc_desk.letters.tracker_paper`): each ask with its reference, words,
addressee, position, the progress last reported, a RAG rating (:func:`rag_for`) and its age.
``close(desk, refs, meeting, minute)`` records what the Committee agreed: every ask named is closed
("Committee agreed to close at its meeting of 12 March 2025 (minute 7)") in one transaction and one
journal row; undo appends a change back for each.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput
from pcc_desk.model import (
    Assessment,
    Implementation,
    Operation,
    OperationKind,
    Position,
    Recommendation,
    Response,
    Status,
    StatusChange,
    Verification,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import StatusChangeRecord
from pcc_desk.services.records import status_change_record
from pcc_desk.services.register import (
    latest_responses,
    recommendation_by_id,
    recommendation_by_ref,
    record_status,
)
from pcc_desk.services.register.addressees import restore_statuses
from pcc_desk.services.settings import get_settings
from pcc_desk.services.statistics import months_between
from pcc_desk.vocabulary import RAG_FILLS
from pcc_desk.vocabulary import ChangeKind as C

if TYPE_CHECKING:  # python-docx loads only when a paper is made
    from pcc_desk.letters.tracker_paper import PaperRow, TrackerPaper

REPORT_OF = "Executive Director of Secretariat"
GREEN, AMBER, RED = "Green", "Amber", "Red"


@dataclass(frozen=True)
class WrittenPaper:
    path: Path
    asks: int
    letters: int
    proposed_for_closure: tuple[str, ...]


class Dated(Protocol):
    """An ask's dates and status, or one of its several addressees' (:class:`AddresseeClock`)."""

    @property
    def made(self) -> dt.date: ...
    @property
    def due(self) -> dt.date: ...
    @property
    def target(self) -> dt.date | None: ...
    @property
    def status(self) -> Status: ...


@dataclass(frozen=True)
class AddresseeClock:
    made: dt.date
    due: dt.date
    target: dt.date | None
    status: Status


def rag_for(rec: Dated, latest: Response | None, verified: bool, on: dt.date) -> tuple[str, str]:
    """The RAG rating of an open ask on the day ``on``, and the rule that gave it."""
    if verified:
        return GREEN, "verified by the Committee"
    if latest is None:
        if rec.due < on:
            return RED, "response overdue"
        return AMBER, "response not yet due"
    if (
        latest.implementation is Implementation.REPORTED_COMPLETE
        and latest.assessment is Assessment.ADDRESSED
    ):
        return GREEN, "reported complete; addressed"
    if latest.position is Position.NOT_ACCEPTED:
        return RED, "not accepted"
    if latest.assessment is Assessment.NOT_ADDRESSED:
        return RED, "not addressed"
    if (
        rec.target is not None
        and rec.target < on
        and latest.implementation is not Implementation.REPORTED_COMPLETE
    ):
        return RED, "target date passed"
    return AMBER, "in hand"


def _progress(latest: Response | None, rec: Dated) -> str:
    if latest is None:
        return f"No response yet (due {house_date(rec.due)})."
    text = " ".join(latest.text.split())
    if len(text) > 300:
        text = text[:299].rsplit(" ", 1)[0] + "…"
    words = f"{latest.implementation.label} ({house_date(latest.received)}): {text}"
    if rec.target is not None:
        words += f"\nTarget: {house_date(rec.target)}"
    return words


def _age(rec: Dated, on: dt.date) -> str:
    months = months_between(rec.made, on)
    age = f"{months} month{'s' if months != 1 else ''}"
    if rec.status is Status.AWAITING_RESPONSE and rec.due < on:
        age += "; response overdue"
    return age


def _clocks(
    rec: Recommendation, latest: Response | None
) -> list[tuple[str, Dated, Response | None]]:
    """The tracker's rows of an ask: one, or one for each of its several addressees (its own
    clock, status and latest response)."""
    if len(rec.addressees) <= 1:
        return [(rec.addressee, rec, latest)]
    out: list[tuple[str, Dated, Response | None]] = []
    for row in rec.addressees:
        if not row.status.is_open:  # that addressee's part is closed: not on the tracker
            continue
        own = [r for r in rec.responses if r.addressee_id == row.id]
        clock = AddresseeClock(rec.made, row.due, row.target, row.status)
        out.append((row.name, clock, own[-1] if own else None))
    return out


def _letter(rec: Recommendation) -> tuple[tuple[Any, ...], str]:
    doc = rec.document
    if doc is None:
        return (dt.date.max, ""), "Recommendations added by hand"
    subject = doc.subject or doc.title or doc.file_name
    if doc.date:
        return (doc.date, str(doc.id)), f"Letter of {house_date(doc.date)}: {subject}"
    return (dt.date.max, str(doc.id)), subject


def paper_for(desk: Desk, meeting: dt.date, report_of: str = REPORT_OF) -> TrackerPaper:
    from pcc_desk.letters import tracker_paper as tp  # python-docx: only when a paper is made

    stmt = (
        select(Recommendation)
        .where(
            Recommendation.status.in_([s for s in Status if s.is_open]),
            Recommendation.made <= meeting,
        )
        .options(selectinload(Recommendation.document), selectinload(Recommendation.addressees))
        .order_by(Recommendation.made, Recommendation.ordinal, Recommendation.ref)
    )
    groups: dict[tuple[Any, ...], tuple[str, list[PaperRow]]] = {}
    close: list[PaperRow] = []
    with desk.reading() as session:
        recs = list(session.scalars(stmt))
        latest = latest_responses(session, [r.id for r in recs])
        verified = set(session.scalars(select(Verification.recommendation_id)))
        for rec in recs:
            rows = []
            for who, clock, resp in _clocks(rec, latest.get(rec.id)):
                rated = _rated(rec, resp, rec.id in verified, meeting, clock)
                why = f"set by the clerk: {rated.why}" if rated.by_clerk else rated.why
                rows.append(
                    tp.PaperRow(
                        ref=rec.ref,
                        ask=rec.text,
                        addressee=who,
                        position=resp.position.label if resp else "–",
                        progress=_progress(resp, clock),
                        rag=rated.rag,
                        rag_note=why,
                        age=_age(clock, meeting),
                    )
                )
            key, label = _letter(rec)
            groups.setdefault(key, (label, []))[1].extend(rows)
            if rows and all(
                row.rag == GREEN for row in rows
            ):  # closed when every addressee is done
                close.append(dataclasses.replace(rows[0], addressee=rec.addressee))
    return tp.TrackerPaper(
        committee=get_settings(desk).committee,
        meeting=meeting,
        report_of=report_of,
        groups=tuple(
            tp.PaperGroup(label, tuple(rows)) for _k, (label, rows) in sorted(groups.items())
        ),
        close=tuple(close),
    )


def write_paper(
    desk: Desk, meeting: dt.date, out: str | Path, *, report_of: str = REPORT_OF
) -> WrittenPaper:
    from pcc_desk.letters import tracker_paper as tp  # python-docx: only when a paper is made

    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise InvalidInput(f"{out.name}: the tracker paper is a Word file, named ….docx.")
    paper = paper_for(desk, meeting, report_of)
    if not paper.groups:
        raise InvalidInput("No recommendation is open; there is no tracker paper to write.")
    tp.write_tracker_paper(paper, out)
    return WrittenPaper(
        out,
        sum(len(g.rows) for g in paper.groups),
        len(paper.groups),
        tuple(r.ref for r in paper.close),
    )


RAGS = tuple(RAG_FILLS)  # Green, Amber, Red


@dataclass(frozen=True)
class RagRating:
    rag: str  # Red | Amber | Green, as the paper would show it
    why: str  # the rule that gave it, or the clerk's reason
    by_clerk: bool  # set by hand (else derived)
    derived: str  # the derived rating, whatever the clerk set


def rating(desk: Desk, ref: str, on: dt.date | None = None) -> RagRating:
    """The RAG rating ``ref`` would have in a paper for the day ``on`` (today by default)."""
    on = on or dt.date.today()
    with desk.reading() as session:
        rec = recommendation_by_ref(session, ref)
        latest = latest_responses(session, [rec.id]).get(rec.id)
        verified = session.scalar(
            select(Verification.id).where(Verification.recommendation_id == rec.id).limit(1)
        )
        return _rated(rec, latest, verified is not None, on)


def _rated(
    rec: Recommendation,
    latest: Response | None,
    verified: bool,
    on: dt.date,
    clock: Dated | None = None,
) -> RagRating:
    """The ask's rating (or one addressee's, by its ``clock``): the clerk's, else derived."""
    derived, why = rag_for(clock if clock is not None else rec, latest, verified, on)
    if rec.rag:
        return RagRating(rec.rag, rec.rag_reason, True, derived)
    return RagRating(derived, why, False, derived)


def set_rag(desk: Desk, ref: str, rag: str | None, reason: str = "") -> str:
    """The clerk's own RAG rating of ``ref`` with the reason (None: derived again)."""
    if rag is not None:
        rag = rag.strip().capitalize()
        if rag not in RAGS:
            raise InvalidInput(f"A RAG rating is Red, Amber or Green, not '{rag}'.")
        reason = " ".join((reason or "").split())
        if not reason:
            raise InvalidInput("Give the reason for setting the rating by hand.")
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        rec = recommendation_by_ref(session, ref)
        op = journal.pending(
            OperationKind.SET_RAG,
            {"recommendation": rec.id, "ref": rec.ref, "rag": rag, "reason": reason or ""},
            desk.user,
        )
        apply_set_rag(session, op, op.payload)
        journal.write(session, op)
        return rec.ref


def apply_set_rag(session: Session, op: journal.Pending, p: dict[str, Any]) -> None:
    rec = recommendation_by_id(session, p["recommendation"])
    if rec.rag == p["rag"] and rec.rag_reason == p["reason"]:
        raise InvalidInput(f"{rec.ref}'s rating is already that.")
    op.replaced.setdefault("rag", {"rag": rec.rag, "reason": rec.rag_reason})
    rec.rag, rec.rag_reason = p["rag"], p["reason"]
    op.changed(R.RECOMMENDATION, rec.id, ["rag", "rag_reason"])
    op.summary = f"Set the RAG rating of {rec.ref} to {p['rag'] or 'derived'}"


def why_not_undo_rag(session: Session, target: Operation) -> str | None:
    rec = session.get(Recommendation, journal.uid(target.payload["recommendation"]))
    if rec is None:
        return "That recommendation is no longer in the register."
    if rec.rag != target.payload["rag"]:
        return f"{rec.ref}'s rating has been changed since; it was not undone."
    return None


# --- the Committee's decision ---------------------------------------------------------------------


def closing_note(meeting: dt.date, minute: str | None) -> str:
    note = f"Committee agreed to close at its meeting of {house_date(meeting)}"
    return note + (f" (minute {minute.strip()})" if minute and minute.strip() else "")


def close(
    desk: Desk, refs: list[str], meeting: dt.date, minute: str | None = None
) -> tuple[StatusChangeRecord, ...]:
    """Close the asks the Committee agreed to close, in one step (all or none)."""
    if not refs:
        raise InvalidInput("Name at least one recommendation to close.")
    with desk.transaction((C.RECOMMENDATIONS,)) as session:
        recs = [recommendation_by_ref(session, r) for r in refs]
        op = journal.pending(
            OperationKind.CLOSE,
            {
                "recommendations": [r.id for r in recs],
                "ref": ", ".join(r.ref for r in recs),
                "meeting": meeting,
                "minute": (minute or "").strip(),
            },
            desk.user,
        )
        changes = apply_close(session, op, op.payload)
        journal.write(session, op)
        return tuple(status_change_record(c) for c in changes)


def apply_close(session: Session, op: journal.Pending, p: dict[str, Any]) -> list[StatusChange]:
    meeting = journal.required_day(p["meeting"])
    note = closing_note(meeting, p.get("minute"))
    changes: list[StatusChange] = []
    before: dict[str, str] = {}
    for ident in p["recommendations"]:
        rec = recommendation_by_id(session, ident)
        if not rec.status.is_open:
            raise InvalidInput(f"{rec.ref} is already '{rec.status.label}'; nothing was closed.")
        latest = rec.responses[-1] if rec.responses else None
        if latest is not None and latest.position is Position.NOT_ACCEPTED:
            new = Status.CLOSED_NOT_ACCEPTED
        else:
            new = Status.CLOSED_IMPLEMENTED
        before[str(rec.id)] = rec.status.value
        changes.append(record_status(session, rec, new, note, op))
    op.replaced["statuses"] = before
    op.summary = (
        f"Close {len(changes)} recommendation(s) agreed at the meeting of {house_date(meeting)}"
    )
    return changes


def undo_close(session: Session, op: journal.Pending, target: Operation) -> tuple[str, ...]:
    """Append a change back to the status each ask had before it was closed."""
    refs = []
    for ident, old in target.replaced["statuses"].items():
        rec = recommendation_by_id(session, ident)
        record_status(session, rec, Status(old), "Undo of the closure", op)
        refs.append(rec.ref)
    restore_statuses(session, op, target.replaced)  # each addressee's own, as it was
    return tuple(refs)


def why_not_undo_close(session: Session, target: Operation) -> str | None:
    for ident in target.replaced.get("statuses", {}):
        rec = session.get(Recommendation, journal.uid(ident))
        if rec is None:
            return "A recommendation it closed is no longer in the register."
        if rec.status.is_open:
            return f"{rec.ref} has been reopened since; the closure was not undone."
    return None
