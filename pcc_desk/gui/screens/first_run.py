"""What an empty register shows: a friendly start instead of an empty table.

Two ways in: "Import a letter…" (the very action of File → Import letter…) and "Open the sample letter",
which imports the Committee's letter shipped with PCC Desk in one click, so that a new clerk sees the
register working at once. The Register screen hides this as soon as it has rows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pcc_desk import paths
from pcc_desk.gui.workbench import Workbench


def import_sample_letter(desk, token=None, _progress=None):
    """Worker-side: preview and commit the shipped sample letter (one transaction, all or nothing)."""
    from pcc_desk.services import letter_import

    preview = letter_import.preview(desk, paths.sample_letter())
    if token is not None:
        token.check()  # cancelled before anything was written
    return letter_import.commit(desk, preview)


class EmptyRegister(QWidget):
    sample_imported = Signal(object)  # the ImportResult

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bench = bench
        self.setObjectName("empty-register")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        heading = QLabel(f"<h2>{self.tr('Welcome to PCC Desk')}</h2>", self)
        body = QLabel(
            self.tr(
                "<p>The register is empty. Recommendations come in with the Committee's letters: import a letter "
                "(Word, PDF or text) and PCC Desk finds its recommendations, themes and footnotes, and shows them to "
                "you before anything is saved.</p>"
                "<p>To see the app at work first, open the sample letter: the Committee's letter of 17 March 2023 on "
                "the Met's Turnaround Plan, with its 22 recommendations, imported in one click.</p>"
            ),
            self,
        )
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setAccessibleName(self.tr("The register is empty"))
        location = bench.desk.location
        self.where = QLabel(
            self.tr(
                "<p style='color:#555'>Your register is kept on this computer, in %s. PCC Desk backs it up while you "
                "work and when you close it (File → Backups…).</p>"
            )
            % location.describe(),
            self,
        )
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (heading, body, self.where):
            label.setMaximumWidth(760)
        self.import_button = QPushButton(self.tr("&Import a letter…"), self)
        self.import_button.setAccessibleName(self.tr("Import a letter"))
        self.sample_button = QPushButton(self.tr("&Open the sample letter"), self)
        self.sample_button.setAccessibleName(self.tr("Open the sample letter"))
        self.sample_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addSpacing(16)
        layout.addWidget(self.where)
        layout.addStretch(1)
        self.import_button.clicked.connect(self.import_letter)
        self.sample_button.clicked.connect(self.open_sample)

    def import_letter(self) -> None:
        """The same action as File → Import letter…"""
        action = getattr(self.bench.window, "import_letter_action", None)
        if action is not None:
            action.trigger()

    def open_sample(self) -> None:
        desk = self.bench.desk
        self.sample_button.setEnabled(False)
        self.bench.run(
            lambda token, progress: import_sample_letter(desk, token, progress),
            self._imported,
            label=self.tr("Importing the sample letter"),
            on_error=self._failed,
        )

    def _imported(self, result) -> None:
        self.sample_button.setEnabled(True)
        self.bench.message(result.message)
        self.sample_imported.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.sample_button.setEnabled(True)
        self.bench.report_error(error)
