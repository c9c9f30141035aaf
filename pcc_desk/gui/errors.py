"""Errors as a clear message in the window, never a traceback.

Expected errors (:class:`PccError`) are shown with their one-line message. Anything else reaching
``sys.excepthook`` is logged locally (the exception's type and where it happened, never its message
or any casework text) and the clerk sees a polite dialog.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from pcc_desk.errors import PccError

log = logging.getLogger("pcc_desk.gui")

LOG_NAME = "pcc-desk-errors.log"


def show_error(parent: QWidget | None, error: BaseException | str, title: str = "") -> None:
    """A PccError's one-line message (or the given text) in a warning box."""
    text = (
        str(error)
        if isinstance(error, (PccError, str))
        else QApplication.translate("errors", "That did not work. Nothing was changed.")
    )
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        title or QApplication.translate("errors", "PCC Desk"),
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setAccessibleName(QApplication.translate("errors", "Error message"))
    box.exec()


def describe_for_log(exc_type, exc, tb) -> str:
    """The exception type and the frames (file, line, function): no message, no locals."""
    frames = traceback.extract_tb(tb)
    lines = [f"{dt.datetime.now().isoformat(timespec='seconds')} unexpected {exc_type.__name__}"]
    lines += [f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames]
    return "\n".join(lines) + "\n"


class ExceptHook:
    """Installed as ``sys.excepthook`` by the app."""

    def __init__(self, log_dir: Path | Callable[[], Path]) -> None:
        self._log_dir = log_dir  # a callable is asked only when something goes wrong
        self.showing = False

    @property
    def log_path(self) -> Path:
        folder = self._log_dir() if callable(self._log_dir) else self._log_dir
        return Path(folder) / LOG_NAME

    def __call__(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        parent = QApplication.activeWindow()
        if isinstance(exc, PccError):
            show_error(parent, exc)
            return
        log_path = self.log_path
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(log_path, "a", encoding="utf-8") as handle:
                handle.write(describe_for_log(exc_type, exc, tb))
        except OSError:
            pass
        log.error("unexpected %s (logged to %s)", exc_type.__name__, self.log_path)
        if self.showing or QApplication.instance() is None:
            return
        self.showing = True
        try:
            QMessageBox.critical(
                parent,
                QApplication.translate("errors", "PCC Desk: something went wrong"),
                QApplication.translate(
                    "errors",
                    "Something unexpected went wrong. Your register is safe: every change is saved in one "
                    "step or not at all.\n\nA note for support (without any casework text) was written to\n%s",
                )
                % self.log_path,
            )
        finally:
            self.showing = False


def install_excepthook(log_dir: Path | Callable[[], Path]) -> ExceptHook:
    hook = ExceptHook(log_dir)
    sys.excepthook = hook
    return hook
