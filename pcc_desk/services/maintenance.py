"""Keeping the register safe, as the desktop and the command line both do it: where the register is,
its health (check, recovery offer, recovery), its backups (list, take, restore, check) and its lock.

The front ends call these and nothing below them (storage, backup, locations, locking). Each returns
a frozen dataclass or raises a typed error from :mod:`pcc_desk.errors`. None of them opens the
register as :meth:`pcc_desk.services.Desk.open` does: they work on a file that may be damaged, and
look at it read-only until told to act.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcc_desk import backup, locations, locking, storage
from pcc_desk.backup import (
    CHOICE_FRESH,
    CHOICE_RESTORE_LATEST,
    BackupInfo,
    BackupPolicy,
    Recovery,
    RecoveryOffer,
)
from pcc_desk.errors import DatabaseDamaged, InvalidInput, NotFound
from pcc_desk.locking import IN_DOUBT, LockState, WindowLock, explain_doubt, window_lock_path
from pcc_desk.storage import EarlyHealthCheck, Location

__all__ = [
    "CHOICE_FRESH",
    "CHOICE_RESTORE_LATEST",
    "IN_DOUBT",
    "BackupInfo",
    "BackupPolicy",
    "EarlyHealthCheck",
    "Health",
    "Location",
    "LockState",
    "Recovery",
    "RecoveryOffer",
    "Unlocked",
    "WindowLock",
    "atomic_output",
    "backup_policy",
    "check_health",
    "clear_lock",
    "default_data_dir",
    "early_health_check",
    "explain_doubt",
    "explain_location",
    "file_location",
    "is_current",
    "list_backups",
    "locate",
    "recover",
    "recovery_offer",
    "restore_backup",
    "sidecars",
    "take_backup",
    "window_lock_path",
]


# --- where the register is ----------------------------------------------------------------------


def locate(db: str | os.PathLike[str] | None = None) -> Location:
    """The register the clerk asked for (``--db``, else ``PCC_DESK_DB``, else the default file).
    Raises :class:`InvalidInput` for a value that is neither a path nor a database URL."""
    return storage.resolve_location(db)


def file_location(db: str | os.PathLike[str] | None = None) -> Location:
    """As :func:`locate`, for the jobs that need the register to be a SQLite file (checks, backups,
    restores, the lock)."""
    location = locate(db)
    if location.is_server:
        raise InvalidInput(
            "Backups and restores are for a register in a file; a team register is backed up on "
            "its server (pg_dump: see the README's 'Team register')."
        )
    if location.path is None:
        raise InvalidInput(
            "Checks, backups and restores work on a register in a SQLite file, not a server database."
        )
    return location


def default_data_dir() -> Path:
    """The per-user data folder (or ``PCC_DESK_DATA_DIR``)."""
    return storage.default_data_dir()


def explain_location(path: Path) -> str:
    """Why a register at ``path`` is not safe (a synced folder, a network share), or ""."""
    verdict = locations.classify(path)
    return "" if verdict.safe else locations.explain(path, verdict)


def sidecars(path: Path) -> tuple[Path, Path]:
    """The write-ahead log and shared-memory files that belong with the register's file."""
    return storage.sidecars(path)


def is_current(path: Path) -> bool:
    """True when the file is stamped with this version's schema (so opening it migrates nothing)."""
    return storage.stored_revision(path) == storage.HEAD_REVISION


def atomic_output(target: Path) -> contextlib.AbstractContextManager[Path]:
    """A temporary path beside ``target`` that replaces it whole on success (a context manager)."""
    return storage.atomic_output(target)


# --- health -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    """A register that passed the full check."""

    name: str
    revision: str | None
    newest_backup: BackupInfo | None

    def describe(self) -> str:
        return f"{self.name}: OK (integrity check passed; schema {self.revision or 'not yet created'})."


