"""The transcript library: import meeting transcripts, list and read them, delete them, and link the
letters' footnotes that cite a meeting to the transcript of that meeting.

An import is all or nothing: the file is parsed completely before anything is written, then the
Document, the Transcript and every Segment are written in one transaction, and the search index with
them (on a file every turn is indexed at once when all are written: ``search.turns_indexed_at_once``). The same file (by SHA-256) is never imported twice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import typing
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import String, Table, cast, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pcc_desk import search, storage
from pcc_desk.cleaning import clean_text
from pcc_desk.errors import Conflict, DuplicateImport, ImportRejected, InvalidInput, NotFound
from pcc_desk.importers.transcript import ParsedSegment, ParsedTranscript, parse_transcript
from pcc_desk.model import (
    Document,
    DocumentKind,
    Footnote,
    OperationKind,
    Quote,
    Segment,
    Transcript,
    utcnow,
)
from pcc_desk.model import RecordKind as R
from pcc_desk.services import journal, originals
from pcc_desk.services.desk import Desk
from pcc_desk.services.dto import SegmentRecord, TranscriptRecord
from pcc_desk.services.records import segment_record, segment_record_of_row, transcript_record
from pcc_desk.services.settings import get_settings
from pcc_desk.vocabulary import ChangeKind as C

CHANGES = (C.TRANSCRIPTS, C.SEGMENTS, C.DOCUMENTS, C.FOOTNOTES, C.SEARCH)


@dataclass(frozen=True)
class TranscriptDetail:
    transcript: TranscriptRecord
    segments: tuple[SegmentRecord, ...]


@dataclass(frozen=True)
class ImportResult:
    transcript: TranscriptRecord
    segments: tuple[SegmentRecord, ...]
    created: bool  # False: the very same file was imported before; nothing was added
    footnotes_linked: int = 0
    operation_id: uuid.UUID | None = None  # the journal's row of the import (undo, redo)
    notes: tuple[str, ...] = ()  # what the importer read without confidence (see ParsedTranscript)


def _record(
    session: Session, t: Transcript, segments: Sequence[Segment | SegmentRecord]
) -> TranscriptRecord:
    """The transcript with its counts (turns, words, quotes), for one transcript read whole."""
    return transcript_record(
        t,
        segment_count=len(segments),
        word_count=sum(len(s.text.split()) for s in segments),
        quote_count=quote_count(session, t.id),
    )


def _default_committee(desk: Desk) -> str:
    return get_settings(desk).committee


def import_transcript(
    desk: Desk,
    path: str | Path,
    date: dt.date | None = None,
    title: str | None = None,
    committee: str | None = None,
) -> ImportResult:
    """Import one transcript file. ``date``, ``title`` and ``committee`` fill in only what neither the
    header nor the file name gives. Raises ImportRejected (nothing written) for a file it cannot read."""
    path = Path(path)
    parsed = parse_transcript(
        path, date=date, title=title, committee=committee or _default_committee(desk)
    )
    return import_parsed(desk, path, parsed)


def import_parsed(desk: Desk, path: Path, parsed: ParsedTranscript) -> ImportResult:
    """Write the transcript read from ``path`` (by :func:`parse_transcript`, here or in a folder
    import's reading process), unless the very same file was imported before."""
    sha = storage.sha256_file(path)
    with desk.reading() as session:
        existing = session.scalars(select(Document).where(Document.sha256 == sha)).first()
        if existing is not None:
            transcript = session.scalars(
                select(Transcript).where(Transcript.document_id == existing.id)
            ).first()
            if transcript is None:
                raise Conflict(
                    f"{path.name}: this file was imported before, but not as a transcript."
                )
            return ImportResult(
                transcript=_record(session, transcript, list(transcript.segments)),
                segments=tuple(segment_record(s) for s in transcript.segments),
                created=False,
            )
    return save_parsed(desk, parsed, path=path, sha256=sha)


def save_parsed(
    desk: Desk, parsed: ParsedTranscript, *, path: Path | None = None, sha256: str | None = None
) -> ImportResult:
    """Write a parsed transcript, and keep its file's bytes in the register, in one transaction."""
    try:
        return _write(desk, parsed, path, sha256)
    except IntegrityError:
        # the same file imported a moment ago by another window or process
        if path is not None and sha256:
            with desk.reading() as session:
                if (
                    session.scalars(select(Document.id).where(Document.sha256 == sha256)).first()
                    is not None
                ):
                    raise DuplicateImport(
                        f"{path.name}: this file has just been imported."
                    ) from None
        raise


def _write(
    desk: Desk,
    parsed: ParsedTranscript,
    path: Path | None,
    sha256: str | None,
) -> ImportResult:
    with desk.transaction(CHANGES) as session:
        if path is not None and sha256:
            originals.keep(session, path, sha256)
        op = journal.pending(
            OperationKind.IMPORT_TRANSCRIPT,
            {
                "file_name": path.name if path is not None else parsed.source_name,
                "sha256": sha256,
                "committee": parsed.committee,
                "meeting_date": parsed.meeting_date,
                "title": parsed.title,
            },
            desk.user,
        )
        result = apply_import(session, op, op.payload, parsed)
        journal.write(session, op)
        return dataclasses.replace(result, operation_id=op.id)


def apply_import(
    session: Session, op: journal.Pending, p: dict[str, Any], parsed: ParsedTranscript
) -> ImportResult:
    """Write one parsed transcript: its Document, the Transcript and every turn. The turns' ids follow
    from the transcript's (so applying the import again makes the very same records)."""
    document = Document(
        id=op.new_id(R.DOCUMENT),
        kind=DocumentKind.TRANSCRIPT,
        title=p["title"],
        date=journal.required_day(p["meeting_date"]),
        file_name=p["file_name"],
        sha256=p.get("sha256"),
        stored_path=p.get("stored_path"),
    )
    session.add(document)
    session.flush()
    transcript = Transcript(
        id=op.new_id(R.TRANSCRIPT),
        document_id=document.id,
        committee=p["committee"],
        meeting_date=journal.required_day(p["meeting_date"]),
        title=p["title"],
    )
    session.add(transcript)
    session.flush()
    with search.turns_indexed_at_once(session.connection(), transcript.id.hex):
        segments = _insert_segments(session, transcript.id, parsed.segments)
    # derived links (not the journal's concern): only footnotes citing this meeting's date can change
    linked = link_footnotes(session, dates={transcript.meeting_date})
    op.created(R.DOCUMENT, document.id)
    op.created(R.TRANSCRIPT, transcript.id)
    record = _record(session, transcript, segments)
    op.summary = f"Import the transcript of {record.citation.removesuffix(' – transcript')} ({p['file_name']})"
    return ImportResult(
        transcript=record,
        segments=segments,  # written as plain rows: already records
        created=True,
        footnotes_linked=linked,
        notes=parsed.notes,
    )


def reparse(session: Session, desk: Desk, p: dict[str, Any]) -> ParsedTranscript:
    """The transcript an import operation wrote, read again from the copy of its file the register
    keeps (the header's values as the import resolved them). ImportRejected when none is kept."""
    name = p.get("file_name") or "transcript.txt"
    with originals.kept_copy_as_file(
        session, desk, p.get("sha256"), p.get("stored_path"), name
    ) as kept:
        if kept is None:
            raise ImportRejected(
                f"{p.get('file_name') or 'The transcript'}: the copy kept of the file is gone; the import cannot be applied again."
            )
        parsed = parse_transcript(kept)
    return dataclasses.replace(
        parsed,
        committee=p["committee"],
        meeting_date=journal.required_day(p["meeting_date"]),
        title=p["title"],
        source_name=p["file_name"],
    )


SEGMENT_BATCH = 2_000


def _insert_segments(
    session: Session, transcript_id: uuid.UUID, parsed: Iterable[ParsedSegment]
) -> tuple[SegmentRecord, ...]:
    """The turns written in batches as plain rows, in the caller's transaction: a transcript of 25,000
    turns never lives as 25,000 ORM objects at once. (Plain rows skip the ORM's flush events, so the
    text is cleaned of control characters here, by the same rule.)"""
    records: list[SegmentRecord] = []
    batch: list[dict[str, Any]] = []
    # a Core executemany on the session's connection: the ORM's bulk insert adds nothing plain rows
    # need, and cost as much again as the statement itself
    connection, statement = session.connection(), insert(typing.cast(Table, Segment.__table__))
    for ordinal, seg in enumerate(parsed, start=1):
        now = utcnow()
        row = {
            "id": uuid.uuid5(
                transcript_id, f"segment/{ordinal}"
            ),  # the journal's apply makes the same
            "transcript_id": transcript_id,
            "ordinal": ordinal,
            "speaker": clean_text(seg.speaker),
            "speaker_name": clean_text(seg.speaker_name),
            "speaker_role": clean_text(seg.role),
            "text": clean_text(seg.text),
            "page": seg.page,
            "created_at": now,
            "updated_at": now,
        }
        records.append(segment_record_of_row(row))
        batch.append(row)
        if len(batch) >= SEGMENT_BATCH:
            connection.execute(statement, batch)
            batch = []
    if batch:
        connection.execute(statement, batch)
    return tuple(records)


def link_footnotes(
    session: Session,
    *,
    dates: Iterable[dt.date | None] | None = None,
    notes: Iterable[Footnote] | None = None,
) -> int:
    """Link every unlinked Footnote that cites a meeting (committee + meeting_date) to the transcript of
    that committee and date. Call it after importing a transcript, and after importing a letter.

    ``dates``: only footnotes citing those meeting dates (a transcript just imported: its date);
    ``notes``: only those footnotes (a letter's, just saved). Either keeps the work to what can have
    changed, instead of every unlinked footnote in the register.

    A footnote without a committee matches a transcript of that date when there is only one. When a
    meeting has several transcripts (agenda items), the first imported is linked. Returns how many."""
    if notes is not None:
        notes = [n for n in notes if n.transcript_id is None and n.meeting_date is not None]
    else:
        query = select(Footnote).where(
            Footnote.transcript_id.is_(None), Footnote.meeting_date.is_not(None)
        )
        if dates is not None:
            query = query.where(Footnote.meeting_date.in_(set(dates)))
        notes = list(session.scalars(query))
    if not notes:
        return 0
    dates = {n.meeting_date for n in notes}
    by_date: dict[dt.date | None, list[Transcript]] = {}
    for t in session.scalars(
        select(Transcript)
        .where(Transcript.meeting_date.in_(dates))
        .order_by(Transcript.created_at, Transcript.id)
    ):
        by_date.setdefault(t.meeting_date, []).append(t)
    linked = 0
    for note in notes:
        candidates = by_date.get(note.meeting_date, [])
        wanted = _committee_key(note.committee)
        if wanted:
            candidates = [t for t in candidates if _committee_key(t.committee) == wanted]
        elif len(candidates) > 1 and len({_committee_key(t.committee) for t in candidates}) > 1:
            continue  # meetings of different committees that day: the footnote does not say which
        if candidates:
            note.transcript_id = candidates[0].id
            linked += 1
    session.flush()
    return linked


def _committee_key(name: str) -> str:
    words = (name or "").lower().replace("–", " ").split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def find_transcript(session: Session, ident: str | uuid.UUID) -> Transcript:
    """A transcript by its id, or by a unique leading part of it (at least 4 hex digits)."""
    if isinstance(ident, uuid.UUID):
        found = session.get(Transcript, ident)
        if found is None:
            raise NotFound(f"There is no transcript {ident}.")
        return found
    text = (ident or "").strip().lower().replace("-", "")
    if len(text) < 4 or any(c not in "0123456789abcdef" for c in text):
        raise InvalidInput(f"'{ident}' is not a transcript id (see `pcc-desk transcripts`).")
    if len(text) == 32:
        found = session.get(Transcript, uuid.UUID(text))
        if found is not None:
            return found
        raise NotFound(f"There is no transcript {ident}.")
    # Uuid columns are stored as 32 hex digits on SQLite
    matches = list(
        session.scalars(
            select(Transcript).where(cast(Transcript.id, String).startswith(text)).limit(2)
        )
    )
    if not matches:
        raise NotFound(f"There is no transcript {ident}.")
    if len(matches) > 1:
        raise InvalidInput(f"'{ident}' matches more than one transcript; give more of its id.")
    return matches[0]


def list_transcripts(desk: Desk) -> list[TranscriptRecord]:
    """Every transcript, most recent meeting first."""
    with desk.reading() as session:
        turns = dict(
            session.execute(
                select(Segment.transcript_id, func.count()).group_by(Segment.transcript_id)
            ).all()
        )
        quote_counts = dict(
            session.execute(
                select(Quote.transcript_id, func.count(Quote.id)).group_by(Quote.transcript_id)
            ).all()
        )
        rows = session.execute(
            select(Transcript, Document.file_name, Document.sha256)
            .join(Document, Document.id == Transcript.document_id, isouter=True)
            .order_by(Transcript.meeting_date.desc(), Transcript.title)
        ).all()
        return [
            transcript_record(
                t,
                file_name=file_name or "",
                sha256=sha or "",
                segment_count=turns.get(t.id, 0),
                quote_count=quote_counts.get(t.id, 0),
            )
            for t, file_name, sha in rows
        ]


def get_transcript(desk: Desk, ident: str | uuid.UUID) -> TranscriptDetail:
    with desk.reading() as session:
        transcript = find_transcript(session, ident)
        segments = list(transcript.segments)
        return TranscriptDetail(
            transcript=_record(session, transcript, segments),
            segments=tuple(segment_record(s) for s in segments),
        )


def list_speakers(desk: Desk) -> list[tuple[str, str, int]]:
    """(speaker name, role, number of turns) over every transcript, most turns first."""
    with desk.reading() as session:
        rows = session.execute(
            select(Segment.speaker_name, func.max(Segment.speaker_role), func.count(Segment.id))
            .group_by(Segment.speaker_name)
            .order_by(func.count(Segment.id).desc(), Segment.speaker_name)
        ).all()
        return [(name, role or "", count) for name, role, count in rows if name]


def quote_count(session: Session, transcript_id: uuid.UUID) -> int:
    """How many quotes of the transcript there are: a transcript is never taken out while quoted
    (deleting it, or undoing its import)."""
    return (
        session.scalar(select(func.count(Quote.id)).where(Quote.transcript_id == transcript_id))
        or 0
    )


def delete_transcript(
    desk: Desk, ident: str | uuid.UUID, *, force: bool = False
) -> TranscriptRecord:
    """Delete a transcript and its segments. Refused while quotes of it exist, unless ``force`` (which
    deletes those quotes and detaches them from their recommendations). The copy of its file kept in
    the register goes too, in the same transaction, unless another record uses the same file (a copy
    an older version kept in the files folder goes once the deletion is saved)."""
    with desk.transaction((*CHANGES, C.QUOTES, C.RECOMMENDATIONS)) as session:
        transcript = find_transcript(session, ident)
        op = journal.pending(
            OperationKind.DELETE_TRANSCRIPT,
            {"transcript": transcript.id, "force": force},
            desk.user,
        )
        kept = transcript.document.stored_path if transcript.document is not None else None
        record = apply_delete(session, op, op.payload)
        originals.release(session, record.sha256)
        journal.write(session, op)
    if kept:
        remove_unused_copy(desk, kept)
    return record


def apply_delete(session: Session, op: journal.Pending, p: dict[str, Any]) -> TranscriptRecord:
    transcript = find_transcript(session, journal.uid(p["transcript"]))
    record = _record(session, transcript, list(transcript.segments))
    label = record.citation.removesuffix(" – transcript")
    quotes = list(session.scalars(select(Quote).where(Quote.transcript_id == transcript.id)))
    if quotes and not p.get("force"):
        raise Conflict(
            f"The transcript of {label} has {len(quotes)} quote(s) "
            "attached to recommendations; delete them first or force the deletion."
        )
    for quote in quotes:
        for link in quote.recommendation_links:
            op.changed(R.RECOMMENDATION, link.recommendation_id, ["quotes"])
        op.removed(R.QUOTE, quote.id)
        session.delete(quote)
    session.flush()
    document = transcript.document
    op.removed(R.TRANSCRIPT, transcript.id)
    session.delete(transcript)
    session.flush()
    if document is not None:
        op.removed(R.DOCUMENT, document.id)
        session.delete(document)
    op.replaced["transcript"] = journal.enc(
        {"file_name": record.file_name, "sha256": record.sha256, "quotes": len(quotes)}
    )
    op.summary = f"Delete the transcript of {label}"
    return record


def remove_unused_copy(desk: Desk, stored_path: str) -> bool:
    """Remove a file kept in the files folder (named by its content) that no record uses any more.

    Checked and removed while holding the register's write lock, so no import can save a use of the
    file meanwhile. Returns whether the file was removed."""
    folder = desk.location.files_dir.resolve()
    target = (folder / stored_path).resolve()
    if folder not in target.parents:  # a path from the database that points outside: leave it
        return False
    with desk.transaction() as session:
        used = session.scalars(
            select(Document.id).where(Document.stored_path == stored_path).limit(1)
        ).first()
        if used is not None or not target.is_file():
            return False
        try:
            target.unlink()
        except OSError:  # still open elsewhere (Windows), or a read-only disk: harmless to keep
            return False
    with contextlib.suppress(OSError):
        target.parent.rmdir()  # only when empty
    return True
