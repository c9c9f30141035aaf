"""Whether an undo or a redo may go ahead, decided here and only here: the rules of each kind of
operation (nothing the clerk did with what an import brought since, no quote on a transcript, the
values it set still there...), then the journal's own rule: a change made since, and still in effect,
to what the operation made or changed (by anyone) refuses it. A refusal is one line."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from pcc_desk.dates import house_date
from pcc_desk.model import (
    Document,
    Operation,
    OperationKind,
    Quote,
    Recommendation,
    RecommendationLink,
    RecommendationQuote,
    RecordKind,
    Response,
    Status,
    Transcript,
)
from pcc_desk.services import (
    journal,
    letter_import,
    register,
    repeats,
    reply_import,
    settings,
    tracker_paper,
    transcripts,
    verification,
)
from pcc_desk.services.dto import citation

K = OperationKind
R = RecordKind


# Kinds whose undo is not offered, and why (what was taken out stays in the journal row).
NOT_UNDOABLE = {
    K.REMOVE_RESPONSE: "taking a response out cannot be undone (its text is kept in the journal)",
    K.REMOVE_RECOMMENDATION: "taking a recommendation out cannot be undone (its values are kept in the journal)",
    K.REMOVE_IMPORT: "taking an import out cannot be undone: import the file again",
    K.DELETE_TRANSCRIPT: "deleting a transcript cannot be undone: import its file again",
}


def why_not_undo(session: Session, target: Operation) -> str | None:
    """Why ``target`` cannot be undone now (one line), or None."""
    if target.kind in journal.BOOKKEEPING:
        return (
            f"'{target.summary}' is an undo or a redo itself: undo or redo the change it concerns."
        )
    if target.kind in NOT_UNDOABLE:
        return f"'{target.summary}': {NOT_UNDOABLE[target.kind]}."
    if journal.SAME_AS in (target.payload or {}):
        return (
            f"'{target.summary}' added nothing (the team register had that file already): "
            "undo its first import instead."
        )
    rule = UNDO_RULES.get(target.kind)
    reason = rule(session, target) if rule is not None else None
    if reason is not None:
        return reason
    return _later(session, target, target.seq, "undone")


def why_not_redo(session: Session, target: Operation, undone_by: Operation) -> str | None:
    """Why ``target`` (undone by ``undone_by``) cannot be redone now (one line), or None. The
    operation's own rules are checked again as it is applied."""
    return _later(session, target, undone_by.seq, "redone")


def _later(session: Session, target: Operation, since: int, what: str) -> str | None:
    later = journal.later_conflict(session, target, since)
    if later is None:
        return None
    who = f"{later.actor}, " if later.actor else ""
    return (
        f"'{target.summary}' cannot be {what}: '{later.summary}' came after it "
        f"({who}{journal.when(later.at)}); undo that first."
    )


def created_ids(target: Operation, kind: RecordKind) -> list[uuid.UUID]:
    return [
        uuid.UUID(e["id"])
        for e in target.records or ()
        if e["kind"] == kind and e["role"] == journal.CREATED
    ]


def _rec(session: Session, target: Operation) -> Recommendation | None:
    return session.get(Recommendation, journal.uid(target.payload.get("recommendation")))


def _gone(target: Operation) -> str:
    ref = target.payload.get("ref") or "That recommendation"
    return f"{ref} is no longer in the register; '{target.summary}' cannot be undone."


def _undo_add(session: Session, target: Operation) -> str | None:
    (ident,) = created_ids(target, R.RECOMMENDATION)
    rec = session.get(Recommendation, ident)
    if rec is None:
        return _gone(target)
    reason = register.removal_blocker(rec)
    return f"{rec.ref} {reason}; it was not removed." if reason else None


def _undo_edit(session: Session, target: Operation) -> str | None:
    rec = _rec(session, target)
    if rec is None:
        return _gone(target)
    for name, value in target.payload["changes"].items():
        now = register.stored_field(rec, name)
        if name == "theme":  # themes are matched without regard to case
            now, value = now.casefold(), (value or "").casefold()
        if now != value:
            return f"{rec.ref}: its {name} has been changed since; the edit was not undone."
    return None


def _undo_status(session: Session, target: Operation) -> str | None:
    rec = _rec(session, target)
    if rec is None:
        return _gone(target)
    status = Status(target.payload["status"])
    if rec.status != status:
        return (
            f"{rec.ref} is no longer '{status.label}' (it is '{rec.status.label}' now); "
            "the change was not undone."
        )
    return None


def _undo_due(session: Session, target: Operation) -> str | None:
    rec = _rec(session, target)
    if rec is None:
        return _gone(target)
    due = journal.required_day(target.payload["due"])
    if target.payload.get("addressee"):  # one addressee's due date
        row = register.addressees.find(rec, target.payload["addressee"])
        if row is None or row.due != due:
            return f"{rec.ref}: that addressee's due date has changed since; it was not undone."
        return None
    if rec.due != due:
        return (
            f"{rec.ref} is no longer due on {house_date(due)} (it is due on {house_date(rec.due)}); "
            "the revision was not undone."
        )
    return None


def _undo_target(session: Session, target: Operation) -> str | None:
    rec = _rec(session, target)
    if rec is None:
        return _gone(target)
    set_to = journal.day(target.payload["target"]) if target.payload.get("target") else None
    if rec.target != set_to:
        return f"{rec.ref}'s target date has been changed since; the revision was not undone."
    return None


