"""Importing letters from the window: one file through the review dialog, many files in one go.

One file (File → Import letter…, Ctrl+I, or dropped on the window) is read on a worker thread with
the status bar's progress and Cancel, then shown in :class:`LetterReviewDialog`; nothing is written
until the clerk presses Import. Several files, or a folder, are imported without review, each file in
its own transaction (the same rules as ``pcc-desk import-letter``), with progress; a file that fails
does not stop the others, and the failures are listed at the end.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from pcc_desk.dates import house_date
from pcc_desk.errors import DuplicateImport, PccError
from pcc_desk.gui.dialogs.letter_review import LetterReviewDialog
from pcc_desk.gui.errors import show_error
from pcc_desk.gui.undo import ImportLetterCommand
from pcc_desk.gui.workbench import Workbench
from pcc_desk.importers.safety import LETTER_SUFFIXES
from pcc_desk.services import letter_import
from pcc_desk.services.letter_import import ImportResult, LetterPreview


def letter_files(paths: list[Path]) -> list[Path]:
    """The files named, and the letter files inside the folders named (walked in name order)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    (
                        f
                        for f in path.rglob("*")
                        if f.is_file()
                        and f.suffix.lower() in LETTER_SUFFIXES
                        and not f.name.startswith((".", "~$"))
                    ),
                    key=lambda f: str(f).lower(),
                )
            )
        else:
            files.append(path)
    return files


@dataclass
class BatchReport:
    total: int
    imported: list[ImportResult] = field(default_factory=list)
    duplicates: list[ImportResult] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file name, one-line message)
    cancelled: bool = False

    @property
    def refs(self) -> list[str]:
        return [ref for result in self.imported for ref in result.refs]

    def summary(self) -> str:
        done = len(self.imported) + len(self.duplicates) + len(self.failures)
        text = f"{len(self.imported)} of {self.total} file(s) imported ({len(self.refs)} recommendation(s))"
        if self.duplicates:
            text += f", {len(self.duplicates)} already imported"
        if self.failures:
            text += f", {len(self.failures)} could not be imported"
        if self.cancelled:
            text += f"; cancelled after {done} file(s), the rest were not read"
        return text + "."


def import_batch(desk, files: list[Path], token, progress) -> BatchReport:
    """Worker-side: every file read and saved in its own transaction; no widgets here."""
    report = BatchReport(total=len(files))
    for n, path in enumerate(files):
        if token.cancelled:
            report.cancelled = True
            break
        progress(n, len(files))
        try:
            result = letter_import.commit(desk, letter_import.preview(desk, path))
        except PccError as error:
            report.failures.append((path.name, str(error)))
            continue
        except Exception as error:  # a file no rule foresaw: listed, never a traceback
            report.failures.append(
                (path.name, f"{path.name}: could not be imported ({type(error).__name__}).")
            )
            continue
        if result.outcome == letter_import.OUTCOME_DUPLICATE:
            report.duplicates.append(result)
        else:
            report.imported.append(result)
    progress(len(files), len(files))
    return report


def read_preview(desk, path: Path, token, _progress) -> LetterPreview:
    """Worker-side: read one letter for the review dialog (writes nothing)."""
    preview = letter_import.preview(desk, path)
    token.check()  # cancelled while reading: the result is dropped
    return preview


class LetterImporter(QObject):
    """Runs letter imports for a screen; its signals let the screen (and tests) follow along."""

    review_opened = Signal(object)  # the LetterReviewDialog
    imported = Signal(object)  # an ImportResult (from the review dialog)
    batch_finished = Signal(object)  # a BatchReport

    def __init__(self, bench: Workbench, parent: QWidget) -> None:
        super().__init__(parent)
        self.bench = bench
        self.widget = parent
        self.dialog = None
        self.report_box: QMessageBox | None = None

    def import_files(self, paths: list[Path]) -> bool:
        files = letter_files(paths)
        if not files:
            self.bench.message(
                self.tr("No letters (.docx, .pdf, .md, .txt) there; nothing was imported.")
            )
            return False
        if len(files) == 1 and not any(p.is_dir() for p in paths):
            self.review(files[0])
        else:
            self.import_many(files)
        return True

    # --- one file, reviewed ------------------------------------------------------------------------

    def review(self, path: Path) -> None:
        desk = self.bench.desk
        self.bench.run(
            lambda token, progress: read_preview(desk, path, token, progress),
            self._show_review,
            label=self.tr("Reading %s…") % path.name,
        )

    def _show_review(self, preview: LetterPreview) -> None:
        if preview.duplicate_of is not None:
            show_error(
                self.widget,
                DuplicateImport(
                    f"{preview.file_name}: already imported on {house_date(preview.duplicate_of.imported_on)}; "
                    "nothing was added."
                ),
            )
            return

        dialog = LetterReviewDialog(self.bench, preview, self.widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(lambda result: self._imported(result, preview))
        self.dialog = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        dialog.open()
        self.review_opened.emit(dialog)

    def _imported(self, result: ImportResult, preview: LetterPreview | None = None) -> None:
        self.bench.message(result.message)
        if preview is not None and result.outcome != letter_import.OUTCOME_DUPLICATE:
            self.bench.undo.push(
                ImportLetterCommand(self.bench, preview, result)
            )  # Ctrl+Z takes it out again
        self.imported.emit(result)

    # --- many files, each its own transaction ------------------------------------------------------

    def import_many(self, files: list[Path]) -> None:
        desk = self.bench.desk
        self.bench.run(
            lambda token, progress: import_batch(desk, files, token, progress),
            self._batch_done,
            label=self.tr("Importing %d letters…") % len(files),
        )

    def _batch_done(self, report: BatchReport) -> None:
        self.bench.message(report.summary())
        icon = QMessageBox.Icon.Warning if report.failures else QMessageBox.Icon.Information
        box = QMessageBox(
            icon,
            self.tr("Letters imported"),
            html.escape(report.summary()),
            QMessageBox.StandardButton.Ok,
            self.widget,
        )
        box.setAccessibleName(self.tr("Result of the import"))
        lines = [message for _name, message in report.failures]
        lines += [r.message for r in report.duplicates]
        if lines:
            box.setInformativeText("<br>".join(html.escape(line) for line in lines))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_box = box
        box.destroyed.connect(lambda *_: setattr(self, "report_box", None))
        box.open()
        self.batch_finished.emit(report)
