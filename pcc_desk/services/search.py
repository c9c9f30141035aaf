"""One search over transcripts, recommendations, responses and footnotes.

The service knows nothing of FTS5: it hands a :class:`pcc_desk.search.SearchRequest` to the database's
search backend and dresses the raw hits with what a clerk reads (a title, a ref, a citation).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcc_desk import search as backend_module
from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput
from pcc_desk.model import Document, Footnote, Recommendation, Response, Segment, Transcript
from pcc_desk.services.desk import Desk
from pcc_desk.vocabulary import ChangeKind as C

KIND_ALIASES = {
    "transcript": "transcript",
    "transcripts": "transcript",
    "segment": "transcript",
    "segments": "transcript",
    "recommendation": "recommendation",
    "recommendations": "recommendation",
    "rec": "recommendation",
    "response": "response",
    "responses": "response",
    "footnote": "footnote",
    "footnotes": "footnote",
}
MAX_LIMIT = 500


@dataclass(frozen=True)
class Hit:
    kind: str  # transcript | recommendation | response | footnote
    id: uuid.UUID  # the record: a Segment, Recommendation, Response or Footnote
    title: str
    date: dt.date | None
    speaker: str
    snippet: str  # matched words between ** markers
    score: float  # higher is better
    ref: str = ""  # the recommendation's reference (recommendations and responses)
    transcript_id: uuid.UUID | None = None  # transcripts (and footnotes linked to one)
    ordinal: int = 0  # the turn's place in its meeting


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    notes: tuple[
        str, ...
    ] = ()  # what the clerk should know, e.g. words left out because nothing holds them


def parse_kind(text: str) -> str:
    key = (text or "").strip().lower()
    if key not in KIND_ALIASES:
        raise InvalidInput(
            f"'{text}' is not a kind of record; use one of: {', '.join(backend_module.KINDS)}."
        )
    return KIND_ALIASES[key]


def search(desk: Desk, text: str, **criteria: Any) -> list[Hit]:
    """The hits of :func:`find` (same arguments)."""
    return find(desk, text, **criteria).hits


def find(
    desk: Desk,
    text: str,
    *,
    speaker: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    committee: str | None = None,
    kinds: tuple[str, ...] | list[str] | str | None = None,
    transcript_id: uuid.UUID | None = None,
    limit: int = 20,
    prefix: bool = True,
) -> Found:
    """Ranked hits for whatever the clerk typed; never an error for odd text (no hits instead).

    The words are looked for in the text and in who said or received it: a speaker's name or role, the
    meeting's title, a recommendation's addressee, its letter's sender and recipient, a response's
    author. ``"words in quotes"`` must appear together; the last word may be unfinished (prefix
    search) unless ``prefix`` is False. ``speaker`` keeps transcript turns (and responses) whose
    speaker's name or role holds its words. When every word together finds nothing, unquoted words
    that no record holds are left out, and ``notes`` says so.
    """
    if isinstance(kinds, str):
        kinds = (kinds,)
    wanted = tuple(dict.fromkeys(parse_kind(k) for k in (kinds or ())))
    if date_from and date_to and date_from > date_to:
        raise InvalidInput(f"The search starts ({date_from}) after it ends ({date_to}).")
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        raise InvalidInput("The number of results must be a whole number.") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"The number of results must be between 1 and {MAX_LIMIT}.")
    request = backend_module.SearchRequest(
        text=text or "",
        speaker=speaker or None,
        date_from=date_from,
        date_to=date_to,
        committee=committee or None,
        kinds=wanted,
        transcript_id=transcript_id.hex if transcript_id else None,
        limit=limit,
        prefix=prefix,
    )
    backend = backend_module.backend_for(desk.engine.dialect.name)
    with desk.reading() as session:
        connection = session.connection().connection.driver_connection
        outcome = backend.search(connection, request)
        return Found(_dress(session, outcome), tuple(outcome.notes))


def _dress(session: Session, outcome: backend_module.SearchOutcome) -> list[Hit]:
    """The raw hits with what a clerk reads: labels the backend read with its hits, or else read
    here, a query for each kind of record."""
    raw = outcome.hits
    labels = (
        {uuid.UUID(hit.record_id): hit.label for hit in raw if hit.label is not None}
        if outcome.labelled
        else _read_labels(session, raw)
    )
    hits = []
    for hit in raw:
        record_id = uuid.UUID(hit.record_id)
        found = labels.get(record_id)
        title, ref, hit_tid, ordinal = _title(hit.kind, found) if found else ("", "", None, 0)
        hits.append(
            Hit(
                kind=hit.kind,
                id=record_id,
                title=title,
                date=hit.date,
                speaker=hit.speaker,
                snippet=hit.snippet,
                score=hit.score,
                ref=ref,
                transcript_id=hit_tid,
                ordinal=ordinal,
            )
        )
    return hits


def _title(kind: str, label: backend_module.HitLabel) -> tuple[str, str, uuid.UUID | None, int]:
    """A hit's title, ref, meeting and ordinal, from its label."""
    tid = uuid.UUID(label.transcript_id) if label.transcript_id else None
    if kind == "transcript":
        date = label.meeting_date
        head = ", ".join(p for p in (label.committee, house_date(date) if date else "") if p)
        return (f"{head} – {label.title}" if label.title else head, "", tid, label.number)
    if kind == "recommendation":
        return (f"{label.ref} {_short(label.text)}", label.ref, None, 0)
    if kind == "response":
        by = f" from {label.from_whom}" if label.from_whom else ""
        return (f"Response to {label.ref}{by}", label.ref, None, 0)
    letter = label.subject or label.title or "a letter"
    return (f"Footnote {label.number} of {letter}", "", tid, label.number)


