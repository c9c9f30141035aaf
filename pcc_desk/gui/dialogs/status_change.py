"""Change status…, Revise due date…, Target date… and RAG rating…: small forms; each asks for the note
the history keeps."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.gui.dialogs.response_form import from_qdate, to_qdate
from pcc_desk.services.dto import RecommendationDetail, RecommendationSummary
from pcc_desk.services.tracker_paper import RAGS
from pcc_desk.vocabulary import Status


class _NoteDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(460, 160)
        self.form = QFormLayout()
        self.note_edit = QLineEdit(self)
        self.note_edit.setAccessibleName(self.tr("Note for the history"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note_edit.textChanged.connect(self._update)
        self.problem_label = QLabel(self)
        self.problem_label.setStyleSheet("color: #b91c1c;")

    def _finish_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self._update()

    def problems(self) -> list[str]:
        return (
            []
            if self.note_edit.text().strip()
            else [self.tr("Say why (the history keeps the note).")]
        )

    def _update(self) -> None:
        problems = self.problems()
        self.problem_label.setText(" ".join(problems))
        self.ok_button.setEnabled(not problems)

    def accept(self) -> None:
        if not self.problems():
            super().accept()


class ChangeStatusDialog(_NoteDialog):
    def __init__(self, rec: RecommendationSummary, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Change the status of %s") % rec.ref, parent)
        self.rec = rec
        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName(self.tr("New status"))
        for status in Status:
            if status is not rec.status:
                self.status_combo.addItem(status.label, status)
        self.form.addRow(self.tr("Now:"), QLabel(rec.status.label, self))
        self.form.addRow(self.tr("&New status:"), self.status_combo)
        self.form.addRow(self.tr("N&ote:"), self.note_edit)
        self._finish_layout()

    def new_status(self) -> Status:
        return Status(self.status_combo.currentData())


class ReviseDueDialog(_NoteDialog):
    def __init__(self, rec: RecommendationSummary, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Revise the due date of %s") % rec.ref, parent)
        self.rec = rec
        self.due_edit = QDateEdit(self)
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("d MMMM yyyy")
        self.due_edit.setMinimumDate(to_qdate(rec.made))
        self.due_edit.setDate(to_qdate(rec.due))
        self.due_edit.setAccessibleName(self.tr("New due date"))
        self.due_edit.dateChanged.connect(self._update)
        self.form.addRow(self.tr("&New due date:"), self.due_edit)
        self.form.addRow(self.tr("&Reason:"), self.note_edit)
        self._finish_layout()

    def new_due(self) -> dt.date:
        return from_qdate(self.due_edit.date())

    def problems(self) -> list[str]:
        found = super().problems()
        if self.new_due() == self.rec.due:
            found.insert(0, self.tr("Pick a different date."))
        return found


class ReviseTargetDialog(_NoteDialog):
    """The date an ask is to be done by: set it, move it (with the reason) or withdraw it."""

    def __init__(self, rec: RecommendationDetail, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Target date of %s") % rec.ref, parent)
        self.rec = rec
        self.target_edit = QDateEdit(self)
        self.target_edit.setCalendarPopup(True)
        self.target_edit.setDisplayFormat("d MMMM yyyy")
        self.target_edit.setMinimumDate(to_qdate(rec.made))
        self.target_edit.setDate(to_qdate(rec.target or dt.date.today()))
        self.target_edit.setAccessibleName(self.tr("New target date"))
        self.target_edit.dateChanged.connect(self._update)
        self.none_check = QCheckBox(self.tr("No target date (withdrawn)"), self)
        self.none_check.toggled.connect(lambda on: self.target_edit.setEnabled(not on))
        self.none_check.toggled.connect(self._update)
        self.form.addRow(self.tr("&Target date:"), self.target_edit)
        self.form.addRow("", self.none_check)
        self.form.addRow(self.tr("&Reason:"), self.note_edit)
        self._finish_layout()

    def new_target(self) -> dt.date | None:
        return None if self.none_check.isChecked() else from_qdate(self.target_edit.date())

    def problems(self) -> list[str]:
        found = super().problems()
        if self.new_target() == self.rec.target:
            found.insert(0, self.tr("Pick a different date."))
        return found


class RagDialog(_NoteDialog):
    """The clerk's own RAG rating for the tracker paper, with the reason; or back to the derived one."""

    def __init__(
        self,
        ref: str,
        current: str | None,
        reason: str,
        derived: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("RAG rating of %s") % ref, parent)
        self.current, self.reason = current, reason
        self.rag_combo = QComboBox(self)
        self.rag_combo.setAccessibleName(self.tr("RAG rating"))
        self.rag_combo.addItem(self.tr("Derived from the register (now %s)") % derived, None)
        for rag in RAGS:
            self.rag_combo.addItem(rag, rag)
        self.rag_combo.setCurrentIndex(max(0, self.rag_combo.findData(current)) if current else 0)
        self.rag_combo.currentIndexChanged.connect(self._update)
        self.note_edit.setAccessibleName(self.tr("Reason for the rating"))
        self.note_edit.setText(reason)
        self.form.addRow(self.tr("&Rating:"), self.rag_combo)
        self.form.addRow(self.tr("&Reason:"), self.note_edit)
        self._finish_layout()

    def new_rag(self) -> str | None:
        return self.rag_combo.currentData()

    def problems(self) -> list[str]:
        if self.new_rag() is None:  # back to the derived rating: no reason needed
            return [] if self.current else [self.tr("Pick a rating.")]
        found = super().problems()
        if self.new_rag() == self.current and self.note_edit.text().strip() == self.reason:
            found.insert(0, self.tr("Pick a different rating or give another reason."))
        return found
