"""Review a letter before it enters the register: the form from ``ui/letter_review.ui``.

The dialog is handed a :class:`LetterPreview` (the file already read, on a worker thread, by
:mod:`pcc_desk.gui.letter_imports`). It keeps the clerk's version of the letter as a
:class:`ParsedLetter` and changes it only through the pure edit functions of
:mod:`pcc_desk.letter_values` (edit, merge, split, drop, accept suggestions); Import hands
that version to ``letter_import.commit`` (one transaction), Cancel writes nothing.
"""

from __future__ import annotations

import dataclasses
import html

from PySide6.QtCore import QDate, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QListWidgetItem,
    QTreeWidgetItem,
    QWidget,
)

from pcc_desk import letter_values
from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput, PccError
from pcc_desk.gui import prompts, state
from pcc_desk.gui.dialogs.letter_review_links import AskLinkBox, ask_key, link_label
from pcc_desk.gui.dialogs.response_form import from_qdate, to_qdate
from pcc_desk.gui.errors import show_error
from pcc_desk.gui.forms.ui_letter_review import Ui_LetterReview
from pcc_desk.gui.workbench import Workbench
from pcc_desk.letter_values import DOC_MINUTES, ParsedLetter
from pcc_desk.services import letter_import
from pcc_desk.services.letter_import import ImportResult, LetterPreview

NO_DATE = QDate(1900, 1, 1)  # shown as "not read: give the date"
ASK_ROLE = Qt.ItemDataRole.UserRole  # an ask item's index in the letter's asks
NO_THEME = "(no theme)"


