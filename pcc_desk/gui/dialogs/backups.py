"""File → Backups…: the register's backups with their dates and kinds; back up now, restore one, show the folder.

Restoring asks first, then (through :func:`pcc_desk.gui.backups.restore_backup`) closes the register,
sets the current file aside under a dated name (never deleted), copies the backup in, reopens the
register and refreshes every screen.
"""

from __future__ import annotations

# Qt's namespace through QtCore, where it is used: it is made on first use (~17 ms), after the
# window is on screen
from PySide6 import QtCore
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.errors import PccError
from pcc_desk.gui.backups import restore_backup
from pcc_desk.gui.errors import show_error
from pcc_desk.services import maintenance

KIND_WORDS = {"auto": "Automatic", "on-exit": "On closing", "manual": "Asked for"}


def kind_of(label: str) -> str:
    """The backup's label in words ("before-migration-from-0001" → "Before an upgrade")."""
    if label.startswith("before-migration"):
        return "Before an upgrade (kept)"
    return KIND_WORDS.get(label, label.replace("-", " ").capitalize())


def ask_restore(parent: QWidget, when: str) -> bool:
    """The confirmation before a restore (a module function, so that tests can answer it)."""
    answer = QMessageBox.question(
        parent,
        parent.tr("Restore a backup"),
        parent.tr(
            "Put the backup of %s in place of the register?\n\nEverything entered since then will no longer "
            "be in the register. The current file is not deleted: it is kept beside the register under a "
            "dated name."
        )
        % when,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class BackupsDialog(QDialog):
    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.setWindowTitle(self.tr("Backups"))
        self.backups: list = []
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Taken"), self.tr("Kind"), self.tr("Size")])
        self.table.setAccessibleName(self.tr("Backups of the register"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents
            )
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("&Back up now"), self)
        self.restore_button = QPushButton(self.tr("&Restore…"), self)
        self.folder_button = QPushButton(self.tr("Show &folder"), self)
        for button in (self.backup_button, self.restore_button, self.folder_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(self.show_folder)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.resize(560, 420)
        self.refresh()

    @property
    def location(self):
        return self.window_.bench.desk.location

    def refresh(self) -> None:
        location = self.location
        self.intro.setText(
            self.tr(
                "Backups are taken while you work (after changes, at most every 30 minutes), "
                "when you close PCC Desk, and before an upgrade; each is checked before older "
                "ones are removed. They are kept in:\n%s"
            )
            % location.backups_dir
        )
        try:
            self.backups = maintenance.list_backups(location)
        except PccError as error:
            self.backups = []
            self.intro.setText(str(error))
        self.table.setRowCount(len(self.backups))
        for n, info in enumerate(self.backups):
            cells = (info.describe(), self.tr(kind_of(info.label)), _size(info.size))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(info.path.name)
                self.table.setItem(n, col, item)
        if self.backups:
            self.table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)
        self.backup_button.setEnabled(self.location.path is not None)

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.backups):
            return None
        return self.backups[rows[0].row()]

    def back_up_now(self) -> None:
        scheduler = getattr(self.window_, "backups", None)
        try:
            if scheduler is not None:
                info = scheduler.backup_now()
            else:
                info = maintenance.take_backup(self.location, "manual")
        except PccError as error:
            show_error(self, error)
            return
        self.refresh()
        self.window_.show_message(self.tr("Backed up (%s).") % info.describe())

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        if any(
            screen.has_unsaved_changes() for screen in getattr(self.window_, "screens", {}).values()
        ):
            show_error(
                self,
                self.tr("Save or discard the changes you are making first; nothing was restored."),
            )
            return
        if not ask_restore(self, info.describe()):
            return

        try:
            recovery = restore_backup(self.window_, info.path)
        except PccError as error:
            show_error(self, error)
            self.refresh()
            return
        self.refresh()
        self.window_.show_message(
            self.tr("Restored the backup of %s. %s") % (info.describe(), recovery.describe())
        )

    def show_folder(self) -> None:
        folder = self.location.backups_dir
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _size(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    return f"{max(size, 1) / 1024:.0f} KB"
