"""Importing a Committee letter (or meeting minutes) into the register, with a review in between.

``preview(desk, path)`` reads the file and compares it with the register, writing nothing. The clerk
(or the review dialog) may edit the parsed letter with the functions of
:mod:`pcc_desk.letter_values` (edit, drop, merge, split asks; accept suggestions), then
``commit(desk, preview, letter=edited)`` saves it in ONE transaction: the Document (original file kept,
content-addressed), its Footnotes, Themes, and one Recommendation per ask, each with its first status
history row. The file itself is not read again, only checked to be unchanged.

Re-import rules: the very same file (same SHA-256) adds nothing. An edited version of a letter already
imported (same date, and same subject or same sender and recipient) is saved as a new Document that
supersedes the old one; its asks are matched with the register's by their words: only new asks are
added; changed and removed asks are listed, and the register's records (with their responses and
quotes) are kept as they are.

``undo_import(desk, document_id)`` takes one import out again (its asks, footnotes, the themes it made,
the Document row) while nothing the clerk did since hangs on it; the kept original file stays.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk import storage
from pcc_desk.dates import house_date
from pcc_desk.errors import Conflict, ImportRejected, InvalidInput, NotFound
from pcc_desk.importers.letters import read_letter
from pcc_desk.letter_values import (
    DOC_LETTER,
    DOC_MINUTES,
    LetterHead,
    ParsedAsk,
    ParsedFootnote,
    ParsedLetter,
    accept_suggestions,
    normalise_for_match,
)
from pcc_desk.model import (
    Document,
    DocumentKind,
    Footnote,
    OperationKind,
    Recommendation,
    RecommendationKind,
    Response,
    Status,
    StatusChange,
    Theme,
    Transcript,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal
from pcc_desk.services.desk import ChangeKind as C
from pcc_desk.services.desk import Desk
from pcc_desk.services.register import (
    default_due,
    drop_unused_theme,
    edited_since_added,
    get_or_create_theme,
    next_reference,
    what_hangs_on,
)

CHANGES = (C.DOCUMENTS, C.RECOMMENDATIONS, C.FOOTNOTES, C.THEMES)  # what an import writes

SIMILAR = 0.6  # difflib ratio above which a reworded ask is "changed" rather than new + removed

OUTCOME_IMPORTED = "imported"
OUTCOME_DUPLICATE = "duplicate"
OUTCOME_REIMPORTED = "reimported"


@dataclass(frozen=True)
class PriorImport:
    document_id: uuid.UUID
    file_name: str
    imported_on: dt.date
    date: dt.date | None
    subject: str


@dataclass(frozen=True)
class AskMatch:
    """How one ask of the file relates to the register: ``new``, ``unchanged`` or ``changed``."""

    status: str
    ref: str  # the existing reference, or the one a new ask would get
    text: str
    register_text: str = ""  # the register's wording, for unchanged/changed


@dataclass(frozen=True)
class RemovedAsk:
    ref: str
    text: str


@dataclass(frozen=True)
class Comparison:
    matches: tuple[AskMatch, ...]  # aligned with the letter's asks
    removed: tuple[RemovedAsk, ...] = ()
    previous: PriorImport | None = None  # set for the re-import of an edited letter

    @property
    def new(self) -> tuple[AskMatch, ...]:
        return tuple(m for m in self.matches if m.status == "new")

    @property
    def changed(self) -> tuple[AskMatch, ...]:
        return tuple(m for m in self.matches if m.status == "changed")


@dataclass(frozen=True)
class LetterPreview:
    path: str
    file_name: str
    sha256: str
    size: int
    letter: ParsedLetter
    comparison: Comparison
    duplicate_of: PriorImport | None = None

    @property
    def is_reimport(self) -> bool:
        return self.comparison.previous is not None


@dataclass(frozen=True)
class ImportResult:
    outcome: str  # imported | duplicate | reimported
    message: str
    file_name: str
    letter: ParsedLetter
    comparison: Comparison
    document_id: uuid.UUID | None = None
    refs: tuple[str, ...] = ()  # the recommendations added
    operation_id: uuid.UUID | None = None  # the journal's row of the import (undo, redo)


# --- preview -------------------------------------------------------------------------------------


def preview(desk: Desk | None, path: str | Path, *, minutes: bool | None = None) -> LetterPreview:
    """Read the file (after the safety checks) and compare it with the register; nothing is written."""
    path = Path(path)
    letter = read_letter(path, minutes=minutes)
    sha = storage.sha256_file(path)
    size = path.stat().st_size
    if desk is None:
        return LetterPreview(str(path), path.name, sha, size, letter, _compare_fresh(None, letter))
    with desk.reading() as session:
        duplicate = _by_sha(session, sha)
        comparison = _compare(session, letter)
    return LetterPreview(str(path), path.name, sha, size, letter, comparison, duplicate)


def _prior(doc: Document) -> PriorImport:
    return PriorImport(doc.id, doc.file_name, doc.created_at.date(), doc.date, doc.subject)


def _by_sha(session: Session, sha: str) -> PriorImport | None:
    doc = session.scalars(select(Document).where(Document.sha256 == sha)).first()
    return _prior(doc) if doc is not None else None


def _previous_version(session: Session, letter: ParsedLetter) -> Document | None:
    head = letter.head
    if head.date is None:
        return None
    candidates = session.scalars(
        select(Document)
        .where(Document.date == head.date, Document.kind == _doc_kind(letter))
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


def _chain_ids(session: Session, doc: Document) -> list[uuid.UUID]:
    """The document and every version it supersedes."""
    ids, current = [], doc
    while current is not None and current.id not in ids:
        ids.append(current.id)
        current = session.get(Document, current.supersedes_id) if current.supersedes_id else None
    return ids


def _made(letter: ParsedLetter, ask: ParsedAsk) -> dt.date | None:
    return ask.made or letter.head.date


def _compare_fresh(session: Session | None, letter: ParsedLetter) -> Comparison:
    taken: list[str] = []
    matches = []
    for ask in letter.asks:
        made = _made(letter, ask)
        ref = _next_ref(session, made, taken) if made else ""
        taken.append(ref)
        matches.append(AskMatch("new", ref, ask.text))
    return Comparison(tuple(matches))


def _next_ref(session: Session | None, made: dt.date, taken: list[str]) -> str:
    if session is not None:
        return next_reference(session, made, taken)
    from pcc_desk.services.register import reference_prefix

    prefix = reference_prefix(made)
    return f"{prefix}{sum(1 for t in taken if t.startswith(prefix)) + 1:02d}"


def _compare(session: Session, letter: ParsedLetter) -> Comparison:
    previous = _previous_version(session, letter)
    if previous is None:
        return _compare_fresh(session, letter)
    existing = list(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.document_id.in_(_chain_ids(session, previous)))
            .order_by(Recommendation.made, Recommendation.ordinal, Recommendation.ref)
        )
    )
    pool = {rec.ref: rec for rec in existing}
    keyed = {}
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
    taken: list[str] = []
    matches = []
    for n, ask in enumerate(letter.asks):
        match = found[n]
        if match is None:
            made = _made(letter, ask)
            ref = next_reference(session, made, taken) if made else ""
            taken.append(ref)
            match = AskMatch("new", ref, ask.text)
        matches.append(match)
    removed = tuple(RemovedAsk(rec.ref, rec.text) for rec in existing if rec.ref in pool)
    return Comparison(tuple(matches), removed, _prior(previous))


def refresh(desk: Desk | None, preview: LetterPreview, letter: ParsedLetter) -> LetterPreview:
    """The preview with the clerk's edited letter, compared with the register again (refs, matches)."""
    if desk is None:
        return dataclasses.replace(preview, letter=letter, comparison=_compare_fresh(None, letter))
    with desk.reading() as session:
        comparison = _compare(session, letter)
    return dataclasses.replace(preview, letter=letter, comparison=comparison)


