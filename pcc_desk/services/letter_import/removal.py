"""Taking an import out again while nothing the clerk did since hangs on it (:func:`undo_import`,
:func:`apply_remove_import`); finding an import by its file or id."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk import storage
from pcc_desk.errors import Conflict, InvalidInput, NotFound
from pcc_desk.model import (
    Document,
    DocumentKind,
    Evidence,
    OperationKind,
    Recommendation,
    RecommendationLink,
    Response,
    Theme,
    Transcript,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal, originals
from pcc_desk.services.desk import Desk
from pcc_desk.services.letter_import.values import CHANGES, FoundImport, UndoneImport
from pcc_desk.services.register import (
    drop_unused_theme,
    edited_since_added,
    what_hangs_on,
)


def find_import(desk: Desk, ident: str | Path) -> FoundImport:
    """The Document of an import, named by its id (or the start of it) or by the imported file."""
    text = str(ident).strip()
    path = Path(text)
    with desk.reading() as session:
        if path.is_file():
            docs = list(
                session.scalars(
                    select(Document).where(Document.sha256 == storage.sha256_file(path))
                )
            )
            if not docs:
                raise NotFound(f"{path.name}: this file has not been imported.")
        else:
            key = text.lower().replace("-", "")
            if len(key) < 6 or any(c not in "0123456789abcdef" for c in key):
                raise NotFound(f"There is no file {text!r}, and it is not a document id either.")
            docs = [d for d in session.scalars(select(Document)) if d.id.hex.startswith(key)]
            if not docs:
                raise NotFound(f"There is no imported document {text}.")
            if len(docs) > 1:
                raise InvalidInput(f"'{text}' matches more than one document; give more of its id.")
        doc = docs[0]
        transcript = session.scalars(
            select(Transcript.id).where(Transcript.document_id == doc.id)
        ).first()
        return FoundImport(doc.id, doc.kind, doc.file_name, transcript)


def undo_import(desk: Desk, document_id: uuid.UUID) -> UndoneImport:
    """Remove what one letter (or minutes) import added, in one transaction.

    Refused with :class:`Conflict` (nothing changed) when anything the clerk did since hangs on it
    (:func:`import_blocker`). For a re-import, only what that import added goes; the earlier version
    and its asks stay. This removal cannot be undone, so the bytes of the file kept in the register go
    too (unless another record uses them); the file itself can be imported again.

    This is the removal for an import the journal does not hold (made before it existed); an import
    it holds is undone as its operation (``pcc_desk.services.undo``), so that it can be redone.
    """
    with desk.transaction(CHANGES) as session:
        op = journal.pending(OperationKind.REMOVE_IMPORT, {"document": document_id}, desk.user)
        undone = apply_remove_import(session, op, op.payload)
        originals.release(session, undone.sha256)
        journal.write(session, op)
    return undone


def import_blocker(session: Session, doc: Document) -> str | None:
    """Why the import of ``doc`` cannot be taken out (one line), or None: a later re-import that
    supersedes it, a response or transcript made from it, or anything the clerk did with one of its
    asks since (a response, a quote, a status change, a due date revision or an edit, even one undone
    since: the audit trail keeps it), a later ask linked to one of its asks, or a recommendation
    elsewhere citing one of its footnotes."""
    name = doc.file_name or doc.title or "The document"
    later = session.scalars(
        select(Document).where(Document.supersedes_id == doc.id).limit(1)
    ).first()
    if later is not None:
        return f"{name} has an edited version imported since ({later.file_name}): undo that import first."
    if session.scalars(select(Response.id).where(Response.document_id == doc.id).limit(1)).first():
        return f"{name} is the source of a logged response; the import was not undone."
    if session.scalars(
        select(Transcript.id).where(Transcript.document_id == doc.id).limit(1)
    ).first():
        return f"{name} is the source of a transcript; the import was not undone."
    if session.scalars(select(Evidence.id).where(Evidence.document_id == doc.id).limit(1)).first():
        return f"{name} is kept as evidence for an ask; the import was not undone."
    recs = list(session.scalars(select(Recommendation).where(Recommendation.document_id == doc.id)))
    recs.sort(key=lambda rec: rec.ordinal)
    for rec in recs:
        reason = what_hangs_on(rec)
        if reason is None and edited_since_added(rec):
            reason = "has been edited"
        if reason is not None:
            return f"{rec.ref} {reason} since {name} was imported; the import was not undone."
    mine = {rec.id for rec in recs}
    since = session.scalars(
        select(RecommendationLink).where(
            RecommendationLink.earlier_id.in_(mine),
            RecommendationLink.recommendation_id.not_in(mine),
        )
    ).all()
    linked = min(since, key=lambda x: (x.earlier.ref, x.recommendation.ref), default=None)
    if linked is not None:
        return (
            f"{linked.recommendation.ref} has been linked to {linked.earlier.ref} since {name} was "
            "imported; the import was not undone."
        )
    for note in doc.footnotes:
        others = [r.ref for r in note.recommendations if r.id not in mine]
        if others:
            return f"{others[0]} cites footnote {note.number} of {name}; the import was not undone."
    return None


def apply_remove_import(session: Session, op: journal.Pending, p: dict[str, Any]) -> UndoneImport:
    doc = session.get(Document, journal.uid(p["document"]))
    if doc is None:
        raise NotFound("That import is no longer in the register.")
    name = doc.file_name or doc.title or "The document"
    if doc.kind not in (DocumentKind.LETTER, DocumentKind.MINUTES):
        raise InvalidInput(f"{name} was not imported as a letter or minutes.")
    reason = import_blocker(session, doc)
    if reason is not None:
        raise Conflict(reason)
    recs = list(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.document_id == doc.id)
            .order_by(Recommendation.ordinal)
        )
    )
    themes = list(session.scalars(select(Theme).where(Theme.document_id == doc.id)))
    refs = tuple(rec.ref for rec in recs)
    footnotes = len(doc.footnotes)
    undone_doc = (doc.id, doc.file_name, doc.sha256 or "")
    minutes = doc.kind == DocumentKind.MINUTES
    for note in doc.footnotes:
        op.removed(R.FOOTNOTE, note.id)
    links = session.scalars(
        select(RecommendationLink).where(
            RecommendationLink.recommendation_id.in_([rec.id for rec in recs])
        )
    ).all()
    for link in links:  # the import's own (a follow-up's), and any confirmed from its asks since
        op.removed(R.LINK, link.id)
        session.delete(link)
    for rec in recs:
        op.removed(R.RECOMMENDATION, rec.id)
        session.delete(rec)
    session.flush()
    removed_themes = []
    for theme in themes:
        if drop_unused_theme(session, theme):
            op.removed(R.THEME, theme.id)
            removed_themes.append(theme.name)
    session.flush()
    op.removed(R.DOCUMENT, doc.id)
    session.delete(doc)
    session.flush()
    what = "undertaking(s)" if minutes else "recommendation(s)"
    message = (
        f"{name}: import undone; {len(refs)} {what}, {footnotes} footnote(s) and {len(removed_themes)} theme(s) "
        "removed."
    )
    op.summary = f"Take out the import of {name}"
    return UndoneImport(*undone_doc, refs, footnotes, tuple(removed_themes), message)
