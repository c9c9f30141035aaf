"""A folder's files read ahead in a child process, while the parent writes the one before.

Importing a transcript is two kinds of work: reading its file into turns (Python and lxml, about a
third of the time) and writing them to the register (the rows, the full-text index, the commit). Done
in turn in one process they use one core. A thread reading the next file does not help: the reading
and the writing's many short SQLite statements take turns at Python's lock (measured; README,
"Transcripts"). A child process has its own lock, so on a computer with two cores or more the next
files are read while this one is written.

The child only speeds things up; it never decides anything:

- The parent reads a file itself whenever the child has not read it: while the child is starting
  (it takes a tenth of a second or so), for a file the caller keeps to itself (a PDF, which is read in
  a sandbox process of its own), after the child has stopped for any reason, and for a file whose
  reading failed in the child. A file that cannot be read is so refused by the parent's own reading,
  in the very words an import in turn gives.
- The child reads, nothing more: it has no connection to the register and writes nothing.
- Few files ahead (two by default), so that a folder of a thousand transcripts holds two read
  transcripts in memory at most, not a thousand.
- Cancelling while a file is awaited from the child raises :class:`pcc_desk.errors.Cancelled` at once;
  :meth:`ReadingAhead.close` ends the child (it is only reading) and is called in every case.

The child is started with ``spawn``, as the PDF sandbox is (the same on Linux, Windows and macOS, and in
the frozen app, whose entry point calls :func:`multiprocessing.freeze_support`). It logs and prints
nothing: a file's name or text never reaches a terminal or a log from it.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pcc_desk.errors import Cancelled

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

T = TypeVar("T")

log = logging.getLogger(__name__)

AHEAD = 2  # files read and not yet taken, at most
AT_LEAST = 3  # fewer files than this for the child: the parent reads them all (the child would not be ready)
_POLL_S = 0.05  # how often a cancel is looked at while a file is awaited from the child
_MISSING: Any = object()


def _silence() -> None:
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the child's whole life


def _child(conn: Connection, read: Callable[[Path], object]) -> None:
    """In the child: say it is ready, then read each file asked for, in the order asked, until told
    to stop (``None``) or the parent has gone."""
    _silence()
    try:
        conn.send(("ready", -1, None))
        while True:
            asked = conn.recv()
            if asked is None:
                return
            index, path = asked
            try:
                answer: tuple[str, int, object] = ("read", index, read(Path(path)))
            except Exception:  # anything: the parent reads the file itself, and says what is wrong
                answer = ("failed", index, None)
            conn.send(answer)
    except (EOFError, OSError, KeyboardInterrupt):
        return
    finally:
        conn.close()


class ReadingAhead(Generic[T]):
    """``read(path)`` for each of ``paths``, taken in their order with :meth:`take`; the files after
    the one taken are read meanwhile in a child process (those for which ``for_child(path)`` is true).

    ``read`` must be picklable (a module-level function, or a :func:`functools.partial` of one) and
    must give a picklable result. ``cancelled()`` is looked at while a file is awaited from the child.
    """

    def __init__(
        self,
        read: Callable[[Path], T],
        paths: Sequence[Path],
        *,
        for_child: Callable[[Path], bool] = lambda path: True,
        cancelled: Callable[[], bool] = lambda: False,
        ahead: int = AHEAD,
        at_least: int = AT_LEAST,
    ) -> None:
        self._read = read
        self._paths = list(paths)
        self._position = {path: n for n, path in reversed(list(enumerate(self._paths)))}
        self._for_child = [for_child(path) for path in self._paths]
        self._cancelled = cancelled
        self._ahead = ahead
        self._asked: set[int] = set()  # asked of the child, not yet answered
        self._answers: dict[int, tuple[str, object]] = {}  # answered, not yet taken
        self._next = 0  # no file before this one is asked of the child any more
        self._current = 0  # the file being taken
        self._ready = False
        # files the child read that were taken (for the tests, the self-test and the benchmarks)
        self.read_by_child = 0
        self.exitcode: int | None = None  # the child's, once ended by close()
        self._conn: Connection | None = None
        self._process: BaseProcess | None = None
        if sum(self._for_child) >= at_least:
            self._start(read)

    def _start(self, read: Callable[[Path], T]) -> None:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe(duplex=True)
        process = context.Process(
            target=_child, args=(child, read), name="pcc-desk-reading-ahead", daemon=True
        )
        try:
            process.start()
        except Exception:  # no child (no resources, a locked-down system): the parent reads all
            log.info("the files are read in turn (no reading process could be started)")
            parent.close()
            return
        finally:
            child.close()
        self._conn, self._process = parent, process

    # --- the parent's side ------------------------------------------------------------------------------

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the child has started (at most ``timeout`` seconds): whether it has. A folder
        import never waits (it reads the first files itself meanwhile); the self-test and the tests do."""
        deadline = time.monotonic() + timeout
        while not self._ready and self._conn is not None and time.monotonic() < deadline:
            self._collect(wait_for=None)
            if not self._ready:
                time.sleep(0.01)
        return self._ready

    def take(self, path: Path) -> T:
        """``path`` read: by the child when it has read (or is reading) it, else here. A file the
        reading refuses raises what ``read`` raises."""
        index = self._current = self._position[path]
        self._answers = {n: answer for n, answer in self._answers.items() if n >= index}
        self._collect(wait_for=None)
        self._ask_after(index)
        if index in self._asked or index in self._answers:
            answer = self._collect(wait_for=index)
            if answer is not _MISSING:
                self.read_by_child += 1
                value: T = answer
                return value
        return self._read(path)

    def _ask_after(self, index: int) -> None:
        """Ask the child for the files after ``index`` it may read, keeping ``ahead`` outstanding."""
        if self._conn is None or not self._ready:
            return
        self._next = max(self._next, index + 1)
        while self._next < len(self._paths) and len(self._asked) + len(self._answers) < self._ahead:
            n = self._next
            self._next += 1
            if not self._for_child[n]:
                continue
            try:
                self._conn.send((n, str(self._paths[n])))
            except (OSError, ValueError):
                self._stopped()
                return
            self._asked.add(n)

    def _collect(self, wait_for: int | None) -> Any:
        """Take in what the child has sent. With ``wait_for``, wait for that file's answer (raising
        Cancelled if the clerk cancels meanwhile) and give its value, or _MISSING if the child did
        not read it."""
        while True:
            if wait_for is not None and wait_for in self._answers:
                kind, value = self._answers.pop(wait_for)
                return value if kind == "read" else _MISSING
            if wait_for is not None and wait_for not in self._asked:
                return _MISSING  # (the child stopped)
            conn = self._conn
            if conn is None:
                return _MISSING
            try:
                sent = conn.poll(0 if wait_for is None else _POLL_S)
                if sent:
                    kind, index, value = conn.recv()
            except (EOFError, OSError, ValueError):  # the child has gone: the parent reads the rest
                self._stopped()
                continue
            except Exception:  # an answer that could not be unpickled: that file is read here
                log.info("a file read ahead could not be taken; it is read again")
                self._stopped()
                continue
            if not sent:
                if wait_for is None:
                    return _MISSING
                if self._cancelled():
                    raise Cancelled()
                continue
            if kind == "ready":
                self._ready = True
                continue
            self._asked.discard(index)
            if index >= self._current:  # (one passed by meanwhile is not kept)
                self._answers[index] = (kind, value)

    def _stopped(self) -> None:
        log.info("the reading process stopped; the files left are read in turn")
        self.close()

    def close(self) -> None:
        """End the child (it is only reading: nothing of it is lost). Called however the import ends."""
        conn, process = self._conn, self._process
        reading = bool(self._asked)
        self._conn, self._process = None, None
        self._asked.clear()
        self._answers.clear()
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):
                conn.send(None)
            conn.close()
        if process is not None:
            if not reading:  # idle: it ends on being told to
                process.join(1)
            if process.is_alive():
                process.kill()
            process.join(5)
            self.exitcode = process.exitcode
            with contextlib.suppress(ValueError):
                process.close()

    def __enter__(self) -> ReadingAhead[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
