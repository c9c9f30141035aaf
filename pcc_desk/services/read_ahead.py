"""The register's table read from its SQLite file on a thread of its own, from the moment the desktop
is launched: while Qt's widgets, the screens, SQLAlchemy and the services are still being imported,
and while the file's health check runs.

Reading only: a read-only connection, no lock taken, nothing written. What was read is used only if
the file is at this version's schema (nothing to migrate) and has not changed since the reading began
(its size and time, and its write-ahead log's: :meth:`ReadAhead.still_current`). Anything that goes
wrong reading it (a damaged file, one from another version, an odd value) leaves no table, and the
register's rows are then loaded as usual once it is open.

The reading is in two parts. SQLite's (:func:`pcc_desk.services.register_file.fetch_register`: each
part as one JSON text) lets Python's other threads run, so the start-up's imports go on meanwhile.
Python's (making the values of the texts) would hold up the window going on screen, so it waits for
:meth:`ReadAhead.go_on` (the window is shown), or for the table to be asked for.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from pcc_desk.services import maintenance, register_file

log = logging.getLogger(__name__)

Stamp = tuple[tuple[int, int] | None, ...]


class ReadAhead:
    """Starts reading the table of the register at ``path`` (when there is a file there)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.table: register_file.RegisterTable | None = None
        self._stamp = file_stamp(path)
        self._go_on = threading.Event()
        self._thread: threading.Thread | None = None
        if self._stamp is not None and self._stamp[0] is not None:
            self._thread = threading.Thread(
                target=self._read, name="pcc-desk-read-ahead", daemon=True
            )
            self._thread.start()

    def _read(self) -> None:
        try:
            # (the file is closed after it; still_current() sees whether it changed meanwhile)
            fetched = register_file.fetch_register(self.path, first_look=True)
            if not fetched.current:  # (an older file is migrated first; a newer one refused)
                return
            self._go_on.wait()
            self.table = register_file.table_of(fetched)
        except Exception:  # sqlite3.Error, a value of the wrong kind...: loaded once open
            log.info("the register was not read ahead; it loads once open")

    def go_on(self) -> None:
        """Python's part of the reading may go on (the window is on screen)."""
        self._go_on.set()

    def wait(self) -> None:
        """Until the reading is over (the file is closed by then)."""
        self._go_on.set()
        if self._thread is not None:
            self._thread.join()

    def still_current(self) -> bool:
        """Wait for the reading; True when it gave a table and the file has not changed since it
        began."""
        self.wait()
        return self.table is not None and file_stamp(self.path) == self._stamp

    def drop(self) -> None:
        """Not to be used (e.g. the file is to be migrated or recovered): waits until the file is
        closed, and forgets the table."""
        self.wait()
        self.table = None


def file_stamp(path: Path) -> Stamp | None:
    """Size and time of the file and of its write-ahead log (an empty one, which a reader may create,
    counts as none); None when they cannot be read."""
    stamp: list[tuple[int, int] | None] = []
    for part in (path, maintenance.sidecars(path)[0]):
        try:
            info = part.stat()
        except FileNotFoundError:
            stamp.append(None)
            continue
        except OSError:
            return None
        stamp.append((info.st_size, info.st_mtime_ns) if info.st_size else None)
    return tuple(stamp)
