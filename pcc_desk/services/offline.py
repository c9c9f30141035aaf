"""What the desktop needs of a laptop copy (:mod:`pcc_desk.services.sync`): whether the open register
is one, the team register it syncs with, how many of its changes are not yet sent and how many
conflicts wait; and a sync with the password the system keyring keeps (or one the clerk typed).

The sync itself, its merging rules and its bookkeeping are :mod:`pcc_desk.services.sync`'s; nothing
here writes to a register except through it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pcc_desk import postgres
from pcc_desk.errors import Cancelled, Conflict
from pcc_desk.model import Operation, Setting, SyncConflict
from pcc_desk.services import credentials, sync, team_copy
from pcc_desk.services.desk import Desk
from pcc_desk.services.sync_state import read_spans, waiting


@dataclass(frozen=True)
class SyncStatus:
    server: str | None  # the team register's address (no password); None: not a laptop copy
    host: str  # the team register as a clerk names it ("" when not a laptop copy)
    pending: int  # this copy's changes not yet sent
    conflicts: int  # conflicts found by its syncs and not yet settled
    not_sent: int = 0  # changes the team register refused (or built on one), still listed

    @property
    def laptop_copy(self) -> bool:
        return self.server is not None


NOT_A_COPY = SyncStatus(None, "", 0, 0)


def status(desk: Desk) -> SyncStatus:
    """The open register's sync status (:data:`NOT_A_COPY` for a team register or a plain file)."""
    if desk.location.is_server:
        return NOT_A_COPY
    mark = sync.origin(desk)
    if mark is None:
        return NOT_A_COPY
    return SyncStatus(
        mark.server,
        postgres.describe_host(mark.server),
        sync.pending_count(desk),
        len(sync.conflicts(desk)),
        len(mark.refused),
    )


def team_address(desk: Desk) -> str | None:
    """The team register the open register is (a server) or was checked out from (a laptop copy),
    without a password; None for a plain file."""
    if desk.location.is_server:
        return credentials.without_password(desk.location.url)
    mark = sync.origin(desk)
    return mark.server if mark is not None else None


def with_kept_password(address: str, typed: str | None = None) -> str:
    """``address`` with the password the clerk typed, else the one the keyring keeps, if any."""
    password = typed or credentials.stored_password(address)
    return credentials.with_password(address, password) if password else address


@dataclass(frozen=True)
class SyncOutcome:
    result: sync.SyncResult
    new_conflicts: int  # conflicts this sync found (not settled)
    conflicts: int  # all the conflicts waiting after it
    pending: int  # changes not yet sent after it (made while it ran)


def sync_now(
    desk: Desk, *, password: str | None = None, cancel: Callable[[], None] | None = None
) -> SyncOutcome:
    """:func:`pcc_desk.services.sync.sync` with the keyring's password (or ``password``, typed by the
    clerk: kept by the keyring once the sync has logged in with it). ``cancel`` (raises Cancelled)
    stops it between two rows: what was sent or brought down stays."""
    before = {c.id for c in sync.conflicts(desk)}
    mark = sync.origin(desk)
    address = mark.server if mark is not None else None
    url = with_kept_password(address, password) if address is not None else None
    try:
        result = sync.sync(desk, url=url, cancel=cancel)
    except Cancelled:
        raise Cancelled(
            "Sync stopped: what was sent or brought down so far stays; sync again to finish."
        ) from None
    if password and address is not None:
        credentials.keep_password(address, password)
    after = {c.id for c in sync.conflicts(desk)}
    return SyncOutcome(result, len(after - before), len(after), sync.pending_count(desk))


@dataclass(frozen=True)
class Unsettled:
    """What a laptop copy holds that the team register does not: nothing of it may be lost."""

    pending: int = 0  # changes not yet sent
    conflicts: int = 0  # conflicts not yet settled
    not_sent: int = 0  # changes the team register refused, still listed (until the clerk dismisses)

    def __bool__(self) -> bool:
        return bool(self.pending or self.conflicts or self.not_sent)

    def words(self) -> str:
        parts = [
            f"{self.pending} change(s) not yet synced" if self.pending else "",
            f"{self.not_sent} change(s) the team register did not take" if self.not_sent else "",
            f"{self.conflicts} conflict(s) not yet settled" if self.conflicts else "",
        ]
        return ", ".join(p for p in parts if p)


def unsettled_work(path: Path) -> Unsettled:
    """In the laptop copy at ``path`` (read only, never opened as a register): its changes not yet
    sent, those the team register refused and its conflicts not yet settled; nothing when it is no
    laptop copy or cannot be read."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return Unsettled()
    try:
        row = conn.execute(
            f"SELECT value FROM {Setting.__tablename__} WHERE key = ?", (sync.SYNC_KEY,)
        ).fetchone()
        if row is None:
            return Unsettled()
        mark = json.loads(row[0])
        seqs = conn.execute(
            f"SELECT seq FROM {Operation.__tablename__} WHERE seq > ?", (int(mark["local_seq"]),)
        )
        pending = waiting((int(seq) for (seq,) in seqs), read_spans(mark.get("there")))
        (conflicts,) = conn.execute(
            f"SELECT count(*) FROM {SyncConflict.__tablename__} WHERE resolved_at IS NULL"
        ).fetchone()
        refused = mark.get("refused")
        return Unsettled(pending, int(conflicts), len(refused) if isinstance(refused, dict) else 0)
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return Unsettled()
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.close()


def checkout(
    url: str,
    laptop: str | os.PathLike[str],
    *,
    force: bool = False,
    progress: team_copy.Progress | None = None,
    older_than: int | None = None,
) -> team_copy.CopyResult:
    """:func:`pcc_desk.services.sync.checkout` (``older_than``: old transcripts left out), but a
    laptop copy holding changes not yet sent, changes the team register refused (until the clerk
    dismisses them) or conflicts not yet settled is never replaced (even with ``force``): nothing
    is written."""
    target = Path(os.fspath(laptop)).expanduser()
    if force and target.is_file():
        unsettled = unsettled_work(target)
        if unsettled:
            raise Conflict(
                f"{target.name} is a laptop copy with {unsettled.words()}: open it and sync it "
                "(or settle what it lists) first, or choose another file; nothing was written."
            )
    return sync.checkout(url, target, force=force, progress=progress, older_than=older_than)