# --- commit ----------------------------------------------------------------------------------------


def _doc_kind(letter: ParsedLetter) -> DocumentKind:
    return DocumentKind.MINUTES if letter.document_kind == DOC_MINUTES else DocumentKind.LETTER


def _validate(name: str, letter: ParsedLetter) -> None:
    for n, ask in enumerate(letter.asks, start=1):
        if not ask.text.strip():
            raise InvalidInput(f"{name}: ask {n} has no text.")
        if _made(letter, ask) is None:
            raise ImportRejected(
                f"{name}: the letter's date could not be read; give the date in the review and import again."
            )


def commit(
    desk: Desk,
    preview: LetterPreview,
    *,
    letter: ParsedLetter | None = None,
    accepted_suggestions=(),
) -> ImportResult:
    """Save the (possibly edited) letter of ``preview`` in one transaction."""
    name = preview.file_name
    letter = letter if letter is not None else preview.letter
    if accepted_suggestions:
        letter = accept_suggestions(letter, accepted_suggestions)
    _validate(name, letter)
    source = Path(preview.path)
    try:
        unchanged = storage.sha256_file(source) == preview.sha256
    except OSError:
        raise ImportRejected(
            f"{name}: the file can no longer be read; nothing was imported."
        ) from None
    if not unchanged:
        raise ImportRejected(
            f"{name}: the file has changed since it was read; read it again before importing."
        )
    with desk.reading() as session:
        earlier = _by_sha(session, preview.sha256)
    if earlier is not None:
        return _duplicate(preview, letter, earlier)
    # the original first: content-addressed, so a failed import leaves at worst an unused copy
    stored = storage.store_original(desk.location, source, preview.sha256)
    with desk.transaction(CHANGES) as session:
        earlier = _by_sha(session, preview.sha256)
        if earlier is not None:
            return _duplicate(preview, letter, earlier)
        op = journal.pending(
            OperationKind.IMPORT_LETTER,
            {
                "file_name": preview.file_name,
                "sha256": preview.sha256,
                "stored_path": stored,
                "path": preview.path,
                "letter": letter_to_json(letter),
            },
            desk.user,
        )
        result = apply_import(session, op, op.payload, letter)
        journal.write(session, op)
    return dataclasses.replace(result, operation_id=op.id)


