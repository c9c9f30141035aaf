"""Long work off the UI thread: the one helper every screen uses.

``TaskRunner.run(fn, on_done=...)`` runs ``fn(token, progress)`` on the global QThreadPool. The callable
gets a :class:`CancelToken` to check and a ``progress(done, total)`` callback; it must not touch any
widget. Its result (or its error) comes back to the main thread by a queued signal. While work runs,
the runner shows a progress bar and a Cancel button in the window's status bar.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from pcc_desk.errors import Cancelled


class CancelToken:
    """Shared between the UI and a worker: the worker calls :meth:`check` between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("Cancelled; nothing was saved.")


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


def _run_job(fn: Callable[..., Any], token: CancelToken, signals: _Signals) -> None:
    """Runs on a pool thread: no widgets here; the outcome goes back by (queued) signal."""
    try:
        result = fn(token, signals.progressed.emit)
    except BaseException as exc:  # handed to the main thread, never lost
        outcome, value = signals.failed, exc
    else:
        outcome, value = signals.done, result
    with contextlib.suppress(RuntimeError):  # the window that asked was closed: nobody is waiting
        outcome.emit(value)


class Task(QObject):
    """A handle on one piece of running work."""

    finished = Signal(object)  # result
    failed = Signal(object)  # exception
    progressed = Signal(int, int)

    def __init__(self, label: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.token = CancelToken()
        self.running = True

    def cancel(self) -> None:
        self.token.cancel()


class TaskRunner(QObject):
    """Runs callables on a thread pool (or inline, ``synchronous=True``, for tests)."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._pool = QThreadPool.globalInstance()
        self._running: dict[Task, _Signals] = {}

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(
        self,
        fn: Callable[[CancelToken, Callable[[int, int], None]], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        label: str = "",
    ) -> Task:
        task = Task(label, self)
        if on_done is not None:
            task.finished.connect(on_done)
        if on_error is not None:
            task.failed.connect(on_error)
        if self.synchronous:
            try:
                result = fn(task.token, lambda done, total: task.progressed.emit(done, total))
            except Exception as exc:
                task.running = False
                task.failed.emit(exc)
            else:
                task.running = False
                task.finished.emit(result)
            return task
        signals = _Signals()  # lives in the main thread: its signals arrive there, queued
        signals.done.connect(lambda result, t=task: self._finish(t, result, None))
        signals.failed.connect(lambda exc, t=task: self._finish(t, None, exc))
        signals.progressed.connect(task.progressed)
        was_busy = self.busy
        self._running[task] = signals
        if not was_busy:
            self.busy_changed.emit(True)
        # a plain callable: PySide wraps it in a QRunnable that it owns (no Python object deleted by C++)
        self._pool.start(functools.partial(_run_job, fn, task.token, signals))
        return task

    def _finish(self, task: Task, result: Any, error: BaseException | None) -> None:
        self._running.pop(task, None)
        task.running = False
        # the screen that asked may have been closed (and its Task deleted with it) while the work ran:
        # then nobody is waiting for the answer
        with contextlib.suppress(RuntimeError):
            if error is not None:
                task.failed.emit(error)
            else:
                task.finished.emit(result)
        with contextlib.suppress(RuntimeError):
            if not self.busy:
                self.busy_changed.emit(False)

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)


class TaskProgress(QWidget):
    """The status bar's progress bar and Cancel button for the runner's work."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(160)
        self.bar.setAccessibleName(self.tr("Progress of the work in hand"))
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel the work in hand"))
        self.cancel_button.clicked.connect(runner.cancel_all)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        runner.busy_changed.connect(self.setVisible)
        self.setVisible(False)

    def track(self, task: Task) -> None:
        self.label.setText(task.label)
        self.bar.setRange(0, 0)  # busy until the task reports numbers
        task.progressed.connect(self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
