"""Editing the recommendation beside the register: the form's values and their checks, the save
(from the version shown; a conflict with another clerk's save goes to the conflict dialog), and the
status, due date and target changes, each through the undo stack to the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from pcc_desk.errors import PccError, VersionConflict
from pcc_desk.gui.dialogs import conflict
from pcc_desk.gui.dialogs.response_form import ResponseForm, from_qdate
from pcc_desk.gui.dialogs.status_change import (
    ChangeStatusDialog,
    ReviseDueDialog,
    ReviseTargetDialog,
)
from pcc_desk.gui.undo import (
    ChangeStatusCommand,
    EditFieldsCommand,
    ReviseDueCommand,
    ReviseTargetCommand,
    execute,
)
from pcc_desk.vocabulary import Priority, RecommendationKind

if TYPE_CHECKING:
    from pcc_desk.gui.workbench import Workbench
    from pcc_desk.services.dto import RecommendationDetail

    _Base = QWidget
else:
    _Base = object


def _plain_text(edit: QPlainTextEdit) -> str:
    """The text as typed: ``toPlainText`` turns no-break spaces (common in imported letters) into
    spaces; the raw text keeps them and marks line breaks as paragraph separators."""
    return edit.document().toRawText().replace("\u2029", "\n")


class DetailEditing(_Base):
    """Mixed into RecommendationDetailPanel (which builds the form and shows the record)."""

    if TYPE_CHECKING:
        bench: Workbench
        detail: RecommendationDetail | None
        _shown: dict
        _loading: bool
        ask_edit: QPlainTextEdit
        notes_edit: QPlainTextEdit
        theme_combo: QComboBox
        kind_combo: QComboBox
        priority_combo: QComboBox
        addressee_edit: QLineEdit
        made_edit: QDateEdit
        problem_label: QLabel
        save_button: QPushButton
        revert_button: QPushButton

        def show_ref(self, ref: str | None) -> None: ...

        def show_detail(self, detail: RecommendationDetail | None) -> None: ...

    # --- editing ---------------------------------------------------------------------------------

    def edited_values(self) -> dict:
        """What the form holds now, as it would be saved."""
        return {
            "text": _plain_text(self.ask_edit).strip(),
            "theme": self.theme_combo.currentText().strip(),
            "addressee": self.addressee_edit.text().strip(),
            "kind": RecommendationKind(self.kind_combo.currentData()),
            "priority": Priority(self.priority_combo.currentData()),
            "made": from_qdate(self.made_edit.date()),
            "notes": _plain_text(self.notes_edit).strip(),
        }

    def _stored_values(self) -> dict:
        d = self.detail
        assert d is not None
        return {
            "text": d.text,
            "theme": d.theme,
            "addressee": d.addressee,
            "kind": d.kind,
            "priority": d.priority,
            "made": d.made,
            "notes": d.notes,
        }

    def changed_fields(self) -> tuple[dict, dict]:
        """(before, after) of the fields the clerk changed: the record's value and the form's.

        Values are compared, not widget signals: a field is changed when the form holds another
        value than the record's as the form showed it on loading. So a value a widget cannot hold
        exactly (text with a character Qt rewrites, surrounding spaces) is never taken for an edit,
        and an unchanged field is never written back."""
        if self.detail is None:
            return {}, {}
        before, after = self._stored_values(), self.edited_values()
        names = [k for k in after if after[k] != self._shown.get(k, before[k])]
        return {k: before[k] for k in names}, {k: after[k] for k in names}

    def has_unsaved_changes(self) -> bool:
        return bool(self.changed_fields()[1])

    def problems(self) -> list[str]:
        if self.detail is None:
            return []
        values = self.edited_values()
        found = []
        if not values["text"]:
            found.append(self.tr("The ask cannot be empty."))
        if values["made"] > self.detail.due:
            found.append(self.tr("The date made cannot be after the due date."))
        return found

    def _update(self) -> None:
        if self._loading:
            return
        problems = self.problems()
        dirty = self.has_unsaved_changes()
        self.problem_label.setText(" ".join(problems))
        self.save_button.setEnabled(dirty and not problems)
        self.revert_button.setEnabled(dirty)

    def save(self) -> bool:
        if self.detail is None or self.problems() or not self.has_unsaved_changes():
            return False
        before, after = self.changed_fields()
        ref = self.detail.ref

        def saving(
            values: dict[str, object], version: int | None
        ) -> None:  # from the version shown, or theirs
            execute(self.bench, EditFieldsCommand(self.bench, ref, before, values, version))

        try:
            try:
                saving(after, self.detail.version)
                choice: str | None = conflict.MINE
            except VersionConflict as changed:  # someone else changed it since it was shown
                choice = conflict.resolve(self, changed, saving) if changed.fields else None
                if choice is None:
                    raise
        except PccError as error:
            self.problem_label.setText(str(error))
            return False
        self.show_ref(ref)
        kept = self.tr("Your edits of %s were discarded; theirs are kept.")
        self.bench.message((kept if choice == conflict.THEIRS else self.tr("Saved %s.")) % ref)
        return True

    def revert(self) -> None:
        if self.detail is not None:
            self.show_detail(self.detail)

    def log_response(self) -> None:
        if self.detail is None:
            return

        form = ResponseForm(self.bench, self.detail, self)
        if form.exec():
            self.show_ref(self.detail.ref)

    def change_status(self) -> None:
        if self.detail is None:
            return

        dialog = ChangeStatusDialog(self.detail, self)
        if dialog.exec():
            self._run(
                ChangeStatusCommand(
                    self.bench,
                    self.detail.ref,
                    self.detail.status,
                    dialog.new_status(),
                    dialog.note_edit.text().strip(),
                )
            )

    def revise_due(self) -> None:
        if self.detail is None:
            return

        dialog = ReviseDueDialog(self.detail, self)
        if dialog.exec():
            self._run(
                ReviseDueCommand(
                    self.bench,
                    self.detail.ref,
                    self.detail.due,
                    dialog.new_due(),
                    dialog.note_edit.text().strip(),
                )
            )

    def revise_target(self) -> None:
        if self.detail is not None:
            dialog = ReviseTargetDialog(self.detail, self)
            if dialog.exec():
                target = dialog.new_target()
                reason = dialog.note_edit.text().strip()
                self._run(ReviseTargetCommand(self.bench, self.detail.ref, target, reason))

    def _run(self, command) -> None:
        try:
            execute(self.bench, command)
        except PccError as error:
            self.bench.report_error(error)
        self.show_ref(command.ref)
