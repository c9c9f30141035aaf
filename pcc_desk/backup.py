"""Backups, restore and recovery of the register (no Qt here; the GUI and the CLI both call it).

**Taking backups.** :func:`take_backup` copies the live database with SQLite's backup API (through
:func:`pcc_desk.storage.backup_file`, which checks each copy with ``PRAGMA quick_check`` before giving
it its name); only then are older backups rotated out. :class:`BackupPolicy` decides when: after
changes, at most every 30 minutes, and on exit, and only when something changed.

**Which backups are kept** (as Anki does: 12 daily, 10 weekly, 9 monthly). Walking the backups from
the newest to the oldest, a backup is kept

1. as a *daily* backup if its calendar day is older than the day of the last backup kept so far and
   fewer than 12 dailies are kept (so: the newest backup of each of the 12 most recent days that have
   backups);
2. else as a *weekly* backup if its week is older than the week of the last backup kept and fewer
   than 10 weeklies are kept (the newest backup of each of the 10 weeks before those days);
3. else as a *monthly* backup if its month is older than the month of the last backup kept and fewer
   than 9 monthlies are kept (the newest backup of each of the 9 months before those weeks);
4. else if it was taken today (so a clerk can go back to this morning);

and every other backup is deleted. A week runs Monday to Sunday, but one that straddles two months
counts as two weeks (its days in each month), so that days nest in weeks and weeks in months: then
the newest backup of each month is also the newest of its last week and of its last day, and rotating
after every backup leaves exactly the set the rule picks from the whole history (a backup removed
once is never one the rule would want later). Backups taken before a migration (label ``before-migration-…``)
are never rotated out. Times are the machine's local time, as the file names show them.

**Restore and recovery.** The current file (and its -wal and -shm) is first *set aside* under a
time-stamped name beside it — never deleted — then the backup is copied in atomically and checked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pcc_desk import locking, storage
from pcc_desk.dates import house_date
from pcc_desk.errors import DatabaseDamaged, DatabaseTooNew, InvalidInput, NotFound
from pcc_desk.storage import Location

log = logging.getLogger(__name__)

BACKUP_INTERVAL = dt.timedelta(minutes=30)
STALE_PARTIAL_SECONDS = 3600
MIGRATION_LABEL_PREFIX = "before-migration"
CHOICE_RESTORE_LATEST = "restore-latest"
CHOICE_FRESH = "fresh"
CHOICES = (CHOICE_RESTORE_LATEST, CHOICE_FRESH)


@dataclass(frozen=True)
class Limits:
    daily: int = 12
    weekly: int = 10
    monthly: int = 9


LIMITS = Limits()


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: dt.datetime  # local time, from the file name
    label: str
    size: int = 0

    @property
    def rotates(self) -> bool:
        return not self.label.startswith(MIGRATION_LABEL_PREFIX)

    def describe(self) -> str:
        """``26 November 2026 at 14:30``"""
        return f"{house_date(self.taken.date())} at {self.taken:%H:%M}"


def _name_pattern(stem: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(stem)}-(\d{{8}}-\d{{6}}-\d{{6}})-(.+)\.sqlite3$")


def parse_backup_name(path: Path, stem: str) -> tuple[dt.datetime, str] | None:
    match = _name_pattern(stem).match(Path(path).name)
    if not match:
        return None
    try:
        taken = dt.datetime.strptime(match.group(1), storage.BACKUP_STAMP)
    except ValueError:
        return None
    return taken, match.group(2)


def _require_file(location: Location) -> Path:
    if location.path is None:
        raise InvalidInput("Backups are kept only for a register in a SQLite file.")
    return location.path


def list_backups(location: Location) -> list[BackupInfo]:
    """Every backup of this register, newest first."""
    path = _require_file(location)
    folder = location.backups_dir
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        parsed = parse_backup_name(entry, path.stem)
        if parsed and entry.is_file():
            found.append(BackupInfo(entry, parsed[0], parsed[1], entry.stat().st_size))
    found.sort(key=lambda b: (b.taken, b.path.name), reverse=True)
    return found


# --- rotation ---------------------------------------------------------------------------------


def week_of(day: dt.date) -> dt.date:
    """The first day of ``day``'s week: its Monday, or the 1st of the month if that is later."""
    return max(day - dt.timedelta(days=day.weekday()), day.replace(day=1))


def backups_to_keep(
    backups: Iterable[BackupInfo], now: dt.datetime, limits: Limits = LIMITS
) -> set[Path]:
    """The paths that survive rotation (see the module's docstring for the rule)."""
    ordered = sorted(backups, key=lambda b: (b.taken, b.path.name), reverse=True)
    keep: set[Path] = set()
    daily, weekly, monthly = limits.daily, limits.weekly, limits.monthly
    last_day = last_week = last_month = None
    for backup in ordered:
        if not backup.rotates:
            keep.add(backup.path)
            continue
        day = backup.taken.date()
        week = week_of(day)
        month = (day.year, day.month)
        if daily > 0 and (last_day is None or day < last_day):
            daily -= 1
            last_day, last_week, last_month = day, week, month
        elif weekly > 0 and (last_week is None or week < last_week):
            weekly -= 1
            last_week, last_month = week, month
        elif monthly > 0 and (last_month is None or month < last_month):
            monthly -= 1
            last_month = month
        elif day != now.date():
            continue
        keep.add(backup.path)
    return keep


