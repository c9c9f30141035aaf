"""Errors as a clear message in the window, never a traceback.

Expected errors (:class:`PccError`) are shown with their one-line message, and so is a database error
that no service put into words (:func:`worded`: a broken rule of the schema, a driver's error; its
own text, which may hold casework, is neither shown nor logged). Anything else reaching
``sys.excepthook`` is logged locally (the exception's type and where it happened, never its message
or any casework text) and the clerk sees a polite dialog.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from pcc_desk.errors import PccError

log = logging.getLogger("pcc_desk.gui")

LOG_NAME = "pcc-desk-errors.log"


def worded(error: BaseException, db: str | None = None) -> PccError | None:
    """The one-line error a clerk reads for ``error``: itself when it is a :class:`PccError`, the
    services' wording of a database error, or None (a bug: the polite dialog and the local log)."""
    if isinstance(error, PccError):
        return error
    if "sqlalchemy" not in sys.modules:  # no database yet: it cannot be a database error
        return None
    from pcc_desk.services import failures  # (loaded already: SQLAlchemy is)

    return failures.explain(error, db)


@contextlib.contextmanager
def in_words(db: str | None = None) -> Iterator[None]:
    """Inside the block, a database error no service worded is raised as its one-line
    :class:`PccError` instead (so that ``except PccError`` shows it where the clerk is working)."""
    try:
        yield
    except PccError:
        raise
    except Exception as error:
        one_line = worded(error, db)
        if one_line is None:
            raise
        raise one_line from None


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

    def __init__(self, log_dir: Path | Callable[[], Path], register: str | None = None) -> None:
        self._log_dir = log_dir  # a callable is asked only when something goes wrong
        self.register = register  # the open register's address (names a team register's server)
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
        one_line = worded(exc, self.register)
        if one_line is not None:
            show_error(parent, one_line)
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


def register_opened(url: str) -> None:
    """Tell the installed hook which register is open (its errors then name a server's host)."""
    if isinstance(sys.excepthook, ExceptHook):
        sys.excepthook.register = url
