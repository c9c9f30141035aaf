"""The Register screen: filters, the table of recommendations, and the detail of the one selected."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from pcc_desk.gui import prompts
from pcc_desk.gui.letter_imports import LetterImporter
from pcc_desk.gui.models.register_criteria import RegisterCriteria
from pcc_desk.gui.reply_imports import ReplyImporter
from pcc_desk.gui.screens import Screen
from pcc_desk.gui.screens.detail import RecommendationDetailPanel
from pcc_desk.gui.screens.first_run import EmptyRegister
from pcc_desk.gui.screens.register_browser import RegisterBrowser, shown_table
from pcc_desk.gui.workbench import Newest, Workbench
from pcc_desk.services import register, repeats
from pcc_desk.vocabulary import ChangeKind

REGISTER_KINDS = frozenset(
    {
        ChangeKind.RECOMMENDATIONS,
        ChangeKind.RESPONSES,
        ChangeKind.QUOTES,
        ChangeKind.TRANSCRIPTS,
        ChangeKind.DOCUMENTS,
    }
)
ROW_KINDS = frozenset({ChangeKind.RECOMMENDATIONS, ChangeKind.RESPONSES})  # a row's own values


def load_register(desk, token=None, _progress=None):
    """Worker-side: everything the Register screen shows (no widgets here)."""
    table = register.register_table(desk)
    if token is not None:
        token.check()
    return shown_table(table)


class RegisterScreen(Screen):
    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(bench, parent)
        # the table shown read-only at start-up, if any (pcc_desk.gui.app), taken over as it is
        window = bench.window
        read_ahead: RegisterBrowser | None = getattr(window, "read_ahead", None)
        self.browser = read_ahead or RegisterBrowser()
        if read_ahead is not None:
            window.read_ahead = None  # type: ignore[union-attr]
        self.browser.on_filter = self.apply_filters
        self.browser.set_linked_refs(lambda: frozenset(repeats.linked_refs(self.bench.desk)))
        self.model = self.browser.model
        self.proxy = self.browser.proxy
        self.table = self.browser.table
        self.search_edit = self.browser.search_edit
        self.status_combo = self.browser.status_combo
        self.theme_combo = self.browser.theme_combo
        self.addressee_combo = self.browser.addressee_combo
        self.from_edit = self.browser.from_edit
        self.to_edit = self.browser.to_edit
        self.clear_button = self.browser.clear_button
        self.count_label = self.browser.count_label
        self.expand_button = self.browser.expand_button
        self._reading = Newest(bench)  # changes may come in while the register is being read
        self._pending_ref: str | None = None
        self._chosen_ref: str | None = None  # the row the clerk last moved to
        self._quiet = False  # the current row is moved by the screen, not by the clerk
        self._build()
        bench.changes.changed.connect(self._on_changed)

    # --- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        table_box = QWidget(self.splitter)
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.setSpacing(2)
        self.browser.setParent(table_box)
        table_layout.addWidget(self.browser, 1)
        self.browser.show()
        self.empty_state = EmptyRegister(
            self.bench, table_box
        )  # shown while the register has no rows
        self.empty_state.setVisible(False)
        table_layout.addWidget(self.empty_state)
        self.detail = RecommendationDetailPanel(self.bench, self.splitter)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 360])
        layout.addWidget(self.splitter, 1)

        self.clear_button.clicked.connect(self.clear_filters)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.setTabOrder(self.table, self.detail.ask_edit)
        self._update_count()

    # --- data ------------------------------------------------------------------------------------

    def activate(self) -> None:
        if not self.is_loaded() and not self._reading.running:
            preloaded = getattr(self.bench.window, "preloaded", {}).pop("register", None)
            if preloaded is not None:  # read at start-up while the file was being checked
                self._loaded_rows(preloaded)
            else:
                self.reload()

    def reload(self) -> None:
        desk = self.bench.desk
        self._reading.run(
            lambda token, progress: load_register(desk, token, progress),
            self._loaded_rows,
            label=self.tr("Loading the register"),
        )

    def _loaded_rows(self, result) -> None:
        themes = result[2]
        current = self.current_ref()
        if result is not self.browser.shown:
            self.browser.show_rows(result)
        self.detail.set_themes(themes)  # (set_rows has filtered the rows: once, not twice)
        self._update_count()
        target = self._pending_ref or current
        self._pending_ref = None
        shown = self.detail.detail
        if (
            shown is not None
            and not self.model.has_ref(shown.ref)
            and not self.detail.has_unsaved_changes()
        ):
            self.detail.show_ref(
                None
            )  # it has left the register (its addition or import was undone)
        if target:
            self.select_ref(target)
        elif self.proxy.rowCount():
            self.table.selectRow(0)
        if not self.is_loaded():
            self.mark_loaded()
            self._update_count()

    def _on_changed(self, kinds: frozenset[ChangeKind], refs: frozenset[str]) -> None:
        if not kinds & REGISTER_KINDS:
            return
        if refs and kinds <= ROW_KINDS and self.is_loaded():
            missing = self.model.update_rows(register.summaries_for(self.bench.desk, refs))
            self._update_count()
            if missing:  # new rows: read the register again (in the background)
                self._pending_ref = next(iter(missing))
                self.reload()
            if self.detail.detail is not None and self.detail.detail.ref in refs:
                self.detail.refresh()
            return
        self.reload()  # a reading in flight may have read the register before this change: dropped

    # --- filtering -------------------------------------------------------------------------------

    def criteria(self) -> RegisterCriteria:
        return self.browser.criteria()

    def apply_filters(self) -> None:
        """Filter the table; then the detail follows the selection once, never mid-filter.

        While rows are filtered out Qt moves the current row to a neighbour, run after run; those
        moves are not the clerk's, so they neither load records nor ask about unsaved edits. After
        filtering, the row the clerk chose is selected again when it is shown; a recommendation
        with unsaved edits stays in the detail (no row selected while the filter hides it) and
        nothing is asked until the clerk moves to another row."""
        shown = self.detail.detail.ref if self.detail.detail is not None else None
        editing = self.detail.has_unsaved_changes()
        self._counting = (
            False  # the proxy reports each removed or inserted run of rows: count once, after
        )
        self._quiet = True
        try:
            self.proxy.set_criteria(self.criteria())
            self.table.follow_expand_all()
            wanted = [shown] if editing else [self._chosen_ref, shown, self.current_ref()]
            if not any(ref and self.select_ref(ref) for ref in wanted):
                self.table.selectionModel().clear()
        finally:
            self._quiet = False
            self._counting = True
        self._update_count()
        if not editing and self.current_ref() != shown:
            self.detail.show_ref(self.current_ref())

    def clear_filters(self) -> None:
        self.browser.reset_filters()
        self.apply_filters()

    def _update_count(self, *_args) -> None:
        if not getattr(self, "_counting", True):
            return
        total = len(self.model.records())
        empty = total == 0 and self.is_loaded()
        if hasattr(self, "empty_state") and self.empty_state.isHidden() != (not empty):
            self.empty_state.setVisible(empty)
            for widget in (self.table, self.count_label, self.expand_button, self.detail):
                widget.setVisible(not empty)
        self.browser.update_count()

    # --- selection -------------------------------------------------------------------------------

    def current_ref(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.record(self.table.ask_index(index).row()).ref

    def select_ref(self, ref: str) -> bool:
        row = self.proxy.proxy_row_of(ref)
        if row is None:
            return False
        index = self.proxy.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def reveal(self, ref: str) -> None:
        """Select ``ref`` (clearing filters that hide it); if it is not loaded yet, once it is."""
        if self.is_loaded():
            if self.select_ref(ref):
                return
            self.clear_filters()
            if self.select_ref(ref):
                return
        self._pending_ref = ref
        if not self._reading.running and self.is_loaded():
            self.reload()

    def _back_to(self, ref: str) -> None:
        """After Cancel: select the row whose edits were kept, or none if a filter hides it."""
        self._quiet = True
        try:
            if not self.select_ref(ref):
                self.table.selectionModel().clear()
        finally:
            self._quiet = False

    def _current_changed(self, current, _previous) -> None:
        if self._quiet:
            return  # apply_filters shows the outcome once
        ask = self.table.ask_index(current)
        new_ref = self.proxy.record(ask.row()).ref if current.isValid() else None
        shown = self.detail.detail
        if shown is not None and new_ref == shown.ref and self.detail.has_unsaved_changes():
            return  # the same recommendation again (after a reload or a refused move): keep the edits
        if self.detail.has_unsaved_changes():
            answer = prompts.ask_unsaved(self, self.detail.detail.ref if self.detail.detail else "")
            if answer == prompts.SAVE:
                self.detail.save()
            elif answer == prompts.CANCEL and self.detail.detail is not None:
                QTimer.singleShot(0, lambda ref=self.detail.detail.ref: self._back_to(ref))
                return
        if new_ref is not None:
            self._chosen_ref = new_ref
        self.detail.show_ref(new_ref)

    # --- screen hooks ----------------------------------------------------------------------------

    def import_files(self, paths, kind) -> bool:
        """Letters chosen or dropped: read, reviewed, imported (``pcc_desk.gui.letter_imports``);
        a reply chosen with File → Import a reply… (``pcc_desk.gui.reply_imports``)."""
        if kind == "reply":
            if getattr(self, "replies", None) is None:
                self.replies = ReplyImporter(self.bench, self)
                self.replies.imported.connect(
                    lambda result: self.reveal(result.refs[0]) if result.refs else None
                )
            for path in paths:
                self.replies.review(Path(path))
            return True
        if getattr(self, "letters", None) is None:
            self.letters = LetterImporter(self.bench, self)
            self.letters.imported.connect(
                lambda result: self.reveal(result.refs[0]) if result.refs else None
            )
        return self.letters.import_files(list(paths))

    def focus_search(self) -> bool:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()
        return True

    def save(self) -> bool:
        return self.detail.save()

    def has_unsaved_changes(self) -> bool:
        return self.detail.has_unsaved_changes()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("register/splitter", self.splitter.saveState())
        settings.setValue("register/detail_splitter", self.detail.splitter.saveState())
        settings.setValue("register/header", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        for key, widget in (
            ("register/splitter", self.splitter),
            ("register/detail_splitter", self.detail.splitter),
            ("register/header", self.table.horizontalHeader()),
        ):
            value = settings.value(key)
            if value is not None:
                widget.restoreState(value)
                if widget is self.detail.splitter:
                    self.detail._sized = True
