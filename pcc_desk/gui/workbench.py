"""What every screen and dialog is handed: the open register and the window's shared helpers.

Screens get a :class:`Workbench` instead of reaching for the main window: the desk (services only),
the one task runner, the undo stack, the change bridge, and a place to report errors and messages.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from pcc_desk.errors import Cancelled
from pcc_desk.gui.changes import ChangeBridge
from pcc_desk.gui.errors import show_error, worded
from pcc_desk.gui.tasks import Task, TaskProgress, TaskRunner

if TYPE_CHECKING:  # the services (and SQLAlchemy) load after the window is on screen
    from pcc_desk.services import Desk


@dataclass
class Workbench:
    desk: Desk
    tasks: TaskRunner
    undo: QUndoStack
    changes: ChangeBridge
    window: QWidget | None = None
    progress: TaskProgress | None = None
    message: Callable[[str], None] = field(default=lambda _text: None)

    def run(
        self,
        fn: Callable,
        on_done: Callable[[Any], None],
        *,
        label: str = "",
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """Run ``fn(token, progress)`` off the UI thread; errors become a message in the window."""
        task = self.tasks.run(
            fn, on_done=on_done, on_error=on_error or self.report_error, label=label
        )
        if self.progress is not None and task.running:
            self.progress.track(task)
        return task

    def report_error(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            self.message(str(error))
            return
        one_line = worded(error, self.desk.location.url)
        if one_line is None:
            sys.excepthook(type(error), error, error.__traceback__)
            return
        show_error(self.window, one_line)


class Newest:
    """A screen's reading that may be asked for again before the last one has answered (a change
    came in, the clerk moved a choice): only the newest run's answer, or error, is handed on.

    Runs go on the pool side by side and may finish in any order; each new run makes the earlier
    ones stale (and cancels them: they stop at their next check), and a stale answer is dropped, so
    the screen never shows an older reading over a newer one. ``quiet``: no progress bar (work the
    clerk did not ask for, such as a preview kept up to date as they type)."""

    def __init__(self, bench: Workbench, *, quiet: bool = False) -> None:
        self.bench = bench
        self.quiet = quiet
        self.task: Task | None = None  # the newest run, while it runs
        self._generation = 0

    @property
    def running(self) -> bool:
        return self.task is not None

    def drop(self) -> None:
        """Make the runs so far stale: their answers will be dropped."""
        if self.task is not None:
            self.task.cancel()
            self.task = None
        self._generation += 1

    def run(
        self,
        fn: Callable,
        on_done: Callable[[Any], None],
        *,
        label: str = "",
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        self.drop()
        generation = self._generation

        def finish(handler: Callable[[Any], None], value: Any) -> None:
            if generation == self._generation:  # else a newer run is on its way: this one is stale
                self.task = None
                handler(value)

        failed = on_error or self.bench.report_error
        start = self.bench.tasks.run if self.quiet else self.bench.run
        task = start(
            fn,
            on_done=lambda result: finish(on_done, result),
            on_error=lambda error: finish(failed, error),
            label=label,
        )
        if generation == self._generation and task.running:  # (a synchronous run is over already)
            self.task = task
        return task
