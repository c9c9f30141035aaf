"""Saving a reviewed letter in ONE transaction (:func:`commit`, and :func:`apply_import` that a redo or
another register applies from the journal row): the Document (the original file kept), its
Footnotes, Themes, and one Recommendation per new ask with its first status row."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pcc_desk import postgres, storage
from pcc_desk.dates import house_date
from pcc_desk.errors import ImportRejected, InvalidInput
from pcc_desk.letter_values import (
    DOC_LETTER,
    DOC_MINUTES,
    LetterHead,
    ParsedAsk,
    ParsedFootnote,
    ParsedLetter,
    accept_suggestions,
)
from pcc_desk.model import (
    Addressee,
    Document,
    Footnote,
    OperationKind,
    Recommendation,
    RecommendationKind,
    RecommendationLink,
    Status,
    StatusChange,
    Theme,
    recommendation_footnotes,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.model.base import clean_values
from pcc_desk.services import journal, originals
from pcc_desk.services.desk import Desk
from pcc_desk.services.letter_import.compare import by_sha, compare, document_kind, made_on
from pcc_desk.services.letter_import.values import (
    CHANGES,
    OUTCOME_DUPLICATE,
    OUTCOME_IMPORTED,
    OUTCOME_REIMPORTED,
    Comparison,
    ImportResult,
    LetterPreview,
    PriorImport,
)
from pcc_desk.services.register import (
    default_due,
    get_or_create_theme,
    reference_prefix,
)
from pcc_desk.services.register.addressees import clean_names, first_addressees, joined
from pcc_desk.services.transcripts import link_footnotes
from pcc_desk.vocabulary import LinkKind

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def _validate(name: str, letter: ParsedLetter) -> None:
    for n, ask in enumerate(letter.asks, start=1):
        if not ask.text.strip():
            raise InvalidInput(f"{name}: ask {n} has no text.")
        if made_on(letter, ask) is None:
            raise ImportRejected(
                f"{name}: the letter's date could not be read; give the date in the review and import again."
            )


def commit(
    desk: Desk,
    preview: LetterPreview,
    *,
    letter: ParsedLetter | None = None,
    accepted_suggestions: Iterable[int] = (),
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
        earlier = by_sha(session, preview.sha256)
    if earlier is not None:
        return _duplicate(preview, letter, earlier)
    with desk.transaction(CHANGES) as session:
        _one_at_a_time(session, preview.sha256, letter)
        earlier = by_sha(session, preview.sha256)
        if earlier is not None:
            return _duplicate(preview, letter, earlier)
        originals.keep(session, source, preview.sha256, name=name)  # in the import's transaction
        op = journal.pending(
            OperationKind.IMPORT_LETTER,
            {
                "file_name": preview.file_name,
                "sha256": preview.sha256,
                "path": preview.path,
                "letter": letter_to_json(letter),
            },
            desk.user,
        )
        result = apply_import(session, op, op.payload, letter)
        journal.write(session, op)
    return dataclasses.replace(result, operation_id=op.id)


def _one_at_a_time(session: Session, sha256: str | None, letter: ParsedLetter) -> None:
    """On a team register, two clerks importing at the same moment: the very same file, or letters
    of the same date (an edited version of one is compared with the other), are saved one after the
    other, each seeing what the other saved (SQLite's write lock does this for a file)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    connection = session.connection()
    if sha256:
        postgres.lock_named(connection, "file", sha256)
    if letter.head.date is not None:
        postgres.lock_reference_prefix(connection, reference_prefix(letter.head.date))


def apply_import(
    session: Session, op: journal.Pending, p: dict[str, Any], letter: ParsedLetter
) -> ImportResult:
    """Save a reviewed letter: its Document, Footnotes, Themes and one Recommendation per new ask,
    each with its first status row (ids from ``op``, so applying it again makes the same records)."""
    _one_at_a_time(session, p.get("sha256"), letter)
    comparison = compare(session, letter)
    doc = _save_document(session, letter, p, comparison.previous, op)
    notes = _save_footnotes(session, doc, letter, op)
    themes = {}
    for ordinal, theme_name in enumerate(letter.themes):
        themes[theme_name] = get_or_create_theme(
            session, theme_name, document_id=doc.id, ordinal=ordinal, op=op
        )
    rows = _Rows()
    for ordinal, (ask, match) in enumerate(
        zip(letter.asks, comparison.matches, strict=True), start=1
    ):
        if match.status != "new":
            continue
        if ask.theme and ask.theme not in themes:
            themes[ask.theme] = get_or_create_theme(
                session, ask.theme, document_id=doc.id, ordinal=len(themes), op=op
            )
        _save_ask(rows, op, doc, letter, ask, ordinal, themes.get(ask.theme), notes, match.ref)
    rows.insert(session)  # a letter's asks go to the database together: one INSERT a table
    for rec, ask in rows.linked:  # once every new ask is in: the earlier ask is in the register
        _save_link(session, op, rec, ask)
    refs = [rec.ref for rec in rows.asks]
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
    p: dict[str, Any],
    previous: PriorImport | None,
    op: journal.Pending,
) -> Document:
    head = letter.head
    doc = Document(
        id=op.new_id(R.DOCUMENT),
        kind=document_kind(letter),
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
        stored_path=p.get("stored_path"),
        supersedes_id=previous.document_id if previous else None,
    )
    session.add(doc)
    session.flush()
    op.created(R.DOCUMENT, doc.id)
    return doc


