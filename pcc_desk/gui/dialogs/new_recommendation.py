"""New recommendation (Ctrl+N): a small form drawn in code (its theme list is dynamic)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.dates import house_date
from pcc_desk.errors import PccError
from pcc_desk.gui import prompts
from pcc_desk.gui.dialogs.response_form import from_qdate, to_qdate
from pcc_desk.gui.undo import AddRecommendationCommand, execute
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import register
from pcc_desk.services.dto import RecommendationSummary
from pcc_desk.services.settings import get_settings
from pcc_desk.vocabulary import RecommendationKind


class NewRecommendationDialog(QDialog):
    def __init__(
        self,
        bench: Workbench,
        parent: QWidget | None = None,
        *,
        themes: list[str] | None = None,
        addressees: list[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.bench = bench
        self.created: RecommendationSummary | None = None
        self.setWindowTitle(self.tr("New recommendation"))
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setAccessibleName(self.tr("The ask"))
        self.theme_combo = QComboBox(self)
        self.theme_combo.setEditable(True)
        self.theme_combo.addItems(["", *(themes or [])])
        self.theme_combo.setAccessibleName(self.tr("Theme"))
        self.addressee_edit = QComboBox(self)
        self.addressee_edit.setEditable(True)
        if not addressees:  # a new register: whom the Committee's letters usually go to
            addressees = [get_settings(bench.desk).default_recipient]
        self.addressee_edit.addItems(addressees)
        self.addressee_edit.setAccessibleName(self.tr("Addressee"))
        self.kind_combo = QComboBox(self)
        for kind in RecommendationKind:
            self.kind_combo.addItem(kind.label, kind)
        self.kind_combo.setAccessibleName(self.tr("Kind"))
        self.made_edit = QDateEdit(self)
        self.made_edit.setCalendarPopup(True)
        self.made_edit.setDisplayFormat("d MMMM yyyy")
        self.made_edit.setDate(to_qdate(dt.date.today()))
        self.made_edit.setAccessibleName(self.tr("Date made"))
        self.due_label = QLabel(self)
        self.made_edit.dateChanged.connect(self._update)
        form.addRow(self.tr("&Ask:"), self.text_edit)
        form.addRow(self.tr("&Theme:"), self.theme_combo)
        form.addRow(self.tr("A&ddressee:"), self.addressee_edit)
        form.addRow(self.tr("&Kind:"), self.kind_combo)
        form.addRow(self.tr("&Made:"), self.made_edit)
        form.addRow(self.tr("Due:"), self.due_label)
        layout.addLayout(form)
        self.problem_label = QLabel(self)
        self.problem_label.setStyleSheet("color: #b91c1c;")
        layout.addWidget(self.problem_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.text_edit.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        made = from_qdate(self.made_edit.date())
        self.due_label.setText(
            self.tr("%s (two months after it was made)") % house_date(register.default_due(made))
        )
        empty = not self.text_edit.toPlainText().strip()
        self.problem_label.setText(self.tr("Write the ask.") if empty else "")
        self.save_button.setEnabled(not empty)

    def accept(self) -> None:
        if not self.text_edit.toPlainText().strip():
            return
        command = AddRecommendationCommand(
            self.bench,
            {
                "text": self.text_edit.toPlainText(),
                "theme": self.theme_combo.currentText(),
                "addressee": self.addressee_edit.currentText(),
                "made": from_qdate(self.made_edit.date()),
                "kind": RecommendationKind(self.kind_combo.currentData()),
            },
        )
        try:
            execute(
                self.bench, command
            )  # undoable: Ctrl+Z removes it again, Ctrl+Shift+Z re-adds the same ref
            self.created = command.added
        except PccError as error:
            self.problem_label.setText(str(error))
            return
        super().accept()

    def reject(self) -> None:
        if self.text_edit.toPlainText().strip() and self.created is None:
            answer = prompts.ask_unsaved(self, self.tr("the new recommendation"))
            if answer == prompts.CANCEL:
                return
            if answer == prompts.SAVE:
                self.accept()
                return
        super().reject()
