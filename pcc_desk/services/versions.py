"""Two clerks, one record: the versions of the records a clerk edits in place, and the conflict a
clerk is told of when someone else changed the record since it was shown.

Every recommendation, theme, response and setting row carries an integer ``version`` that SQLAlchemy
raises by one with every change of the row (``version_id_col`` in :mod:`pcc_desk.model`), whatever
service makes it (an edit, a status change, an undo, an import). It also guards the moment between
reading a row and writing it back: the UPDATE names the version it read, and a row changed in
between by another clerk's transaction makes it fail (``StaleDataError``, turned into a
:class:`VersionConflict` by :meth:`pcc_desk.services.desk.Desk.transaction`). A version a clerk saw
on screen minutes ago is carried back to the service (``expected_version``) and compared there.

Every journal row that changes one of these records notes the version it replaced (its ``records``
entry's ``version``): :func:`changes_since` finds who changed a record since a version, and when.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from pcc_desk.errors import FieldClash, VersionConflict
from pcc_desk.model import Operation, RecordKind
from pcc_desk.services import journal
from pcc_desk.services.desk import Desk
from pcc_desk.vocabulary import ChangeKind

_LOOK_BACK = 500  # journal rows naming the record, newest first, read to find the changes since


def changes_since(
    session: Session, kind: RecordKind, ident: uuid.UUID, version: int
) -> list[Operation]:
    """The journal rows that changed the record ``ident`` from ``version`` on (the rows whose noted
    replaced version is ``version`` or later), newest first. Rows that note no version (written
    before versions were kept, or that did not change the row itself, e.g. a quote attached) count
    only when no row notes one: then the latest of them is the best the journal can say."""
    key = str(ident)
    rows = session.scalars(
        select(Operation)
        .where(cast(Operation.records, String).contains(key))
        .order_by(Operation.seq.desc())
        .limit(_LOOK_BACK)
    )
    versioned: list[Operation] = []
    unversioned: list[Operation] = []
    for row in rows:
        entry = next(
            (
                e
                for e in row.records or ()
                if e.get("id") == key
                and e.get("kind") == RecordKind(kind).value
                and e.get("role") in (journal.CHANGED, journal.REMOVED)
            ),
            None,
        )
        if entry is None:
            continue
        noted = entry.get("version")
        if noted is None:
            unversioned.append(row)
        elif int(noted) < version:
            break  # this change made the version the clerk saw (or an older one): stop here
        else:
            versioned.append(row)
    return versioned or unversioned[:1]


def conflict(
    session: Session,
    *,
    kind: RecordKind,
    ident: uuid.UUID,
    ref: str,
    seen: int,
    now: int,
    yours: Mapping[str, object],
    theirs: Mapping[str, object],
    labels: Mapping[str, str],
    shown: Callable[[str, object], str],
    plural: bool = False,
) -> VersionConflict:
    """The error for an edit of ``ref`` made from version ``seen`` when the record is at ``now``:
    who changed it (the latest change since), when, and per field their value and yours."""
    since = changes_since(session, kind, ident, seen)
    latest = since[0] if since else None
    changed: set[str] = set()
    for row in since:
        for entry in row.records or ():
            if entry.get("id") == str(ident) and entry.get("role") == journal.CHANGED:
                changed.update(entry.get("fields") or ())
    fields = tuple(
        FieldClash(
            name=name,
            label=labels.get(name, name.replace("_", " ").capitalize()),
            theirs=theirs.get(name),
            yours=value,
            theirs_text=shown(name, theirs.get(name)),
            yours_text=shown(name, value),
            changed_by_them=name in changed or not changed,
        )
        for name, value in yours.items()
    )
    return VersionConflict(
        conflict_message(
            ref, seen, latest.actor if latest else "", latest.at if latest else None, plural
        ),
        ref=ref,
        seen=seen,
        now=now,
        by=latest.actor if latest else "",
        at=latest.at if latest else None,
        fields=fields,
        their_fields=tuple(sorted(changed)),
    )


def conflict_message(
    ref: str, seen: int, by: str, at: dt.datetime | None, plural: bool = False
) -> str:
    """One line: "PCC-2023-03-01 was changed by alice at 14:02 on 30 November 2026 since version 4;
    nothing was saved." (the time in the clerk's local time)."""
    who = f" by {by}" if by else ""
    if at is not None:
        day, clock = journal.when(at).split(", ")
        who += f" at {clock} on {day}"
    return (
        f"{ref} {'were' if plural else 'was'} changed{who} since version {seen}; nothing was saved."
    )


