"""File → Work offline…: a laptop copy of the team register (:func:`pcc_desk.services.sync.checkout`).

The clerk gives the team register's address (filled in when the window is on a team register, or on
a laptop copy of one) and where to keep the copy. The copy is made off the screen's thread, with a
progress bar and Cancel (nothing is left under the name when it is cancelled or fails); then the
clerk is offered to work on it at once (and at every start, until Settings → Register chooses
otherwise).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.errors import Cancelled, InvalidInput, LoginRefused
from pcc_desk.gui import register_choice, state
from pcc_desk.gui.errors import worded
from pcc_desk.gui.tasks import Task
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import credentials, maintenance, offline

COPY_NAME = "team-register-laptop.sqlite3"


# --- questions to the clerk (module functions, so that tests can answer them) ---------------------


def ask_replace(parent: QWidget | None, path: Path) -> bool:
    answer = QMessageBox.question(
        parent,
        QApplication.translate("offline", "Work offline"),
        QApplication.translate("offline", "%s exists already. Replace it with a new copy?")
        % path.name,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_open_copy(parent: QWidget | None, message: str) -> bool:
    answer = QMessageBox.question(
        parent,
        QApplication.translate("offline", "Work offline"),
        message
        + "\n\n"
        + QApplication.translate(
            "offline",
            "Work on the laptop copy now? PCC Desk opens it at every start until you choose "
            "another register in Settings → Register.",
        ),
    )
    return answer == QMessageBox.StandardButton.Yes


class WorkOfflineDialog(QDialog):
    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bench = bench
        self.task: Task | None = None
        self.typed_password: str | None = None
        self.copied: Path | None = None
        self.setWindowTitle(self.tr("Work offline"))
        self.resize(620, 260)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "A copy of the team register on this computer, to work on with no connection. "
                "Every screen works on it; Sync sends your changes to the team register and "
                "brings your colleagues' down. The copy holds the whole register; old transcripts "
                "that no quote comes from can be left out to keep it small."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url_edit = QLineEdit(offline.team_address(bench.desk) or "", self)
        self.url_edit.setPlaceholderText("postgresql+psycopg://alice@server.example/pcc_register")
        self.url_edit.setAccessibleName(self.tr("The team register's address"))
        form.addRow(self.tr("Team register:"), self.url_edit)
        self.path_edit = QLineEdit(str(maintenance.default_data_dir() / COPY_NAME), self)
        self.path_edit.setAccessibleName(self.tr("Where to keep the laptop copy"))
        choose = QPushButton(self.tr("C&hoose…"), self)
        choose.clicked.connect(self.choose_path)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        form.addRow(self.tr("Laptop copy:"), row)
        self.years_spin = QSpinBox(self)
        self.years_spin.setRange(0, 99)
        self.years_spin.setSpecialValueText(self.tr("keep them all"))
        self.years_spin.setSuffix(self.tr(" years"))
        self.years_spin.setAccessibleName(self.tr("Leave out transcripts older than (years)"))
        form.addRow(self.tr("Leave out transcripts older than:"), self.years_spin)
        layout.addLayout(form)
        self.bar = QProgressBar(self)
        self.bar.setVisible(False)
        self.bar.setAccessibleName(self.tr("Progress of the copy"))
        layout.addWidget(self.bar)
        self.problem_label = QLabel(self)
        self.problem_label.setWordWrap(True)
        self.problem_label.setAccessibleName(self.tr("Problem"))
        layout.addWidget(self.problem_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.start_button = QPushButton(self.tr("&Make the laptop copy"), self)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)

    def choose_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Where to keep the laptop copy"),
            self.path_edit.text(),
            self.tr("PCC Desk registers (*.sqlite3)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.path_edit.setText(path)

    # --- the copy ---------------------------------------------------------------------------------

    def start(self) -> Task | None:
        """Check what was typed, then make the copy off the screen's thread."""
        if self.task is not None and self.task.running:
            return None
        try:
            address = credentials.check_team_url(self.url_edit.text())
        except InvalidInput as error:
            self.problem_label.setText(str(error))
            return None
        text = self.path_edit.text().strip()
        if not text:
            self.problem_label.setText(self.tr("Give the file to keep the laptop copy in."))
            return None
        target = Path(text).expanduser()
        if self.bench.desk.location.path is not None and target == self.bench.desk.location.path:
            self.problem_label.setText(
                self.tr("That is the register open now; choose another file for the copy.")
            )
            return None
        force = target.exists()
        if force and not ask_replace(self, target):
            return None
        url = offline.with_kept_password(address, self.typed_password)
        older_than = self.years_spin.value() or None

        def work(token, progress):
            def told(done: int, total: int) -> None:
                token.check()  # Cancel: the copy stops, nothing is left under the name
                progress(done, total)

            return offline.checkout(url, target, force=force, progress=told, older_than=older_than)

        self.problem_label.setText(self.tr("Copying the team register…"))
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self.start_button.setEnabled(False)
        self.task = self.bench.tasks.run(
            work,
            on_done=lambda done: self._copied(done, target, address),
            on_error=lambda error: self._failed(error, address),
            label=self.tr("Making the laptop copy…"),
        )
        self.task.progressed.connect(self._progress)
        return self.task

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _copied(self, done, target: Path, address: str) -> None:
        self.bar.setVisible(False)
        self.start_button.setEnabled(True)
        self.copied = target
        if self.typed_password:
            credentials.keep_password(address, self.typed_password)
        message = self.tr("The laptop copy is in %s (%d records).") % (target, done.total)
        if done.left_out:
            message = f"{message} {done.left_out}"
        self.problem_label.setText(message)
        if ask_open_copy(self, message) and self.bench.window is not None:
            state.choose_database(str(target))
            register_choice.switch_register(self.bench.window, str(target))
        self.accept()

    def _failed(self, error: BaseException, address: str) -> None:
        self.bar.setVisible(False)
        self.start_button.setEnabled(True)
        one_line = worded(error, address)
        if isinstance(one_line, LoginRefused) and not self.isHidden():
            typed = register_choice.ask_password(self, str(one_line))
            if typed is not None:
                self.typed_password = typed
                self.start()
                return
        if one_line is None:  # a bug: the polite dialog and the local log
            self.problem_label.setText(self.tr("The copy was not made."))
            self.bench.report_error(error)
            return
        text = str(one_line)
        if isinstance(one_line, Cancelled):
            text = self.tr("Cancelled; no laptop copy was made.")
        self.problem_label.setText(text)

    def reject(self) -> None:
        """Cancel: stops a copy under way (the dialog stays until it has stopped), else closes."""
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.problem_label.setText(self.tr("Cancelling…"))
            return
        super().reject()
