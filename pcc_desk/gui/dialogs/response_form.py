"""Log a response: the form from ``ui/response_form.ui``.

Save stays disabled until the form is valid (text present, date not in the future nor before the
ask was made). Esc or closing with edits asks Save / Discard / Cancel, so nothing typed is lost.
Saving goes through the undo stack (undo removes the response and reverts the status it moved).
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFileDialog, QWidget

from pcc_desk.dates import house_date
from pcc_desk.errors import PccError
from pcc_desk.gui import prompts
from pcc_desk.gui.forms.ui_response_form import Ui_ResponseForm
from pcc_desk.gui.undo import LogResponseCommand, execute
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import register
from pcc_desk.services.dto import RecommendationSummary
from pcc_desk.services.reading import read_response_letter
from pcc_desk.vocabulary import Assessment, Implementation, Position, ResponseKind, Status


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class ResponseForm(QDialog):
    def __init__(
        self,
        bench: Workbench,
        rec: RecommendationSummary,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.bench, self.rec = bench, rec
        self.today = today or dt.date.today()
        self.ui = Ui_ResponseForm()
        self.ui.setupUi(self)
        self.saved = False
        ui = self.ui
        ui.headingLabel.setText(
            self.tr("Response to <b>%s</b>: %s")
            % (html.escape(rec.ref), html.escape(_short(rec.text)))
        )
        ui.receivedEdit.setMaximumDate(to_qdate(self.today))
        ui.receivedEdit.setMinimumDate(to_qdate(rec.made))
        ui.receivedEdit.setDate(to_qdate(self.today))
        ui.fromEdit.setText(rec.addressee)
        # an ask to several addressees: the response is from one of them, picked here
        self.addressee_combo: QComboBox | None = None
        names = [a.name for a in register.get_recommendation(bench.desk, rec.ref).addressees]
        if len(names) > 1:
            combo = self.addressee_combo = QComboBox(self)
            combo.setAccessibleName(self.tr("Which addressee it is from"))
            combo.addItem(self.tr("Choose the addressee…"), None)
            for name in names:
                combo.addItem(name, name)
            ui.formLayout.insertRow(1, self.tr("&Addressee:"), combo)
            ui.fromEdit.clear()
            combo.currentIndexChanged.connect(self._update)
        for combo, enum in (
            (ui.positionCombo, Position),
            (ui.implementationCombo, Implementation),
            (ui.assessmentCombo, Assessment),
        ):
            for member in enum:
                combo.addItem(member.label, member)
        for kind in ResponseKind:
            ui.kindCombo.addItem(kind.label, kind)
        ui.targetEdit.setMinimumDate(to_qdate(rec.made))
        ui.targetEdit.setDate(to_qdate(self.today))
        ui.targetCheck.toggled.connect(ui.targetEdit.setEnabled)
        ui.statusCombo.addItem("", None)  # "as the assessment suggests", worded by _update
        for status in Status:
            ui.statusCombo.addItem(status.label, status)
        self.save_button = ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Save"))
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        ui.importButton.clicked.connect(self.choose_file)
        for signal in (
            ui.receivedEdit.dateChanged,
            ui.fromEdit.textChanged,
            ui.positionCombo.currentIndexChanged,
            ui.implementationCombo.currentIndexChanged,
            ui.assessmentCombo.currentIndexChanged,
            ui.textEdit.textChanged,
            ui.statusCombo.currentIndexChanged,
            ui.noteEdit.textChanged,
            ui.kindCombo.currentIndexChanged,
            ui.targetCheck.toggled,
            ui.targetEdit.dateChanged,
        ):
            signal.connect(self._update)
        self._pristine = self._snapshot()
        self._update()

    # --- state -----------------------------------------------------------------------------------

    def values(self) -> dict:
        ui = self.ui
        return {
            "received": from_qdate(ui.receivedEdit.date()),
            "from_whom": ui.fromEdit.text().strip(),
            "position": None  # a progress update keeps the latest response's position
            if ui.kindCombo.currentData() == ResponseKind.PROGRESS_UPDATE
            else Position(ui.positionCombo.currentData()),
            "implementation": Implementation(ui.implementationCombo.currentData()),
            "assessment": Assessment(ui.assessmentCombo.currentData()),
            "text": ui.textEdit.toPlainText().strip(),
            "new_status": Status(ui.statusCombo.currentData())
            if ui.statusCombo.currentData()
            else None,
            "note": ui.noteEdit.text().strip(),
            "today": self.today,
            "kind": ResponseKind(ui.kindCombo.currentData()),
            "target": from_qdate(ui.targetEdit.date()) if ui.targetCheck.isChecked() else None,
            "addressee": self.addressee_combo.currentData() if self.addressee_combo else None,
        }

    def problems(self) -> list[str]:
        v = self.values()
        found = []
        if not v["text"]:
            found.append(self.tr("Paste or import the text of the response."))
        if self.addressee_combo is not None and not v["addressee"]:
            found.append(self.tr("Choose which addressee it is from."))
        if v["received"] > self.today:
            found.append(self.tr("The date received cannot be in the future."))
        if v["received"] < self.rec.made:
            found.append(
                self.tr("The date received is before the ask was made (%s).")
                % house_date(self.rec.made)
            )
        return found

    def is_dirty(self) -> bool:
        return not self.saved and self._snapshot() != self._pristine

    def _snapshot(self) -> tuple:
        v = self.values()
        return tuple(
            v[k]
            for k in (
                "received",
                "from_whom",
                "position",
                "implementation",
                "assessment",
                "text",
                "new_status",
                "note",
                "kind",
                "target",
                "addressee",
            )
        )

    def _update(self) -> None:
        assessment = Assessment(self.ui.assessmentCombo.currentData())
        update = self.ui.kindCombo.currentData() == ResponseKind.PROGRESS_UPDATE
        self.ui.positionCombo.setEnabled(not update)
        if update:
            suggested = register.status_after_update(assessment, self.rec.status)
        else:
            suggested = register.default_status_after(
                assessment, Position(self.ui.positionCombo.currentData())
            )
        self.ui.statusCombo.setItemText(
            0, self.tr("As the assessment suggests (%s)") % suggested.label
        )
        problems = self.problems()
        self.ui.problemLabel.setText(" ".join(problems))
        self.save_button.setEnabled(not problems)

    # --- actions ---------------------------------------------------------------------------------

    def set_text(self, text: str) -> None:
        self.ui.textEdit.setPlainText(text)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import the response letter"),
            "",
            self.tr("Response letters (*.docx *.pdf *.txt);;All files (*)"),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path):
        """Read the letter's text off the UI thread and put it in the text box."""
        self.ui.importButton.setEnabled(False)

        def done(text: str) -> None:
            self.ui.importButton.setEnabled(True)
            self.set_text(text)

        def failed(error: BaseException) -> None:
            self.ui.importButton.setEnabled(True)
            self.bench.report_error(error)

        return self.bench.run(
            lambda token, _progress: read_response_letter(path, token),
            done,
            on_error=failed,
            label=self.tr("Reading %s") % path.name,
        )

    def accept(self) -> None:
        if self.problems():
            return
        values = self.values()
        try:
            execute(self.bench, LogResponseCommand(self.bench, self.rec.ref, values))
        except PccError as error:
            self.ui.problemLabel.setText(str(error))
            return
        self.saved = True
        super().accept()

    def reject(self) -> None:
        if self.is_dirty():
            answer = prompts.ask_unsaved(self, self.tr("the response to %s") % self.rec.ref)
            if answer == prompts.CANCEL:
                return
            if answer == prompts.SAVE:
                if self.problems():
                    self._update()
                    return
                self.accept()
                return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
