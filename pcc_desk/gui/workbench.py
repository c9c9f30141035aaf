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