def check(
    session: Session,
    *,
    expected: int | None,
    actual: int,
    **details: Any,
) -> None:
    """Raise the :class:`VersionConflict` of :func:`conflict` when the clerk's ``expected`` version is
    not the record's ``actual`` one (no ``expected``: the caller does not ask, nothing to check)."""
    if expected is None or int(expected) == actual:
        return
    raise conflict(session, seen=int(expected), now=actual, **details)


# --- other clerks' changes, for an open screen -------------------------------------------------------

_KINDS_OF_RECORDS: dict[str, tuple[ChangeKind, ...]] = {
    RecordKind.RECOMMENDATION.value: (ChangeKind.RECOMMENDATIONS, ChangeKind.SEARCH),
    RecordKind.STATUS_CHANGE.value: (ChangeKind.RECOMMENDATIONS,),
    RecordKind.DUE_REVISION.value: (ChangeKind.RECOMMENDATIONS,),
    RecordKind.RESPONSE.value: (
        ChangeKind.RESPONSES,
        ChangeKind.RECOMMENDATIONS,
        ChangeKind.SEARCH,
    ),
    RecordKind.THEME.value: (ChangeKind.THEMES, ChangeKind.RECOMMENDATIONS),
    RecordKind.DOCUMENT.value: (ChangeKind.DOCUMENTS, ChangeKind.SEARCH),
    RecordKind.FOOTNOTE.value: (ChangeKind.FOOTNOTES, ChangeKind.SEARCH),
    RecordKind.TRANSCRIPT.value: (ChangeKind.TRANSCRIPTS, ChangeKind.SEARCH),
    RecordKind.SEGMENT.value: (ChangeKind.SEGMENTS, ChangeKind.SEARCH),
    RecordKind.QUOTE.value: (ChangeKind.QUOTES, ChangeKind.RECOMMENDATIONS),
    RecordKind.SETTING.value: (ChangeKind.SETTINGS,),
}


@dataclass(frozen=True)
class OthersChanges:
    """What others wrote to the register after journal row ``since`` (up to ``seq``): the kinds of
    records, as a change notice names them, and the references of the recommendations concerned
    (empty: not known exactly, e.g. an import; a screen then reads itself again)."""

    seq: int
    kinds: frozenset[ChangeKind] = frozenset()
    refs: frozenset[str] = frozenset()


def changes_by_others(desk: Desk, since: int | None) -> OthersChanges:
    """The journal rows after ``since`` that this Desk did not write (another Desk on the same
    register: a colleague's window, a command, another computer on a team register). One indexed
    look-up (the journal's highest number) when nothing changed; ``since`` None: only that number,
    to start from."""
    with desk.reading() as session:
        top = session.scalar(select(func.max(Operation.seq))) or 0
        if since is None or top <= since:
            return OthersChanges(seq=top)
        rows = session.execute(
            select(Operation.id, Operation.kind, Operation.payload, Operation.records)
            .where(Operation.seq > since, Operation.seq <= top)
            .order_by(Operation.seq)
        ).all()
    kinds: set[ChangeKind] = set()
    refs: set[str] = set()
    exact = True
    for op_id, _kind, payload, records in rows:
        if desk.wrote(op_id):
            continue
        for entry in records or ():
            kinds.update(_KINDS_OF_RECORDS.get(entry.get("kind"), ()))
            if entry.get("kind") == RecordKind.RECOMMENDATION.value and entry.get("role") in (
                journal.CREATED,
                journal.REMOVED,
            ):
                exact = False  # rows come and go: the register reads itself again
        ref = (payload or {}).get("ref")
        if ref and isinstance(ref, str):
            refs.add(ref)
        else:
            exact = False
    return OthersChanges(
        seq=top, kinds=frozenset(kinds), refs=frozenset(refs) if exact else frozenset()
    )
