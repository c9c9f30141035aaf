"""The whole-file check running in the background of an open register, as the window shows it:
"Checking the register…" in the status bar while it runs, a busy cursor while a save made in the
window's own thread waits for it, and the clerk told at once if it finds damage."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

# Qt's namespace through QtCore, where it is used: it is made on first use (~17 ms), after the
# window is on screen
from PySide6 import QtCore
from PySide6.QtCore import QObject, QThread, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from pcc_desk.gui import prompts


class CheckIndicator(QObject):
    """Owns the status bar's "Checking the register…" label for ``window``."""

    def __init__(self, window: QMainWindow, warn) -> None:
        super().__init__(window)
        self.window = window
        self.warn = warn  # shows a lasting warning in the status bar
        self.label = QLabel(self.tr("Checking the register…"), window)
        self.label.setObjectName("checking-label")
        self.label.setToolTip(
            self.tr(
                "PCC Desk is reading the whole file to make sure it is sound. You can read and "
                "search meanwhile; a change you save waits until the check is done, then is saved."
            )
        )
        self.label.hide()
        window.statusBar().addPermanentWidget(self.label)
        self._timer: QTimer | None = None

    def watch(self, desk) -> None:
        """Show the label while ``desk``'s check runs (writes wait for it meanwhile)."""
        gate = desk.checking
        self._stop()
        if gate is None:
            self.label.hide()
            return
        gate.while_waiting = self.waiting
        if not gate.checking:
            self._done(gate)
            return
        self.label.show()
        timer = QTimer(self)
        timer.setInterval(100)

        def poll() -> None:
            if not gate.checking:
                self._done(gate)

        timer.timeout.connect(poll)
        timer.start()
        self._timer = timer

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _done(self, gate) -> None:
        self._stop()
        self.label.hide()
        if gate.problem:
            text = (
                self.tr(
                    "%s Nothing has been saved since it was opened, and nothing can be saved now. "
                    "Close PCC Desk and start it again to be offered the newest good backup; the "
                    "damaged file is kept."
                )
                % gate.problem
            )
            self.warn(gate.problem)
            prompts.tell_damage_found(self.window, text)

    @contextlib.contextmanager
    def waiting(self) -> Iterator[None]:
        """A save made in the window's own thread while the check runs: it waits, visibly."""
        if QThread.currentThread() is not self.thread():
            yield  # a background task: it simply waits
            return
        self.label.setText(self.tr("Checking the register… your change is saved when it is done"))
        self.label.show()
        self.label.repaint()
        QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            yield
        finally:
            QApplication.restoreOverrideCursor()
            self.label.setText(self.tr("Checking the register…"))
