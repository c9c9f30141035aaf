"""The register is damaged: say so plainly, and offer the newest good backup, a fresh start, or Quit.

Shown at start-up when opening the register raises :class:`DatabaseDamaged`. The damaged file has not
been touched; whichever way the clerk chooses, it is set aside under a dated name, never deleted
(:func:`pcc_desk.services.maintenance.recover` does the work once the dialog has returned the choice).
"""

from __future__ import annotations

# Qt's namespace through QtCore, where it is used: it is made on first use (~17 ms), after the
# window is on screen
from PySide6 import QtCore
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

RESTORE_LATEST = "restore-latest"  # = pcc_desk.backup.CHOICE_RESTORE_LATEST (not imported: the dialog needs no SQLAlchemy)
FRESH = "fresh"


class RecoveryDialog(QDialog):
    """``choice`` is ``"restore-latest"``, ``"fresh"`` or None (Quit) once the dialog has closed."""

    def __init__(self, error, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("PCC Desk: the register is damaged"))
        self.choice: str | None = None
        offer = getattr(error, "offer", None)
        choices = tuple(offer.choices) if offer is not None else (FRESH,)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h3>{self.tr('The register cannot be opened')}</h3>", self)
        problem = QLabel(str(error), self)
        problem.setWordWrap(True)
        problem.setAccessibleName(self.tr("What is wrong"))
        what_now = QLabel(offer.describe() if offer is not None else "", self)
        what_now.setWordWrap(True)
        what_now.setAccessibleName(self.tr("What you can do"))
        kept = QLabel(
            self.tr(
                "Nothing has been changed yet. Whatever you choose, the damaged file is kept beside "
                "the register under a dated name, so that it can still be sent for repair."
            ),
            self,
        )
        kept.setWordWrap(True)
        for label in (problem, what_now, kept):
            label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label, self.offer_label = problem, what_now
        layout.addWidget(heading)
        layout.addWidget(problem)
        layout.addWidget(what_now)
        layout.addWidget(kept)

        buttons = QDialogButtonBox(self)
        self.restore_button: QPushButton | None = None
        if RESTORE_LATEST in choices:
            self.restore_button = buttons.addButton(
                self.tr("&Restore the newest backup"), QDialogButtonBox.ButtonRole.AcceptRole
            )
            if offer is not None and offer.backup is not None:
                self.restore_button.setToolTip(offer.backup.describe())
            self.restore_button.clicked.connect(lambda: self._choose(RESTORE_LATEST))
        self.fresh_button = buttons.addButton(
            self.tr("Start a &fresh register"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.fresh_button.clicked.connect(lambda: self._choose(FRESH))
        self.quit_button = buttons.addButton(
            self.tr("&Quit"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.quit_button.clicked.connect(self.reject)
        (self.restore_button or self.quit_button).setDefault(True)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:
        self.choice = None
        super().reject()
