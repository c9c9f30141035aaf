"""Who has the register open: the register's two lock files (no Qt: the app, the CLI and restore share them).

Beside ``pcc-desk.sqlite3`` live:

- ``pcc-desk.sqlite3.in-use``, the **register's lock**. Every process that opens the register (the
  desktop app, every ``pcc-desk`` command that reads or writes it, a migration) holds it *shared*
  for as long as its connection is open. Restoring a backup, or setting a damaged file aside, holds
  it *exclusively*: it is refused while any other process has the register open, and a process that
  starts meanwhile waits a moment for the restore to end. So no writer is ever left pointed at the
  file a restore has set aside.
- ``pcc-desk.sqlite3.lock``, the **window lock**: one desktop window per register. Its holder writes
  who it is (process id, ``pcc-desk``, the computer's name, since when), in the same first lines as
  the Qt lock file older versions wrote.

Both are operating-system locks (``flock`` on macOS and Linux, ``LockFileEx`` on Windows), which the
system lets go of when the process ends however it ends, so a crash never leaves a lock that blocks.
What is left in ``.lock`` after a crash only *describes* a holder. :func:`window_lock_state` tells
the cases apart: held by a running process on this computer; left by one that is gone (cleared by
itself); naming another computer (a register in a folder that two computers see, or one copied from
another computer: *foreign*); or empty or unreadable. The last two cannot be decided here: the app
explains and offers to take the lock over, and ``pcc-desk unlock`` clears it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import logging
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pcc_desk.dates import house_date
from pcc_desk.errors import Conflict, FileLocked, StorageFailed

log = logging.getLogger(__name__)

APP_NAME = "pcc-desk"
WINDOW_SUFFIX = ".lock"
REGISTER_SUFFIX = ".in-use"
RESTORE_WAIT_SECONDS = 15.0  # how long an opener waits for a restore under way to end

# Windows locks byte ranges, and a locked range cannot be read by others: lock one byte far past
# the holder's description.
_WINDOWS_LOCK_OFFSET = 0x7FFF0000


def window_lock_path(db: str | os.PathLike[str]) -> Path:
    """``<db>.lock``, beside the register (the folder as the file system names it, links resolved)."""
    return Path(f"{Path(db).resolve()}{WINDOW_SUFFIX}")


def register_lock_path(db: str | os.PathLike[str]) -> Path:
    return Path(f"{Path(db).resolve()}{REGISTER_SUFFIX}")


# --- the operating system's locks ---------------------------------------------------------------

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import ctypes
    import msvcrt
    from ctypes import wintypes

    class _Overlapped(ctypes.Structure):
        _fields_ = [
            ("Internal", ctypes.c_void_p),
            ("InternalHigh", ctypes.c_void_p),
            ("Offset", wintypes.DWORD),
            ("OffsetHigh", wintypes.DWORD),
            ("hEvent", wintypes.HANDLE),
        ]

    _LOCKFILE_FAIL_IMMEDIATELY = 0x1
    _LOCKFILE_EXCLUSIVE_LOCK = 0x2

    def _os_lock(fd: int, exclusive: bool) -> bool:
        overlapped = _Overlapped(Offset=_WINDOWS_LOCK_OFFSET)
        flags = _LOCKFILE_FAIL_IMMEDIATELY | (_LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        handle = wintypes.HANDLE(msvcrt.get_osfhandle(fd))
        return bool(
            ctypes.windll.kernel32.LockFileEx(handle, flags, 0, 1, 0, ctypes.byref(overlapped))
        )

    def _os_unlock(fd: int) -> None:
        overlapped = _Overlapped(Offset=_WINDOWS_LOCK_OFFSET)
        handle = wintypes.HANDLE(msvcrt.get_osfhandle(fd))
        ctypes.windll.kernel32.UnlockFileEx(handle, 0, 1, 0, ctypes.byref(overlapped))

else:
    import fcntl

    def _os_lock(fd: int, exclusive: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            return False
        return True

    def _os_unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _open(path: Path, create: bool = True) -> int:
    flags = os.O_RDWR | (os.O_CREAT if create else 0) | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, 0o644)


def _same_file(fd: int, path: Path) -> bool:
    """Is ``fd`` still the file at ``path`` (not one a releasing holder has just removed)?"""
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


# --- who holds the window lock ------------------------------------------------------------------


class LockState(enum.Enum):
    FREE = "free"  # no lock file
    OURS = "ours"  # this process holds it
    HELD = "held"  # a running process on this computer holds it
    STALE = "stale"  # left by a process on this computer that is gone: cleared by itself
    FOREIGN = "foreign"  # names another computer: it may be open there
    UNREADABLE = "unreadable"  # empty or not a lock PCC Desk wrote: who holds it is unknown


IN_DOUBT = (LockState.FOREIGN, LockState.UNREADABLE)


@dataclass(frozen=True)
class Holder:
    """What a window lock file says about who wrote it."""

    pid: int
    app: str
    host: str
    since: dt.datetime | None = None

    def describe(self) -> str:
        when = f" since {house_date(self.since.date())} at {self.since:%H:%M}" if self.since else ""
        return f"PCC Desk on the computer “{self.host}” (process {self.pid}){when}"


def this_host() -> str:
    return socket.gethostname()


def _describe_self() -> bytes:
    now = dt.datetime.now().replace(microsecond=0).isoformat()
    return f"{os.getpid()}\n{APP_NAME}\n{this_host()}\n{now}\n".encode()


def parse_holder(data: bytes) -> Holder | None:
    """The holder a lock file names, or None when it is empty or not one PCC Desk (or Qt) wrote."""
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return None
    if len(lines) < 3 or not lines[0].strip().isdigit() or not lines[2].strip():
        return None
    since = None
    if len(lines) > 3:
        with contextlib.suppress(ValueError):
            since = dt.datetime.fromisoformat(lines[3].strip())
    return Holder(int(lines[0]), lines[1].strip(), lines[2].strip(), since)


_held_here: set[Path] = set()  # window locks this process holds
_held_guard = threading.Lock()


def _classify(holder: Holder | None) -> LockState:
    """The state of a window lock that no process on this computer holds."""
    if holder is None:
        return LockState.UNREADABLE
    if holder.host != this_host():
        return LockState.FOREIGN
    return LockState.STALE


def read_holder(db: str | os.PathLike[str]) -> Holder | None:
    try:
        return parse_holder(window_lock_path(db).read_bytes()[:4096])
    except OSError:
        return None


def window_lock_state(db: str | os.PathLike[str]) -> LockState:
    """Who holds the register's window lock (reads only)."""
    path = window_lock_path(db)
    with _held_guard:
        if path in _held_here:
            return LockState.OURS
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return LockState.FREE
    except OSError:  # e.g. Windows: an older version's Qt lock, open without sharing
        return LockState.HELD
    try:
        if not _os_lock(fd, exclusive=False):
            return LockState.HELD
        _os_unlock(fd)
        data = os.read(fd, 4096)
    finally:
        os.close(fd)
    return _classify(parse_holder(data))


