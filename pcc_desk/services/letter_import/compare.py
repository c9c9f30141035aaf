"""Reading a letter and comparing it with the register, writing nothing: :func:`preview` and
:func:`refresh` (after the clerk's edits). An edited version of a letter already imported is matched
ask by ask with the register's by their words."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import uuid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk import storage
from pcc_desk.importers.letters import read_letter
from pcc_desk.letter_values import (
    DOC_MINUTES,
    ParsedAsk,
    ParsedLetter,
    normalise_for_match,
)
from pcc_desk.model import (
    Document,
    DocumentKind,
    Recommendation,
)
from pcc_desk.services import follow_ups
from pcc_desk.services.desk import Desk
from pcc_desk.services.letter_import.values import (
    SIMILAR,
    AskMatch,
    Comparison,
    LetterPreview,
    PriorImport,
    RemovedAsk,
)
from pcc_desk.services.register import (
    References,
    reference_prefix,
)


def preview(desk: Desk | None, path: str | Path, *, minutes: bool | None = None) -> LetterPreview:
    """Read the file (after the safety checks) and compare it with the register; nothing is written."""
    path = Path(path)
    letter = read_letter(path, minutes=minutes)
    sha = storage.sha256_file(path)
    size = path.stat().st_size
    if desk is None:
        return LetterPreview(str(path), path.name, sha, size, letter, compare_fresh(None, letter))
    with desk.reading() as session:
        duplicate = by_sha(session, sha)
        comparison = compare(session, letter)
    found: tuple[follow_ups.FollowsUp | None, ...] = ()
    if duplicate is None and letter.asks:  # asks that follow up earlier ones: set to be linked
        found = follow_ups.find(desk, letter)
        letter = follow_ups.prefill(letter, found, [m.status == "new" for m in comparison.matches])
    return LetterPreview(str(path), path.name, sha, size, letter, comparison, duplicate, found)


def prior(doc: Document) -> PriorImport:
    return PriorImport(doc.id, doc.file_name, doc.created_at.date(), doc.date, doc.subject)


def by_sha(session: Session, sha: str) -> PriorImport | None:
    doc = session.scalars(select(Document).where(Document.sha256 == sha)).first()
    return prior(doc) if doc is not None else None


def previous_version(session: Session, letter: ParsedLetter) -> Document | None:
    head = letter.head
    if head.date is None:
        return None
    candidates = session.scalars(
        select(Document)
        .where(Document.date == head.date, Document.kind == document_kind(letter))
        .order_by(Document.created_at.desc())
    )
    for doc in candidates:
        if head.subject and doc.subject:
            if _same(doc.subject, head.subject):
                return doc
        elif (
            head.sender
            and head.recipient
            and _same(doc.sender, head.sender)
            and _same(doc.recipient, head.recipient)
        ):
            return doc  # no subject to compare: the same date, sender and recipient
    return None


def _same(a: str, b: str) -> bool:
    return " ".join((a or "").lower().split()) == " ".join((b or "").lower().split())


def chain_ids(session: Session, doc: Document) -> list[uuid.UUID]:
    """The document and every version it supersedes."""
    ids: list[uuid.UUID] = []
    current: Document | None = doc
    while current is not None and current.id not in ids:
        ids.append(current.id)
        current = session.get(Document, current.supersedes_id) if current.supersedes_id else None
    return ids


def made_on(letter: ParsedLetter, ask: ParsedAsk) -> dt.date | None:
    return ask.made or letter.head.date


def compare_fresh(session: Session | None, letter: ParsedLetter) -> Comparison:
    taken: list[str] = []
    matches = []
    numbers = References(session) if session is not None else None
    for ask in letter.asks:
        made = made_on(letter, ask)
        ref = next_ref(numbers, made, taken) if made else ""
        taken.append(ref)
        matches.append(AskMatch("new", ref, ask.text))
    return Comparison(tuple(matches))


def next_ref(numbers: References | None, made: dt.date, taken: list[str]) -> str:
    if numbers is not None:
        return numbers.next(made)
    prefix = reference_prefix(made)
    return f"{prefix}{sum(1 for t in taken if t.startswith(prefix)) + 1:02d}"


def compare(session: Session, letter: ParsedLetter) -> Comparison:
    previous = previous_version(session, letter)
    if previous is None:
        return compare_fresh(session, letter)
    existing = list(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.document_id.in_(chain_ids(session, previous)))
            .order_by(Recommendation.made, Recommendation.ordinal, Recommendation.ref)
        )
    )
    pool = {rec.ref: rec for rec in existing}
    keyed: dict[str, str] = {}
    for rec in existing:
        keyed.setdefault(normalise_for_match(rec.text), rec.ref)
    found: list[AskMatch | None] = [None] * len(letter.asks)
    for n, ask in enumerate(letter.asks):
        ref = keyed.get(normalise_for_match(ask.text))
        if ref in pool:
            found[n] = AskMatch("unchanged", ref, ask.text, pool.pop(ref).text)
    for n, ask in enumerate(letter.asks):
        if found[n] is not None or not pool:
            continue
        key = normalise_for_match(ask.text)
        best = max(
            pool.values(),
            key=lambda r: difflib.SequenceMatcher(None, key, normalise_for_match(r.text)).ratio(),
        )
        if difflib.SequenceMatcher(None, key, normalise_for_match(best.text)).ratio() >= SIMILAR:
            found[n] = AskMatch("changed", best.ref, ask.text, pool.pop(best.ref).text)
    matches = []
    numbers = References(session)
    for n, ask in enumerate(letter.asks):
        match = found[n]
        if match is None:
            made = made_on(letter, ask)
            ref = numbers.next(made) if made else ""
            match = AskMatch("new", ref, ask.text)
        matches.append(match)
    removed = tuple(RemovedAsk(rec.ref, rec.text) for rec in existing if rec.ref in pool)
    return Comparison(tuple(matches), removed, prior(previous))


def refresh(desk: Desk | None, preview: LetterPreview, letter: ParsedLetter) -> LetterPreview:
    """The preview with the clerk's edited letter, compared with the register again (refs, matches)."""
    if desk is None:
        return dataclasses.replace(preview, letter=letter, comparison=compare_fresh(None, letter))
    with desk.reading() as session:
        comparison = compare(session, letter)
    return dataclasses.replace(preview, letter=letter, comparison=comparison)


def document_kind(letter: ParsedLetter) -> DocumentKind:
    return DocumentKind.MINUTES if letter.document_kind == DOC_MINUTES else DocumentKind.LETTER
