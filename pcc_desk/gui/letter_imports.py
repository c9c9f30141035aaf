"""Importing letters from the window: one file through the review dialog, many files in one go.

One file (File → Import letter…, Ctrl+I, or dropped on the window) is read on a worker thread with
the status bar's progress and Cancel, then shown in :class:`LetterReviewDialog`; nothing is written
until the clerk presses Import. Several files, or a folder, are imported without review, each file in
its own transaction by :func:`pcc_desk.services.batch_import.import_letters` (the same service, and the
same skip rules, as ``pcc-desk import-letter``), with progress; a file that fails does not stop the
others, and the failures are listed at the end.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from pcc_desk.dates import house_date
from pcc_desk.errors import DuplicateImport
from pcc_desk.gui.dialogs.letter_review import LetterReviewDialog
from pcc_desk.gui.dialogs.letter_review_links import ask_key
from pcc_desk.gui.errors import show_error
from pcc_desk.gui.undo import ImportLetterCommand
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import batch_import, letter_import, repeats
from pcc_desk.services.batch_import import BatchResult, Selection
from pcc_desk.services.letter_import import ImportResult, LetterPreview


def read_preview(desk, path: Path, token, _progress) -> LetterPreview:
    """Worker-side: read one letter for the review dialog (writes nothing)."""
    preview = letter_import.preview(desk, path)
    token.check()  # cancelled while reading: the result is dropped
    return preview


def asked_before(desk, preview: LetterPreview) -> dict[tuple[str, str], list]:
    """Worker-side: for each ask of the letter (by its ``ask_key``), the earlier asks it likely repeats,
    the one it follows up first (found at reading: it is set to be linked)."""
    finder = repeats.RepeatFinder(desk)
    date = preview.letter.head.date
    found: dict[tuple[str, str], list] = {}
    for n, ask in enumerate(preview.letter.asks):
        earlier = finder.earlier(ask.text, before=ask.made or date)
        follows = preview.follows_up[n] if n < len(preview.follows_up) else None
        if follows is not None:
            chased = repeats.EarlierAsk(
                follows.ref, follows.made, follows.status, follows.score, ""
            )
            earlier = [chased, *(e for e in earlier if e.ref != follows.ref)]
        if earlier:
            found.setdefault(ask_key(ask), earlier)
    return found


class LetterImporter(QObject):
    """Runs letter imports for a screen; its signals let the screen (and tests) follow along."""

    review_opened = Signal(object)  # the LetterReviewDialog
    imported = Signal(object)  # an ImportResult (from the review dialog)
    batch_finished = Signal(object)  # a batch_import.BatchResult

    def __init__(self, bench: Workbench, parent: QWidget) -> None:
        super().__init__(parent)
        self.bench = bench
        self.widget = parent
        self.dialog: LetterReviewDialog | None = None
        self.report_box: QMessageBox | None = None

    def import_files(self, paths: list[Path]) -> bool:
        selection = batch_import.collect(self.bench.desk.location, paths, batch_import.Kind.LETTERS)
        if not selection.files:
            self.bench.message(selection.nothing_found())
            return False
        if len(selection.files) == 1 and not any(Path(p).is_dir() for p in paths):
            self.review(selection.files[0][0])
        else:
            self.import_many(selection)
        return True

    # --- one file, reviewed ------------------------------------------------------------------------

    def review(self, path: Path) -> None:
        desk = self.bench.desk
        self.bench.run(
            lambda token, progress: (
                (preview := read_preview(desk, path, token, progress)),
                asked_before(desk, preview),
            ),
            lambda read: self._show_review(*read),
            label=self.tr("Reading %s…") % path.name,
        )

    def _show_review(self, preview: LetterPreview, asked: dict | None = None) -> None:
        if preview.duplicate_of is not None:
            show_error(
                self.widget,
                DuplicateImport(
                    f"{preview.file_name}: already imported on {house_date(preview.duplicate_of.imported_on)}; "
                    "nothing was added."
                ),
            )
            return

        dialog = LetterReviewDialog(self.bench, preview, self.widget, asked_before=asked)
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

    def import_many(self, selection: Selection) -> None:
        desk = self.bench.desk
        self.bench.run(
            lambda token, progress: batch_import.import_letters(
                desk, selection, progress=progress, cancel=token
            ),
            self._batch_done,
            label=self.tr("Importing %d letters…") % len(selection.files),
        )

    def _batch_done(self, report: BatchResult) -> None:
        summary = report.summary()
        self.bench.message(summary)
        icon = QMessageBox.Icon.Warning if report.refused else QMessageBox.Icon.Information
        box = QMessageBox(
            icon,
            self.tr("Letters imported"),
            html.escape(summary),
            QMessageBox.StandardButton.Ok,
            self.widget,
        )
        box.setAccessibleName(self.tr("Result of the import"))
        shown = (batch_import.Outcome.REFUSED, batch_import.Outcome.DUPLICATE)
        lines = [r.reason for r in report.of(*shown)] + [r.reason for r in report.skipped]
        if lines:
            box.setInformativeText("<br>".join(html.escape(line) for line in lines))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_box = box
        box.destroyed.connect(lambda *_: setattr(self, "report_box", None))
        box.open()
        self.batch_finished.emit(report)
