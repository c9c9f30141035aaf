"""Backups while the app runs: the Qt side of :class:`pcc_desk.backup.BackupPolicy`.

The policy decides (after changes, at most every 30 minutes, on exit, only when something changed);
this scheduler only gives it the chances to: a short while after each change the register reports
(``desk.subscribe``, through the window's change bridge), and on a slow timer, so that a change made
inside the 30 minutes is backed up once they have passed. A backup that fails is a warning in the
status bar, never a crash; the older backups are kept.

:func:`restore_backup` puts a backup in place of the open register: the Desk is closed first, the
service sets the current file aside (never deleting it) and copies the backup in, then the register is
opened again and every screen refreshed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from pcc_desk.errors import PccError
from pcc_desk.services import maintenance
from pcc_desk.services.maintenance import BackupPolicy
from pcc_desk.vocabulary import ChangeKind

if TYPE_CHECKING:
    from pcc_desk.gui.workbench import Workbench

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 60_000  # the policy itself keeps backups 30 minutes apart
AFTER_CHANGE_MS = 3_000  # a burst of changes (an import, a few edits) makes one backup


class BackupScheduler(QObject):
    taken = Signal(object)  # BackupInfo
    failed = Signal(str)  # the one-line message

    def __init__(
        self,
        bench: Workbench,
        parent: QObject | None = None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.bench = bench
        self._clock = clock
        self.policy = self._new_policy()
        self.after_change = QTimer(self)
        self.after_change.setSingleShot(True)
        self.after_change.setInterval(AFTER_CHANGE_MS)
        self.after_change.timeout.connect(self.check)
        self.ticker = QTimer(self)
        self.ticker.setInterval(CHECK_EVERY_MS)
        self.ticker.timeout.connect(self.check)
        bench.changes.changed.connect(self._on_changed)
        if self.policy.enabled:
            self.ticker.start()

    def _new_policy(self):
        if self._clock is None:
            return BackupPolicy(self.bench.desk)
        return BackupPolicy(self.bench.desk, clock=self._clock)

    @property
    def enabled(self) -> bool:
        return self.policy.enabled

    def _on_changed(self, _kinds, _refs) -> None:
        if self.policy.enabled:
            self.after_change.start()  # (re)started: one backup after a burst of changes

    def check(self):
        """Give the policy its chance; returns the backup taken, if one was."""
        try:
            info = self.policy.maybe_backup()
        except PccError as error:
            self._failed(error)
            return None
        except OSError as error:  # e.g. the backups folder vanished under us
            self._failed(
                PccError(
                    f"A backup could not be written ({error.strerror or error}); older backups were kept."
                )
            )
            return None
        if info is not None:
            self.taken.emit(info)
        return info

    def backup_now(self):
        """File → Backups → Back up now: raises :class:`PccError` for the dialog to show."""
        info = self.policy.backup_now()
        self.taken.emit(info)
        return info

    def _failed(self, error: PccError) -> None:
        log.warning("automatic backup failed")
        self.failed.emit(str(error))

    def on_exit(self) -> None:
        """The window closes: a last backup if anything changed since the last one."""
        self.after_change.stop()
        self.ticker.stop()
        try:
            self.policy.on_exit()
        except PccError as error:
            self._failed(error)
        except OSError:
            log.warning("backup on exit failed")

    def suspend(self) -> None:
        """Stop, and let go of the register file (before a restore)."""
        self.after_change.stop()
        self.ticker.stop()
        self.policy.close()

    def resume(self) -> None:
        """Start again on the (re)opened register."""
        self.policy = self._new_policy()
        if self.policy.enabled:
            self.ticker.start()


def restore_backup(window, backup_path: Path):
    """Put ``backup_path`` in place of the window's register and reopen it; returns the service's
    :class:`pcc_desk.services.maintenance.Recovery`. On failure the register in use before is reopened and the
    :class:`PccError` raised for the caller to show."""
    from pcc_desk.services import Desk  # SQLAlchemy: after the window is up

    bench: Workbench = window.bench
    old = bench.desk
    location = old.location
    window.runner.cancel_all()
    window.runner.wait(30_000)
    scheduler = getattr(window, "backups", None)
    if scheduler is not None:
        scheduler.suspend()
    old.close()
    try:
        recovery = maintenance.restore_backup(location, backup_path)
    except PccError:
        reopen_in_window(window, Desk.open(location, allow_unsafe_location=True))
        raise
    reopen_in_window(
        window, Desk.open(location, allow_unsafe_location=True)
    )  # (the clerk already chose this place)
    return recovery


def reopen_in_window(window, desk) -> None:
    """Hand the window a newly opened Desk on the same register: every screen reloads."""
    bench: Workbench = window.bench
    bench.desk = desk
    bench.changes.rebind(desk)
    bench.undo.clear()  # what could be undone belonged to the register as it was
    scheduler = getattr(window, "backups", None)
    if scheduler is not None:
        scheduler.resume()
    # a restore changed everything: every screen reloads
    bench.changes.changed.emit(frozenset(ChangeKind), frozenset())
    for screen in getattr(
        window, "screens", {}
    ).values():  # a recommendation on show is read again too
        detail = getattr(screen, "detail", None)
        if detail is not None and hasattr(detail, "refresh"):
            detail.refresh()
