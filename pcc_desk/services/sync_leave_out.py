"""A smaller laptop copy: ``pcc-desk team checkout URL FILE --leave-out-transcripts-older-than N``.

Left out are only the transcripts whose meeting was more than N years ago and that nothing else
refers to (no quote comes from them, no footnote cites them: a quote attached to a recommendation
keeps its transcript), with what hangs only on them: their turns (segments), their document row
and the stored bytes of their original file when no other document uses them. The laptop copy
remembers the ids of what was left out (in its sync setting, :mod:`pcc_desk.services.sync_state`),
so that a pulled change that touches one of them (a colleague deleting or quoting a left-out
transcript) is kept in the laptop's journal without being applied (it is on the server; the laptop
does not have it), the records such a change made are treated as left out too, and the pull goes
on. The laptop cannot send their deletion: it does not hold them. Search on the laptop does not find
them (the search index is built from the rows copied).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Table, select

from pcc_desk.errors import InvalidInput
from pcc_desk.model import Base, Document, Segment, StoredFile, Transcript
from pcc_desk.services import sync_merge, team_copy
from pcc_desk.services.desk import Desk
from pcc_desk.services.sync_state import read_origin, write_origin


@dataclass(frozen=True)
class LeftOut:
    """What a copy leaves out: table name -> primary key values."""

    transcripts: frozenset[uuid.UUID] = frozenset()
    segments: frozenset[uuid.UUID] = frozenset()
    documents: frozenset[uuid.UUID] = frozenset()
    files: frozenset[str] = frozenset()  # stored files' sha256

    def by_table(self) -> dict[str, Collection[object]]:
        return {
            Transcript.__tablename__: self.transcripts,
            Segment.__tablename__: self.segments,
            Document.__tablename__: self.documents,
            StoredFile.__tablename__: self.files,
        }

    def ids(self) -> list[str]:
        """The ids to remember on the laptop (see :func:`touches`)."""
        return sorted(str(i) for i in (*self.transcripts, *self.segments, *self.documents))


def cutoff(years: int, today: dt.date | None = None) -> dt.date:
    """The first meeting date kept: ``years`` years before ``today`` (29 February: the 28th)."""
    day = today or dt.date.today()
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _referring(target: Table, besides: Iterable[str] = ()) -> list[tuple[Table, str]]:
    """(table, column) of every foreign key to ``target``'s id, but from the tables ``besides``."""
    skip = set(besides)
    return [
        (table, fk.parent.name)
        for table in Base.metadata.sorted_tables
        if table.name not in skip
        for fk in table.foreign_keys
        if fk.column.table is target
    ]


def _referred(source: Connection, target: Table, besides: Iterable[str] = ()) -> set[object]:
    found: set[object] = set()
    for table, column in _referring(target, besides):
        found.update(v for v in source.scalars(select(table.c[column]).distinct()) if v is not None)
    return found


def choose(source: Connection, years: int, today: dt.date | None = None) -> LeftOut:
    """What to leave out of a copy of ``source``: see the module."""
    tables = Base.metadata.tables
    transcripts = tables[Transcript.__tablename__]
    segments = tables[Segment.__tablename__]
    documents = tables[Document.__tablename__]
    old = {
        row.id: row.document_id
        for row in source.execute(
            select(transcripts.c.id, transcripts.c.document_id).where(
                transcripts.c.meeting_date < cutoff(years, today)
            )
        )
    }
    # a transcript anything but its own turns refers to is kept (quotes, footnotes)
    kept = _referred(source, transcripts, besides={segments.name})
    # ... and so is one whose turns are referred to (a quote names its segment)
    quoted_turns = _referred(source, segments)
    if quoted_turns:
        kept.update(
            source.scalars(select(segments.c.transcript_id).where(segments.c.id.in_(quoted_turns)))
        )
    chosen = {t: d for t, d in old.items() if t not in kept}
    if not chosen:
        return LeftOut()
    turns = {
        s
        for s in source.scalars(
            select(segments.c.id).where(segments.c.transcript_id.in_(list(chosen)))
        )
    }
    # a document goes with its transcript when nothing else refers to it
    others = set(
        source.scalars(
            select(transcripts.c.document_id).where(transcripts.c.id.not_in(list(chosen)))
        )
    )
    others |= _referred(source, documents, besides={transcripts.name})
    docs = {d for d in chosen.values() if d is not None and d not in others}
    files: set[str] = set()
    if docs:
        shas = set(
            source.scalars(
                select(documents.c.sha256).where(
                    documents.c.id.in_(list(docs)), documents.c.sha256.is_not(None)
                )
            )
        )
        used = set(
            source.scalars(
                select(documents.c.sha256).where(
                    documents.c.id.not_in(list(docs)), documents.c.sha256.in_(list(shas))
                )
            )
        )
        files = {s for s in shas if s not in used}
    return LeftOut(frozenset(chosen), frozenset(turns), frozenset(docs), frozenset(files))


def chooser(
    years: int | None, into: list[LeftOut]
) -> Callable[[Connection], Mapping[str, Collection[object]]] | None:
    """For :func:`team_copy.download`: what to leave out of the copy (noted in ``into``); None when
    nothing is to be left out."""
    if years is None:
        return None
    if years < 1:
        raise InvalidInput(f"Leave out transcripts older than {years} year(s)? Give 1 or more.")

    def pick(source: Connection) -> Mapping[str, Collection[object]]:
        left = choose(source, years)
        into.append(left)
        return left.by_table()

    return pick


def told(
    done: team_copy.CopyResult, left: list[LeftOut], years: int | None
) -> team_copy.CopyResult:
    """The copy's result, its message telling what was left out."""
    if not left or years is None:
        return done
    line = summary(left[0], years)
    return dataclasses.replace(done, message=f"{done.message} {line}", left_out=line)


def skipped(laptop: Desk, entry: dict[str, object]) -> bool:
    """A server's row pulled onto a copy that touches a record left out of it: kept in the laptop's
    journal, not applied (what it made is then left out too). False for any other row."""
    with laptop.reading() as session:
        mark = read_origin(session)
    if mark is None or not touches(entry, mark.left_out):
        return False
    sync_merge.record_only(laptop, dict(entry))
    with laptop.transaction() as session:
        now = read_origin(session) or mark
        more = now.left_out | sync_merge.named_ids(dict(entry))
        write_origin(session, dataclasses.replace(now, left_out=more))
    return True


def touches(entry: dict[str, object], left_out: Collection[str]) -> bool:
    """Whether a journal row names a record left out of this copy (or a row that was not applied
    for that reason)."""
    if not left_out:
        return False
    return sync_merge.builds_on(entry, set(left_out))


def summary(left: LeftOut, years: int) -> str:
    n = len(left.transcripts)
    what = "1 transcript" if n == 1 else f"{n} transcripts"
    age = "1 year" if years == 1 else f"{years} years"
    return f"{what} older than {age} left out (they stay on the team register)."