def apply_import(
    session: Session, op: journal.Pending, p: dict, letter: ParsedLetter
) -> ImportResult:
    """Save a reviewed letter: its Document, Footnotes, Themes and one Recommendation per new ask,
    each with its first status row (ids from ``op``, so applying it again makes the same records)."""
    comparison = _compare(session, letter)
    doc = _save_document(session, letter, p, comparison.previous, op)
    notes = _save_footnotes(session, doc, letter, op)
    themes = {}
    for ordinal, theme_name in enumerate(letter.themes):
        themes[theme_name] = get_or_create_theme(
            session, theme_name, document_id=doc.id, ordinal=ordinal, op=op
        )
    refs = []
    for ordinal, (ask, match) in enumerate(
        zip(letter.asks, comparison.matches, strict=True), start=1
    ):
        if match.status != "new":
            continue
        if ask.theme and ask.theme not in themes:
            themes[ask.theme] = get_or_create_theme(
                session, ask.theme, document_id=doc.id, ordinal=len(themes), op=op
            )
        refs.append(
            _save_ask(session, op, doc, letter, ask, ordinal, themes.get(ask.theme), notes, refs)
        )
    session.flush()
    op.summary = f"Import {p['file_name']}" + (
        f" ({refs[0]} to {refs[-1]})" if len(refs) > 1 else (f" ({refs[0]})" if refs else "")
    )
    name = p["file_name"]
    return _result(name, letter, comparison, doc.id, tuple(refs))


def _duplicate(preview: LetterPreview, letter: ParsedLetter, earlier: PriorImport) -> ImportResult:
    message = f"{preview.file_name}: already imported on {house_date(earlier.imported_on)}; nothing was added."
    return ImportResult(
        OUTCOME_DUPLICATE, message, preview.file_name, letter, Comparison(()), earlier.document_id
    )


