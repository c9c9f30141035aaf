"""Working offline in the window: File → Work offline…, and on a laptop copy the Sync button (File
menu and toolbar), the status bar's "3 changes not yet synced" / "Synced 14:02" and its "2 conflicts"
link, and the conflicts dialog.

The status is read off the screen's thread after every change notice (the clerk's own changes, a
colleague's seen by the journal's poll, a switch of register) and after every sync
(:func:`pcc_desk.services.offline.status`). A sync runs off the screen's thread too; the changes it
brings down are applied through the services on the window's register, so their change notices
reload the screens as the clerk's own do; if it found conflicts the conflicts dialog opens. A sync that
fails says why in one line (the server cannot be reached, the schemas differ, a change was refused);
a password the server asks for and the keyring does not have is asked for, and kept.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar

from pcc_desk import lazy
from pcc_desk.errors import LoginRefused
from pcc_desk.gui import register_choice
from pcc_desk.gui.errors import show_error, worded
from pcc_desk.gui.workbench import Newest

if TYPE_CHECKING:
    from pcc_desk.gui.main_window import MainWindow
    from pcc_desk.services import offline
else:  # the window is on screen before SQLAlchemy loads
    offline = lazy.module("pcc_desk.services.offline")

log = logging.getLogger(__name__)

CONFLICTS_LINK = "conflicts"


class OfflineWork(QObject):
    """The window's offline actions and status-bar label (made with the menus, before a register
    is attached; :meth:`attach` hands it the workbench)."""

    status_changed = Signal(object)  # SyncStatus

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = cast("MainWindow", window)
        self.status = None  # the last SyncStatus read
        self.synced_at: dt.datetime | None = None  # this window's last sync (local time)
        self.syncing = False
        self._typed_password: str | None = None
        self._reading: Newest | None = None  # once a register is attached

        self.work_offline_action = QAction(self.tr("Work &offline…"), window)
        self.work_offline_action.setStatusTip(
            self.tr("Make a copy of the team register on this computer, to work with no connection")
        )
        self.work_offline_action.triggered.connect(lambda _=False: self.work_offline())
        self.sync_action = QAction(self.tr("S&ync"), window)
        self.sync_action.setStatusTip(
            self.tr("Send this laptop copy's changes to the team register and bring theirs down")
        )
        self.sync_action.setShortcuts([QKeySequence.fromString("Ctrl+Shift+Y")])  # (see menus._key)
        self.sync_action.triggered.connect(lambda _=False: self.sync_now())
        self.conflicts_action = QAction(self.tr("Sync &conflicts…"), window)
        self.conflicts_action.triggered.connect(lambda _=False: self.show_conflicts())
        for action in (self.work_offline_action, self.sync_action, self.conflicts_action):
            window.addAction(action)
        self.toolbar = QToolBar(self.tr("Sync"), window)
        self.toolbar.setObjectName("sync-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addAction(self.sync_action)
        window.addToolBar(self.toolbar)
        self.label = QLabel(window)
        self.label.setAccessibleName(self.tr("Sync with the team register"))
        self.label.linkActivated.connect(self._link)
        window.statusBar().addPermanentWidget(self.label)
        self._show(None)

    @property
    def bench(self):
        return self.window.bench

    def attach(self) -> None:
        """The window has its register: follow its changes (the bridge stays across a switch)."""
        self._reading = Newest(self.bench, quiet=True)
        self.bench.changes.changed.connect(lambda *_: self.refresh())
        self.refresh()

    # --- the status ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the status again, off the screen's thread (a newer reading makes an older one's
        answer stale)."""
        if self._reading is None:
            return
        desk = self.bench.desk  # the register open now (a switch hands the window another)
        self._reading.run(
            lambda _token, _progress: offline.status(desk),
            on_done=self._show,
            on_error=self._not_read,
        )

    def _not_read(self, error: BaseException) -> None:
        # a busy file, or the register closed by a switch meanwhile: the next change asks again
        log.info("reading the sync status failed (%s)", type(error).__name__)

    def _show(self, found) -> None:
        self.status = found
        copy = found is not None and found.laptop_copy
        for widget in (self.toolbar, self.label):
            widget.setVisible(copy)
        self.sync_action.setEnabled(copy and not self.syncing)
        self.conflicts_action.setEnabled(copy)
        if copy:
            self.label.setText(self.describe(found))
            self.label.setToolTip(self.tr("A laptop copy of the team register at %s") % found.host)
        if found is not None:
            self.status_changed.emit(found)

    def describe(self, found) -> str:
        """The status bar's words: what is not yet synced (or when it last was), and the conflicts."""
        if self.syncing:
            text = self.tr("Syncing…")
        elif found.pending == 1:
            text = self.tr("1 change not yet synced")
        elif found.pending:
            text = self.tr("%d changes not yet synced") % found.pending
        elif self.synced_at is not None:
            text = self.tr("Synced %s") % self.synced_at.strftime("%H:%M")
        else:
            text = self.tr("No changes to sync")
        if found.conflicts:
            link = (
                self.tr("1 conflict")
                if found.conflicts == 1
                else self.tr("%d conflicts") % found.conflicts
            )
            text += f' · <a href="{CONFLICTS_LINK}">{link}</a>'
        if found.not_sent:  # refused by the team register: listed in the same dialog
            text += f' · <a href="{CONFLICTS_LINK}">{self.tr("%d not sent") % found.not_sent}</a>'
        return text

    def _link(self, target: str) -> None:
        if target == CONFLICTS_LINK:
            self.show_conflicts()

    # --- the actions ---------------------------------------------------------------------------------

    def work_offline(self) -> None:
        if self.bench is None:
            return
        from pcc_desk.gui.dialogs.work_offline import WorkOfflineDialog

        WorkOfflineDialog(self.bench, self.window).exec()

    def sync_now(self):
        """Sync this laptop copy off the screen's thread (nothing when it is not one, or a sync is
        running). Returns the task."""
        if self.bench is None or self.syncing:
            return None
        if self.status is None or not self.status.laptop_copy:
            self.window.show_message(
                self.tr(
                    "This register is not a laptop copy: there is nothing to sync "
                    "(File → Work offline… makes one)."
                )
            )
            return None
        self.syncing = True
        self._show(self.status)
        desk, password = self.bench.desk, self._typed_password

        def work(token, _progress):  # Cancel stops it between two rows (each its own transaction)
            return offline.sync_now(desk, password=password, cancel=token.check)

        task = self.bench.run(
            work,
            on_done=self._synced,
            on_error=self._failed,
            label=self.tr("Syncing with the team register…"),
        )
        return task

    def _synced(self, outcome) -> None:
        self.syncing = False
        self._typed_password = None
        self.synced_at = dt.datetime.now()
        if self.status is not None:
            self._show(replace(self.status, pending=outcome.pending, conflicts=outcome.conflicts))
        self.window.show_message(outcome.result.message)
        self.refresh()  # (the changes it brought down reload the screens, as a colleague's do)
        if outcome.result.refused:  # changes the team register would not take: one line each
            show_error(self.window, "\n".join(outcome.result.refused))
        if outcome.new_conflicts:
            self.show_conflicts()

    def _failed(self, error: BaseException) -> None:
        self.syncing = False
        self._show(self.status)
        one_line = worded(error, self.status.server if self.status else None)
        if isinstance(one_line, LoginRefused) and not self.window.isHidden():
            typed = register_choice.ask_password(self.window, str(one_line))
            if typed is not None:
                self._typed_password = typed
                self.sync_now()
                return
        self.refresh()  # what was sent before the failure is sent
        self.bench.report_error(one_line or error)

    def show_conflicts(self) -> None:
        if self.bench is None:
            return
        from pcc_desk.gui.dialogs.sync_conflicts import SyncConflictsDialog

        dialog = SyncConflictsDialog(self.bench, self.window)
        dialog.resolved.connect(lambda *_: self.refresh())
        dialog.exec()
        self.refresh()