def _read_labels(
    session: Session, raw: list[backend_module.RawHit]
) -> dict[uuid.UUID, backend_module.HitLabel]:
    """The labels of hits whose backend did not read them (the team register's), by record id."""
    ids: dict[str, list[uuid.UUID]] = {}
    for hit in raw:
        ids.setdefault(hit.kind, []).append(uuid.UUID(hit.record_id))
    labels: dict[uuid.UUID, backend_module.HitLabel] = {}
    if ids.get("transcript"):
        for seg_id, ordinal, tid, committee, date, title in session.execute(
            select(
                Segment.id,
                Segment.ordinal,
                Transcript.id,
                Transcript.committee,
                Transcript.meeting_date,
                Transcript.title,
            )
            .join(Transcript, Transcript.id == Segment.transcript_id)
            .where(Segment.id.in_(ids["transcript"]))
        ):
            labels[seg_id] = backend_module.HitLabel(
                number=ordinal,
                transcript_id=tid.hex,
                committee=committee or "",
                meeting_date=date,
                title=title or "",
            )
    if ids.get("recommendation"):
        for rid, ref, text in session.execute(
            select(Recommendation.id, Recommendation.ref, Recommendation.text).where(
                Recommendation.id.in_(ids["recommendation"])
            )
        ):
            labels[rid] = backend_module.HitLabel(ref=ref, text=text or "")
    if ids.get("response"):
        for rid, ref, from_whom in session.execute(
            select(Response.id, Recommendation.ref, Response.from_whom)
            .join(Recommendation, Recommendation.id == Response.recommendation_id)
            .where(Response.id.in_(ids["response"]))
        ):
            labels[rid] = backend_module.HitLabel(ref=ref, from_whom=from_whom or "")
    if ids.get("footnote"):
        for fid, number, note_tid, doc_title, doc_subject in session.execute(
            select(
                Footnote.id,
                Footnote.number,
                Footnote.transcript_id,
                Document.title,
                Document.subject,
            )
            .join(Document, Document.id == Footnote.document_id)
            .where(Footnote.id.in_(ids["footnote"]))
        ):
            labels[fid] = backend_module.HitLabel(
                number=number,
                transcript_id=note_tid.hex if note_tid else None,
                title=doc_title or "",
                subject=doc_subject or "",
            )
    return labels


def _short(text: str, width: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def check_index(desk: Desk) -> list[str]:
    """Problems with the search index, in words; empty when it is sound and complete."""
    with desk.transaction() as session:
        return backend_module.verify(session.connection().connection.driver_connection)


def rebuild_index(desk: Desk) -> int:
    """Rebuild the search index (and its triggers) from the records themselves; returns how many."""
    with desk.transaction((C.SEARCH,)) as session:
        connection = session.connection().connection.driver_connection
        backend_module.drop_triggers(connection)
        backend_module.install_triggers(connection)
        backend_module.rebuild(connection)
        return backend_module.count(connection)