def _save_footnotes(
    session: Session, doc: Document, letter: ParsedLetter, op: journal.Pending
) -> dict[int, Footnote]:
    """The letter's footnotes, linked to their meetings' transcripts and written with one INSERT
    (the objects returned are not in the session: their ids and values, for the asks)."""
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
        op.created(R.FOOTNOTE, row.id)
        notes[note.number] = row
    # the one rule: the transcript of that committee's meeting that day (only this letter's notes
    # can be new: the others were linked when they or their transcript came in)
    link_footnotes(session, notes=notes.values())
    if notes:
        session.execute(insert(Footnote), [_footnote_values(row) for row in notes.values()])
    return notes


def _footnote_values(row: Footnote) -> dict[str, Any]:
    return clean_values(
        Footnote,
        {
            "id": row.id,
            "document_id": row.document_id,
            "number": row.number,
            "text": row.text,
            "urls": row.urls,
            "committee": row.committee,
            "meeting_date": row.meeting_date,
            "transcript_id": row.transcript_id,
        },
    )


@dataclasses.dataclass(frozen=True)
class _NewAsk:
    id: uuid.UUID
    ref: str
    made: dt.date


@dataclasses.dataclass
class _Rows:
    """The rows of a letter's new asks, written with one INSERT a table (the per-object work of
    the ORM's unit of work was most of an import's time): the asks, their addressees, first status
    rows and footnote links, cleaned as every row is (:func:`pcc_desk.model.clean_values`)."""

    asks: list[_NewAsk] = dataclasses.field(default_factory=list)
    linked: list[tuple[_NewAsk, ParsedAsk]] = dataclasses.field(default_factory=list)
    values: dict[type, list[dict[str, Any]]] = dataclasses.field(
        default_factory=lambda: {Recommendation: [], Addressee: [], StatusChange: []}
    )
    notes: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def add(self, cls: type, values: dict[str, Any]) -> None:
        self.values[cls].append(clean_values(cls, values))

    def insert(self, session: Session) -> None:
        session.flush()  # the document, footnotes and themes they name
        for cls, values in self.values.items():
            if values:
                session.execute(insert(cls), values)
        if self.notes:
            session.execute(insert(recommendation_footnotes), self.notes)