def early_health_check(
    location: Location, *, allow_unsafe: bool = False
) -> EarlyHealthCheck | None:
    """Start the file's read-only health check on a thread, where opening would check it anyway
    (a file in a safe location); :meth:`Desk.open` waits for it. None where it would not."""
    if location.path is None:
        return None
    if not (allow_unsafe or locations.classify(location.path).safe):
        return None
    return EarlyHealthCheck(location.path)


def check_health(location: Location) -> Health:
    """The full read-only check of the file (header, log, ``integrity_check``). Raises
    :class:`NotFound` for no file, :class:`DatabaseDamaged` (with the recovery offer) for a damaged
    one and :class:`DatabaseTooNew` for a newer version's. Nothing is written."""
    path = _path(location)
    if not path.exists():
        raise NotFound(f"{path.name} does not exist yet; there is nothing to check.")
    try:
        storage.check_health(path)
        problems = storage.thorough_check(path)
        if problems:
            raise DatabaseDamaged(
                f"{path.name} is damaged: {problems[0][:160]}"
                + (f" (and {len(problems) - 1} more problems)." if len(problems) > 1 else ".")
            )
    except DatabaseDamaged as damaged:
        if damaged.offer is None:
            damaged.offer = backup.recovery_offer(location)
        raise
    newest = backup.list_backups(location)[:1]
    return Health(path.name, storage.stored_revision(path), newest[0] if newest else None)


def recovery_offer(location: Location) -> RecoveryOffer:
    """What can be done about a damaged register: the newest good backup, or a fresh start."""
    return backup.recovery_offer(location)


def recover(location: Location, choice: str) -> Recovery:
    """Act on the clerk's answer to a damaged register (``CHOICE_RESTORE_LATEST`` or
    ``CHOICE_FRESH``); the damaged file is set aside, never deleted."""
    return backup.recover(location, choice)


# --- backups ------------------------------------------------------------------------------------


def list_backups(location: Location) -> list[BackupInfo]:
    """The register's backups, newest first."""
    return backup.list_backups(location)


def take_backup(location: Location, label: str = "manual") -> BackupInfo:
    """Take a backup now; it is checked before it is given its name (:class:`BackupFailed` if not)."""
    return backup.take_backup(location, label)


def restore_backup(location: Location, chosen: str | os.PathLike[str]) -> Recovery:
    """Put a backup (a path, or a name in the backups folder) in place of the register; the file
    it replaces is kept aside. Raises a typed error, the register unchanged, when it cannot."""
    chosen_path = Path(chosen).expanduser()
    if not chosen_path.exists() and (location.backups_dir / os.fspath(chosen)).exists():
        chosen_path = location.backups_dir / os.fspath(chosen)
    return backup.restore(location, chosen_path.resolve())


def backup_policy(desk: backup.ChangeCounting, **options: Any) -> BackupPolicy:
    """The rule for backups while the app runs on an open :class:`Desk` (when to take one, which to
    keep)."""
    return BackupPolicy(desk, **options)


# --- the register's lock ------------------------------------------------------------------------


@dataclass(frozen=True)
class Unlocked:
    """What clearing the lock found: its state and who held it."""

    name: str
    state: LockState
    holder: locking.Holder | None

    def describe(self) -> str:
        if self.state is LockState.FREE:
            return f"{self.name} has no lock; there is nothing to clear."
        if self.state is LockState.FOREIGN and self.holder is not None:
            return (
                f"Cleared the lock of {self.holder.describe()}; {self.name} can be opened here now."
            )
        if self.state is LockState.STALE:
            return f"Cleared a lock left by PCC Desk that is no longer running; {self.name} can be opened."
        return f"Cleared the empty or unreadable lock of {self.name}; it can be opened here now."


def clear_lock(location: Location) -> Unlocked:
    """Clear the window lock when it names another computer or cannot be read (refused with
    :class:`Conflict` while PCC Desk has the register open on this computer)."""
    path = _path(location)
    state, holder = locking.clear_window_lock(path)
    return Unlocked(path.name, state, holder)


def _path(location: Location) -> Path:
    if location.path is None:
        raise InvalidInput(
            "Checks, backups and restores work on a register in a SQLite file, not a server database."
        )
    return location.path
