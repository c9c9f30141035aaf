"""Other clerks' changes on an open screen, without a restart: the window polls the journal.

Every few seconds (:data:`INTERVAL_MS`) a worker thread asks the register for journal rows newer
than the last one seen that this window's Desk did not write
(:func:`pcc_desk.services.versions.changes_by_others`: one indexed look-up of the journal's highest
number when nothing changed). What it finds goes out as an ordinary change notice on the window's
:class:`~pcc_desk.gui.changes.ChangeBridge`, so every screen refreshes as it does after the clerk's
own changes (a form with unsaved edits keeps them; saving them then meets the version check).

Polling rather than PostgreSQL's LISTEN/NOTIFY: it works the same on a laptop's file (another
window, a ``pcc-desk`` command) and on a team register, needs no connection held open per window,
and a server that cannot be reached only means a poll that finds nothing (the next one tries again).
"""

from __future__ import annotations

import contextlib
import functools
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from pcc_desk import lazy

if TYPE_CHECKING:
    from pcc_desk.gui.workbench import Workbench
    from pcc_desk.services import versions
else:  # the window is on screen before SQLAlchemy loads
    versions = lazy.module("pcc_desk.services.versions")

log = logging.getLogger(__name__)

INTERVAL_MS = 3000


class _Answer(QObject):
    found = Signal(object)  # OthersChanges, or None when the poll failed


def _poll(bench: Workbench, since: int | None, answer: _Answer) -> None:  # a worker thread
    try:
        found = versions.changes_by_others(bench.desk, since)
    except Exception as exc:  # an unreachable server, a busy file: try again next time
        log.info("polling the journal failed (%s)", type(exc).__name__)
        found = None
    with contextlib.suppress(RuntimeError):  # the window closed meanwhile
        answer.found.emit(found)


class JournalWatch(QObject):
    """Polls the journal for other Desks' changes and tells the window's screens of them."""

    def __init__(self, bench: Workbench, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bench = bench
        self.seen: int | None = None  # the last journal row accounted for
        self._asking = False
        self._answer = _Answer(self)
        self._answer.found.connect(self._found)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        try:  # the starting point: the journal's highest number now (one indexed look-up)
            self.seen = versions.changes_by_others(bench.desk, None).seq
        except Exception as exc:  # the first poll will take it
            log.info("reading the journal failed (%s)", type(exc).__name__)

    def poll(self) -> None:
        if self._asking:
            return
        self._asking = True
        QThreadPool.globalInstance().start(
            functools.partial(_poll, self.bench, self.seen, self._answer)
        )

    def _found(self, found) -> None:
        self._asking = False
        if found is None:
            return
        started = self.seen is not None
        if started and found.seq < self.seen:  # another register now (a backup restored)
            self.seen = found.seq
            return
        self.seen = found.seq
        if started and found.kinds:
            self.bench.changes.changed.emit(found.kinds, found.refs)

    def stop(self) -> None:
        self.timer.stop()