def _save_ask(
    rows: _Rows,
    op: journal.Pending,
    doc: Document,
    letter: ParsedLetter,
    ask: ParsedAsk,
    ordinal: int,
    theme: Theme | None,
    notes: dict[int, Footnote],
    ref: str,
) -> None:
    """One new ask, with the reference the comparison (made in this transaction) gave it."""
    made = made_on(letter, ask)
    if made is None:  # (_validate refuses such a letter before its import; a replayed one too)
        raise ImportRejected("The letter's date could not be read; nothing was imported.")
    due = default_due(made)
    kind = RecommendationKind.parse(ask.kind) if ask.kind else RecommendationKind.RECOMMENDATION
    rec_id = op.new_id(R.RECOMMENDATION)
    names = clean_names(ask.addressees or [(ask.addressee or letter.head.recipient).strip()])
    status = Status.AWAITING_RESPONSE
    for values in first_addressees(op, rec_id, names, (due, due), status):
        rows.add(Addressee, values)
    rows.add(
        Recommendation,
        {
            "id": rec_id,
            "ref": ref,
            "kind": kind,
            "text": ask.text.strip(),
            "context": ask.context.strip(),
            "theme_id": theme.id if theme is not None else None,
            "addressee": joined(names),
            "document_id": doc.id,
            "ordinal": ordinal,
            "made": made,
            "original_due": due,
            "due": due,
            "status": status,
            "version": 1,
        },
    )
    first = op.new_id(R.STATUS_CHANGE)
    rows.add(
        StatusChange,
        {
            "id": first,
            "recommendation_id": rec_id,
            "from_status": None,
            "to_status": status,
            "changed_at": op.at,
            "changed_by": op.actor,
            "note": f"Imported from {doc.file_name}",
        },
    )
    for number in dict.fromkeys(n for n in ask.footnotes if n in notes):
        rows.notes.append({"recommendation_id": rec_id, "footnote_id": notes[number].id})
    op.created(R.RECOMMENDATION, rec_id)
    op.created(R.STATUS_CHANGE, first)
    new = _NewAsk(rec_id, ref, made)
    rows.asks.append(new)
    if ask.link_to:
        rows.linked.append((new, ask))


def _link_kind(ref: str, slug: str) -> LinkKind:
    try:
        return LinkKind.parse(slug) if slug else LinkKind.FOLLOWS_UP
    except ValueError as error:
        raise InvalidInput(f"{ref}: {error}.") from None


def _save_link(session: Session, op: journal.Pending, rec: _NewAsk, ask: ParsedAsk) -> None:
    """The link of a new ask to the earlier one it follows up (or repeats: the clerk's choice)."""
    earlier = session.scalars(
        select(Recommendation).where(Recommendation.ref == ask.link_to)
    ).first()
    if earlier is None or earlier.id == rec.id:
        raise InvalidInput(f"{rec.ref}: {ask.link_to} is not an earlier ask of the register.")
    if earlier.made > rec.made:
        raise InvalidInput(f"{rec.ref}: {earlier.ref} was made after it; it cannot follow it up.")
    link = RecommendationLink(
        id=op.new_id(R.LINK),
        recommendation_id=rec.id,
        earlier_id=earlier.id,
        kind=_link_kind(rec.ref, ask.link_kind),
    )
    session.add(link)
    op.created(R.LINK, link.id)


def _result(
    name: str,
    letter: ParsedLetter,
    comparison: Comparison,
    doc_id: uuid.UUID | None,
    refs: tuple[str, ...],
) -> ImportResult:
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


def letter_to_json(letter: ParsedLetter) -> dict[str, Any]:
    """A reviewed letter as the journal keeps it (what the import saved; suggestions left out)."""
    data: dict[str, Any] = journal.enc(
        dataclasses.asdict(dataclasses.replace(letter, suggested=(), warnings=()))
    )
    return data


def _known(cls: type[DataclassInstance], values: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in values.items() if k in names}


def letter_from_json(data: dict[str, Any]) -> ParsedLetter:
    head = _known(LetterHead, data["head"])
    head.update(date=journal.day(head.get("date")), cc=tuple(head.get("cc", ())))
    asks = []
    for ask in data.get("asks", ()):
        ask = _known(ParsedAsk, ask)
        ask.update(
            footnotes=tuple(ask.get("footnotes", ())),
            made=journal.day(ask.get("made")),
            addressees=tuple(ask.get("addressees", ())),
        )
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


def ensure_kept_copy(session: Session, desk: Desk, p: dict[str, Any]) -> None:
    """Make sure the register keeps the bytes of the file an import read (from a copy an older
    version kept in the files folder, or from the original file while it is unchanged), or raise
    ImportRejected: applying the import again needs them."""
    if originals.is_kept(session, p["sha256"]):
        return
    content = originals.kept_bytes(session, desk.location, p["sha256"], p.get("stored_path"))
    if content is not None:
        originals.keep_bytes(session, content, p["sha256"])
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
    originals.keep(session, original, p["sha256"], name=p["file_name"])