def _save_document(
    session: Session,
    letter: ParsedLetter,
    p: dict,
    previous: PriorImport | None,
    op: journal.Pending,
) -> Document:
    head = letter.head
    doc = Document(
        id=op.new_id(R.DOCUMENT),
        kind=_doc_kind(letter),
        title=head.subject or Path(p["file_name"]).stem,
        subject=head.subject,
        date=head.date,
        sender=head.sender,
        sender_role=head.sender_role,
        recipient=head.recipient,
        recipient_role=head.recipient_role,
        cc=list(head.cc),
        salutation=head.salutation,
        file_name=p["file_name"],
        sha256=p["sha256"],
        stored_path=p["stored_path"],
        supersedes_id=previous.document_id if previous else None,
    )
    session.add(doc)
    session.flush()
    op.created(R.DOCUMENT, doc.id)
    return doc


def _save_footnotes(
    session: Session, doc: Document, letter: ParsedLetter, op: journal.Pending
) -> dict[int, Footnote]:
    notes: dict[int, Footnote] = {}
    for note in letter.footnotes:
        if note.number in notes:
            continue
        row = Footnote(
            id=op.new_id(R.FOOTNOTE),
            document_id=doc.id,
            number=note.number,
            text=note.text,
            urls=list(note.urls),
            committee=note.committee,
            meeting_date=note.meeting_date,
        )
        session.add(row)
        op.created(R.FOOTNOTE, row.id)
        notes[note.number] = row
    session.flush()
    from pcc_desk.services.transcripts import link_footnotes

    link_footnotes(session)  # the one rule: the transcript of that committee's meeting that day
    return notes


def _save_ask(session, op, doc, letter, ask, ordinal, theme, notes, taken) -> str:
    made = _made(letter, ask)
    due = default_due(made)
    kind = RecommendationKind.parse(ask.kind) if ask.kind else RecommendationKind.RECOMMENDATION
    rec = Recommendation(
        id=op.new_id(R.RECOMMENDATION),
        ref=next_reference(session, made, taken),
        kind=kind,
        text=ask.text.strip(),
        context=ask.context.strip(),
        theme=theme,
        addressee=(ask.addressee or letter.head.recipient).strip(),
        document_id=doc.id,
        ordinal=ordinal,
        made=made,
        original_due=due,
        due=due,
        status=Status.AWAITING_RESPONSE,
    )
    rec.footnotes = [notes[n] for n in ask.footnotes if n in notes]
    session.add(rec)
    session.flush()
    first = StatusChange(
        id=op.new_id(R.STATUS_CHANGE),
        recommendation_id=rec.id,
        from_status=None,
        to_status=Status.AWAITING_RESPONSE,
        changed_at=op.at,
        changed_by=op.actor,
        note=f"Imported from {doc.file_name}",
    )
    session.add(first)
    op.created(R.RECOMMENDATION, rec.id)
    op.created(R.STATUS_CHANGE, first.id)
    return rec.ref


def _result(name: str, letter: ParsedLetter, comparison: Comparison, doc_id, refs) -> ImportResult:
    if comparison.previous is not None:
        prior = comparison.previous
        message = (
            f"{name}: an edited version of {prior.file_name} (imported on {house_date(prior.imported_on)}): "
            f"{len(refs)} new ask(s) added, {len(comparison.changed)} changed and {len(comparison.removed)} removed "
            "ask(s) listed; the register's records were kept as they are."
        )
        outcome = OUTCOME_REIMPORTED
    else:
        what = "undertaking(s)" if letter.document_kind == DOC_MINUTES else "recommendation(s)"
        span = f" ({refs[0]} to {refs[-1]})" if len(refs) > 1 else (f" ({refs[0]})" if refs else "")
        message = f"{name}: {len(refs)} {what}{span}, {len(letter.footnotes)} footnote(s), {len(letter.themes)} theme(s) imported."
        outcome = OUTCOME_IMPORTED
    return ImportResult(outcome, message, name, letter, comparison, doc_id, refs)


def with_date(letter: ParsedLetter, date: dt.date) -> ParsedLetter:
    """The letter with its date set (when the head had none, or it was misread)."""
    return dataclasses.replace(letter, head=dataclasses.replace(letter.head, date=date))


# --- undo ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UndoneImport:
    document_id: uuid.UUID
    file_name: str
    sha256: str
    refs: tuple[str, ...]  # the recommendations removed
    footnotes: int
    themes: tuple[str, ...]  # the themes removed (made by this import, used by nothing else)
    message: str


