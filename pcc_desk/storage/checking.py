"""When the whole-file check runs, and why writes wait for it.

Every opening runs the cheap checks (:func:`~pcc_desk.storage.health.check_health` with
``full=False``: the header, the free-page list, the write-ahead log, the schema version and
structure; milliseconds on any size of file). The whole-file check (``PRAGMA quick_check``, and
``integrity_check`` after SQLite has met damage) reads every page, about 1.5 s on a decade's register
of 600 MB, so it runs only when it can matter:

- the file is not as PCC Desk last left it, checked and closed (:func:`file_stamp`: its identity,
  size and time differ from the record): another program wrote it, it was copied or restored in;
- its write-ahead log is not empty: PCC Desk (or the computer) stopped without closing it, or
  another program has it open;
- the last pass was more than :data:`CHECK_EVERY` ago, or there is no record of one;
- SQLite has met damage in it (:func:`~pcc_desk.storage.health.damage_mark`);
- before a schema upgrade (the upgrade writes).

Every backup is checked too (the copy, before any older backup is rotated away; a pass counts as
the register's), and ``pcc-desk check`` runs it on demand. The record of the last pass is
``<stem>.checked.json`` beside the file (JSON: when it passed, and the file's stamp then).

Where opening must not wait (the desktop), the check runs on a thread of its own and the register
is read meanwhile; writes wait for it: :class:`WriteGate` holds each write transaction until the
check has passed, and refuses it (nothing written) when it finds damage. The command line and the
tests open with the check done first, as before, when it is due.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pcc_desk.errors import DatabaseDamaged, DatabaseTooNew
from pcc_desk.storage.files import atomic_write_bytes
from pcc_desk.storage.health import (
    HEAD_REVISION,
    check_health,
    damage_mark,
    full_check_problem,
    sidecars,
    stored_revision,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

CHECK_EVERY = dt.timedelta(days=7)
CHECKED_SUFFIX = ".checked.json"


def checked_record(path: Path) -> Path:
    """``<stem>.checked.json`` beside the register (``pcc-desk.checked.json``): when the whole-file
    check last passed, and the file's stamp then."""
    path = Path(path)
    return path.with_name(f"{path.stem}{CHECKED_SUFFIX}")


def file_stamp(path: Path) -> list[int] | None:
    """The file's identity, size and modification time (None when it cannot be read)."""
    try:
        info = Path(path).stat()
    except OSError:
        return None
    return [info.st_ino, info.st_size, info.st_mtime_ns]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def read_record(path: Path) -> tuple[dt.datetime, list[int] | None] | None:
    """(when the check last passed, the stamp recorded), or None for no record or a junk one."""
    try:
        data = json.loads(checked_record(path).read_text(encoding="utf-8"))
        passed = dt.datetime.fromisoformat(data["passed"])
        stamp = data.get("stamp")
        if passed.tzinfo is None:
            return None
        return passed, (list(stamp) if isinstance(stamp, list) else None)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_pass(path: Path, passed: dt.datetime | None = None) -> None:
    """Remember that the file is sound as it is now (``passed``: when the check ran; now if None).
    A record that cannot be written only means the next opening checks again."""
    data = {"passed": (passed or _now()).isoformat(), "stamp": file_stamp(path)}
    with contextlib.suppress(OSError):
        atomic_write_bytes(checked_record(path), json.dumps(data).encode("utf-8"))


def full_check_due(path: Path, now: dt.datetime | None = None) -> str:
    """Why the whole-file check must run before the next write ("" when it need not)."""
    path = Path(path)
    if damage_mark(path).exists():
        return "SQLite has met damage in it"
    try:
        if sidecars(path)[0].stat().st_size:
            return "it was not closed cleanly, or another program has it open"
    except OSError:
        pass
    record = read_record(path)
    if record is None:
        return "it has not been checked here before"
    passed, stamp = record
    if stamp != file_stamp(path):
        return "it has changed since it was last checked"
    if (now or _now()) - passed > CHECK_EVERY:
        return "its last full check was more than a week ago"
    return ""


