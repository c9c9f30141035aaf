"""Taking the team register offline and syncing it back (``pcc-desk team checkout``, ``pcc-desk sync``).

A laptop copy is an ordinary register made by :func:`pcc_desk.services.team_copy.download`, plus one
setting (key :data:`SYNC_KEY`) that remembers the team register it came from (its URL without a
password), how far it has seen the server's journal (``server_seq``) and how far its own journal has
been sent (``local_seq``).

A sync replays journal rows by their id, through the services (:func:`pcc_desk.services.undo.apply`,
the same code that redo uses): each row is applied in a transaction of its own, and a row whose id
is in the target's journal already is not applied again. So a sync that is cut off part-way is simply
run again, and running it twice is running it once.

1. Push: the laptop's rows after ``local_seq``, oldest first, are applied on the server (rows the
   laptop pulled earlier are there already: skipped by id).
2. Pull: the server's rows after ``server_seq`` are applied on the laptop (the laptop's own rows
   just pushed are there already: skipped), deletions included; ``server_seq`` and ``local_seq``
   move on after each row, in the row's own transaction.

Merging a field: an edit made on the laptop names the value it replaced (the journal's
``replaced``). Pushed, each field it changed is compared with the server's value: when the server's
differs from that starting value and from the laptop's, both sides changed it from the same value to
different ones, a conflict: the server's value stays (the edit is applied without that field) and a
:class:`pcc_desk.model.SyncConflict` row on the laptop lists it (:func:`conflicts`, :func:`resolve`).
The pull then brings the server's value down. The comparison is made in the server's transaction
that applies the row (:class:`pcc_desk.services.sync_fields.EditMerge`), the record locked; the other
merging rules (the Committee's details, references, the same file imported twice, themes of one
name) are in :mod:`pcc_desk.services.sync_merge`, what the laptop remembers in
:mod:`pcc_desk.services.sync_state`.

A row the server refuses is listed on the laptop (:func:`refusals`), with the rows that build on it
(naming its id or a record it made), and the push goes on with the others.

A laptop and a server at different schema revisions do not sync: one line says which to update, and
neither is changed. The remembered setting is the sync's own bookkeeping: no journal row, never sent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pcc_desk import postgres, storage
from pcc_desk.errors import Cancelled, Conflict, InvalidInput, NotFound, PccError
from pcc_desk.model import (
    Operation,
    OperationKind,
    Recommendation,
    RecordKind,
    SyncConflict,
    utcnow,
)
from pcc_desk.services import (
    journal,
    register,
    settings,
    sync_faults,
    sync_fields,
    sync_leave_out,
    sync_merge,
    team_copy,
    undo,
)
from pcc_desk.services.desk import Desk
from pcc_desk.services.journal import OperationRecord
from pcc_desk.services.sync_state import SYNC_KEY as SYNC_KEY  # the setting's key, for tests
from pcc_desk.services.sync_state import (
    Origin,
    note_refused,
    read_origin,
    sent_up_to,
    url_without_password,
    waiting,
    write_origin,
)
from pcc_desk.services.sync_state import dismiss_refusals as dismiss_refusals
from pcc_desk.services.sync_state import refusals as refusals


@dataclass(frozen=True)
class SyncResult:
    pushed: int
    pulled: int
    server: str  # the server as a clerk names it (host)
    refused: tuple[str, ...] = field(default=())
    message: str = ""


def _max_seq(session: Session) -> int:
    return int(session.scalar(select(func.max(Operation.seq))) or 0)


def origin(desk: Desk) -> Origin | None:
    """The team register this register was checked out from, or None (it was not)."""
    with desk.reading() as session:
        return read_origin(session)


def checkout(
    url: str,
    laptop: str | os.PathLike[str],
    *,
    force: bool = False,
    progress: team_copy.Progress | None = None,
    older_than: int | None = None,
) -> team_copy.CopyResult:
    """A laptop copy of the team register at ``url`` (:func:`team_copy.download`; ``older_than``:
    without old transcripts, see :mod:`.sync_leave_out`) that remembers the server and how far it has
    seen its journal (the copy's journal is the server's: both marks are its highest row)."""
    left: list[sync_leave_out.LeftOut] = []
    choose = sync_leave_out.chooser(older_than, left)
    done = team_copy.download(url, laptop, force=force, progress=progress, leave_out=choose)
    with Desk.open(Path(os.fspath(laptop)).expanduser()) as desk, desk.transaction() as session:
        top, ids = _max_seq(session), frozenset(left[0].ids() if left else ())
        write_origin(session, Origin(url_without_password(url), top, top, left_out=ids))
    return sync_leave_out.told(done, left, older_than)


def _laptop_revision(path: Path) -> str | None:
    conn = storage.connect(path)  # (read only; the path escaped: a folder may be named "PCC #2")
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


def _server_revision(url: str) -> str | None:
    engine = postgres.make_engine(postgres.normalise_url(url))
    try:
        with postgres.translated(url), engine.connect() as connection:
            return postgres.stored_revision(connection)
    finally:
        engine.dispose()


def check_schemas(url: str, laptop: Path) -> None:
    """Refuse (one line, nothing changed) when the laptop and the server are at different schema
    revisions, naming the one to update."""
    host = postgres.describe_host(url)
    mine, theirs = _laptop_revision(laptop), _server_revision(url)
    if mine == theirs == storage.HEAD_REVISION:
        return
    known = [*storage.EARLIER_REVISIONS, storage.HEAD_REVISION]

    def rank(rev: str | None) -> int:
        return known.index(rev) if rev in known else len(known)  # unknown: newer than this version

    if rank(theirs) > rank(mine):
        what = f"update PCC Desk on this laptop and open {laptop.name} once"
    elif rank(mine) > rank(theirs):
        what = f"the team register at {host} must be updated first (pcc-desk team init)"
    else:
        what = "update PCC Desk"
    raise Conflict(
        f"{laptop.name} is at schema {mine or 'none'} and the team register at {host} at schema "
        f"{theirs or 'none'}: {what}; nothing was synced."
    )


def _entries_after(desk: Desk, seq: int) -> list[tuple[int, dict[str, Any]]]:
    with desk.reading() as session:
        rows: list[OperationRecord] = journal.entries_after(session, seq)
        return [(r.seq, r.to_entry()) for r in rows]


def _describe(entry: dict[str, Any]) -> str:
    return str(entry.get("summary") or entry.get("kind") or "a change")


def push(laptop: Desk, server: Desk, *, limit: int | None = None) -> int:
    """Apply the laptop's journal rows not yet sent on the server, oldest first, each in a transaction
    of its own; rows already there (by id) are skipped. ``limit``: stop after that many rows (a sync
    cut off, for tests). Then the laptop takes the server's copy of the records those rows made
    (:func:`sync_merge.adopt`: final references, the server's ids). Returns how many rows were
    applied on the server."""
    return _push(laptop, server, limit, [])


def _push(laptop: Desk, server: Desk, limit: int | None, sent: list[dict[str, Any]]) -> int:
    """:func:`push`, noting in ``sent`` the laptop's rows it sent."""
    now = origin(laptop)
    if now is None:
        raise InvalidInput(_not_checked_out(laptop))
    applied = 0
    blocked: set[str] = set()  # the refused rows' ids and the ids of the records they made
    try:
        for n, (_seq, mine) in enumerate(_entries_after(laptop, now.local_seq)):
            if limit is not None and n >= limit:
                break
            sync_faults.checkpoint()
            sent.append(mine)
            if sync_fields.takes_back_a_dropped_edit(laptop, server, mine):
                continue
            if sync_merge.builds_on(mine, blocked):
                _refused(
                    laptop,
                    mine,
                    blocked,
                    f"'{_describe(mine)}' was not sent: it builds on a change the team register refused.",
                )
                continue
            try:
                applied += _push_one(laptop, server, mine)
            except PccError as refused:
                _refused(laptop, mine, blocked, str(refused))
                continue
            finally:
                sync_faults.checkpoint()
            sync_merge.recognise(laptop, server, mine)
    finally:
        sync_merge.adopt(laptop, server, sent)
    return applied


def _refused(laptop: Desk, entry: dict[str, Any], blocked: set[str], line: str) -> None:
    """A row not sent (one line why), listed on the laptop; what builds on it is not sent either."""
    blocked.update(sync_merge.named_ids(entry))
    with laptop.transaction() as session:
        note_refused(session, entry["id"], line)


def _push_one(laptop: Desk, server: Desk, mine: dict[str, Any]) -> int:
    """One of the laptop's rows applied on the server (1), or not (0: there already, or nothing left
    of it after its conflicts)."""
    entry = sync_merge.numbered_here(
        sync_merge.substitute(mine, origin(laptop) or Origin("", 0, 0))
    )
    same = sync_merge.duplicate_import(server, entry)
    if same is not None:
        return int(sync_merge.record_only(server, same))
    sync_merge.carry_original(laptop, server, entry)
    merge = sync_fields.EditMerge()  # a field both sides changed: the server's value stays
    try:
        done = undo.apply(server, entry, check_undo=True, merge=merge)
    except PccError as refused:
        raise Conflict(
            f"The team register refused '{_describe(entry)}' (made on this laptop by "
            f"{entry.get('actor') or 'someone'}): {refused} It stays on this laptop only; "
            "the changes that do not build on it were sent."
        ) from refused
    sync_fields.record_clashes(laptop, entry, merge.clashes)
    return int(done)


def pull(laptop: Desk, server: Desk) -> int:
    """Apply the server's journal rows the laptop has not seen, oldest first, each in a transaction of
    its own (the laptop's mark moves on in it); rows already on the laptop are skipped by id."""
    now = origin(laptop)
    if now is None:
        raise InvalidInput(_not_checked_out(laptop))
    applied = 0
    rows = _entries_after(server, now.server_seq)
    later = sync_fields.changed_later_here(laptop, rows)
    for n, (seq, entry) in enumerate(rows):
        sync_faults.checkpoint()
        applied += _pull_one(
            laptop, server, sync_fields.without_fields_changed_later(entry, n, later)
        )
        sync_faults.checkpoint()
        with laptop.transaction() as session:
            mark = read_origin(session) or now
            write_origin(session, dataclasses.replace(mark, server_seq=seq))
    return applied


def _pull_one(laptop: Desk, server: Desk, entry: dict[str, Any]) -> int:
    if sync_leave_out.skipped(laptop, entry):
        return 0  # it touches a record this copy left out
    if sync_merge.here_already(laptop, entry):  # its records came with the laptop's own import
        return int(sync_merge.record_only(laptop, entry))
    sync_merge.carry_original(server, laptop, entry)
    ref = (entry.get("payload") or {}).get("ref")
    if entry.get("kind") == OperationKind.ADD_RECOMMENDATION.value and ref:
        with laptop.transaction() as session:
            sync_merge.make_room(session, ref, sync_merge.made(entry, RecordKind.RECOMMENDATION))
    if not undo.apply(laptop, entry, follow=True):
        return 0
    if sync_merge.numbers(entry):  # an import numbers its asks where it is applied: the server's
        sync_merge.adopt(laptop, server, [entry], refs_only=True)
    return 1


def _not_checked_out(desk: Desk) -> str:
    name = desk.location.path.name if desk.location.path is not None else "This register"
    return (
        f"{name} was not checked out from a team register (pcc-desk team checkout URL FILE); "
        "there is nothing to sync it with."
    )


def sync(
    desk: Desk, *, url: str | None = None, cancel: Callable[[], None] | None = None
) -> SyncResult:
    """Push then pull (see the module). ``url`` overrides the remembered server's address (e.g. with
    a password); it must name the same database. ``cancel`` raises Cancelled to stop between rows."""
    if desk.location.path is None:
        raise InvalidInput(
            "Sync runs on a laptop copy (--db laptop.sqlite3), not on the team register."
        )
    now = origin(desk)
    if now is None:
        raise InvalidInput(_not_checked_out(desk))
    address = url or now.server
    check_schemas(address, desk.location.path)
    known = set(now.refused)
    sync_faults.start(cancel)
    with Desk.open(address) as server, sync_faults.in_commits(desk, server):
        sent: list[dict[str, Any]] = []
        try:
            pushed = _push(desk, server, None, sent)
            sync_faults.checkpoint()
            pulled = pull(desk, server)
            sync_faults.checkpoint()
        except Cancelled:
            _note_there(desk, server, now.local_seq, sent)
            raise
        sync_merge.adopt(desk, server, sent)  # what needed records only the pull brought
        sync_fields.take_details(desk, server)
        top, there = sent_up_to(desk, server, now.local_seq, {str(e["id"]) for e in sent})
        with desk.transaction() as session:
            mark = read_origin(session) or now
            write_origin(session, dataclasses.replace(mark, local_seq=top, there=there))
        sync_faults.checkpoint()
    host = postgres.describe_host(address)
    later = origin(desk)
    return SyncResult(
        pushed=pushed,
        pulled=pulled,
        server=host,
        refused=tuple(v for k, v in (later.refused if later else {}).items() if k not in known),
        message=(
            f"Synced with the team register at {host}: {pushed} change(s) sent, "
            f"{pulled} change(s) received."
        ),
    )


def _note_there(desk: Desk, server: Desk, since: int, sent: list[dict[str, Any]]) -> None:
    """After a cancelled sync: the sent mark stays (the next sync finishes the work: final
    references, adoptions), but the rows it sent or brought down are no longer counted as waiting.
    Only a count: if it cannot be worked out (the server gone meanwhile), the clerk still hears
    that the sync stopped, and the count stays as it was until the next sync."""
    try:
        _top, there = sent_up_to(desk, server, since, {str(e["id"]) for e in sent}, move=False)
        with desk.transaction() as session:
            mark = read_origin(session)
            if mark is not None:
                write_origin(session, dataclasses.replace(mark, there=there))
    except (PccError, SQLAlchemyError, OSError):
        return


def pending_count(desk: Desk) -> int:
    """How many of the laptop's journal rows are not yet sent (0 when not a laptop copy)."""
    now = origin(desk)
    if now is None:
        return 0
    with desk.reading() as session:
        seqs = session.scalars(select(Operation.seq).where(Operation.seq > now.local_seq))
        return waiting(seqs, now.there)


@dataclass(frozen=True)
class ConflictRecord:
    id: uuid.UUID
    ref: str
    field: str
    label: str
    base: Any
    mine: Any
    theirs: Any
    found_at: dt.datetime
    resolution: str | None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = journal.enc(
            {
                "id": self.id,
                "ref": self.ref,
                "field": self.field,
                "label": self.label,
                "base": self.base,
                "mine": self.mine,
                "theirs": self.theirs,
                "found_at": self.found_at,
                "resolution": self.resolution,
            }
        )
        return out


def conflicts(desk: Desk, *, include_resolved: bool = False) -> list[ConflictRecord]:
    """The conflicts the syncs of this laptop copy found, oldest first (not yet resolved ones only,
    unless ``include_resolved``)."""
    with desk.reading() as session:
        stmt = select(SyncConflict).order_by(SyncConflict.found_at, SyncConflict.field)
        if not include_resolved:
            stmt = stmt.where(SyncConflict.resolved_at.is_(None))
        out = []
        for row in session.scalars(stmt):
            ref, labels = _concerned(session, row)
            out.append(
                ConflictRecord(
                    id=row.id,
                    ref=ref,
                    field=row.field,
                    label=labels.get(row.field, row.field),
                    base=row.base,
                    mine=row.mine,
                    theirs=row.theirs,
                    found_at=row.found_at,
                    resolution=row.resolution,
                )
            )
        return out


DETAILS = "The Committee's details"  # what a conflict on them names


def _concerned(session: Session, row: SyncConflict) -> tuple[str, dict[str, str]]:
    """What a conflict concerns, as shown (a reference, or the Committee's details), and the labels
    of its fields."""
    if row.record_kind == RecordKind.SETTING.value:
        return DETAILS, settings.SETTING_LABELS
    rec = session.get(Recommendation, row.record_id)
    return (rec.ref if rec is not None else "(taken out)"), register.EDITABLE_LABELS


def _find_conflict(session: Session, ident: str) -> SyncConflict:
    key = ident.strip().lower().replace("-", "")
    if len(key) < 6 or any(c not in "0123456789abcdef" for c in key):
        raise InvalidInput(f"'{ident}' is not a conflict's id (see `pcc-desk conflicts`).")
    rows = [r for r in session.scalars(select(SyncConflict)) if r.id.hex.startswith(key)]
    if not rows:
        raise NotFound(f"There is no conflict {ident} (see `pcc-desk conflicts`).")
    if len(rows) > 1:
        raise InvalidInput(f"'{ident}' matches more than one conflict; give more of its id.")
    return rows[0]


def resolve(desk: Desk, ident: str, keep: str) -> str:
    """Settle a conflict: ``keep`` is "mine" (this laptop's value, saved as an ordinary edit that
    the next sync sends), "theirs" (the server's value, which the field holds already) or any other
    text, saved as an ordinary edit. Returns a one-line message."""
    with desk.reading() as session:
        row = _find_conflict(session, ident)
        if row.resolved_at is not None:
            raise InvalidInput(f"That conflict was settled already ({row.resolution}).")
        ref, labels = _concerned(session, row)
        name, conflict_id, mine, theirs = row.field, row.id, row.mine, row.theirs
        details = row.record_kind == RecordKind.SETTING.value
        if details:
            current = (settings.stored_value(session, settings.KEY) or {}).get(name)
        else:
            rec = session.get(Recommendation, row.record_id)
            if rec is None:
                raise NotFound("The recommendation of that conflict is no longer in the register.")
            current = register.stored_field(rec, name)
    if keep == "theirs":
        value, how = theirs, "theirs"
    elif keep == "mine":
        value, how = mine, "mine"
    else:
        value, how = keep, "edited"
    label = labels.get(name, name)
    if value != current and details:
        text = "; ".join(map(str, value)) if isinstance(value, list) else str(value or "")
        settings.update_settings(desk, {name: text})
    elif value != current:
        register.edit_recommendation(desk, ref, **{name: _typed(name, value)})
    with desk.transaction() as session:
        found = session.get(SyncConflict, conflict_id)
        if found is not None:
            found.resolved_at = utcnow()
            found.resolution = how
    kept = {"theirs": "the team register's value", "mine": "your value"}.get(how, "the text given")
    return f"{ref}: {label} keeps {kept}."


def _typed(name: str, value: Any) -> Any:
    """A field's value as the journal holds it, as :func:`register.edit_recommendation` takes it."""
    if name == "made" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value