@dataclass(frozen=True)
class FoundImport:
    document_id: uuid.UUID
    kind: DocumentKind
    file_name: str
    transcript_id: uuid.UUID | None = None  # set when the file was imported as a transcript


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
    and its asks stay. The kept original file stays in the files folder: it is content-addressed, used
    by nothing once the Document row is gone, and lets the same file be imported again.

    This is the removal for an import the journal does not hold (made before it existed); an import
    it holds is undone as its operation (``pcc_desk.services.undo``), so that it can be redone.
    """
    with desk.transaction(CHANGES) as session:
        op = journal.pending(OperationKind.REMOVE_IMPORT, {"document": document_id}, desk.user)
        undone = apply_remove_import(session, op, op.payload)
        journal.write(session, op)
    return undone


def import_blocker(session: Session, doc: Document) -> str | None:
    """Why the import of ``doc`` cannot be taken out (one line), or None: a later re-import that
    supersedes it, a response or transcript made from it, or anything the clerk did with one of its
    asks since (a response, a quote, a status change, a due date revision or an edit, even one undone
    since: the audit trail keeps it), or a recommendation elsewhere citing one of its footnotes."""
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
    recs = list(session.scalars(select(Recommendation).where(Recommendation.document_id == doc.id)))
    recs.sort(key=lambda rec: rec.ordinal)
    for rec in recs:
        reason = what_hangs_on(rec)
        if reason is None and edited_since_added(rec):
            reason = "has been edited"
        if reason is not None:
            return f"{rec.ref} {reason} since {name} was imported; the import was not undone."
    mine = {rec.id for rec in recs}
    for note in doc.footnotes:
        others = [r.ref for r in note.recommendations if r.id not in mine]
        if others:
            return f"{others[0]} cites footnote {note.number} of {name}; the import was not undone."
    return None


def apply_remove_import(session: Session, op: journal.Pending, p: dict) -> UndoneImport:
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
        "removed. The kept copy of the file stays in the files folder."
    )
    op.summary = f"Take out the import of {name}"
    return UndoneImport(*undone_doc, refs, footnotes, tuple(removed_themes), message)


def letter_to_json(letter: ParsedLetter) -> dict:
    """A reviewed letter as the journal keeps it (what the import saved; suggestions left out)."""
    return journal.enc(dataclasses.asdict(dataclasses.replace(letter, suggested=(), warnings=())))


def _known(cls, values: dict) -> dict:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in values.items() if k in names}


def letter_from_json(data: dict) -> ParsedLetter:
    head = _known(LetterHead, data["head"])
    head.update(date=journal.day(head.get("date")), cc=tuple(head.get("cc", ())))
    asks = []
    for ask in data.get("asks", ()):
        ask = _known(ParsedAsk, ask)
        ask.update(footnotes=tuple(ask.get("footnotes", ())), made=journal.day(ask.get("made")))
        asks.append(ParsedAsk(**ask))
    notes = []
    for note in data.get("footnotes", ()):
        note = _known(ParsedFootnote, note)
        note.update(
            urls=tuple(note.get("urls", ())), meeting_date=journal.day(note.get("meeting_date"))
        )
        notes.append(ParsedFootnote(**note))
    return ParsedLetter(
        head=LetterHead(**head),
        themes=tuple(data.get("themes", ())),
        asks=tuple(asks),
        footnotes=tuple(notes),
        source_format=data.get("source_format", ""),
        document_kind=data.get("document_kind", DOC_LETTER),
    )


def ensure_kept_copy(desk: Desk, p: dict) -> None:
    """Make sure the copy an import kept of its file is in the files folder (from the original file
    while it is unchanged), or raise ImportRejected: applying the import again needs it."""
    kept = desk.location.files_dir / p["stored_path"]
    if kept.is_file():
        return
    original = Path(p.get("path") or "")
    try:
        unchanged = original.is_file() and storage.sha256_file(original) == p["sha256"]
    except OSError:
        unchanged = False
    if not unchanged:
        raise ImportRejected(
            f"{p['file_name']}: the file is gone or changed, and no copy was kept."
        )
    storage.store_original(desk.location, original, p["sha256"])