def rotate(
    location: Location, now: dt.datetime | None = None, limits: Limits = LIMITS
) -> list[Path]:
    """Delete the backups the rule does not keep; returns what was deleted."""
    now = now or dt.datetime.now()
    backups = list_backups(location)
    keep = backups_to_keep(backups, now, limits)
    removed = []
    for partial in location.backups_dir.glob("*.partial"):  # left by a backup the app died during
        with contextlib.suppress(OSError):
            if time.time() - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
                partial.unlink()
    for backup in backups:
        if backup.path not in keep:
            try:
                backup.path.unlink()
                removed.append(backup.path)
            except OSError as exc:  # e.g. open in another program on Windows; try again next time
                log.warning("could not remove an old backup: %s", exc.strerror or exc)
    return removed


def take_backup(
    location: Location,
    label: str = "manual",
    now: dt.datetime | None = None,
    limits: Limits = LIMITS,
) -> BackupInfo:
    """Take a checked backup, then rotate older ones out. Raises :class:`BackupFailed` (older backups
    kept) when the copy cannot be written or fails its check."""
    path = _require_file(location)
    if not path.exists():
        raise NotFound(f"{path.name} does not exist; there is nothing to back up.")
    now = now or dt.datetime.now()
    target = storage.backup_file(path, location.backups_dir, label=label, now=now)
    rotate(location, now, limits)
    return BackupInfo(target, now, label, target.stat().st_size)


def newest_good_backup(location: Location) -> BackupInfo | None:
    """The newest backup that passes its check (damaged ones are skipped, and left alone)."""
    for backup in list_backups(location):
        if storage.quick_check(backup.path):
            return backup
    return None


# --- restore and recovery ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryOffer:
    """What a clerk can do about a damaged register."""

    location: Location
    backup: BackupInfo | None  # the newest good backup, if there is one

    @property
    def choices(self) -> tuple[str, ...]:
        return CHOICES if self.backup else (CHOICE_FRESH,)

    def describe(self) -> str:
        fresh = "start a fresh, empty register (the damaged file is kept aside, never deleted)"
        if self.backup:
            return f"Restore the newest good backup, from {self.backup.describe()}, or {fresh}."
        return f"There is no good backup to restore; you can {fresh}."


@dataclass(frozen=True)
class Recovery:
    choice: str
    set_aside: tuple[Path, ...]  # where the previous file (and its -wal, -shm) now are
    restored_from: Path | None = None

    def describe(self) -> str:
        kept = f" The previous file was kept as {self.set_aside[0].name}." if self.set_aside else ""
        if self.restored_from is not None:
            return f"Restored {self.restored_from.name}.{kept}"
        return f"A fresh register will be started.{kept}"


def recovery_offer(location: Location) -> RecoveryOffer:
    return RecoveryOffer(
        location, newest_good_backup(location) if location.path is not None else None
    )


def _free_name(folder: Path, base: str, suffix: str) -> str:
    candidate, n = base, 1
    while any((folder / f"{candidate}{suffix}{extra}").exists() for extra in ("", "-wal", "-shm")):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def set_aside(path: Path, why: str, now: dt.datetime | None = None) -> tuple[Path, ...]:
    """Rename the database and its -wal/-shm to ``<stem>.<why>-<YYYYmmdd-HHMMSS><suffix>`` beside it."""
    path = Path(path)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = _free_name(path.parent, f"{path.stem}.{why}-{stamp}", path.suffix)
    moved = []
    wal, shm = storage.sidecars(path)
    for source, extra in ((path, ""), (wal, "-wal"), (shm, "-shm")):
        if source.exists():
            target = path.parent / f"{base}{path.suffix}{extra}"
            os.rename(source, target)
            moved.append(target)
    with contextlib.suppress(OSError):  # it was about the file now set aside
        storage.damage_mark(path).unlink()
    return tuple(moved)


def _copy_in(source: Path, target: Path) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".restoring", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def restore(
    location: Location, backup: Path, now: dt.datetime | None = None, *, why: str = "replaced"
) -> Recovery:
    """Put ``backup`` in place of the register, holding the register's lock exclusively throughout
    (:class:`pcc_desk.locking.RegisterLock`): refused with :class:`Conflict` while any other PCC
    Desk (a window, a ``pcc-desk`` command) has the register open, and any that starts meanwhile
    waits for the restore to end. Close this process's own Desk on it first."""
    path = _require_file(location)
    backup = Path(backup)
    if not backup.is_file():
        raise NotFound(f"{backup.name}: no such backup.")
    try:
        storage.check_health(backup)
    except (DatabaseDamaged, DatabaseTooNew) as exc:
        raise DatabaseDamaged(f"The backup {exc} Nothing was changed.") from None
    with locking.RegisterLock(path).take():
        try:
            moved = set_aside(path, why, now)
        except OSError as exc:
            raise DatabaseDamaged(
                f"{path.name} could not be set aside ({exc.strerror or exc}); nothing was changed."
            ) from None
        try:
            _copy_in(backup, path)
            storage.check_health(path)
        except (OSError, DatabaseDamaged) as exc:
            _put_back(path, moved)
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise DatabaseDamaged(
                f"{path.name} could not be restored ({detail}); the previous file was put back."
            ) from None
    log.info("restored a backup over the register; the previous file was set aside")
    return Recovery(CHOICE_RESTORE_LATEST, moved, backup)


