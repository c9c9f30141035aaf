"""The Letters screen's writing and exporting: the letter (.docx), the tracker and the Summary List of
Actions, each written on a worker; the clerk is then offered to open the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from pcc_desk.services import letters as letter_service

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from pcc_desk.gui.screens import Screen

    _Base = Screen
else:
    _Base = object


class LetterWriting(_Base):
    """Mixed into LettersScreen (which has the ticks, the options, the template and the signals)."""

    if TYPE_CHECKING:
        letter_written: SignalInstance
        exported: SignalInstance
        template: Path | None
        done_box: QMessageBox | None

        def ticked_refs(self) -> list[str]: ...

        def options(self) -> dict: ...

    # --- writing -----------------------------------------------------------------------------------

    def _save_path(self, title: str, name: str, pattern: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, name, pattern)
        return Path(path) if path else None

    def write_letter(self, path: Path | None = None) -> None:
        refs = tuple(self.ticked_refs())
        if not refs:
            self.bench.message(self.tr("Tick at least one recommendation first."))
            return
        if path is None:
            path = self._save_path(
                self.tr("Write the letter"),
                f"pcc-follow-up-{dt.date.today().isoformat()}.docx",
                self.tr("Word files (*.docx)"),
            )
            if path is None:
                return
        desk, options, template = self.bench.desk, self.options(), self.template

        def write(token, progress):
            progress(0, 1)
            token.check()
            drafted = letter_service.draft_letter(
                desk, letter_service.Selection(refs=refs), path, template=template, **options
            )
            progress(1, 1)
            return drafted

        self.bench.run(write, self._written, label=self.tr("Writing the letter…"))

    def _written(self, drafted) -> None:
        message = self.tr(
            "Letter written to %s: %d recommendation(s), %d footnote(s), %d quote(s)."
        ) % (drafted.path.name, len(drafted.refs), drafted.footnotes, drafted.quotes)
        self.bench.message(message)
        self._offer_to_open(self.tr("Letter written"), message, drafted.path)
        self.letter_written.emit(drafted)

    def _offer_to_open(self, title: str, message: str, path: Path) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.NoButton, self
        )
        self.open_file_button = box.addButton(
            self.tr("&Open it"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: button is self.open_file_button and self.open_file(path)
        )
        box.destroyed.connect(lambda *_: setattr(self, "done_box", None))
        self.done_box = box
        box.open()

    def open_file(self, path: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def export_tracker(self, path: Path | None = None) -> None:
        if path is None:
            path = self._save_path(
                self.tr("Export the tracker"),
                f"pcc-tracker-{dt.date.today().isoformat()}.xlsx",
                self.tr("Excel (*.xlsx);;Word (*.docx);;CSV (*.csv)"),
            )
            if path is None:
                return
        refs = tuple(self.ticked_refs())
        selection = letter_service.Selection(refs=refs) if refs else None
        desk = self.bench.desk
        self.bench.run(
            lambda token, progress: letter_service.export_tracker(desk, path, selection=selection),
            lambda exported: self._exported(self.tr("Tracker exported"), exported),
            label=self.tr("Exporting the tracker…"),
        )

    def export_actions(self, path: Path | None = None) -> None:
        if path is None:
            path = self._save_path(
                self.tr("Summary List of Actions"),
                f"pcc-summary-of-actions-{dt.date.today().isoformat()}.docx",
                self.tr("Word files (*.docx)"),
            )
            if path is None:
                return
        refs = tuple(self.ticked_refs())
        selection = letter_service.Selection(refs=refs) if refs else None
        desk = self.bench.desk
        self.bench.run(
            lambda token, progress: letter_service.summary_of_actions(
                desk, path, selection=selection
            ),
            lambda exported: self._exported(self.tr("Summary List of Actions written"), exported),
            label=self.tr("Writing the Summary List of Actions…"),
        )

    def _exported(self, title: str, exported) -> None:
        message = self.tr("%s: %d row(s) written to %s.") % (
            title,
            exported.rows,
            exported.path.name,
        )
        self.bench.message(message)
        self._offer_to_open(title, message, exported.path)
        self.exported.emit(exported)
