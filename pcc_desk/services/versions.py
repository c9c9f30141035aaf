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

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from pcc_desk.errors import FieldClash, VersionConflict
from pcc_desk.model import Operation, RecordKind
from pcc_desk.services import journal

_LOOK_BACK = 500  # journal rows naming the record, newest first, read to find the changes since


def changes_since(
    session: Session, kind: RecordKind, ident: uuid.UUID, version: int
) -> list[Operation]:
    """The journal rows that changed the record ``ident`` from ``version`` on (the rows whose noted
    replaced version is ``version`` or later), newest first. A row written before versions were kept
    (no version noted) counts when it is newer than the last row that noted one below ``version``."""
    key = str(ident)
    rows = session.scalars(
        select(Operation)
        .where(cast(Operation.records, String).contains(key))
        .order_by(Operation.seq.desc())
        .limit(_LOOK_BACK)
    )
    found: list[Operation] = []
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
        if noted is not None and int(noted) < version:
            break  # this change made the version the clerk saw (or an older one): stop here
        found.append(row)
    return found


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
            ref, seen, now, latest.actor if latest else "", latest.at if latest else None
        ),
        ref=ref,
        seen=seen,
        now=now,
        by=latest.actor if latest else "",
        at=latest.at if latest else None,
        fields=fields,
        their_fields=tuple(sorted(changed)),
    )


def conflict_message(ref: str, seen: int, now: int, by: str, at: dt.datetime | None) -> str:
    """One line: "PCC-2023-03-01 was changed by alice at 14:02 on 30 November 2026 since version 4;
    nothing was saved." (the time in the clerk's local time)."""
    who = f" by {by}" if by else ""
    if at is not None:
        day, clock = journal.when(at).split(", ")
        who += f" at {clock} on {day}"
    return f"{ref} was changed{who} since version {seen}; nothing was saved."


def check(
    session: Session,
    *,
    expected: int | None,
    actual: int,
    **details,
) -> None:
    """Raise the :class:`VersionConflict` of :func:`conflict` when the clerk's ``expected`` version is
    not the record's ``actual`` one (no ``expected``: the caller does not ask, nothing to check)."""
    if expected is None or int(expected) == actual:
        return
    raise conflict(session, seen=int(expected), now=actual, **details)