class LetterReviewDialog(QDialog):
    """Shows what was read from one letter and lets the clerk correct it before importing."""

    imported = Signal(object)  # the ImportResult

    def __init__(
        self,
        bench: Workbench,
        preview: LetterPreview,
        parent: QWidget | None = None,
        *,
        asked_before: dict | None = None,  # ask_key(ask) -> the earlier asks it likely repeats
    ) -> None:
        super().__init__(parent)
        self.bench = bench
        self.preview = preview
        self.asked_before = asked_before or {}
        self.letter: ParsedLetter = preview.letter
        # the import's result; shadows QDialog.result() (the exec() code), which nothing here reads
        self.result: ImportResult | None = None  # type: ignore[assignment]
        self._history: list[ParsedLetter] = []
        self._current: int | None = None  # index of the ask in the editor
        self._filling = False
        self.ui = Ui_LetterReview()
        self.ui.setupUi(self)
        ui = self.ui
        self.setWindowTitle(self.tr("Review %s before importing") % preview.file_name)
        self.import_button = ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(self.tr("&Import"))
        self.cancel_button = ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
        ui.buttonBox.accepted.connect(self.import_letter)
        ui.buttonBox.rejected.connect(self.reject)
        ui.dateEdit.setMinimumDate(NO_DATE)
        ui.dateEdit.setSpecialValueText(self.tr("not read: give the date"))
        header = ui.asksTree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(True)
        ui.splitter.setStretchFactor(0, 3)
        ui.splitter.setStretchFactor(1, 2)
        ui.asksTree.itemSelectionChanged.connect(self._selection_changed)
        ui.askEdit.textChanged.connect(self._ask_text_edited)
        ui.mergeButton.clicked.connect(self.merge_selected)
        ui.splitButton.clicked.connect(self.split_at_cursor)
        ui.dropButton.clicked.connect(self.drop_selected)
        ui.undoButton.clicked.connect(self.undo_edit)
        ui.acceptButton.clicked.connect(self.accept_ticked)
        ui.suggestedList.itemChanged.connect(lambda _item: self._update_buttons())
        # several addressees the ask names, suggested for the clerk to confirm or change
        self.addressees_edit = QLineEdit(self)
        self.addressees_edit.setAccessibleName(self.tr("Addressees of the ask (separated by ;)"))
        self.addressees_edit.setPlaceholderText(
            self.tr("one addressee: the letter's recipient; several: separated by ;")
        )
        self.addressees_edit.setEnabled(False)
        self.addressees_edit.editingFinished.connect(self._addressees_edited)
        ui.askLayout.addWidget(self.addressees_edit)
        drop = QShortcut(QKeySequence.StandardKey.Delete, ui.asksTree)
        drop.setContext(Qt.ShortcutContext.WidgetShortcut)
        drop.activated.connect(self.drop_selected)
        self.links = AskLinkBox(ui.askPane)
        ui.askLayout.addWidget(self.links)
        self.links.changed.connect(self.link_current)
        self._fill_head()
        self._fill_asks()
        self._fill_suggestions()
        self._update_buttons()
        self._restore_geometry()

    # --- filling -----------------------------------------------------------------------------------

    def _fill_head(self) -> None:
        ui, head, p = self.ui, self.letter.head, self.preview
        ui.dateEdit.setDate(to_qdate(head.date) if head.date else NO_DATE)
        ui.senderEdit.setText(head.sender)
        ui.senderRoleEdit.setText(head.sender_role)
        ui.recipientEdit.setText(head.recipient)
        ui.recipientRoleEdit.setText(head.recipient_role)
        ui.ccEdit.setText("; ".join(head.cc))
        ui.subjectEdit.setText(head.subject)
        ui.salutationEdit.setText(head.salutation)
        what = self.tr("Minutes") if self.letter.document_kind == DOC_MINUTES else self.tr("Letter")
        summary = self.tr("<b>%s</b> read from <b>%s</b> (%s).") % (
            what,
            html.escape(p.file_name),
            html.escape(self.letter.source_format or "file"),
        )
        prior = p.comparison.previous
        if p.is_reimport and prior is not None:
            summary += " " + self.tr(
                "It looks like an edited version of <b>%s</b>, imported on %s: only its new asks will be added; "
                "the register's records are kept as they are."
            ) % (html.escape(prior.file_name), house_date(prior.imported_on))
        ui.summaryLabel.setText(summary)
        warnings = list(self.letter.warnings)
        warnings += [
            self.tr("%s is not in this version (kept in the register): %s")
            % (r.ref, _short(r.text))
            for r in p.comparison.removed
        ]
        ui.warningsLabel.setText("<br>".join(html.escape(w) for w in warnings))
        ui.warningsLabel.setVisible(bool(warnings))

    def _fill_asks(self, select: list[int] | None = None) -> None:
        """Rebuild the tree from ``self.letter`` (themes → asks with their proposed references)."""
        self._filling = True
        tree = self.ui.asksTree
        tree.clear()
        matches = self.preview.comparison.matches
        themes: dict[str, QTreeWidgetItem] = {}
        for name in self.letter.themes:
            themes[name] = self._theme_item(name)
        for index, ask in enumerate(self.letter.asks):
            parent = themes.get(ask.theme or NO_THEME) or themes.setdefault(
                ask.theme or NO_THEME, self._theme_item(ask.theme or NO_THEME)
            )
            match = matches[index] if index < len(matches) else None
            ref = match.ref if match else ""
            if match is not None and match.status != "new":
                ref = f"{ref} ({self.tr(match.status)})"
            ref = link_label(ref, ask, self.asked_before.get(ask_key(ask), []), self.tr)
            item = QTreeWidgetItem(parent, [ref, ask.text])
            item.setData(0, ASK_ROLE, index)
            item.setToolTip(1, ask.text)
            item.setToolTip(0, ref)
        for name, item in list(themes.items()):
            if item.childCount() == 0:
                tree.takeTopLevelItem(tree.indexOfTopLevelItem(item))
                del themes[name]
            else:
                item.setText(0, self.tr("%s (%d)") % (name, item.childCount()))
        tree.expandAll()
        self._filling = False
        self.ui.themesValue.setText("; ".join(self.letter.themes) or self.tr("none"))
        self._current = None
        wanted = select if select is not None else ([0] if self.letter.asks else [])
        for item in self._ask_items():
            if item.data(0, ASK_ROLE) in wanted:
                item.setSelected(True)
                tree.setCurrentItem(item, 1)
        self._selection_changed()

    def _theme_item(self, name: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.ui.asksTree, [name])
        item.setFirstColumnSpanned(True)
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return item

    def _fill_suggestions(self) -> None:
        self.ui.suggestedList.blockSignals(True)
        self.ui.suggestedList.clear()
        for n, sug in enumerate(self.letter.suggested):
            item = QListWidgetItem(f"{sug.theme or NO_THEME}: {sug.text}", self.ui.suggestedList)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsSelectable
            )
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, n)
            item.setToolTip(sug.context)
        self.ui.suggestedList.blockSignals(False)
        has = bool(self.letter.suggested)
        for widget in (self.ui.suggestedLabel, self.ui.suggestedList, self.ui.acceptButton):
            widget.setVisible(has)

    # --- reading the widgets -----------------------------------------------------------------------

    def _ask_items(self) -> list[QTreeWidgetItem]:
        tree = self.ui.asksTree
        themes = (tree.topLevelItem(t) for t in range(tree.topLevelItemCount()))
        asks = (
            theme.child(c)
            for theme in themes
            if theme is not None
            for c in range(theme.childCount())
        )
        return [ask for ask in asks if ask is not None]

    def item_for(self, index: int) -> QTreeWidgetItem | None:
        return next((i for i in self._ask_items() if i.data(0, ASK_ROLE) == index), None)

    def selected_indices(self) -> list[int]:
        return sorted(
            i.data(0, ASK_ROLE)
            for i in self.ui.asksTree.selectedItems()
            if i.data(0, ASK_ROLE) is not None
        )

    def ticked_suggestions(self) -> list[int]:
        lst = self.ui.suggestedList
        return [
            lst.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(lst.count())
            if lst.item(r).checkState() == Qt.CheckState.Checked
        ]

    def edited_letter(self) -> ParsedLetter:
        """The clerk's version: the asks as edited and the head as typed."""
        ui = self.ui
        date = None if ui.dateEdit.date() == NO_DATE else from_qdate(ui.dateEdit.date())
        head = dataclasses.replace(
            self.letter.head,
            date=date,
            sender=ui.senderEdit.text().strip(),
            sender_role=ui.senderRoleEdit.text().strip(),
            recipient=ui.recipientEdit.text().strip(),
            recipient_role=ui.recipientRoleEdit.text().strip(),
            cc=tuple(p.strip() for p in ui.ccEdit.text().split(";") if p.strip()),
            subject=ui.subjectEdit.text().strip(),
            salutation=ui.salutationEdit.text().strip(),
        )
        return dataclasses.replace(self.letter, head=head)

    # --- the selected ask --------------------------------------------------------------------------

    def _selection_changed(self) -> None:
        if self._filling:
            return
        selected = self.selected_indices()
        current = selected[0] if len(selected) == 1 else None
        self._current = None  # while the editor is refilled, its changes are not edits
        self._last_was_text_edit = None
        ui = self.ui
        self.addressees_edit.setEnabled(current is not None)
        self.addressees_edit.setText(
            "; ".join(self.letter.asks[current].addressees) if current is not None else ""
        )
        if current is None:
            ui.askEdit.setPlainText("")
            ui.askEdit.setEnabled(False)
            ui.contextView.setHtml(
                self.tr("<i>%d asks selected.</i>") % len(selected) if selected else ""
            )
            self.links.show_ask(None, [])
        else:
            ask = self.letter.asks[current]
            ui.askEdit.setEnabled(True)
            ui.askEdit.setPlainText(ask.text)
            ui.contextView.setHtml(self._context_html(ask))
            self.links.show_ask(ask, self.asked_before.get(ask_key(ask), []))
        self._current = current
        self._update_buttons()

    def _context_html(self, ask) -> str:
        context = html.escape(ask.context)
        text = html.escape(ask.text)
        if text and text in context:
            context = context.replace(text, f"<b>{text}</b>", 1)
        parts = [f"<p>{context}</p>"]
        for number in ask.footnotes:
            note = self.letter.footnote(number)
            if note is not None:
                parts.append(f"<p><small><sup>{number}</sup> {html.escape(note.text)}</small></p>")
        if ask.addressees:
            names = html.escape(", ".join(ask.addressees))
            words = self.tr("Addressed to %s (read from the ask: confirm or change them below)")
            parts.append(f"<p><i>{words % names}</i></p>")
        elif ask.addressee:
            parts.append(f"<p><i>{self.tr('Addressed to')} {html.escape(ask.addressee)}</i></p>")
        return "".join(parts)

    def _addressees_edited(self) -> None:
        if self._current is None:
            return
        names = tuple(n.strip() for n in self.addressees_edit.text().split(";") if n.strip())
        if len(names) < 2:  # one name, or none: the ask keeps its one addressee
            names = ()
        if names == self.letter.asks[self._current].addressees:
            return
        self._remember()
        self.letter = letter_values.edit_ask(self.letter, self._current, addressees=names)
        self.ui.contextView.setHtml(self._context_html(self.letter.asks[self._current]))
        self._update_buttons()

    def _ask_text_edited(self) -> None:
        if self._current is None:
            return
        text = self.ui.askEdit.toPlainText()
        if text == self.letter.asks[self._current].text:
            return
        if self._last_was_text_edit != self._current:  # one undo step per ask edited in a row
            self._remember()
            self._last_was_text_edit = self._current
        self.letter = letter_values.edit_ask(self.letter, self._current, text=text)
        item = self.item_for(self._current)
        if item is not None:
            item.setText(1, text)
            item.setToolTip(1, text)
        self._update_buttons()

    _last_was_text_edit: int | None = None

    # --- edits ---------------------------------------------------------------------------------------

    def _remember(self) -> None:
        self._history.append(self.letter)

    def _apply(self, letter: ParsedLetter, select: list[int]) -> None:
        """Take a structural edit: the references are proposed again against the register."""
        self._remember()
        self._last_was_text_edit = None
        self._set_letter(letter, select)

    def _set_letter(self, letter: ParsedLetter, select: list[int]) -> None:
        self.letter = letter
        try:
            self.preview = letter_import.refresh(self.bench.desk, self.preview, letter)
        except PccError as error:
            show_error(self, error)
        self._fill_asks(select)
        self._update_buttons()

    def link_current(self, earlier: str, kind: str) -> None:
        """Save the selected ask linked to ``earlier`` (a LinkKind slug), or unlinked ("")."""
        if self._current is not None:
            index = self._current
            letter = letter_values.edit_ask(self.letter, index, link_to=earlier, link_kind=kind)
            self._apply(letter, [index])

    def merge_selected(self) -> None:
        selected = self.selected_indices()
        if len(selected) != 2:
            return
        self._apply(letter_values.merge_asks(self.letter, *selected), [selected[0]])

    def split_at_cursor(self) -> None:
        if self._current is None:
            return
        index, at = self._current, self.ui.askEdit.textCursor().position()
        try:
            letter = letter_values.split_ask(self.letter, index, at)
        except ValueError:
            self.bench.message(
                self.tr("Put the cursor inside the text, where the second ask begins.")
            )
            return
        self._apply(letter, [index, index + 1])

    def drop_selected(self) -> None:
        selected = self.selected_indices()
        if not selected:
            return
        letter = self.letter
        for index in reversed(selected):
            letter = letter_values.drop_ask(letter, index)
        self._apply(letter, [min(selected[0], len(letter.asks) - 1)])

    def accept_ticked(self) -> None:
        ticked = self.ticked_suggestions()
        if not ticked:
            return
        accepted = [self.letter.suggested[i] for i in ticked]
        letter = letter_values.accept_suggestions(self.letter, ticked)
        self._apply(letter, [n for n, ask in enumerate(letter.asks) if ask in accepted])
        self._fill_suggestions()

    def undo_edit(self) -> None:
        if not self._history:
            return
        self._last_was_text_edit = None
        self._set_letter(self._history.pop(), self.selected_indices())
        self._fill_suggestions()

    def _update_buttons(self) -> None:
        selected = self.selected_indices()
        ui = self.ui
        ui.mergeButton.setEnabled(len(selected) == 2)
        ui.splitButton.setEnabled(len(selected) == 1)
        ui.dropButton.setEnabled(bool(selected))
        ui.undoButton.setEnabled(bool(self._history))
        ui.acceptButton.setEnabled(bool(self.ticked_suggestions()))
        count = len(self.letter.asks) + len(self.ticked_suggestions())
        self.import_button.setEnabled(count > 0)
        self.import_button.setText(
            self.tr("&Import %d asks") % count if count != 1 else self.tr("&Import 1 ask")
        )
        self.ui.asksLabel.setText(
            self.tr("<b>%d asks</b> by theme, with the reference each will get")
            % len(self.letter.asks)
        )

    # --- import ------------------------------------------------------------------------------------

    def import_letter(self) -> bool:
        """Commit the clerk's version in one transaction; on an error, say so and stay open."""
        letter = self.edited_letter()
        if letter.head.date is None:
            show_error(
                self,
                InvalidInput(
                    self.tr(
                        "Give the date of the letter before importing: the references "
                        "and due dates are counted from it."
                    )
                ),
            )
            self.ui.dateEdit.setFocus()
            return False
        empty = [n for n, ask in enumerate(letter.asks) if not ask.text.strip()]
        if empty:
            show_error(
                self,
                InvalidInput(
                    self.tr("Ask %d has no text: type it, or drop the ask.") % (empty[0] + 1)
                ),
            )
            return False
        try:
            result = letter_import.commit(
                self.bench.desk,
                self.preview,
                letter=letter,
                accepted_suggestions=self.ticked_suggestions(),
            )
        except PccError as error:
            show_error(self, error)
            return False
        self.result = result
        self.imported.emit(result)
        self.accept()
        return True

    def has_unsaved_changes(self) -> bool:
        return self.result is None and (
            bool(self._history) or self.edited_letter().head != self.preview.letter.head
        )

    def reject(self) -> None:
        """Cancel, Esc or closing: with edits made, ask first (Save imports), so nothing is lost by a slip."""
        if self.has_unsaved_changes():
            answer = prompts.ask_unsaved(self, self.tr("the review of %s") % self.preview.file_name)
            if answer == prompts.CANCEL:
                return
            if answer == prompts.SAVE:
                self.import_letter()
                return
        super().reject()

    def closeEvent(self, event) -> None:
        if self.result is None and self.has_unsaved_changes():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    # --- window state ------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        settings: QSettings = state.window_settings()
        geometry = settings.value("letter_review/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = settings.value("letter_review/splitter")
        if splitter is not None:
            self.ui.splitter.restoreState(splitter)

    def done(self, code: int) -> None:
        settings = state.window_settings()
        settings.setValue("letter_review/geometry", self.saveGeometry())
        settings.setValue("letter_review/splitter", self.ui.splitter.saveState())
        super().done(code)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
