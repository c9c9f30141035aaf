"""Settings: the Committee's details and the wording of letters (in the register, via services.settings)
and the register to work on (the user's own choice, in QSettings: "This laptop", a file, or "Team
register", a PostgreSQL address whose password the system keyring keeps; see gui.register_choice).
The window opens the register chosen when the dialog is saved (:attr:`SettingsDialog.switch_to`), and
at every start when no --db is given. "Test connection" logs in off the UI thread and says what it
found, in one line.

The "Letter wording" tab lists the fixed paragraphs of a follow-up letter; the selected one is edited
with the placeholders it may use shown, checked as the clerk types by the letter writer's own rule.
"""

from __future__ import annotations

import contextlib
import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QListWidgetItem, QWidget

from pcc_desk.errors import InvalidInput, PccError, VersionConflict
from pcc_desk.gui import state
from pcc_desk.gui.dialogs import conflict
from pcc_desk.gui.errors import worded
from pcc_desk.gui.forms.ui_settings import Ui_SettingsDialog
from pcc_desk.gui.register_choice import switch_register
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import credentials, team
from pcc_desk.services import settings as committee_settings

if TYPE_CHECKING:
    from pcc_desk.gui.tasks import Task


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
        ui.cadenceSpin.setRange(1, committee_settings.MAX_CADENCE_MONTHS)  # the service's rule
        ui.cadenceSpin.setValue(self.current.update_cadence_months)
        self.chosen_database: str | None = None
        self.switch_to: state.RegisterChoice | None = None  # set on saving a different register
        self.typed_password: str | None = None
        self.save_button = ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
        ui.buttonBox.accepted.connect(self.accept)
        ui.buttonBox.rejected.connect(self.reject)
        ui.templateButton.clicked.connect(self.choose_template)
        ui.databaseButton.clicked.connect(self.choose_database)
        ui.testButton.clicked.connect(self.test_connection)
        for edit in (ui.committeeEdit, ui.chairEdit, ui.clerkEmailEdit, ui.templateEdit):
            edit.textChanged.connect(self._update)
        self._setup_wording()
        self._setup_register()
        self._update()

    # --- the register -----------------------------------------------------------------------------

    def _setup_register(self) -> None:
        ui = self.ui
        location = self.bench.desk.location
        self.chosen = state.chosen_register()
        self.connection_task: Task | None = None
        if location.is_server:
            ui.teamRadio.setChecked(True)
            shown = credentials.without_password(location.url)
            if self.chosen.url and credentials.same_register(self.chosen.url, shown):
                shown = self.chosen.url  # as the clerk typed it
            ui.teamUrlEdit.setText(shown)
            ui.databaseEdit.setText(self.chosen.path or self.tr("(the default file)"))
        else:
            ui.laptopRadio.setChecked(True)
            ui.databaseEdit.setText(location.describe())
            ui.teamUrlEdit.setText(self.chosen.url)
        if credentials.keyring_usable():
            ui.keyringNote.setText(
                self.tr("The password is kept by this computer's keyring, never in a file.")
            )
        else:
            ui.keyringNote.setText(
                self.tr(
                    "This computer has no keyring to keep the password in: PCC Desk asks for it "
                    "each time it starts (it is never written to a file)."
                )
            )
        for radio in (ui.laptopRadio, ui.teamRadio):
            radio.toggled.connect(self._register_kind_changed)
        for edit in (ui.teamUrlEdit, ui.teamPasswordEdit):
            edit.textChanged.connect(self._team_edited)
        self._register_kind_changed()

    def _register_kind_changed(self, *_args) -> None:
        ui = self.ui
        team = ui.teamRadio.isChecked()
        for widget in (ui.teamUrlEdit, ui.teamPasswordEdit, ui.testButton):
            widget.setEnabled(team)
        ui.databaseButton.setEnabled(not team)
        self._update()

    def _team_edited(self, *_args) -> None:
        self.ui.connectionLabel.setText("")
        self._update()

    def team_url(self) -> str:
        """The address as typed, a password typed into it taken out (to the password field)."""
        typed = self.ui.teamUrlEdit.text().strip()
        password = credentials.password_in(typed) if "://" in typed else None
        if password:
            self.ui.teamUrlEdit.setText(credentials.without_password(typed))
            self.ui.teamPasswordEdit.setText(password)
        return self.ui.teamUrlEdit.text().strip()

    def register_problem(self) -> str:
        if not self.ui.teamRadio.isChecked():
            return ""
        try:
            credentials.check_team_url(self.ui.teamUrlEdit.text())
        except InvalidInput as error:
            return str(error)
        return ""

    def register_choice(self) -> state.RegisterChoice:
        ui = self.ui
        path = self.chosen_database if self.chosen_database is not None else self.chosen.path
        if ui.teamRadio.isChecked():
            return state.RegisterChoice(
                state.TEAM, path, credentials.check_team_url(self.team_url())
            )
        try:  # the team address shown stays remembered for a later switch
            url = credentials.check_team_url(self.team_url())
        except InvalidInput:
            url = self.chosen.url
        return state.RegisterChoice(state.LAPTOP, path, url)

    def _in_use(self, choice: state.RegisterChoice) -> bool:
        location = self.bench.desk.location
        if choice.kind == state.TEAM:
            return location.is_server and credentials.same_register(location.url, choice.url)
        return not location.is_server and self.chosen_database is None

    def test_connection(self) -> None:
        """Log in to the team register off the UI thread; the result in one line."""
        ui = self.ui
        problem = self.register_problem()
        if problem:
            ui.connectionLabel.setText(problem)
            return
        url = credentials.with_password(self.team_url(), ui.teamPasswordEdit.text() or None)
        if not ui.teamPasswordEdit.text():
            url = credentials.with_password(url, credentials.stored_password(url))
        ui.testButton.setEnabled(False)
        ui.connectionLabel.setText(self.tr("Connecting…"))

        def done(found) -> None:
            show(found.summary)

        def failed(error: BaseException) -> None:
            one_line = worded(error, url)
            show(str(one_line) if one_line else self.tr("The connection test did not work."))

        def show(text: str) -> None:
            with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
                ui.testButton.setEnabled(ui.teamRadio.isChecked())
                ui.connectionLabel.setText(text)

        self.connection_task = self.bench.tasks.run(
            lambda _token, _progress: team.try_connection(url),
            on_done=done,
            on_error=failed,
            label=self.tr("Testing the connection…"),
        )

    # --- letter wording ---------------------------------------------------------------------------

    def _setup_wording(self) -> None:
        ui = self.ui
        self.wording = {e.key: e for e in committee_settings.wording_entries(self.bench.desk)}
        self.wording_texts = {key: entry.text for key, entry in self.wording.items()}
        self._loading = False
        for key, entry in self.wording.items():
            item = QListWidgetItem(entry.label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            ui.wordingList.addItem(item)
        ui.wordingSplitter.setSizes([300, 480])
        ui.wordingList.currentRowChanged.connect(self._show_wording)
        ui.wordingEdit.textChanged.connect(self._wording_edited)
        ui.restoreButton.clicked.connect(self.restore_wording)
        self._mark_wording()
        ui.wordingList.setCurrentRow(0)

    def current_wording_key(self) -> str | None:
        item = self.ui.wordingList.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_wording(self, key: str) -> None:
        self.ui.tabs.setCurrentWidget(self.ui.wordingTab)
        self.ui.wordingList.setCurrentRow(list(self.wording).index(key))

    def wording_problem(self, key: str) -> str:
        try:
            committee_settings.check_wording(key, self.wording_texts[key])
        except InvalidInput as error:
            return str(error)
        return ""

    def _show_wording(self, row: int) -> None:
        key = self.current_wording_key()
        if key is None:
            return
        entry = self.wording[key]
        ui = self.ui
        ui.wordingTitle.setText(entry.label)
        self._loading = True
        ui.wordingEdit.setPlainText(self.wording_texts[key])
        self._loading = False
        ui.placeholdersLabel.setText(
            self.tr("May use:")
            + "\n"
            + "\n".join(f"{{{p.name}}} – {p.meaning}" for p in entry.placeholders)
        )
        self._show_wording_state()

    def _show_wording_state(self) -> None:
        key = self.current_wording_key()
        if key is None:
            return
        problem = self.wording_problem(key)
        if problem:
            text = self.tr("⚠ Letters cannot use this text yet: see why below.")
        elif self.wording_texts[key] != self.wording[key].default:
            text = self.tr("In the Committee's own words.")
        else:
            text = self.tr("The default text.")
        self.ui.wordingState.setText(text)
        self.ui.restoreButton.setEnabled(self.wording_texts[key] != self.wording[key].default)

    def _wording_edited(self) -> None:
        key = self.current_wording_key()
        if self._loading or key is None:
            return
        self.wording_texts[key] = self.ui.wordingEdit.toPlainText()
        self._mark_wording()
        self._show_wording_state()
        self._update()

    def _mark_wording(self) -> None:
        """Each paragraph's label, marked ✎ when in the Committee's own words and ⚠ when it cannot be used."""
        for row in range(self.ui.wordingList.count()):
            item = self.ui.wordingList.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            entry = self.wording[key]
            problem = self.wording_problem(key)
            own = self.wording_texts[key] != entry.default
            item.setText(("⚠ " if problem else "✎ " if own else "") + entry.label)
            font = item.font()
            font.setBold(own)
            item.setFont(font)
            item.setToolTip(
                problem
                or (self.tr("In the Committee's own words") if own else self.tr("The default text"))
            )

    def restore_wording(self) -> None:
        key = self.current_wording_key()
        if key is not None:
            self.ui.wordingEdit.setPlainText(self.wording[key].default)

    def wording_overrides(self) -> dict[str, str]:
        """The paragraphs whose text differs from the default: only these are stored."""
        return {k: t for k, t in self.wording_texts.items() if t != self.wording[k].default}

    def edited(self) -> committee_settings.CommitteeSettings:
        """The Committee's details as the fields now stand."""
        ui = self.ui
        return dataclasses.replace(
            self.current,
            committee=ui.committeeEdit.text().strip(),
            chair=ui.chairEdit.text().strip(),
            chair_role=ui.chairRoleEdit.text().strip(),
            clerk_name=ui.clerkNameEdit.text().strip(),
            clerk_email=ui.clerkEmailEdit.text().strip(),
            letter_template=ui.templateEdit.text().strip(),
            update_cadence_months=ui.cadenceSpin.value(),
            wording=self.wording_overrides(),
        )

    def problems(self) -> list[str]:
        """The service's rules for the details (one rule for the dialog and the CLI), then the wording's."""
        found = [self.tr(p) for p in committee_settings.settings_problems(self.edited())]
        found += [problem for key in self.wording if (problem := self.wording_problem(key))]
        if problem := self.register_problem():
            found.append(problem)
        return found

    def _update(self) -> None:
        problems = self.problems()
        self.ui.problemLabel.setText(" ".join(problems))
        self.save_button.setEnabled(not problems)

    def choose_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Letterhead template"),
            "",
            self.tr("Word documents and templates (*.docx *.dotx)"),
        )
        if path:
            self.ui.templateEdit.setText(path)

    def choose_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Database file"),
            self.ui.databaseEdit.text(),
            self.tr("PCC Desk registers (*.sqlite3)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.set_database(path)

    def set_database(self, path: str) -> None:
        self.chosen_database = path
        self.ui.laptopRadio.setChecked(True)
        self.ui.databaseEdit.setText(path)
        self.ui.databaseNote.setText(
            self.tr("PCC Desk opens this file when you save, and at every start.")
        )

    def exec(self) -> int:
        """Shown modally; once saved with another register chosen, the window opens it."""
        accepted = super().exec()
        if accepted and self.switch_to is not None and self.bench.window is not None:
            switch_register(self.bench.window, self.switch_to.target, self.typed_password)
        return accepted

    def accept(self) -> None:
        if self.problems():
            return
        ui = self.ui
        updated = self.edited()
        mine = {k for k, v in dataclasses.asdict(updated).items() if v != getattr(self.current, k)}

        def save(
            values: dict[str, object] | None, version: int | None
        ) -> None:  # theirs, with the details you changed
            base = (
                committee_settings.get_settings(self.bench.desk) if values is not None else updated
            )
            chosen: dict[str, Any] = {
                k: tuple(v) if k == "default_cc" and isinstance(v, list | tuple) else v
                for k, v in (values or {}).items()
            }
            try:
                committee_settings.save_settings(
                    self.bench.desk, dataclasses.replace(base, **chosen), expected_version=version
                )
            except VersionConflict as changed:  # only the details you changed are yours to choose
                changed.fields = tuple(f for f in changed.fields if f.name in mine)
                raise

        try:
            try:
                save(None, self.current.version)
            except VersionConflict as changed:  # someone saved the details since this showed them
                if not changed.fields or conflict.resolve(self, changed, save) is None:
                    raise
        except PccError as error:
            ui.problemLabel.setText(str(error))
            return
        choice = self.register_choice()
        password = ui.teamPasswordEdit.text() if choice.kind == state.TEAM else ""
        if choice != self.chosen or password:
            state.choose_register(choice)  # the address only: the password goes to the keyring
        if not self._in_use(choice) or password:
            self.switch_to = choice
            self.typed_password = password or None
        super().accept()
