"""The bridge from the services' change notices (``desk.subscribe``) to one Qt signal.

A service call may run on a worker thread; the signal's receivers live in the main thread, so Qt
queues the delivery there. Screens connect to :attr:`ChangeBridge.changed` and refresh only when the
kinds of records named concern them. A screen that knows exactly which recommendations it touched
calls :meth:`note_refs` first, so the register refreshes those rows instead of reloading everything.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # the services (and SQLAlchemy) load after the window is on screen
    from pcc_desk.services import Desk
    from pcc_desk.vocabulary import ChangeKind


class ChangeBridge(QObject):
    # kinds: frozenset[ChangeKind], refs: frozenset[str] (empty: unknown)
    changed = Signal(object, object)

    def __init__(self, desk: Desk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._refs: set[str] = set()
        self._unsubscribe = desk.subscribe(self._heard)
        self.destroyed.connect(lambda *_: self._unsubscribe())

    def note_refs(self, *refs: str) -> None:
        """The next change notice concerns (only) these recommendations."""
        with self._lock:
            self._refs.update(r for r in refs if r)

    def _heard(self, kinds: frozenset[ChangeKind]) -> None:  # any thread
        with self._lock:
            refs, self._refs = frozenset(self._refs), set()
        self.changed.emit(kinds, refs)

    def rebind(self, desk: Desk) -> None:
        """Listen to a newly opened Desk instead (after a backup was restored); receivers stay connected."""
        self._unsubscribe()
        self._unsubscribe = desk.subscribe(self._heard)

    def close(self) -> None:
        self._unsubscribe()
