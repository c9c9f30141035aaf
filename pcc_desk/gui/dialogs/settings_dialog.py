"""Settings: the Committee's details (in the register, via services.settings) and the database file
(a window-state choice in QSettings, used at the next start when no --db is given)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QWidget

from pcc_desk.errors import PccError
from pcc_desk.gui import state
from pcc_desk.gui.forms.ui_settings import Ui_SettingsDialog
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import settings as committee_settings


class SettingsDialog(QDialog):
    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bench = bench
        self.ui = Ui_SettingsDialog()
        self.ui.setupUi(self)
        self.current = committee_settings.get_settings(bench.desk)
        ui = self.ui
        ui.committeeEdit.setText(self.current.committee)
        ui.chairEdit.setText(self.current.chair)
        ui.chairRoleEdit.setText(self.current.chair_role)
        ui.clerkNameEdit.setText(self.current.clerk_name)
        ui.clerkEmailEdit.setText(self.current.clerk_email)
        ui.templateEdit.setText(self.current.letter_template)
        ui.databaseEdit.setText(bench.desk.location.describe())
        self.chosen_database: str | None = None
        self.save_button = ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        ui.templateButton.clicked.connect(self.choose_template)
        ui.databaseButton.clicked.connect(self.choose_database)
        for edit in (ui.committeeEdit, ui.chairEdit, ui.clerkEmailEdit, ui.templateEdit):
            edit.textChanged.connect(self._update)
        self._update()

    def problems(self) -> list[str]:
        ui = self.ui
        found = []
        if not ui.committeeEdit.text().strip():
            found.append(self.tr("The Committee needs a name."))
        if not ui.chairEdit.text().strip():
            found.append(self.tr("Name the Chair (letters are signed by the Chair)."))
        email = ui.clerkEmailEdit.text().strip()
        if email and ("@" not in email or " " in email):
            found.append(self.tr("The clerk's email does not look like an email address."))
        template = ui.templateEdit.text().strip()
        if template and not (Path(template).is_file() and template.lower().endswith(".docx")):
            found.append(self.tr("The letterhead template must be an existing .docx file."))
        return found

    def _update(self) -> None:
        problems = self.problems()
        self.ui.problemLabel.setText(" ".join(problems))
        self.save_button.setEnabled(not problems)

    def choose_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Letterhead template"), "", self.tr("Word documents (*.docx)"))
        if path:
            self.ui.templateEdit.setText(path)

    def choose_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Database file"), self.ui.databaseEdit.text(), self.tr("PCC Desk registers (*.sqlite3)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.set_database(path)

    def set_database(self, path: str) -> None:
        self.chosen_database = path
        self.ui.databaseEdit.setText(path)
        self.ui.databaseNote.setText(self.tr("PCC Desk will open this file when it next starts."))

    def accept(self) -> None:
        if self.problems():
            return
        ui = self.ui
        updated = dataclasses.replace(
            self.current,
            committee=ui.committeeEdit.text().strip(),
            chair=ui.chairEdit.text().strip(),
            chair_role=ui.chairRoleEdit.text().strip(),
            clerk_name=ui.clerkNameEdit.text().strip(),
            clerk_email=ui.clerkEmailEdit.text().strip(),
            letter_template=ui.templateEdit.text().strip(),
        )
        try:
            committee_settings.save_settings(self.bench.desk, updated)
        except PccError as error:
            ui.problemLabel.setText(str(error))
            return
        if self.chosen_database:
            state.choose_database(self.chosen_database)
        super().accept()