class WindowLock:
    """One desktop window per register. ``acquire()`` returns the state found: ``OURS`` when this
    window now holds the lock; ``HELD`` (another window has it), ``FOREIGN`` or ``UNREADABLE``
    (ask the clerk; ``acquire(take_over=True)`` then takes it) otherwise. ``holder`` says who the
    lock file named."""

    def __init__(self, db: str | os.PathLike[str]) -> None:
        self.path = window_lock_path(db)
        self.holder: Holder | None = None
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, *, take_over: bool = False) -> LockState:
        if self._fd is not None:
            return LockState.OURS
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _attempt in range(5):
            created = self._create()
            try:
                fd = _open(self.path, create=False)
            except FileNotFoundError:
                continue  # removed by a holder letting go meanwhile: start again
            if not _os_lock(fd, exclusive=True):
                os.close(fd)
                with contextlib.suppress(OSError):
                    self.holder = parse_holder(self.path.read_bytes()[:4096])
                return LockState.HELD
            if not _same_file(fd, self.path):
                _os_unlock(fd)
                os.close(fd)
                continue
            if not created:
                data = os.read(fd, 4096)
                self.holder = parse_holder(data)
                state = _classify(self.holder)
                if state in IN_DOUBT and not take_over:
                    _os_unlock(fd)
                    os.close(fd)
                    return state
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, _describe_self())
            self._fd = fd
            with _held_guard:
                _held_here.add(self.path)
            return LockState.OURS
        return LockState.HELD

    def _create(self) -> bool:
        """Create the lock file with this process's description already in it (so a lock file is
        never empty unless something damaged it); False when one is there already."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            tmp.write_bytes(_describe_self())
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                return False
            except OSError:  # a file system without hard links
                try:
                    fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                except FileExistsError:
                    return False
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_describe_self())
            return True
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with _held_guard:
            _held_here.discard(self.path)
        if os.name != "nt":
            with contextlib.suppress(OSError):
                self.path.unlink()  # while still holding it: a newcomer then makes a new file
        _os_unlock(fd)
        os.close(fd)
        if os.name == "nt":
            with contextlib.suppress(OSError):
                self.path.unlink()


def clear_window_lock(db: str | os.PathLike[str]) -> tuple[LockState, Holder | None]:
    """``pcc-desk unlock``: remove a window lock that no process on this computer holds. Refused
    (:class:`Conflict`) while a window on this computer has the register open."""
    state = window_lock_state(db)
    holder = read_holder(db)
    if state in (LockState.HELD, LockState.OURS):
        raise Conflict(
            f"PCC Desk has {Path(db).name} open on this computer"
            + (f" (process {holder.pid})" if holder else "")
            + "; close its window instead. Nothing was changed."
        )
    if state is not LockState.FREE:
        lock = WindowLock(db)
        if lock.acquire(take_over=True) is LockState.OURS:
            lock.release()
    return state, holder


def explain_doubt(db: str | os.PathLike[str], state: LockState, holder: Holder | None) -> str:
    """Why the window lock cannot be taken without asking, for the clerk."""
    name = window_lock_path(db).name
    if state is LockState.FOREIGN and holder is not None:
        return (
            f"The register's lock ({name}) says it was opened by {holder.describe()}, and not "
            "closed since. If PCC Desk is still open there, close it there first: two computers "
            "writing to one register damage it. If it is not (the register was copied or synced "
            "from that computer, or PCC Desk stopped there without closing), the lock can be "
            "taken over."
        )
    return (
        f"The register's lock ({name}) is empty or unreadable, so PCC Desk cannot tell whether "
        "it is open somewhere else. No copy of PCC Desk on this computer holds it. If PCC Desk is "
        "not open on another computer, the lock can be taken over."
    )


# --- the register's lock ------------------------------------------------------------------------


class RegisterLock:
    """The register's lock, held shared by every process that has the register open, exclusively
    by a restore. Release it when done (or use it as a context manager)."""

    def __init__(self, db: str | os.PathLike[str]) -> None:
        self.db = Path(db)
        self.path = register_lock_path(db)
        self._fd: int | None = None
        self.exclusive = False

    def __enter__(self) -> RegisterLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def _lock(self, exclusive: bool, wait: float = 0.0) -> bool:
        """Lock the file, trying again for ``wait`` seconds (on the same open file, so that a
        waiting process can be seen waiting)."""
        if self._fd is not None:
            raise RuntimeError("the register's lock is already held by this object")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + wait
        fd = _open(self.path)
        try:
            while True:
                if _os_lock(fd, exclusive):
                    if _same_file(fd, self.path):
                        self._fd, self.exclusive, fd = fd, exclusive, -1
                        return True
                    os.close(fd)  # the last holder removed that file meanwhile: lock the new one
                    fd = -1
                    fd = _open(self.path)
                    continue
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.05)
        finally:
            if fd >= 0:
                os.close(fd)

    def share(self, wait: float = RESTORE_WAIT_SECONDS) -> RegisterLock:
        """Take it shared, waiting up to ``wait`` seconds while a restore holds it. Where the lock
        file cannot be made (a read-only folder: nothing can be restored there either), the
        register is opened without it."""
        try:
            locked = self._lock(exclusive=False, wait=wait)
        except OSError as exc:
            log.warning("the register's lock file could not be made (%s)", exc.strerror or exc)
            return self
        if not locked:
            raise FileLocked(
                f"{self.db.name} is being restored from a backup by PCC Desk; nothing was "
                "changed. Try again in a moment."
            )
        return self

    def take(self) -> RegisterLock:
        """Take it exclusively, or raise :class:`Conflict` naming who has the register open."""
        state = window_lock_state(self.db)
        if state is LockState.HELD:
            raise Conflict(
                f"PCC Desk has {self.db.name} open in another window; close it there, then try "
                "again. Nothing was changed."
            )
        if state is LockState.FOREIGN:
            holder = read_holder(self.db)
            where = f" on the computer “{holder.host}”" if holder else " on another computer"
            raise Conflict(
                f"{self.db.name} may be open in PCC Desk{where} (its lock says so). Close it there; "
                "if it is not open there, run 'pcc-desk unlock', then try again. Nothing was changed."
            )
        try:
            locked = self._lock(exclusive=True)
        except OSError as exc:
            raise StorageFailed(
                f"{self.db.name} could not be locked ({exc.strerror or exc}); nothing was changed."
            ) from None
        if not locked:
            raise Conflict(
                f"{self.db.name} is in use by another PCC Desk (a window, or a pcc-desk command "
                "still running); close it or let it finish, then try again. Nothing was changed."
            )
        return self

    def release(self) -> None:
        """Let go; the last holder removes the lock file (on Windows it stays: files in use cannot
        be removed there, and an empty one does no harm)."""
        fd, self._fd = self._fd, None
        self.exclusive = False
        if fd is None:
            return
        if os.name != "nt" and _os_lock(fd, exclusive=True):  # no one else holds it
            with contextlib.suppress(OSError):
                if _same_file(fd, self.path):
                    self.path.unlink()
        with contextlib.suppress(OSError):
            _os_unlock(fd)
        os.close(fd)
