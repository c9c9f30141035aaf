"""The main window: a navigation list beside a stack of screens, the menus, the status bar.

It wires; it does not do casework. Each screen lives in its own module (``pcc_desk/gui/screens``) and
is built the first time it is shown. Window state (size, splitters, last view) is kept in QSettings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

# Qt's namespace through QtCore, where it is used: it is made on first use (~17 ms), after the
# window is on screen
from PySide6 import QtCore
from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pcc_desk import __version__, lazy
from pcc_desk.gui import prompts, state
from pcc_desk.gui.backups import BackupScheduler
from pcc_desk.gui.changes import ChangeBridge
from pcc_desk.gui.checking import CheckIndicator
from pcc_desk.gui.dialogs.backups import BackupsDialog
from pcc_desk.gui.file_kinds import dropped_paths, group_by_kind
from pcc_desk.gui.menus import MenuBuilding
from pcc_desk.gui.screens import SCREENS, Screen, ScreenSpec, spec_for
from pcc_desk.gui.tasks import TaskProgress, TaskRunner
from pcc_desk.gui.watch import JournalWatch
from pcc_desk.gui.workbench import Workbench

if TYPE_CHECKING:  # the services (and SQLAlchemy) load after the window is on screen
    from pcc_desk.gui.screens import register_browser
    from pcc_desk.gui.screens.register import RegisterScreen
    from pcc_desk.gui.screens.register_browser import RegisterBrowser, Shown
    from pcc_desk.services import Desk
else:  # the table read ahead: once the window is on screen (the reading runs meanwhile)
    register_browser = lazy.module("pcc_desk.gui.screens.register_browser")


class MainWindow(MenuBuilding, QMainWindow):
    screen_changed = Signal(str)

    def __init__(
        self, desk: Desk | None = None, *, tasks: TaskRunner | None = None, restore: bool = True
    ) -> None:
        """The window; without a desk it shows at once and :meth:`attach` hands it the register later."""
        super().__init__()
        self.setWindowTitle(self.tr("PCC Desk"))
        self.setAcceptDrops(True)
        self.setMinimumSize(QSize(900, 560))
        self.undo_stack = QUndoStack(self)
        self.runner = tasks or TaskRunner(self)
        self.progress = TaskProgress(self.runner, self)
        self.bench: Workbench | None = None
        self.backups: BackupScheduler | None = None  # once the register is attached
        self.watch: JournalWatch | None = None  # polls the journal for others' changes
        self.screens: dict[str, Screen] = {}
        # data read at start-up before the register was open (key -> what the screen's loader returns);
        # a screen takes its own the first time it activates (see pcc_desk.gui.app.start)
        self.preloaded: dict[str, object] = {}
        # the register's rows shown read-only before it is open; the Register screen takes it over
        self.read_ahead: RegisterBrowser | None = None

        self.nav = QListWidget(self)
        self.nav.setAccessibleName(self.tr("Screens"))
        self.nav.setMaximumWidth(170)
        self.nav.setSpacing(3)
        self.stack = QStackedWidget(self)
        for spec in SCREENS:
            item = QListWidgetItem(self.tr(spec.title), self.nav)
            item.setToolTip(f"{self.tr(spec.title)} ({spec.shortcut})")
            holder = QWidget(self.stack)  # replaced by the screen on first show
            holder.setObjectName(f"holder-{spec.key}")
            self.stack.addWidget(holder)
        self.splitter = QSplitter(parent=self)  # (side by side)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([150, 1200])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.nav.currentRowChanged.connect(lambda row: self.show_screen(SCREENS[row].key))

        self.db_label_text = self.tr("Opening the register…")
        self.statusBar().addPermanentWidget(self.progress)
        self.checking = CheckIndicator(self, self.show_warning)  # the check in the background
        self.statusBar().showMessage(self.db_label_text)
        # after a passing message, the status bar goes back to naming the database in use
        self.statusBar().messageChanged.connect(
            lambda text: None if text else self.statusBar().showMessage(self.db_label_text)
        )
        self._build_menus()
        self.resize(1366, 768)
        self._restored_view = "register"
        self._persist = restore  # a screenshot run neither reads nor writes the window state
        if restore:
            self._restore_state()
        if desk is not None:
            self.attach(desk)

    def attach(self, desk: Desk) -> None:
        """Hand the window its open register (after it is on screen)."""
        self.bench = Workbench(
            desk=desk,
            tasks=self.runner,
            undo=self.undo_stack,
            changes=ChangeBridge(desk, self),
            window=self,
            message=self.show_message,
            progress=self.progress,
        )
        self.db_label_text = self.tr("Database: %s") % desk.location.describe()
        self.statusBar().showMessage(self.db_label_text)

        # other clerks' changes, every few seconds; its first look-up, here, is the register's first
        # read, made before the backups' starting point (a first connection counts as a change)
        self.watch = JournalWatch(self.bench, self)
        self.backups = BackupScheduler(self.bench, self)
        self.backups.failed.connect(self.show_warning)
        self.checking.watch(desk)
        self.offline.attach()  # a laptop copy's Sync button and status

    def show_read_ahead(self, shown: Shown) -> bool:
        """Show the register's rows read ahead from the file, read-only, while it opens (when the
        Register is the first screen): the clerk reads, searches and filters; nothing is edited
        before :meth:`attach`. False when the Register is not the first screen."""
        holder = self.stack.widget(SCREENS.index(spec_for("register")))
        if self.bench is not None or self._restored_view != "register" or holder is None:
            return False
        browser = register_browser.RegisterBrowser(holder)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(browser)
        header = state.window_settings().value("register/header") if self._persist else None
        if header is not None:  # the columns and the order the clerk left (the screen's own state)
            browser.table.horizontalHeader().restoreState(header)
        browser.show_rows(shown)
        browser.update_count()
        self.read_ahead = browser
        self.db_label_text = self.tr("Opening the register… (read-only until it is open)")
        self.statusBar().showMessage(self.db_label_text)
        return True

    def drop_read_ahead(self) -> None:
        """The rows read ahead are not the register's as it opened (recovered, migrated, changed):
        the Register screen reads them again from the open register."""
        if self.read_ahead is not None:
            self.read_ahead.show_rows(([], [], [], []))
            self.read_ahead.update_count()

    # --- screens ---------------------------------------------------------------------------------

    # the window's screens by key; QWidget.screen() (the display it is on) is not used here
    def screen(self, key: str) -> Screen:  # type: ignore[override]
        """The screen ``key``, built on first use (once the register is attached)."""
        if self.bench is None:
            raise RuntimeError("the window has no register yet")
        if key not in self.screens:
            spec = spec_for(key)
            index = SCREENS.index(spec)
            screen = spec.create(self.bench, self.stack)
            holder = self.stack.widget(index)
            self.stack.insertWidget(index, screen)
            if holder is not None:
                self.stack.removeWidget(holder)
                holder.deleteLater()
            self.screens[key] = screen
            if self._persist:
                screen.restore_state(state.window_settings())
            if hasattr(screen, "open_requested"):
                screen.open_requested.connect(self.open_recommendation)
            if key == "register":
                cast("RegisterScreen", screen).detail.quote_jump_requested.connect(self.show_quote)
        return self.screens[key]

    @property
    def ready(self) -> bool:
        return self.bench is not None

    def current_key(self) -> str:
        row = self.nav.currentRow()
        return SCREENS[row].key if row >= 0 else "register"

    def show_screen(self, key: str) -> Screen | None:
        if self.bench is None:
            return None
        screen = self.screen(key)
        index = SCREENS.index(spec_for(key))
        if self.nav.currentRow() != index:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(index)
            self.nav.blockSignals(False)
        self.stack.setCurrentWidget(screen)
        for other, action in self.view_actions.items():
            action.setChecked(other == key)
        # after this turn of the event loop: the window is painted before any loading starts
        QTimer.singleShot(0, screen.activate)
        self.screen_changed.emit(key)
        return screen

    def _register(self, *, show: bool) -> RegisterScreen:
        """The Register screen (shown when ``show``); callers check :attr:`ready` first."""
        screen = self.show_screen("register") if show else self.screen("register")
        if screen is None:
            raise RuntimeError("the window has no register yet")
        return cast("RegisterScreen", screen)

    def start(self, key: str | None = None) -> Screen | None:
        """Show the first screen (the last one used, unless told); its data loads in the background."""
        return self.show_screen(key or self._restored_view)

    def open_recommendation(self, ref: str) -> None:
        self._register(show=True).reveal(ref)

    def show_quote(self, quote) -> None:
        """A quote's "Show in transcript": handed to the Transcripts screen when it can show one."""
        screen = self.show_screen("transcripts")
        if screen is not None and hasattr(screen, "show_quote"):
            screen.show_quote(quote)
        else:
            self.show_message(
                self.tr("Reading transcripts is not in this version yet (%s).") % quote.citation
            )

    # --- actions ---------------------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def show_warning(self, text: str) -> None:
        """A warning that stays in the status bar until the next message (e.g. a failed backup)."""
        self.statusBar().showMessage(self.tr("Warning: %s") % text)

    def bring_forward(self) -> None:
        """Another copy of the app was started on this register: come to the front instead."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def still_opening(self) -> bool:
        """True (and said in the status bar) while the register is not open yet: what the clerk
        sees meanwhile is read ahead from the file, read-only, and nothing is changed."""
        if self.bench is not None:
            return False
        self.show_message(
            self.tr("The register is still opening: nothing was changed. Try again in a moment.")
        )
        return True

    def open_backups(self) -> None:
        if self.bench is None:
            self.still_opening()
            return
        if self.bench.desk.location.is_server:  # nothing of it is on this computer
            self.show_message(
                self.tr("A team register is backed up on its server (pg_dump); see the README.")
            )
            return

        BackupsDialog(self).exec()

    def focus_search(self) -> None:
        if self.bench is None:  # the rows read ahead can be searched already
            if self.read_ahead is not None:
                self.read_ahead.search_edit.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
            return
        screen = self.screens.get(self.current_key())
        if screen is None or not screen.focus_search():
            self._register(show=True).focus_search()

    def save_current(self) -> None:
        if self.still_opening():
            return
        screen = self.screens.get(self.current_key())
        if screen is not None and not screen.save():
            self.show_message(self.tr("Nothing to save."))

    def _detail_call(self, name: str) -> None:
        if self.still_opening():
            return
        screen = self._register(show=True)
        if screen.detail.detail is None:
            self.show_message(self.tr("Select a recommendation first."))
            return
        getattr(screen.detail, name)()

    def new_recommendation(self) -> None:
        if self.bench is None:
            self.still_opening()
            return
        from pcc_desk.gui.dialogs.new_recommendation import NewRecommendationDialog

        register_screen = self._register(show=False)
        themes = [
            register_screen.theme_combo.itemData(i)
            for i in range(1, register_screen.theme_combo.count())
        ]
        addressees = [
            register_screen.addressee_combo.itemData(i)
            for i in range(1, register_screen.addressee_combo.count())
        ]
        dialog = NewRecommendationDialog(
            self.bench, self, themes=themes, addressees=addressees or None
        )
        if dialog.exec() and dialog.created is not None:
            self.show_message(self.tr("Added %s.") % dialog.created.ref)
            self.open_recommendation(dialog.created.ref)

    def open_settings(self) -> None:
        if self.bench is None:
            self.still_opening()
            return
        from pcc_desk.gui.dialogs.settings_dialog import SettingsDialog

        if SettingsDialog(self.bench, self).exec():
            self.show_message(self.tr("Settings saved."))

    def about(self) -> None:
        if self.bench is None:
            return
        location = self.bench.desk.location
        QMessageBox.about(
            self,
            self.tr("About PCC Desk"),
            self.tr(
                "<h3>PCC Desk %s</h3><p>Casework desk for the clerks of the Police and Crime Committee.</p>"
                "<p><b>Your data</b> lives in one file on this computer:<br>%s</p>"
                "<p>Imported originals are kept inside the register.<br>Backups: %s</p>"
            )
            % (__version__, location.describe(), location.backups_dir),
        )

    # --- imports ---------------------------------------------------------------------------------

    def import_letter(self) -> None:
        self._choose_and_import(
            "letter", self.tr("Import a letter"), self.tr("Letters (*.docx *.pdf *.md *.txt)")
        )

    def import_letter_folder(self) -> None:
        if self._handler_for("letter") is None:
            self._not_yet("letter")
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Import the letters in a folder"))
        if folder:
            self.import_files([Path(folder)], "letter")

    def import_reply(self) -> None:  # the reply to a letter: each answer logged as its response
        files = self.tr("Replies (*.docx *.pdf *.md *.txt)")
        self._choose_and_import("reply", self.tr("Import a reply"), files)

    def import_transcript(self) -> None:
        self._choose_and_import(
            "transcript",
            self.tr("Import a transcript"),
            self.tr("Transcripts (*.docx *.pdf *.txt *.md *.rst)"),
        )

    def _choose_and_import(self, kind: str, title: str, pattern: str) -> None:
        if self._handler_for(kind) is None:
            self._not_yet(kind)
            return
        paths, _ = QFileDialog.getOpenFileNames(self, title, "", pattern)
        if paths:
            self.import_files([Path(p) for p in paths], kind)

    def _handler_for(self, kind: str | None) -> ScreenSpec | None:
        for spec in SCREENS:
            if spec.imports and (kind is None or kind in spec.imports):
                return spec
        return None

    def import_files(self, paths: list[Path], kind: str | None = None) -> bool:
        """The one import hook (menus and drag-and-drop): hand the files to the screen that imports them."""
        if kind is None:  # dropped: letters and transcripts go to their own screens
            return all(
                [
                    self.import_files(group, group_kind)
                    for group_kind, group in group_by_kind(paths).items()
                ]
            )
        if self.still_opening():
            return False
        spec = self._handler_for(kind)
        if spec is None:
            self._not_yet(kind)
            return False
        screen = self.show_screen(spec.key)
        return screen is not None and screen.import_files(paths, kind)

    def _not_yet(self, kind: str | None) -> None:
        what = {"letter": self.tr("letters"), "transcript": self.tr("transcripts")}.get(
            kind or "", self.tr("files")
        )
        self.show_message(
            self.tr("Importing %s is not in this version yet; nothing was imported.") % what
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.import_files(paths))

    # --- state -----------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        settings = state.window_settings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        view = settings.value("window/view", "register")
        self._restored_view = view if view in {s.key for s in SCREENS} else "register"

    def save_state(self) -> None:
        settings = state.window_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        settings.setValue("window/view", self.current_key())
        for screen in self.screens.values():
            screen.save_state(settings)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for key, screen in self.screens.items():
            if screen.has_unsaved_changes():
                self.show_screen(key)
                answer = prompts.ask_unsaved(self, self.tr("the recommendation"))
                if answer == prompts.CANCEL:
                    event.ignore()
                    return
                if answer == prompts.SAVE and not screen.save():
                    event.ignore()
                    return
        if self._persist:
            self.save_state()
        if self.watch is not None:
            self.watch.stop()
        self.runner.cancel_all()
        self.runner.wait(5000)
        if self.backups is not None:
            self.backups.on_exit()
        if self.bench is not None:
            self.bench.changes.close()
        event.accept()