def check_on_opening(path: Path, *, background: bool = False) -> str:
    """The checks every opening runs, read-only: the cheap ones always; the whole-file one when it is
    due (:func:`full_check_due`), here and now unless ``background`` — and here and now anyway
    after SQLite met damage or before an upgrade. Raises :class:`DatabaseDamaged` or
    :class:`DatabaseTooNew`; returns why a check is still to run in the background ("" if none)."""
    path = Path(path)
    if not path.exists():
        check_health(path, full=False)  # (a file that vanished meanwhile is a new register)
        return ""
    due = full_check_due(path)
    if not due:
        check_health(path, full=False)
        return ""
    if background and not damage_mark(path).exists():
        check_health(path, full=False)
        if stored_revision(path) == HEAD_REVISION:
            return due
    check_health(path)  # the whole-file check too: before an upgrade, or where opening can wait
    record_pass(path)
    return ""


class EarlyHealthCheck:
    """:func:`check_on_opening` started on a thread of its own, so that start-up can do other work
    while SQLite reads the file (it releases the GIL while it reads). :func:`open_database` waits
    for it and raises what it found.

    Start it only where :func:`open_database` would check the file anyway (a safe location); it reads
    only."""

    def __init__(self, path: Path, *, background: bool = False) -> None:
        self.path = Path(path)
        self.background = background
        self._error: BaseException | None = None
        self._due = ""
        self._thread = threading.Thread(target=self._run, name="pcc-desk-health-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._due = check_on_opening(self.path, background=self.background)
        except BaseException as exc:  # handed to the thread that waits for the answer
            self._error = exc

    def wait(self) -> str:
        """Block until the check is done; raise :class:`DatabaseDamaged` (or whatever it met).
        Returns why the whole-file check is still to run in the background ("" if it need not)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._due


_WRITE_REFUSED = (
    " Nothing of this change was saved. Close PCC Desk and start it again (or run 'pcc-desk "
    "check') to be offered the newest good backup; the damaged file is kept."
)


class WriteGate:
    """The whole-file check running in the background of an open register; writes wait for it.

    :meth:`wait` (called before every write transaction begins) returns at once when no check is
    due or it has passed, blocks while it runs, and raises :class:`DatabaseDamaged` when it found
    damage (then nothing is written, and the next opening runs the full check first and offers the
    newest good backup). Reads never wait. ``while_waiting``: a context manager factory a front end
    sets to show that a write is waiting (e.g. a busy cursor)."""

    def __init__(self, path: Path, due: str = "") -> None:
        self.path = Path(path)
        self.due = due
        self.problem = ""
        self.while_waiting: Callable[[], contextlib.AbstractContextManager[Any]] | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._closed = False
        self._callbacks: list[Callable[[], None]] = []
        if due:
            threading.Thread(target=self._run, name="pcc-desk-full-check", daemon=True).start()
        else:
            self._done.set()

    @property
    def checking(self) -> bool:
        """True while the check runs (writes wait)."""
        return not self._done.is_set()

    def _run(self) -> None:
        try:
            problem = full_check_problem(self.path)
        except sqlite3.Error as exc:
            problem = "it cannot be read ({})".format(" ".join(str(exc).split()))
        except (DatabaseDamaged, DatabaseTooNew, OSError) as exc:
            problem = str(exc)
        with self._lock:
            if not self._closed:
                if problem:
                    self.problem = f"{self.path.name} is damaged: {problem}."
                    with contextlib.suppress(OSError):
                        damage_mark(self.path).touch()
                else:
                    record_pass(self.path)
            self._done.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    def when_done(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (on the checking thread, or here if it is done already) once done."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
        callback()

    def wait(self) -> None:
        """Before a write: wait for the check; raise :class:`DatabaseDamaged` if it failed."""
        if not self._done.is_set():
            hook = self.while_waiting
            with hook() if hook is not None else contextlib.nullcontext():
                self._done.wait()
        if self.problem:
            raise DatabaseDamaged(self.problem + _WRITE_REFUSED)

    def close(self) -> None:
        """The register has been closed: remember the file as it was left, if it was sound (a
        check still running is abandoned; nothing was written meanwhile, so the old record holds)."""
        with self._lock:
            self._closed = True
            if not self._done.is_set() or self.problem or damage_mark(self.path).exists():
                return
        record = read_record(self.path)
        record_pass(self.path, record[0] if record else None)


_GATES: weakref.WeakKeyDictionary[Engine, WriteGate] = weakref.WeakKeyDictionary()


def attach_gate(engine: Engine, gate: WriteGate) -> None:
    _GATES[engine] = gate


def gate_of(engine: Engine) -> WriteGate | None:
    """The write gate of an engine opened on a register file (None for a server database)."""
    return _GATES.get(engine)
