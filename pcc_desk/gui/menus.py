"""The main window's menus: File (imports, working offline, backups, settings), Edit (undo, the
record's actions), View (one entry a screen) and Help; each action also a shortcut of the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow

from pcc_desk.gui.offline import OfflineWork
from pcc_desk.gui.screens import SCREENS

if TYPE_CHECKING:
    from pcc_desk.gui.screens import Screen

    _Base = QMainWindow
else:
    _Base = object


class MenuBuilding(_Base):
    """Mixed into MainWindow (which has the slots the actions call)."""

    if TYPE_CHECKING:
        undo_stack: QUndoStack

        def import_letter(self) -> None: ...

        def import_letter_folder(self) -> None: ...

        def import_reply(self) -> None: ...

        def import_transcript(self) -> None: ...

        def open_backups(self) -> None: ...

        def open_settings(self) -> None: ...

        def new_recommendation(self) -> None: ...

        def save_current(self) -> None: ...

        def focus_search(self) -> None: ...

        def _detail_call(self, name: str) -> None: ...

        def show_screen(self, key: str) -> Screen | None: ...

        def about(self) -> None: ...

        def show_message(self, text: str) -> None: ...

    # --- menus -----------------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(_keys(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.import_letter_action = self._action(
            self.tr("Import &letter…"),
            self.import_letter,
            "Ctrl+I",
            tip=self.tr("Import a letter of the Committee (.docx, .pdf, .md)"),
        )
        self.import_folder_action = self._action(
            self.tr("Import letters from a &folder…"),
            self.import_letter_folder,
            tip=self.tr("Import every letter in a folder, each file on its own"),
        )
        self.import_reply_action = self._action(self.tr("Import a &reply…"), self.import_reply)
        self.import_transcript_action = self._action(
            self.tr("Import &transcript…"),
            self.import_transcript,
            "Ctrl+Shift+I",
            tip=self.tr("Import a meeting transcript"),
        )
        self.backups_action = self._action(
            self.tr("&Backups…"),
            self.open_backups,
            tip=self.tr("See, take and restore backups of the register"),
        )
        self.settings_action = self._action(
            self.tr("&Settings…"), self.open_settings, QKeySequence.StandardKey.Preferences
        )
        self.quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        letters = [self.import_letter_action, self.import_folder_action, self.import_reply_action]
        file_menu.addActions([*letters, self.import_transcript_action])
        file_menu.addSeparator()
        self.offline = OfflineWork(
            self
        )  # Work offline…, Sync, the conflicts (and the status bar's)
        file_menu.addActions(
            [
                self.offline.work_offline_action,
                self.offline.sync_action,
                self.offline.conflicts_action,
            ]
        )
        file_menu.addSeparator()
        file_menu.addActions([self.backups_action, self.settings_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts(_keys(QKeySequence.StandardKey.Undo))
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts(_keys("Ctrl+Shift+Z") + _keys("Ctrl+Y"))
        self.new_action = self._action(
            self.tr("&New recommendation…"), self.new_recommendation, "Ctrl+N"
        )
        self.save_action = self._action(
            self.tr("&Save"), self.save_current, QKeySequence.StandardKey.Save
        )
        self.find_action = self._action(
            self.tr("&Find"), self.focus_search, QKeySequence.StandardKey.Find
        )
        self.respond_action = self._action(
            self.tr("&Log response…"), lambda: self._detail_call("log_response"), "Ctrl+R"
        )
        self.status_action = self._action(
            self.tr("Change s&tatus…"), lambda: self._detail_call("change_status"), "Ctrl+T"
        )
        self.due_action = self._action(
            self.tr("Revise &due date…"), lambda: self._detail_call("revise_due"), "Ctrl+D"
        )
        for item in (
            self.undo_action,
            self.redo_action,
            None,
            self.new_action,
            self.save_action,
            self.find_action,
            None,
            self.respond_action,
            self.status_action,
            self.due_action,
        ):
            if item is None:
                edit_menu.addSeparator()
            else:
                edit_menu.addAction(item)

        view_menu = bar.addMenu(self.tr("&View"))
        self.view_actions: dict[str, QAction] = {}
        for spec in SCREENS:
            action = self._action(
                self.tr(spec.title), lambda key=spec.key: self.show_screen(key), spec.shortcut
            )
            action.setCheckable(True)
            view_menu.addAction(action)
            self.view_actions[spec.key] = action
        view_menu.addSeparator()
        self.expand_action = self._action(
            self.tr("E&xpand or collapse addressees"),
            self.expand_addressees,
            tip=self.tr("On the Register, each addressee of a joint ask on its own line, or not"),
        )
        view_menu.addAction(self.expand_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        self.about_action = self._action(self.tr("&About PCC Desk"), self.about)
        help_menu.addAction(self.about_action)

    def expand_addressees(self) -> None:
        """View → Expand or collapse addressees: the Register screen's button, from the menu."""
        button = getattr(self.show_screen("register"), "expand_button", None)
        if button is None:
            return
        if button.isEnabled():
            button.click()
        else:
            self.show_message(self.tr("No recommendation here has more than one addressee."))


def _keys(shortcut: str | QKeySequence.StandardKey) -> list[QKeySequence]:
    """A shortcut's key sequences ("Ctrl+I"; a standard key: each of the platform's bindings). Made
    without an overloaded call: PySide would look at Qt's namespace to choose the overload, which is
    made on first use (~17 ms) and waits until the window is on screen."""
    if isinstance(shortcut, str):
        return [QKeySequence.fromString(shortcut)]
    return QKeySequence.keyBindings(shortcut)
