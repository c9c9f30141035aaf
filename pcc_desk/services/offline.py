"""What the desktop needs of a laptop copy (:mod:`pcc_desk.services.sync`): whether the open register
is one, the team register it syncs with, how many of its changes are not yet sent and how many
conflicts wait; and a sync with the password the system keyring keeps (or one the clerk typed).

The sync itself, its merging rules and its bookkeeping are :mod:`pcc_desk.services.sync`'s; nothing
here writes to a register except through it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pcc_desk import postgres
from pcc_desk.errors import Cancelled
from pcc_desk.services import credentials, sync, team_copy
from pcc_desk.services.desk import Desk
from pcc_desk.services.sync_state import Unsettled as Unsettled
from pcc_desk.services.sync_state import unsettled_work as unsettled_work


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


def checkout(
    url: str,
    laptop: str | os.PathLike[str],
    *,
    force: bool = False,
    progress: team_copy.Progress | None = None,
    older_than: int | None = None,
) -> team_copy.CopyResult:
    """:func:`pcc_desk.services.sync.checkout` (``older_than``: old transcripts left out). A laptop
    copy holding work the team register has not got is never replaced, even with ``force``
    (:func:`pcc_desk.services.team_copy.download` refuses it: :func:`unsettled_work`)."""
    target = Path(os.fspath(laptop)).expanduser()
    return sync.checkout(url, target, force=force, progress=progress, older_than=older_than)
