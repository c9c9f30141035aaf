"""Questions the workbench asks the clerk (one place, so tests can answer them)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_unsaved(parent: QWidget | None, what: str) -> str:
    """Save / Discard / Cancel for unsaved edits; returns SAVE, DISCARD or CANCEL."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(box.tr("Unsaved changes"))
    box.setText(box.tr("Save the changes to %s?") % what)
    box.setInformativeText(box.tr("If you discard them they are lost."))
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return DISCARD
    return CANCEL


def tell_damage_found(parent: QWidget | None, text: str) -> None:
    """The whole-file check, run while the register was already on screen, found damage."""
    QMessageBox.warning(parent, "The register is damaged", text)