def _put_back(path: Path, moved: tuple[Path, ...]) -> None:
    """Undo :func:`set_aside` after a failed restore: the copied-in file goes, the original returns."""
    with contextlib.suppress(OSError):
        path.unlink()
    wal, shm = storage.sidecars(path)
    for aside in moved:
        target = (
            wal if aside.name.endswith("-wal") else shm if aside.name.endswith("-shm") else path
        )
        with contextlib.suppress(OSError):
            os.replace(aside, target)


def recover(location: Location, choice: str, now: dt.datetime | None = None) -> Recovery:
    """Act on the clerk's answer to a :class:`RecoveryOffer`."""
    path = _require_file(location)
    if choice == CHOICE_RESTORE_LATEST:
        newest = newest_good_backup(location)
        if newest is None:
            raise NotFound(f"There is no good backup of {path.name} to restore.")
        return restore(location, newest.path, now, why="damaged")
    if choice == CHOICE_FRESH:
        with locking.RegisterLock(path).take():
            try:
                moved = set_aside(path, "damaged", now)
            except OSError as exc:
                raise DatabaseDamaged(
                    f"{path.name} could not be set aside ({exc.strerror or exc})."
                ) from None
        return Recovery(CHOICE_FRESH, moved)
    raise InvalidInput(f"'{choice}' is not a recovery choice; use one of: {', '.join(CHOICES)}.")


# --- when to back up ----------------------------------------------------------------------------


class ChangeCounting(Protocol):
    """What :class:`BackupPolicy` needs of a desk (:class:`pcc_desk.services.Desk`)."""

    @property
    def location(self) -> Location: ...

    @property
    def change_count(self) -> int: ...


@dataclass
class BackupPolicy:
    """Backs up an open Desk after changes, at most every ``interval``, and on exit — only when
    something changed since the last backup (this app's commits, counted by ``desk.change_count``, or
    anyone's, seen through ``PRAGMA data_version``).

    The GUI calls :meth:`maybe_backup` from a timer and after changes, and :meth:`on_exit` on closing.
    """

    desk: ChangeCounting  # a pcc_desk.services.Desk
    interval: dt.timedelta = BACKUP_INTERVAL
    limits: Limits = LIMITS
    clock: Callable[[], dt.datetime] = dt.datetime.now
    last_backup: dt.datetime | None = None
    _seen_count: int = field(default=0, repr=False)
    _seen_version: int | None = field(default=None, repr=False)
    _conn: sqlite3.Connection | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.location: Location = self.desk.location
        self.enabled = self.location.path is not None
        self._seen_count = self.desk.change_count
        if not self.enabled:
            return
        self._seen_version = self._data_version()
        if self.last_backup is None:
            newest = next((b for b in list_backups(self.location) if b.rotates), None)
            self.last_backup = newest.taken if newest else None

    def _data_version(self) -> int | None:
        if self.location.path is None:
            return None
        try:
            if self._conn is None:
                self._conn = storage.connect(self.location.path, check_same_thread=False)
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error:
            return None

    def changed(self) -> bool:
        """Has anything been committed since the last backup (or since the register was opened)?"""
        if not self.enabled:
            return False
        with self._lock:
            return (
                self.desk.change_count != self._seen_count
                or self._data_version() != self._seen_version
            )

    def maybe_backup(self, now: dt.datetime | None = None) -> BackupInfo | None:
        now = now or self.clock()
        if not self.changed():
            return None
        if (
            self.last_backup is not None
            and dt.timedelta(0) <= now - self.last_backup < self.interval
        ):
            return None  # (a newest backup "in the future", after the clock was put back, does not block)
        return self._take("auto", now)

    def on_exit(self, now: dt.datetime | None = None) -> BackupInfo | None:
        try:
            if not self.changed():
                return None
            return self._take("on-exit", now or self.clock())
        finally:
            self.close()

    def backup_now(self, now: dt.datetime | None = None) -> BackupInfo:
        """A backup the clerk asked for (File → Back up now), whether or not anything changed."""
        return self._take("manual", now or self.clock())

    def _take(self, label: str, now: dt.datetime) -> BackupInfo:
        with self._lock:
            count, version = self.desk.change_count, self._data_version()
        info = take_backup(self.location, label, now, self.limits)
        with self._lock:
            self._seen_count, self._seen_version = count, version
            self.last_backup = now
        return info

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