def _undo_response(session: Session, target: Operation) -> str | None:
    (ident,) = created_ids(target, R.RESPONSE)
    if session.get(Response, ident) is None:
        return "That response is no longer in the register; logging it cannot be undone."
    return None


def _links_there(
    session: Session, quote_id: uuid.UUID | str, rec_ids: Iterable[str], present: bool
) -> str | None:
    for ident in rec_ids:
        rec = session.get(Recommendation, journal.uid(ident))
        if rec is None:
            return "A recommendation that quote concerns is no longer in the register."
        there = session.get(RecommendationQuote, (rec.id, quote_id)) is not None
        if there != present:
            state = "detached from" if present else "attached to"
            return f"That quote has been {state} {rec.ref} since; it was not undone."
    return None


def _undo_quote(session: Session, target: Operation) -> str | None:
    quote_id = next(
        uuid.UUID(e["id"]) for e in target.records if e["kind"] == R.QUOTE
    )  # created or used
    quote = session.get(Quote, quote_id)
    if quote is None:
        return "That quote is no longer in the register; it was not undone."
    links = target.replaced.get("links", [])
    reason = _links_there(session, quote.id, links, present=True)
    if reason is None and target.replaced.get("quote_created"):
        others = sorted(
            link.recommendation.ref
            for link in quote.recommendation_links
            if str(link.recommendation_id) not in links
        )
        if others:
            reason = (
                f"That quote has been attached to {', '.join(others)} since; it was not undone."
            )
    return reason


def _undo_attach(session: Session, target: Operation) -> str | None:
    quote = session.get(Quote, journal.uid(target.payload["quote"]))
    if quote is None:
        return "That quote is no longer in the register; it was not undone."
    return _links_there(session, quote.id, target.replaced.get("links", []), present=True)


def _undo_detach(session: Session, target: Operation) -> str | None:
    quote = session.get(Quote, journal.uid(target.payload["quote"]))
    if quote is None:
        return "That quote is no longer in the register; it was not undone."
    return _links_there(session, quote.id, target.replaced.get("links", []), present=False)


def _undo_delete_quote(session: Session, target: Operation) -> str | None:
    for ident in target.replaced.get("links", []):
        if session.get(Recommendation, journal.uid(ident)) is None:
            return "A recommendation that quote was attached to is no longer in the register."
    return None  # restore_quote checks that the turn is still there


def _undo_letter(session: Session, target: Operation) -> str | None:
    (ident,) = created_ids(target, R.DOCUMENT)
    doc = session.get(Document, ident)
    if doc is None:
        return f"{target.payload.get('file_name')}: that import is no longer in the register."
    return letter_import.import_blocker(session, doc)


def _undo_transcript(session: Session, target: Operation) -> str | None:
    (ident,) = created_ids(target, R.TRANSCRIPT)
    transcript = session.get(Transcript, ident)
    if transcript is None:
        return f"{target.payload.get('file_name')}: that transcript is no longer in the register."
    count = transcripts.quote_count(session, transcript.id)
    if count:
        label = citation(transcript.committee, transcript.meeting_date)
        return (
            f"The transcript of {label.removesuffix(' – transcript')} has {count} quote(s) attached "
            "since it was imported; the import was not undone."
        )
    return None


def _undo_settings(session: Session, target: Operation) -> str | None:
    if settings.stored_value(session, target.payload["key"]) != target.payload["value"]:
        return "The Committee's details have been changed since; the change was not undone."
    return None


def _undo_link(session: Session, target: Operation) -> str | None:
    (ident,) = created_ids(target, R.LINK)
    if session.get(RecommendationLink, ident) is None:
        return "That link is no longer in the register; it cannot be undone."
    return None


def _undo_reply(session: Session, target: Operation) -> str | None:
    return reply_import.undo_blocker(session, target.records or [])


UNDO_RULES: dict[OperationKind, Callable[[Session, Operation], str | None]] = {
    K.ADD_RECOMMENDATION: _undo_add,
    K.EDIT_RECOMMENDATION: _undo_edit,
    K.CHANGE_STATUS: _undo_status,
    K.REVISE_DUE: _undo_due,
    K.REVISE_TARGET: _undo_target,
    K.VERIFY: lambda session, target: verification.why_not_undo(session, target.records),
    K.CLOSE: tracker_paper.why_not_undo_close,
    K.SET_RAG: tracker_paper.why_not_undo_rag,
    K.ADD_ADDRESSEE: register.addressing.why_not_undo_add,
    K.REMOVE_ADDRESSEE: register.addressing.why_not_undo_remove,
    K.ATTACH_EVIDENCE: lambda session, target: verification.why_not_undo(session, target.records),
    K.LOG_RESPONSE: _undo_response,
    K.QUOTE: _undo_quote,
    K.ATTACH_QUOTE: _undo_attach,
    K.DETACH_QUOTE: _undo_detach,
    K.DELETE_QUOTE: _undo_delete_quote,
    K.IMPORT_LETTER: _undo_letter,
    K.IMPORT_RESPONSE: _undo_reply,
    K.LINK_ASKS: _undo_link,
    K.UNLINK_ASKS: lambda session, target: repeats.why_not_relink(session, target.payload),
    K.IMPORT_TRANSCRIPT: _undo_transcript,
    K.SAVE_SETTINGS: _undo_settings,
}
